"""The partners services on their own: permissions inside, all-or-nothing writes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope, scopes_disabled

from partners import services
from partners.models import DistributorAgreement, Membership, PartnerOrganization
from tests.factories import InvitationFactory, OrganizationFactory, UserFactory, actor_of

Role = Membership.Role


def membership_of(user):
    with scopes_disabled():
        return Membership.objects.select_related("vendor", "organization").get(user=user)


def test_an_application_is_saved_all_or_nothing(vendor, distributor, vendor_admin, monkeypatch):
    applicant = UserFactory()

    def broken_mail(**kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(services, "send_email", broken_mail)
    with scope(vendor=vendor), pytest.raises(RuntimeError):
        services.apply_for_program(
            vendor=vendor,
            applicant=applicant,
            name="Half Saved Ltd",
            kind="reseller",
            country="US",
            contact_email="x@half.example",
            distributors=[distributor],
        )
    with scopes_disabled():
        assert not PartnerOrganization.objects.filter(name="Half Saved Ltd").exists()
        assert not Membership.objects.filter(user=applicant).exists()
        assert DistributorAgreement.objects.filter(distributor=distributor).count() == 1  # the fixture's own


def test_a_channel_manager_cannot_decide_applications(vendor, channel_manager):
    applied = OrganizationFactory(vendor=vendor, status=PartnerOrganization.Status.APPLIED)
    with scope(vendor=vendor), pytest.raises(PermissionDenied):
        services.approve_application(organization=applied, actor=actor_of(channel_manager, vendor), tier=None)
    with scope(vendor=vendor):
        applied.refresh_from_db()
    assert applied.status == PartnerOrganization.Status.APPLIED


def test_a_partner_user_cannot_invite(vendor, partner_user):
    with scope(vendor=vendor), pytest.raises(PermissionDenied):
        services.invite_member(
            actor=actor_of(partner_user, vendor), email="x@example.com", role="partner_user"
        )


def test_a_distributor_cannot_be_given_distributors(vendor, vendor_admin, distributor):
    other = OrganizationFactory(vendor=vendor, kind="distributor", tier=None)
    with scope(vendor=vendor), pytest.raises(ValidationError):
        services.add_distributor_agreement(
            reseller=distributor, distributor=other, actor=actor_of(vendor_admin, vendor)
        )


def test_a_vendor_staff_invitation_makes_vendor_staff(vendor):
    invitation = InvitationFactory(
        organization=None, vendor=vendor, role=Role.CHANNEL_MANAGER, email="cm@x.example"
    )
    person = UserFactory(email="cm@x.example")
    with scope(vendor=vendor):
        membership = services.accept_invitation(invitation=invitation, user=person)
    assert membership.organization is None
    assert membership.role == Role.CHANNEL_MANAGER
    assert membership.vendor == vendor


def test_the_last_vendor_admin_stays(vendor, vendor_admin, channel_manager):
    admin = actor_of(vendor_admin, vendor)
    with scope(vendor=vendor):
        services.remove_member(member=membership_of(channel_manager), actor=admin)
        with pytest.raises(ValidationError, match="last vendor admin"):
            services.remove_member(member=admin.membership, actor=admin)
    assert membership_of(vendor_admin).is_active
