"""Helpers the browser journeys share: people who can log in, switching between them, screenshots."""

from allauth.account.models import EmailAddress
from django_scopes import scopes_disabled

from tests.browser.conftest import ARTIFACTS
from tests.factories import member

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


def person(role, **where):
    """A member with `role` (vendor= or organization=) and a verified email: the login form admits them."""
    user = member(role, **where)
    with scopes_disabled():
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def switch_to(page, log_in, user):
    page.context.clear_cookies()
    return log_in(user.email, PASSWORD)


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
