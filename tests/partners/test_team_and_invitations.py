"""Admins invite people by email; the link makes them members once, for its address, before it expires."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from notifications.models import OutboxEmail
from partners.models import Invitation, Membership
from tests.factories import InvitationFactory, UserFactory, member

Role = Membership.Role


def team_url(vendor):
    return reverse("team", args=[vendor.slug])


def accept_url(invitation):
    return reverse("invitation_accept", args=[invitation.token])


def memberships_of(user):
    with scopes_disabled():
        return list(Membership.objects.filter(user=user, is_active=True))


def invitation_from_email(address):
    email = OutboxEmail.objects.get(event_type="invitation", to=address)
    token = re.search(r"/invite/([\w-]+)/", email.text).group(1)
    with scopes_disabled():
        return Invitation.objects.get(token=token)


@pytest.fixture
def invitation(reseller):
    return InvitationFactory(organization=reseller, email="casey@alpha.example", role=Role.PARTNER_USER)


# --- inviting -------------------------------------------------------------------------------------


def test_a_partner_admin_invites_a_colleague_by_email(login, partner_admin, vendor, reseller):
    response = login(partner_admin).post(
        team_url(vendor), {"email": "Casey@Alpha.example", "role": "partner_user"}
    )
    assert response.status_code == 302
    invitation = invitation_from_email("casey@alpha.example")
    assert invitation.organization == reseller
    assert invitation.role == Role.PARTNER_USER
    assert invitation.invited_by == partner_admin
    assert invitation.expires_at - timezone.now() > Invitation.VALID_FOR - timedelta(minutes=1)
    page = login(partner_admin).get(team_url(vendor))
    assert b"casey@alpha.example" in page.content


def test_a_reseller_admin_cannot_invite_with_a_distributor_or_vendor_role(login, partner_admin, vendor):
    client = login(partner_admin)
    for role in ("distributor_user", "vendor_admin", "channel_manager"):
        response = client.post(team_url(vendor), {"email": "x@alpha.example", "role": role})
        assert response.status_code == 400
    with scopes_disabled():
        assert not Invitation.objects.exists()


def test_a_distributor_admin_invites_distributor_users(login, vendor, distributor):
    admin = member(Role.PARTNER_ADMIN, organization=distributor)
    client = login(admin)
    assert (
        client.post(team_url(vendor), {"email": "d@dist.example", "role": "partner_user"}).status_code == 400
    )
    assert (
        client.post(team_url(vendor), {"email": "d@dist.example", "role": "distributor_user"}).status_code
        == 302
    )
    assert invitation_from_email("d@dist.example").role == Role.DISTRIBUTOR_USER


def test_a_vendor_admin_invites_vendor_staff(login, vendor_admin, vendor):
    response = login(vendor_admin).post(
        team_url(vendor), {"email": "cm@acme.example", "role": "channel_manager"}
    )
    assert response.status_code == 302
    invitation = invitation_from_email("cm@acme.example")
    assert invitation.organization is None
    assert invitation.vendor == vendor
    assert (
        login(vendor_admin)
        .post(team_url(vendor), {"email": "p@acme.example", "role": "partner_user"})
        .status_code
        == 400
    )


def test_it_refuses_to_invite_a_member_or_someone_already_invited(
    login, partner_admin, partner_user, invitation, vendor
):
    client = login(partner_admin)
    response = client.post(team_url(vendor), {"email": partner_user.email, "role": "partner_user"})
    assert "is already a member here" in response.content.decode()
    response = client.post(team_url(vendor), {"email": "CASEY@alpha.example", "role": "partner_admin"})
    assert "already has an open invitation" in response.content.decode()
    with scopes_disabled():
        assert Invitation.objects.count() == 1


def test_a_revoked_invitation_link_no_longer_works(login, partner_admin, invitation, vendor, client):
    response = login(partner_admin).post(reverse("team_revoke_invitation", args=[vendor.slug, invitation.pk]))
    assert response.status_code == 302
    casey = UserFactory(email="casey@alpha.example")
    client.force_login(casey)
    response = client.post(accept_url(invitation))
    assert response.status_code == 410
    assert b"withdrawn" in response.content
    assert memberships_of(casey) == []


# --- accepting ------------------------------------------------------------------------------------


def test_a_new_person_signs_up_from_the_link_and_lands_in_the_organisation(
    client, invitation, vendor, reseller
):
    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    signup_url = page.context["signup_url"]
    assert "email=casey%40alpha.example" in signup_url
    assert client.get(signup_url).context["form"].initial["email"] == "casey@alpha.example"

    # The link proved the mailbox: signing up with that address logs in at once and returns to the link.
    response = client.post(
        signup_url,
        {
            "email": "casey@alpha.example",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == accept_url(invitation)
    response = client.post(accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard", args=[vendor.slug])
    casey = UserFactory(email="casey@alpha.example")
    [membership] = memberships_of(casey)
    assert membership.organization == reseller
    assert membership.role == Role.PARTNER_USER
    with scopes_disabled():
        invitation.refresh_from_db()
    assert invitation.accepted_by == casey
    assert client.get(response["Location"]).status_code == 200


def test_someone_with_an_account_logs_in_from_the_link(client, invitation):
    UserFactory(email="casey@alpha.example")
    page = client.get(accept_url(invitation))
    assert page.context["login_url"] == reverse("account_login") + f"?next=%2Finvite%2F{invitation.token}%2F"


def test_an_expired_link_says_so_and_makes_nobody_a_member(login, invitation):
    with scopes_disabled():
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    casey = UserFactory(email="casey@alpha.example")
    client = login(casey)
    for response in (client.get(accept_url(invitation)), client.post(accept_url(invitation))):
        assert response.status_code == 410
        assert b"This invitation has expired" in response.content
    assert memberships_of(casey) == []


def test_an_expired_link_shows_the_same_to_a_logged_out_visitor(client, invitation):
    with scopes_disabled():
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert b"This invitation has expired" in response.content


def test_a_link_opened_by_someone_logged_in_with_another_email_is_refused(login, invitation):
    robin = UserFactory(email="robin@elsewhere.example")
    response = login(robin).post(accept_url(invitation))
    assert response.status_code == 403
    assert (
        "sent to casey@alpha.example, but you are logged in as robin@elsewhere.example"
        in response.content.decode()
    )
    assert memberships_of(robin) == []


def test_accepting_twice_keeps_one_membership(login, invitation, reseller):
    casey = UserFactory(email="casey@alpha.example")
    client = login(casey)
    client.post(accept_url(invitation))
    response = client.post(accept_url(invitation))
    assert response.status_code == 302
    assert len(memberships_of(casey)) == 1
    assert b"already accepted" in client.get(accept_url(invitation)).content


def test_a_used_link_does_not_work_for_anyone_else(login, invitation):
    casey = UserFactory(email="casey@alpha.example")
    login(casey).post(accept_url(invitation))
    with scopes_disabled():
        Invitation.objects.filter(pk=invitation.pk).update(email="robin@alpha.example")
    robin = UserFactory(email="robin@alpha.example")
    response = login(robin).post(accept_url(invitation))
    assert response.status_code == 410
    assert memberships_of(robin) == []


def test_an_existing_member_who_accepts_keeps_their_role(login, partner_admin, reseller):
    invitation = InvitationFactory(organization=reseller, email=partner_admin.email, role=Role.PARTNER_USER)
    response = login(partner_admin).post(accept_url(invitation))
    assert response.status_code == 302
    [membership] = memberships_of(partner_admin)
    assert membership.role == Role.PARTNER_ADMIN


def test_a_removed_member_cannot_come_back_through_their_old_link(login, partner_admin, invitation, vendor):
    casey = UserFactory(email="casey@alpha.example")
    login(casey).post(accept_url(invitation))
    [membership] = memberships_of(casey)
    login(partner_admin).post(reverse("team_remove_member", args=[vendor.slug, membership.pk]))
    assert memberships_of(casey) == []
    response = login(casey).post(accept_url(invitation))
    assert response.status_code == 410
    assert memberships_of(casey) == []


def test_a_new_invitation_brings_a_removed_member_back_with_the_new_role(
    login, partner_admin, invitation, vendor, reseller
):
    casey = UserFactory(email="casey@alpha.example")
    login(casey).post(accept_url(invitation))
    [membership] = memberships_of(casey)
    login(partner_admin).post(reverse("team_remove_member", args=[vendor.slug, membership.pk]))
    again = InvitationFactory(organization=reseller, email=casey.email, role=Role.PARTNER_ADMIN)
    login(casey).post(accept_url(again))
    [back] = memberships_of(casey)
    assert back.pk == membership.pk
    assert back.role == Role.PARTNER_ADMIN


def test_an_unknown_token_is_404(client, db):
    assert client.get(reverse("invitation_accept", args=["no-such-token"])).status_code == 404


def test_an_invitation_cannot_be_revoked_through_another_team(login, vendor_admin, invitation, vendor):
    response = login(vendor_admin).post(reverse("team_revoke_invitation", args=[vendor.slug, invitation.pk]))
    assert response.status_code == 404
    with scopes_disabled():
        invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- removing -------------------------------------------------------------------------------------


def test_a_partner_admin_removes_a_member(login, partner_admin, partner_user, vendor):
    [membership] = memberships_of(partner_user)
    response = login(partner_admin).post(reverse("team_remove_member", args=[vendor.slug, membership.pk]))
    assert response.status_code == 302
    assert memberships_of(partner_user) == []
    assert login(partner_user).get(reverse("dashboard", args=[vendor.slug])).status_code == 404


def test_the_last_admin_cannot_remove_themselves(login, partner_admin, vendor):
    [membership] = memberships_of(partner_admin)
    client = login(partner_admin)
    response = client.post(reverse("team_remove_member", args=[vendor.slug, membership.pk]), follow=True)
    assert "is the last partner admin" in response.content.decode()
    assert len(memberships_of(partner_admin)) == 1


def test_an_admin_may_leave_when_another_admin_remains(login, partner_admin, reseller, vendor):
    member(Role.PARTNER_ADMIN, organization=reseller)
    [membership] = memberships_of(partner_admin)
    response = login(partner_admin).post(reverse("team_remove_member", args=[vendor.slug, membership.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert memberships_of(partner_admin) == []


def test_a_member_of_another_organisation_cannot_be_removed(login, partner_admin, other_reseller, vendor):
    stranger = member(Role.PARTNER_USER, organization=other_reseller)
    [membership] = memberships_of(stranger)
    response = login(partner_admin).post(reverse("team_remove_member", args=[vendor.slug, membership.pk]))
    assert response.status_code == 404
    assert len(memberships_of(stranger)) == 1


def test_the_vendor_admin_team_page_lists_vendor_staff_only(
    login, vendor_admin, channel_manager, partner_user, vendor
):
    page = login(vendor_admin).get(team_url(vendor)).content.decode()
    assert channel_manager.email in page
    assert partner_user.email not in page
    assert "Vendor staff" in page
