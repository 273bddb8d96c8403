"""A company applies to a vendor's program; a vendor admin approves or declines; only active partners act."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from notifications.models import OutboxEmail
from notifications.outbox import deliver_all_due
from partners.models import DistributorAgreement, Membership, PartnerOrganization
from tests.factories import (
    DistributorFactory,
    OrganizationFactory,
    TierFactory,
    UserFactory,
    VendorFactory,
    member,
)

Role = Membership.Role
Status = PartnerOrganization.Status


def apply_url(vendor):
    return reverse("partner_apply", kwargs={"slug": vendor.slug})


def application_data(**overrides):
    data = {
        "name": "Northwind Traders",
        "kind": "reseller",
        "country": "GB",
        "website": "https://northwind.example",
        "address": "1 High Street\nLondon",
        "phone": "+44 20 7946 0000",
        "contact_email": "partners@northwind.example",
        "application_note": "We sell to mid-market banks.",
    }
    data.update(overrides)
    return data


def organizations_named(vendor, name):
    with scope(vendor=vendor):
        return list(PartnerOrganization.objects.filter(name=name))


@pytest.fixture
def applicant(db):
    return UserFactory(email="pat@northwind.example")


def test_it_runs_signup_apply_approve_until_the_partner_is_active(
    client, vendor, distributor, vendor_admin, login
):
    """The whole path of a new partner, through the real allauth pages."""
    tier = TierFactory(vendor=vendor, name="Gold")
    # 1. Sign up and verify the email address.
    response = client.post(
        reverse("account_signup"),
        {
            "email": "pat@northwind.example",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
    )
    assert response.status_code == 302
    deliver_all_due()  # the verification email waits in the outbox until delivery runs
    [verification] = mail.outbox
    confirm_path = re.search(r"https?://[^/]+(/accounts/confirm-email/\S+)", verification.body).group(1)
    client.post(confirm_path)
    response = client.post(
        reverse("account_login"), {"login": "pat@northwind.example", "password": "a-long-passphrase-9"}
    )
    assert response.status_code == 302

    # 2. Apply on behalf of the company, buying through the vendor's distributor.
    response = client.post(apply_url(vendor), application_data(distributors=[distributor.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard", args=[vendor.slug])
    [organization] = organizations_named(vendor, "Northwind Traders")
    assert organization.status == Status.APPLIED
    dashboard = client.get(response["Location"])
    assert b"Application under review" in dashboard.content
    with scopes_disabled():
        membership = Membership.objects.get(organization=organization)
        assert membership.user.email == "pat@northwind.example"
        assert membership.role == Role.PARTNER_ADMIN
        assert [a.distributor for a in organization.agreements.all()] == [distributor]
    assert OutboxEmail.objects.filter(
        event_type="partner_application_received", to=vendor_admin.email
    ).exists()

    # 3. While applied, the new partner can look but not act.
    assert client.get(reverse("team", args=[vendor.slug])).status_code == 200
    response = client.post(
        reverse("team", args=[vendor.slug]), {"email": "x@northwind.example", "role": "partner_user"}
    )
    assert response.status_code == 403
    assert b"applied" in response.content

    # 4. The vendor admin approves from the queue, choosing the tier.
    admin_client = login(vendor_admin)
    queue = admin_client.get(reverse("partner_applications", args=[vendor.slug]))
    assert b"Northwind Traders" in queue.content
    response = admin_client.post(
        reverse("partner_application_approve", args=[vendor.slug, organization.pk]),
        {"approve-tier": tier.pk, "approve-note": "Welcome aboard."},
    )
    assert response.status_code == 302
    with scope(vendor=vendor):
        organization.refresh_from_db()
    assert organization.status == Status.ACTIVE
    assert organization.tier == tier
    assert organization.decided_by == vendor_admin
    assert organization.decided_at is not None
    approval = OutboxEmail.objects.get(event_type="partner_application_approved")
    assert approval.to == "pat@northwind.example"
    assert "Gold tier" in approval.text

    # 5. Now the partner admin can act.
    client.force_login(membership.user)
    response = client.post(
        reverse("team", args=[vendor.slug]), {"email": "x@northwind.example", "role": "partner_user"}
    )
    assert response.status_code == 302


def test_a_declined_application_says_why_and_never_becomes_active(login, applicant, vendor, vendor_admin):
    login(applicant).post(apply_url(vendor), application_data(kind="distributor"))
    [organization] = organizations_named(vendor, "Northwind Traders")
    admin_client = login(vendor_admin)
    url = reverse("partner_application_decline", args=[vendor.slug, organization.pk])

    response = admin_client.post(url, {"decline-note": ""})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    with scope(vendor=vendor):
        organization.refresh_from_db()
    assert organization.status == Status.APPLIED

    response = admin_client.post(url, {"decline-note": "We have enough distributors in the UK."})
    assert response.status_code == 302
    with scope(vendor=vendor):
        organization.refresh_from_db()
    assert organization.status == Status.DECLINED
    assert organization.decision_note == "We have enough distributors in the UK."
    email = OutboxEmail.objects.get(event_type="partner_application_declined")
    assert email.to == applicant.email
    assert "enough distributors" in email.text

    dashboard = login(applicant).get(reverse("dashboard", args=[vendor.slug]))
    assert b"Application declined" in dashboard.content
    assert b"enough distributors" in dashboard.content


def test_an_application_cannot_be_decided_twice(login, vendor, vendor_admin):
    organization = OrganizationFactory(vendor=vendor, status=Status.APPLIED, kind="distributor", tier=None)
    admin_client = login(vendor_admin)
    admin_client.post(reverse("partner_application_approve", args=[vendor.slug, organization.pk]), {})
    response = admin_client.post(
        reverse("partner_application_decline", args=[vendor.slug, organization.pk]), {"decline-note": "Oops"}
    )
    assert response.status_code == 404  # no longer in the queue
    with scope(vendor=vendor):
        organization.refresh_from_db()
    assert organization.status == Status.ACTIVE


def test_it_refuses_a_company_name_already_in_the_program_and_saves_nothing(
    login, applicant, vendor, reseller
):
    response = login(applicant).post(
        apply_url(vendor), application_data(name="alpha resellers", kind="distributor")
    )
    assert response.status_code == 200
    assert "has already applied to Acme Software" in response.content.decode()
    with scopes_disabled():
        assert PartnerOrganization.objects.filter(vendor=vendor).count() == 1
        assert not Membership.objects.filter(user=applicant).exists()


def test_the_same_company_name_may_apply_to_another_vendor(login, applicant, vendor, reseller, other_vendor):
    response = login(applicant).post(
        apply_url(other_vendor), application_data(name="Alpha Resellers", kind="distributor")
    )
    assert response.status_code == 302
    assert len(organizations_named(other_vendor, "Alpha Resellers")) == 1


def test_a_reseller_in_a_two_tier_program_must_name_a_distributor(login, applicant, vendor, distributor):
    response = login(applicant).post(apply_url(vendor), application_data())
    assert response.status_code == 200
    assert "choose at least one distributor" in response.content.decode()
    assert organizations_named(vendor, "Northwind Traders") == []


def test_it_offers_only_the_vendors_active_distributors(login, applicant, vendor, distributor, other_vendor):
    foreign = DistributorFactory(vendor=other_vendor, name="Foreign Dist")
    inactive = DistributorFactory(vendor=vendor, name="Sleeping Dist", status=Status.SUSPENDED)
    client = login(applicant)
    page = client.get(apply_url(vendor)).content.decode()
    assert "Dist One" in page
    assert "Foreign Dist" not in page
    assert "Sleeping Dist" not in page

    for wrong in (foreign, inactive):
        response = client.post(apply_url(vendor), application_data(distributors=[wrong.pk]))
        assert response.status_code == 200
        assert organizations_named(vendor, "Northwind Traders") == []
    with scopes_disabled():
        assert not DistributorAgreement.objects.filter(distributor__in=[foreign, inactive]).exists()


def test_a_vendor_that_takes_no_applications_has_no_apply_page(login, applicant):
    closed = VendorFactory(accepts_applications=False)
    assert login(applicant).get(apply_url(closed)).status_code == 404


def test_the_approval_form_needs_a_tier_for_resellers(login, vendor, vendor_admin):
    TierFactory(vendor=vendor, name="Silver")
    organization = OrganizationFactory(vendor=vendor, status=Status.APPLIED, tier=None)
    response = login(vendor_admin).post(
        reverse("partner_application_approve", args=[vendor.slug, organization.pk]), {"approve-tier": ""}
    )
    assert response.status_code == 400
    with scope(vendor=vendor):
        organization.refresh_from_db()
    assert organization.status == Status.APPLIED


def test_a_tier_of_another_vendor_is_refused(login, vendor, other_vendor, vendor_admin):
    foreign_tier = TierFactory(vendor=other_vendor)
    organization = OrganizationFactory(vendor=vendor, status=Status.APPLIED, tier=None)
    response = login(vendor_admin).post(
        reverse("partner_application_approve", args=[vendor.slug, organization.pk]),
        {"approve-tier": foreign_tier.pk},
    )
    assert response.status_code == 400
    with scope(vendor=vendor):
        organization.refresh_from_db()
    assert organization.status == Status.APPLIED


def test_applicants_of_one_vendor_are_not_shown_to_another(login, vendor, other_vendor):
    OrganizationFactory(vendor=vendor, name="Hidden Applicant", status=Status.APPLIED)
    other_admin = member(Role.VENDOR_ADMIN, vendor=other_vendor)
    page = login(other_admin).get(reverse("partner_applications", args=[other_vendor.slug]))
    assert page.status_code == 200
    assert b"Hidden Applicant" not in page.content
