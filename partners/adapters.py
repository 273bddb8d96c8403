import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils.html import strip_tags

from notifications.services import queue_prepared_email


class AccountAdapter(DefaultAccountAdapter):
    """Signup stays open: new people sign up to apply to a program or to accept an invitation.

    allauth's own emails (address verification, password reset, security notices) go through the
    notifications outbox like every other email, so an SMTP outage delays them instead of losing them.
    """

    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        # Same context and rendering as allauth's own send_mail; only the sending differs.
        request = context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context_data},
        )
        html = next(
            (body for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        text = message.body
        if message.content_subtype == "html":  # allauth found only an HTML template
            html, text = message.body, strip_tags(message.body)
        name = template_prefix.rsplit("/", 1)[-1]
        queue_prepared_email(
            to=message.to,
            subject=message.subject,
            text=text,
            html=html,
            # Not a replayed event: every call is a new message (a second reset link is a new link).
            idempotency_key=f"account:{name}:{uuid.uuid4().hex}",
            event_type=f"account:{name}",
            # Verification, reset and login-code emails all carry a live key.
            holds_secret=True,
        )
