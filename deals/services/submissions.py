"""One change per rendered form. Each deal form carries a one-time `submission_key`; the change it posts is
made at most once per person and key, however often (or however simultaneously) it is posted.

The key's row is inserted first, in the change's own transaction: a concurrent duplicate waits on the
unique index until the first commits and then finds it done; a change that fails rolls its key back with
it, so a retry runs again."""

from collections.abc import Callable
from contextlib import contextmanager

from django.db import IntegrityError, transaction

from ..errors import AlreadySubmitted
from ..models import SubmissionKey
from ..selectors.submissions import first_result


class Submission:
    """The ledger row being written: where the change leads is told once it is made."""

    def __init__(self, entry: SubmissionKey | None):
        self.entry = entry

    def leads_to(self, url: str) -> None:
        if self.entry is not None:
            self.entry.result_url = url
            self.entry.save(update_fields=["result_url"])


@contextmanager
def once(*, user, key: str | None):
    """Run the block's change once per (user, key); without a key (an old client) just run it.
    Raises AlreadySubmitted when the key was already used for a saved change."""
    if not key:
        yield Submission(None)
        return
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = SubmissionKey.objects.create(user=user, key=key)
        except IntegrityError:
            raise AlreadySubmitted(first_result(user=user, key=key) or "") from None
        yield Submission(entry)


def run_once(*, user, key: str | None, run: Callable, result_url: Callable):
    """`run()` once per (user, key), its key recorded with `result_url(result)`, in one transaction."""
    with once(user=user, key=key) as submission:
        result = run()
        submission.leads_to(result_url(result))
    return result
