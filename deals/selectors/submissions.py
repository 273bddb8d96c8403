"""Reads of the submission ledger: where a person's already saved form led."""

from ..models import SubmissionKey


def first_result(*, user, key: str) -> str | None:
    """The page the person's form with this key led to when it was saved, or None when it never was."""
    return SubmissionKey.objects.filter(user=user, key=key).values_list("result_url", flat=True).first()
