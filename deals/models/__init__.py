"""The deals app's models, one module per concept; imported here so Django (and callers) find them."""

from .deal import Deal, DealAttachment, DealLine, DealNumberSequence, DealUpdate, attachment_path
from .events import Action, DealEvent
from .extensions import ExtensionRequest
from .participants import DealParticipant, format_share
from .prospect import PipelineEntry, Prospect
from .protection import Protection
from .quote import Quote, QuoteLine
from .states import (
    CLOCKED_STATES,
    EDITABLE_STATES,
    EXTENDABLE_STATES,
    LIVE_STATES,
    OPEN_FOR_REVIEW,
    ORDERABLE_STATES,
    PROTECTED_STATES,
    QUOTABLE_STATES,
    TERMINAL_STATES,
    UNDECIDED_STATES,
    DealState,
    RejectionReason,
    RevocationReason,
)
from .submission import SubmissionKey

__all__ = [
    "CLOCKED_STATES",
    "EDITABLE_STATES",
    "EXTENDABLE_STATES",
    "LIVE_STATES",
    "OPEN_FOR_REVIEW",
    "ORDERABLE_STATES",
    "PROTECTED_STATES",
    "QUOTABLE_STATES",
    "TERMINAL_STATES",
    "UNDECIDED_STATES",
    "Action",
    "Deal",
    "DealAttachment",
    "DealEvent",
    "DealLine",
    "DealNumberSequence",
    "DealParticipant",
    "DealState",
    "DealUpdate",
    "ExtensionRequest",
    "PipelineEntry",
    "Prospect",
    "Protection",
    "Quote",
    "QuoteLine",
    "RejectionReason",
    "RevocationReason",
    "SubmissionKey",
    "attachment_path",
    "format_share",
]
