"""allauth's pages in the portal's Bootstrap layout: labelled controls, errors next to fields, sound HTML."""

import re

import pytest
from django.urls import reverse

from notifications.outbox import deliver_all_due
from tests.factories import UserFactory
from tests.partners.html_checks import assert_sound_page


@pytest.mark.parametrize(
    "name", ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"]
)
def test_the_entrance_pages_are_bootstrap_forms_in_the_portal_layout(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/static/vendor/bootstrap/css/bootstrap.min.css"' in page
    assert '<nav class="navbar' in page
    if name != "account_reset_password_done":
        assert re.search(r'class="[^"]*\bform-control\b', page)
        assert re.search(r'<label[^>]*for="id_', page)
        assert 'class="btn btn-primary' in page
    assert_sound_page(response)


@pytest.mark.parametrize("name", ["account_change_password", "account_email", "account_logout"])
def test_the_account_pages_are_bootstrap_forms_in_the_portal_layout(login, db, name):
    response = login(UserFactory()).get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert "btn btn-primary" in page or "btn btn-outline" in page
    assert_sound_page(response)


def test_login_errors_show_on_the_form(client, db):
    UserFactory(email="kim@example.com")
    response = client.post(reverse("account_login"), {"login": "kim@example.com", "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "alert" in page
    assert "email address and/or password you specified are not correct" in page
    assert_sound_page(response)


def test_signup_errors_show_next_to_the_field(client, db):
    response = client.post(
        reverse("account_signup"), {"email": "not-an-email", "password1": "x", "password2": "y"}
    )
    page = response.content.decode()
    assert "is-invalid" in page
    assert "invalid-feedback" in page
    assert_sound_page(response)


def test_it_logs_in_by_email(client, db):
    user = UserFactory(email="kim@example.com", password="correct-horse-battery")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "KIM@example.com", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("account_change_password")).status_code == 200


def test_an_unverified_address_must_be_confirmed_first(client, db):
    UserFactory(email="new@example.com", password="correct-horse-battery")
    response = client.post(
        reverse("account_login"), {"login": "new@example.com", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    page = client.get(response["Location"])
    assert_sound_page(page)


def _link_in(message, path_start):
    import re as _re

    return _re.search(rf"https?://[^/]+({path_start}\S+)", message.body).group(1)


def test_the_password_reset_runs_through_the_portal_pages(client, db):
    from django.core import mail

    UserFactory(email="kim@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "kim@example.com"})
    assert response.status_code == 302
    deliver_all_due()  # account emails go through the outbox like every other email
    reset_path = _link_in(mail.outbox[-1], "/accounts/password/reset/key/")
    form_page = client.get(reset_path, follow=True)
    assert form_page.status_code == 200
    assert_sound_page(form_page)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path,
        {"password1": "brand-new-passphrase-7", "password2": "brand-new-passphrase-7"},
    )
    assert response.status_code == 302
    assert client.login(email="kim@example.com", password="brand-new-passphrase-7")


def test_the_email_confirmation_page_asks_before_confirming(client, db):
    from django.core import mail

    client.post(
        reverse("account_signup"),
        {"email": "lee@example.com", "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9"},
    )
    deliver_all_due()
    confirm_path = _link_in(mail.outbox[-1], "/accounts/confirm-email/")
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert b"lee@example.com" in page.content
    assert_sound_page(page)
