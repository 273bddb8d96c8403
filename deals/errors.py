class DealActionError(Exception):
    """A deal action was refused; the message is shown to the person as it is."""


class DealRulesFailed(DealActionError):
    """Submission blocked by failing program rules; carries the checklist that explains why."""

    def __init__(self, checklist):
        self.checklist = checklist
        reasons = "; ".join(v.reason for v in checklist.failures)
        super().__init__(f"This deal does not qualify for the program: {reasons}")


class ProtectionConflict(DealActionError):
    """Another partner already holds protection for a product at this prospect."""


class AlreadySubmitted(Exception):
    """The same form (its submission key) was already saved; `result_url` is the page its change led to."""

    def __init__(self, result_url: str):
        self.result_url = result_url
        super().__init__(f"Already saved: {result_url}")
