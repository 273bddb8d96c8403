"""The one way the portal sends email. Other apps call send_email(); nothing else calls Django's mail.

(First version: renders the templates and sends after the surrounding transaction commits.
The outbox with retries replaces the delivery part; the signature stays.)
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """email/<template>_subject.txt, email/<template>.txt and email/<template>.html → subject, text, html."""
    subject = render_to_string(f"email/{template}_subject.txt", context).strip()
    text = render_to_string(f"email/{template}.txt", context)
    html = render_to_string(f"email/{template}.html", context)
    return subject, text, html


def send_email(
    *, to: list[str], template: str, context: dict, vendor=None, event_key: str | None = None
) -> None:
    subject, text, html = render_email(template, {**context, "vendor": vendor})

    def deliver():
        message = EmailMultiAlternatives(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, text, settings.DEFAULT_FROM_EMAIL, to
        )
        message.attach_alternative(html, "text/html")
        message.send()

    transaction.on_commit(deliver)


def deal_event_recorded(*, event_id: int) -> None:
    """Called after commit for every DealEvent: decides who hears about it (implemented with issue 5)."""
