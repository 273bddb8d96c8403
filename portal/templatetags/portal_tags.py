"""Template filters every app's templates may use (formatting only: no queries).

Registered in settings.TEMPLATES' `libraries`: `portal` is the project package, not an installed app.
"""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value):
    """{{ moment|html_datetime }} → the value of a <time datetime> attribute ('2026-11-24T14:05:09+00:00').

    Django's |date:'c' keeps microseconds, and HTML allows at most three fraction digits; seconds are
    precise enough for a reader's software. Dates stay dates; nothing gives an empty string.
    """
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
