"""Calendar arithmetic of the program's clocks (review SLA in business days)."""

from datetime import datetime, timedelta


def add_business_days(start: datetime, days: int) -> datetime:
    """`start` moved forward by `days` working days (Monday to Friday), keeping the time of day.

    A submission made on a weekend starts counting from the next Monday.
    """
    current = start
    while current.weekday() >= 5:
        current += timedelta(days=1)
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def business_days_between(start: datetime, end: datetime) -> int:
    """Whole working days from start to end (negative when end is before start)."""
    if end < start:
        return -business_days_between(end, start)
    count, current = 0, start
    while current + timedelta(days=1) <= end:
        current += timedelta(days=1)
        if current.weekday() < 5:
            count += 1
    return count
