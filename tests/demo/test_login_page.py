"""The login page's list of demo accounts: every seeded login in DEMO_MODE, none outside it."""

from django.urls import reverse

from demo.people import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from partners.models import Membership
from tests.factories import UserFactory, member
from tests.partners.html_checks import assert_sound_page

Role = Membership.Role


def _demo_user(vendor):
    return member(
        Role.CHANNEL_MANAGER,
        vendor=vendor,
        user=UserFactory(email=f"cm@{DEMO_EMAIL_DOMAIN}", password=DEMO_PASSWORD),
    )


def test_the_demo_login_page_lists_the_demo_accounts(client, vendor, reseller, settings):
    settings.DEMO_MODE = True
    _demo_user(vendor)
    member(Role.PARTNER_USER, organization=reseller, user=UserFactory(email=f"rep@{DEMO_EMAIL_DOMAIN}"))
    UserFactory(email="real.person@example.com")
    response = client.get(reverse("account_login"))
    page = response.content.decode()
    assert "Demo accounts" in page
    assert f"cm@{DEMO_EMAIL_DOMAIN}" in page
    assert f"rep@{DEMO_EMAIL_DOMAIN}" in page
    assert "Alpha Resellers" in page
    assert "Channel manager" in page
    assert DEMO_PASSWORD in page
    assert "real.person@example.com" not in page
    assert_sound_page(response)


def test_outside_demo_mode_no_account_is_shown(client, vendor, settings):
    settings.DEMO_MODE = False
    _demo_user(vendor)
    page = client.get(reverse("account_login")).content.decode()
    assert "Demo accounts" not in page
    assert DEMO_PASSWORD not in page


def test_the_demo_panel_gives_the_current_authenticator_code_of_the_demo_staff(client, vendor, settings):
    from allauth.mfa.totp.internal.auth import validate_totp_code

    from demo.people import DEMO_TOTP_SECRET

    settings.DEMO_MODE = True
    _demo_user(vendor)
    response = client.get(reverse("account_login"))
    code = response.content.decode().split('id="demo-totp-code">', 1)[1][:6]
    assert validate_totp_code(DEMO_TOTP_SECRET, code)
    assert DEMO_TOTP_SECRET in response.content.decode()

    settings.DEMO_MODE = False
    assert DEMO_TOTP_SECRET not in client.get(reverse("account_login")).content.decode()
