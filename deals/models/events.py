"""The audit trail of a deal: every transition and other notable change, who, when, why."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager


class Action(models.TextChoices):
    """What happened; the label is the timeline's title. Transitions are named after their FSM method."""

    CREATED = "created", "Registration created"
    EDITED = "edited", "Registration edited"
    SUBMIT = "submit", "Submitted for review"
    RESUBMIT = "resubmit", "Resubmitted with more information"
    REQUEST_INFO = "request_info", "More information requested"
    APPROVE = "approve", "Approved"
    REJECT = "reject", "Rejected"
    MARK_QUOTED = "mark_quoted", "Quote issued"
    EXPIRE = "expire", "Expired"
    GRANT_EXTENSION = "grant_extension", "Extension granted"
    REVOKE = "revoke", "Revoked"
    START_ORDER = "start_order", "Order started"
    SUBMIT_ORDER = "submit_order", "Order submitted"
    LOSE = "lose", "Marked lost"
    WITHDRAW = "withdraw", "Withdrawn"
    PROGRESS_UPDATE = "progress_update", "Progress update"
    ATTACHMENT_ADDED = "attachment_added", "Attachment added"
    ATTACHMENT_REMOVED = "attachment_removed", "Attachment removed"
    PARTICIPANTS_CHANGED = "participants_changed", "Co-sell partners changed"
    QUOTE_ISSUED = "quote_issued", "Quote issued"
    EXTENSION_REQUESTED = "extension_requested", "Extension requested"
    EXTENSION_DECLINED = "extension_declined", "Extension declined"
    EXTENSION_REQUEST_CLOSED = "extension_request_closed", "Extension request closed"
    RENEWAL_OPENED = "renewal_opened", "Renewal opened"

    @property
    def verb(self) -> str:
        """For "DR-000123 is approved: it cannot be <verb> now." (transitions only)."""
        return TRANSITION_VERBS.get(self, self.label.lower())

    @classmethod
    def title_of(cls, action: str) -> str:
        return cls(action).label if action in cls.values else action.replace("_", " ").capitalize()


TRANSITION_VERBS = {
    Action.SUBMIT: "submitted",
    Action.RESUBMIT: "resubmitted",
    Action.REQUEST_INFO: "returned for more information",
    Action.APPROVE: "approved",
    Action.REJECT: "rejected",
    Action.MARK_QUOTED: "quoted",
    Action.EXPIRE: "expired",
    Action.GRANT_EXTENSION: "extended",
    Action.REVOKE: "revoked",
    Action.START_ORDER: "ordered",
    Action.SUBMIT_ORDER: "submitted as an order",
    Action.LOSE: "marked lost",
    Action.WITHDRAW: "withdrawn",
}


class DealEvent(models.Model):
    """One entry of the audit trail. Notifications are driven by these rows (deals.services.notices)."""

    Action = Action

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(vendor="deal__vendor")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.deal} {self.action}"

    @property
    def actor_name(self):
        return self.actor.display_name if self.actor else "System"
