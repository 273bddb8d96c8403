"""Each role lands on its own dashboard; every partners page renders sound, labelled HTML."""

import pytest
from django.urls import reverse

from partners.models import Membership, PartnerOrganization
from tests.factories import InvitationFactory, OrganizationFactory, UserFactory
from tests.partners.html_checks import assert_sound_page

Role = Membership.Role


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("channel_manager", ["Channel manager dashboard", "Active resellers", "Applications waiting"]),
        (
            "vendor_admin",
            ["Vendor admin dashboard", "Oldest applications", "Gamma Applicants", "Vendor staff"],
        ),
        ("partner_admin", ["Partner admin dashboard", "Alpha Resellers", "Manage the team", "Dist One"]),
        ("partner_user", ["Partner user dashboard", "Alpha Resellers", "Dist One"]),
        ("distributor_user", ["Distributor user dashboard", "Dist One", "Alpha Resellers"]),
    ],
)
def test_each_role_lands_on_its_own_dashboard(role, expected, request, login, vendor, reseller, distributor):
    OrganizationFactory(vendor=vendor, name="Gamma Applicants", status=PartnerOrganization.Status.APPLIED)
    user = request.getfixturevalue(role)
    response = login(user).get(reverse("dashboard", args=[vendor.slug]))
    assert response.status_code == 200
    assert response.context["role_template"] == f"partners/dashboard/_{role}.html"
    page = response.content.decode()
    for text in expected:
        assert text in page
    assert_sound_page(response)


def test_a_channel_manager_sees_the_pending_count_but_no_queue_link(login, channel_manager, vendor):
    OrganizationFactory(vendor=vendor, status=PartnerOrganization.Status.APPLIED)
    page = login(channel_manager).get(reverse("dashboard", args=[vendor.slug])).content.decode()
    assert f'href="{reverse("partner_applications", args=[vendor.slug])}"' not in page


def test_the_navigation_shows_only_the_links_a_role_may_follow(
    login, vendor, reseller, partner_user, vendor_admin
):
    partner_page = login(partner_user).get(reverse("dashboard", args=[vendor.slug])).content.decode()
    assert f'href="{reverse("partner_list", args=[vendor.slug])}"' not in partner_page
    assert f'href="{reverse("team", args=[vendor.slug])}"' not in partner_page
    assert f'href="{reverse("partner_detail", args=[vendor.slug, reseller.pk])}"' in partner_page
    admin_page = login(vendor_admin).get(reverse("dashboard", args=[vendor.slug])).content.decode()
    for name in ("partner_list", "partner_applications", "team"):
        assert f'href="{reverse(name, args=[vendor.slug])}"' in admin_page


@pytest.fixture
def pages(vendor, reseller, distributor):
    application = OrganizationFactory(vendor=vendor, name="Gamma", status=PartnerOrganization.Status.APPLIED)
    invitation = InvitationFactory(organization=reseller, email="casey@alpha.example")
    return {
        "vendor_admin": [
            reverse("partner_list", args=[vendor.slug]),
            reverse("partner_applications", args=[vendor.slug]),
            reverse("partner_application_detail", args=[vendor.slug, application.pk]),
            reverse("partner_detail", args=[vendor.slug, reseller.pk]),
            reverse("partner_detail", args=[vendor.slug, distributor.pk]),
            reverse("team", args=[vendor.slug]),
            reverse("partner_apply", args=[vendor.slug]),
        ],
        "partner_admin": [
            reverse("partner_detail", args=[vendor.slug, reseller.pk]),
            reverse("team", args=[vendor.slug]),
        ],
        "invitation": invitation,
    }


@pytest.mark.parametrize("role", ["vendor_admin", "partner_admin"])
def test_every_partners_page_is_sound_html(role, pages, request, login):
    client = login(request.getfixturevalue(role))
    for url in pages[role]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_sound_page(response)


def test_the_invitation_pages_are_sound_html(client, pages, login):
    invitation = pages["invitation"]
    url = reverse("invitation_accept", args=[invitation.token])
    assert_sound_page(client.get(url))
    assert_sound_page(login(UserFactory(email="casey@alpha.example")).get(url))
    assert_sound_page(login(UserFactory(email="someone@else.example")).get(url))


def test_the_error_pages_keep_the_layout(login, partner_user, vendor, other_reseller):
    client = login(partner_user)
    forbidden = client.get(reverse("partner_list", args=[vendor.slug]))
    assert forbidden.status_code == 403
    assert b"Your role does not allow this." in forbidden.content
    assert_sound_page(forbidden)
    missing = client.get(reverse("partner_detail", args=[vendor.slug, other_reseller.pk]))
    assert missing.status_code == 404
    assert_sound_page(missing)


def test_a_person_with_several_workspaces_chooses_on_the_home_page(
    login, partner_admin, other_vendor, vendor
):
    from tests.factories import member

    member(Role.CHANNEL_MANAGER, vendor=other_vendor, user=partner_admin)
    response = login(partner_admin).get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alpha Resellers" in page
    assert "Globex Security" in page
    assert_sound_page(response)


def test_a_person_without_workspaces_is_offered_the_programs_to_apply_to(login, vendor, db):
    response = login(UserFactory()).get(reverse("home"))
    assert reverse("partner_apply", args=[vendor.slug]) in response.content.decode()
    assert_sound_page(response)
