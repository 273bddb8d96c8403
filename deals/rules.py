"""Program eligibility rules: small named objects returning a verdict a partner understands.

The checklist the partner sees live, and the channel manager sees on review, is their output unchanged.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Verdict:
    rule: str  # short title, e.g. "Minimum threshold"
    status: Status
    reason: str  # a sentence for the partner


@dataclass
class Checklist:
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def failures(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status == Status.FAIL]

    @property
    def warnings(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status == Status.WARN]

    @property
    def blocks_submission(self) -> bool:
        return bool(self.failures)


RULES: list = []  # filled by the rule classes below (helper B)


def evaluate(deal) -> Checklist:
    return Checklist([rule.check(deal) for rule in RULES])
