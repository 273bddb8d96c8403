"""Which events exist, who hears about each, and with which templates.

An event reaches *audiences*: the partner (who registered the deal, plus the organisation's admins), the
vendor's channel managers, and the distributor (when the deal is routed through one and not hidden from
it). deals.services.notices finds their people; each gets an in-app notification and, unless the person
switched it off, an email rendered from ``templates/email/<template>{_subject.txt,.txt,.html}``.
"""

from dataclasses import dataclass

from django.template import engines

PARTNER = "partner"
CHANNEL_MANAGERS = "channel_managers"
DISTRIBUTOR = "distributor"
# The partner admins of one organisation on the deal: a co-sell partner.
PARTICIPANT = "participant"


@dataclass(frozen=True)
class EventType:
    key: str
    label: str  # shown on the preferences page
    audiences: dict[str, str]  # audience → email template
    summary: str  # in-app text (a Django template string rendering plain text)
    include_actor: bool = False  # confirmations go to the person who acted, too

    def render_summary(self, context: dict) -> str:
        return _compiled(self.summary).render(context).strip()


_TEMPLATE_CACHE: dict = {}


def _compiled(source: str):
    if source not in _TEMPLATE_CACHE:
        # The summary is stored as plain text and escaped once where a page shows it; escaping here too
        # would show "Margie&#x27;s Travel".
        _TEMPLATE_CACHE[source] = engines["django"].from_string(
            "{% autoescape off %}" + source + "{% endautoescape %}"
        )
    return _TEMPLATE_CACHE[source]


_DEAL = "{{ deal.deal_number }} ({{ deal.company_name }})"

EVENT_TYPES: dict[str, EventType] = {
    e.key: e
    for e in [
        EventType(
            "deal_submitted",
            "Registration submitted",
            {PARTNER: "deal_submitted", CHANNEL_MANAGERS: "deal_submitted_review"},
            _DEAL + " was submitted for review; a decision is due by {{ deal.review_due_at|date:'j M Y' }}.",
            include_actor=True,
        ),
        EventType(
            "deal_info_requested",
            "More information requested",
            {PARTNER: "deal_info_requested"},
            "The channel manager needs more information on " + _DEAL + ": {{ event.note }}",
        ),
        EventType(
            "deal_approved",
            "Registration approved",
            {PARTNER: "deal_approved", DISTRIBUTOR: "deal_approved"},
            _DEAL + " was approved; protected until {{ deal.expires_at|date:'j M Y' }}.",
        ),
        EventType(
            "deal_rejected",
            "Registration rejected",
            {PARTNER: "deal_rejected"},
            _DEAL + " was rejected: {{ deal.get_rejection_reason_display }}.",
        ),
        EventType(
            "quote_issued",
            "Quote issued",
            {PARTNER: "quote_issued", DISTRIBUTOR: "quote_issued"},
            "A new quote was issued for " + _DEAL + ". {{ event.note }}",
        ),
        EventType(
            "extension_requested",
            "Extension requested",
            {CHANNEL_MANAGERS: "extension_requested"},
            "An extension of " + _DEAL + " was requested: {{ event.note }}",
        ),
        EventType(
            "extension_granted",
            "Extension granted",
            {PARTNER: "extension_granted", DISTRIBUTOR: "extension_granted"},
            _DEAL + " was extended; protected until {{ deal.expires_at|date:'j M Y' }}.",
        ),
        EventType(
            "extension_declined",
            "Extension declined",
            {PARTNER: "extension_declined"},
            "The extension of " + _DEAL + " was declined: {{ event.note }}",
        ),
        EventType(
            "expiry_warning",
            "Registration about to expire",
            {PARTNER: "expiry_warning"},
            _DEAL + " expires on {{ deal.expires_at|date:'j M Y' }}"
            " ({{ days_left }} day{{ days_left|pluralize }} left).",
        ),
        EventType(
            "deal_expired",
            "Registration expired",
            {PARTNER: "deal_expired", DISTRIBUTOR: "deal_expired"},
            _DEAL + " expired; its protection ended. You can still ask for an extension.",
        ),
        EventType(
            "stale_warning",
            "Progress update overdue",
            {PARTNER: "stale_warning"},
            "Post a progress update on " + _DEAL + " by {{ stale_on|date:'j M Y' }} to keep its protection.",
        ),
        EventType(
            "stale_flagged",
            "Registration without updates (channel managers)",
            {CHANNEL_MANAGERS: "stale_flagged"},
            _DEAL + " had no progress update for {{ days_silent }} days.",
        ),
        EventType(
            "update_reminder",
            "Progress update reminder",
            {PARTNER: "update_reminder"},
            "Time for a progress update on "
            + _DEAL
            + " (expected to close {{ deal.expected_close_date|date:'j M Y' }}).",
        ),
        EventType(
            "deal_revoked",
            "Registration revoked",
            {PARTNER: "deal_revoked", DISTRIBUTOR: "deal_revoked"},
            _DEAL + " was revoked: {{ deal.get_revocation_reason_display }}.",
        ),
        EventType(
            "review_due_soon",
            "Review due soon (channel managers)",
            {CHANNEL_MANAGERS: "review_due_soon"},
            _DEAL + " must be decided by {{ deal.review_due_at|date:'j M Y, H:i' }}.",
        ),
        EventType(
            "review_overdue",
            "Review overdue (channel managers)",
            {CHANNEL_MANAGERS: "review_overdue"},
            "The review of " + _DEAL + " is overdue since {{ deal.review_due_at|date:'j M Y, H:i' }}.",
        ),
        EventType(
            "order_started",
            "Order started",
            {PARTNER: "order_started", DISTRIBUTOR: "order_started", CHANNEL_MANAGERS: "order_started"},
            "The order for " + _DEAL + " started (PO {{ deal.po_number }}).",
        ),
        EventType(
            "order_submitted",
            "Order submitted",
            {PARTNER: "order_submitted", DISTRIBUTOR: "order_submitted", CHANNEL_MANAGERS: "order_submitted"},
            "The order for " + _DEAL + " was submitted; the deal is won.",
        ),
        EventType(
            "deal_lost",
            "Deal lost (channel managers)",
            {CHANNEL_MANAGERS: "deal_lost"},
            _DEAL + " was marked lost: {{ deal.lost_reason }}",
        ),
        EventType(
            "renewal_opened",
            "Renewal registration opened",
            {PARTNER: "renewal_opened"},
            "{% if deal.approved_at %}Your renewal registration " + _DEAL + " was approved; protected until "
            "{{ deal.expires_at|date:'j M Y' }}.{% else %}Your renewal registration " + _DEAL + " is open: "
            "complete and submit it.{% endif %}",
        ),
        EventType(
            "participant_added",
            "Added as a co-sell partner",
            {PARTICIPANT: "participant_added"},
            "{{ deal.organization.name }} added you as {{ participant.role_phrase }}"
            " ({{ participant.share_display }}%) on " + _DEAL + ".",
        ),
        EventType(
            "deal_withdrawn",
            "Registration withdrawn (channel managers)",
            {CHANNEL_MANAGERS: "deal_withdrawn"},
            _DEAL + " was withdrawn by the partner.",
        ),
    ]
}
