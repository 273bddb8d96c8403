import datetime

from django.template import Context, Template


def _render(value):
    return Template("{% load portal_tags %}{{ value|html_datetime }}").render(Context({"value": value}))


def test_html_datetime_drops_microseconds_which_html_does_not_allow():
    moment = datetime.datetime(2026, 11, 24, 14, 5, 9, 123456, tzinfo=datetime.UTC)
    assert _render(moment) == "2026-11-24T14:05:09+00:00"


def test_html_datetime_keeps_dates_as_dates_and_nothing_as_nothing():
    assert _render(datetime.date(2026, 11, 24)) == "2026-11-24"
    assert _render(None) == ""
