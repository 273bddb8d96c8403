"""Calendar arithmetic of the program's clocks: business days (review SLA, skipping the program's
days off), months and fiscal quarters
(close dates, update cadence), whole days left (expiry, staleness). Every clock computes here."""

import math
from calendar import monthrange
from collections.abc import Container
from datetime import date, datetime, time, timedelta

from django.utils import timezone

DAY = timedelta(days=1)


def is_business_day(moment: datetime, *, days_off: Container[date]) -> bool:
    """Monday to Friday and not one of the program's days off (Program.days_off())."""
    return moment.weekday() < 5 and moment.date() not in days_off


def add_business_days(start: datetime, days: int, *, days_off: Container[date]) -> datetime:
    """`start` moved forward by `days` business days, keeping the time of day.

    A submission made on a day off (a weekend, a holiday) starts counting from the next business day.
    """
    current = start
    while not is_business_day(current, days_off=days_off):
        current += DAY
    remaining = days
    while remaining > 0:
        current += DAY
        if is_business_day(current, days_off=days_off):
            remaining -= 1
    return current


def business_day_before(moment: datetime, *, days_off: Container[date]) -> datetime:
    """The same time one business day earlier (Monday 10:00 → Friday 10:00, or earlier over holidays)."""
    moment -= DAY
    while not is_business_day(moment, days_off=days_off):
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
