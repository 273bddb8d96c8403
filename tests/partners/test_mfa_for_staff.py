"""Vendor staff (channel managers, vendor admins) set up TOTP before they reach vendor pages; partners may."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.urls import reverse
from django_scopes import scopes_disabled


def without_authenticators(user):
    with scopes_disabled():
        Authenticator.objects.filter(user=user).delete()
    return user


@pytest.mark.parametrize("role", ["channel_manager", "vendor_admin"])
def test_vendor_staff_without_totp_are_sent_to_set_it_up(request, login, vendor, role):
    staff = without_authenticators(request.getfixturevalue(role))
    client = login(staff)

    response = client.get(reverse("dashboard", args=[vendor.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    [message] = get_messages(response.wsgi_request)
    assert "two-factor" in str(message).lower()
    assert client.get(response["Location"], follow=True).status_code == 200  # (after confirming the password)


def test_vendor_staff_with_totp_reach_vendor_pages(login, channel_manager, vendor):
    response = login(channel_manager).get(reverse("dashboard", args=[vendor.slug]))
    assert response.status_code == 200


def test_partners_are_not_forced_and_the_account_menu_offers_it(login, partner_user, vendor):
    without_authenticators(partner_user)
    response = login(partner_user).get(reverse("dashboard", args=[vendor.slug]))
    assert response.status_code == 200
    assert f'href="{reverse("mfa_index")}"' in response.content.decode()
