from django.contrib import admin, messages
from django.utils import timezone

from portal.admin import UnscopedAdmin

from .models import Notification, NotificationPreference, OutboxEmail, SentReminder

# Never shown: a waiting email's body can hold a live password-reset or invitation link.
BODY_FIELDS = ["text", "html"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """Where installation staff see what was sent, what waits, and what gave up (and why)."""

    list_display = ["subject", "to", "status", "attempts", "next_attempt_at", "sent_at", "created_at"]
    list_filter = ["status", "event_type"]
    search_fields = ["to", "subject", "idempotency_key"]
    date_hierarchy = "created_at"
    exclude = BODY_FIELDS
    readonly_fields = [f.name for f in OutboxEmail._meta.fields if f.name not in BODY_FIELDS]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry the selected failed or waiting emails now")
    def retry_now(self, request, queryset):
        count = queryset.filter(status__in=[OutboxEmail.Status.FAILED, OutboxEmail.Status.PENDING]).update(
            status=OutboxEmail.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        self.message_user(
            request, f"{count} email(s) will be sent by the next delivery run.", messages.SUCCESS
        )


@admin.register(Notification)
class NotificationAdmin(UnscopedAdmin):
    list_display = ["title", "user", "vendor", "event_type", "created_at", "read_at"]
    list_filter = ["event_type", "vendor"]
    search_fields = ["title", "user__email"]
    raw_id_fields = ["user", "deal"]
    readonly_fields = ["idempotency_key", "created_at"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "event_type", "email"]
    list_filter = ["event_type", "email"]
    raw_id_fields = ["user"]


@admin.register(SentReminder)
class SentReminderAdmin(UnscopedAdmin):
    list_display = ["deal", "kind", "period", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["deal"]
