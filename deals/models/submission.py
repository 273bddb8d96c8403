"""The ledger of done submissions: one row per posted form whose change was saved, written in the
change's own transaction (a rolled-back change leaves no row, a saved one always has its row)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SubmissionKey(models.Model):
    """A rendered form's one-time key, per person, and the page its change led to."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.result_url}"
