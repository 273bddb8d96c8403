"""The in-app summaries of events: plain text, escaped once where a page shows them."""

from types import SimpleNamespace

from django.urls import reverse
from django_scopes import scopes_disabled

from notifications.events import EVENT_TYPES
from notifications.models import Notification


def _info_requested_summary():
    deal = SimpleNamespace(deal_number="DR-000007", company_name="Margie's Travel")
    event = SimpleNamespace(note="Is <Bob> the buyer?")
    return EVENT_TYPES["deal_info_requested"].render_summary({"deal": deal, "event": event})


def test_a_summary_is_plain_text_not_html():
    summary = _info_requested_summary()
    assert "Margie's Travel" in summary and "Is <Bob> the buyer?" in summary
    assert "&#x27;" not in summary and "&lt;" not in summary


def test_the_inbox_escapes_a_summary_exactly_once(login, partner_user, vendor):
    with scopes_disabled():
        Notification.objects.create(
            vendor=vendor,
            user=partner_user,
            event_type="deal_info_requested",
            title="More information requested",
            body=_info_requested_summary(),
            url="/",
            idempotency_key="t:escape-once",
        )
    page = login(partner_user).get(reverse("notification_inbox")).content.decode()
    assert "Margie&#x27;s Travel" in page and "Is &lt;Bob&gt; the buyer?" in page
    assert "&amp;#x27;" not in page and "&amp;lt;" not in page
