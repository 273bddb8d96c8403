"""The states of a deal registration, every named group of them, and the reasons of the decisions.

Each group is named once here; the FSM transitions use them as their `source=` lists and every service,
selector and job asks the same group, so "which states may be extended?" has one answer.
"""

from django.db import models


class DealState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    INFO_REQUESTED = "info_requested", "More information requested"
    APPROVED = "approved", "Approved"
    QUOTED = "quoted", "Quoted"
    EXTENDED = "extended", "Extended"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    REJECTED = "rejected", "Rejected"
    ORDERED = "ordered", "Order started"
    WON = "won", "Won"
    LOST = "lost", "Lost"
    WITHDRAWN = "withdrawn", "Withdrawn"


S = DealState

# The registering partner may still change what it registered (a draft, or returned for information).
EDITABLE_STATES = (S.DRAFT, S.INFO_REQUESTED)
# Waiting for a channel manager's decision.
OPEN_FOR_REVIEW = (S.SUBMITTED, S.INFO_REQUESTED)
# Not decided yet: the partner may still withdraw it.
UNDECIDED_STATES = (S.DRAFT, *OPEN_FOR_REVIEW)
# Protection runs on the validity and staleness clocks; an order in progress is exempt from them.
CLOCKED_STATES = (S.APPROVED, S.QUOTED, S.EXTENDED)
# The partner holds protection (Protection rows are active).
PROTECTED_STATES = (*CLOCKED_STATES, S.ORDERED)
# A channel manager may extend it (also after it expired).
EXTENDABLE_STATES = (*CLOCKED_STATES, S.EXPIRED)
# A further quote may be issued: protected, and the order not yet started (an order is placed against
# the current quote; changing it afterwards would change the order).
QUOTABLE_STATES = CLOCKED_STATES
# An order may be started: a quote exists.
ORDERABLE_STATES = (S.QUOTED, S.EXTENDED)
# The registration claims its prospect: conflict detection compares against these.
LIVE_STATES = (*OPEN_FOR_REVIEW, *PROTECTED_STATES)
# Nothing happens to it any more.
TERMINAL_STATES = (S.REJECTED, S.REVOKED, S.WON, S.LOST, S.WITHDRAWN)


class RejectionReason(models.TextChoices):
    INSUFFICIENT_INFORMATION = "insufficient_information", "Insufficient information"
    ALREADY_REGISTERED = "already_registered", "Already registered by a different partner"
    KNOWN_TO_VENDOR = "known_to_vendor", "Already known to / worked by our sales team"
    NO_IMMEDIATE_NEED = "no_immediate_need", "No immediate need or project"
    BELOW_THRESHOLD = "below_threshold", "Below the minimum threshold"
    EXCLUDED_SEGMENT = "excluded_segment", "Excluded segment (MSP opportunity)"
    RENEWAL = "renewal", "Renewals are not eligible"
    IMPROPER_CONDUCT = "improper_conduct", "Improper business conduct"
    OTHER = "other", "Other"


class RevocationReason(models.TextChoices):
    STALE = "stale", "No progress update within the program's limit"
    CRITERIA_NOT_MET = "criteria_not_met", "Program criteria no longer met"
    IMPROPER_CONDUCT = "improper_conduct", "Improper business conduct"
    OTHER = "other", "Other"
