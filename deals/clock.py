"""Calendar arithmetic of the program's clocks: business days (review SLA), months and fiscal quarters
(close dates, update cadence), whole days left (expiry, staleness). Every clock computes here."""

import math
from calendar import monthrange
from datetime import date, datetime, time, timedelta

from django.utils import timezone

DAY = timedelta(days=1)


def add_business_days(start: datetime, days: int) -> datetime:
    """`start` moved forward by `days` working days (Monday to Friday), keeping the time of day.

    A submission made on a weekend starts counting from the next Monday.
    """
    current = start
    while current.weekday() >= 5:
        current += DAY
    remaining = days
    while remaining > 0:
        current += DAY
        if current.weekday() < 5:
            remaining -= 1
    return current


def business_day_before(moment: datetime) -> datetime:
    """The same time one working day earlier (Monday 10:00 → Friday 10:00)."""
    moment -= DAY
    while moment.weekday() >= 5:
        moment -= DAY
    return moment


def start_of_tomorrow(now: datetime) -> datetime:
    """Midnight at the end of `now`'s day, in the installation's time zone."""
    today = timezone.localtime(now).date()
    return timezone.make_aware(datetime.combine(today + DAY, time.min))


def days_until(moment: datetime, now: datetime) -> int:
    """Whole days left, rounded up (half a day left is "1 day"); negative once past."""
    return math.ceil((moment - now) / DAY)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clipped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def end_of_month(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def fiscal_quarter_start(day: date, fiscal_year_start_month: int) -> date:
    """First day of the fiscal quarter containing `day` (quarters start at the fiscal year's first month)."""
    months_into_quarter = (day.month - fiscal_year_start_month) % 3
    return add_months(day.replace(day=1), -months_into_quarter)


def fiscal_quarter_end(day: date, fiscal_year_start_month: int) -> date:
    """Last day of the fiscal quarter containing `day`."""
    return add_months(fiscal_quarter_start(day, fiscal_year_start_month), 3) - DAY
