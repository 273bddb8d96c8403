"""In-app notifications, the email outbox, each person's email preferences, and the reminder ledger."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager


class Notification(models.Model):
    """One message in one person's in-app inbox, in the context of one vendor."""

    vendor = models.ForeignKey("partners.Vendor", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    event_type = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField("link", max_length=300, blank=True)
    # Same key twice (a job run twice, an event replayed) → one notification.
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(vendor="vendor")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class OutboxEmail(models.Model):
    """An email waiting to be sent, written in the same transaction as the change it reports.

    Delivery (notifications.outbox) claims rows under a lease, sends, then marks them sent; a crashed
    claim is retried once its lease runs out. The outbox is infrastructure that no tenant page lists,
    so it has a plain manager.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up after repeated failures"

    vendor = models.ForeignKey(
        "partners.Vendor", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    text = models.TextField()
    html = models.TextField(blank=True)
    # The body carries a live secret (a password-reset or invitation link): blanked once delivered.
    holds_secret = models.BooleanField(default=False)
    event_type = models.CharField(max_length=40, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "outbox email"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class NotificationPreference(models.Model):
    """Whether a person receives a kind of event by email (in-app notifications always arrive)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event_type = models.CharField(max_length=40)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event_type"], name="preference_one_per_user_event")
        ]

    def __str__(self):
        return f"{self.user}: {self.event_type} email {'on' if self.email else 'off'}"


class SentReminder(models.Model):
    """Ledger of reminders and warnings the periodic jobs sent: one row per deal + kind + period.

    The unique key is what makes a job idempotent and safe with two workers: whoever inserts the row
    sends the reminder; everyone else's insert conflicts and sends nothing.
    """

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    period = models.CharField(max_length=60)
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(vendor="deal__vendor")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deal", "kind", "period"], name="reminder_once_per_period")
        ]

    def __str__(self):
        return f"{self.deal_id} {self.kind} {self.period}"


class DispatchedEvent(models.Model):
    """Marks a deal event whose notifications were written.

    The DealEvent itself is committed with the change (it is the transactional outbox entry); this row is
    written in the same transaction as the notifications and emails it produced. An event without a row
    was lost between commit and dispatch (a crash) and is picked up by the sweep job; the primary key
    makes the hook and the sweep never dispatch one event twice.
    """

    event = models.OneToOneField(
        "deals.DealEvent", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    dispatched_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"event {self.event_id} dispatched"
