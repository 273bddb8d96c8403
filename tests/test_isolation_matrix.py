"""Every page × every role, in one table (after pretix's tests/control/test_permissions.py).

For each page: a logged-out visitor is sent to the login page, a member of another vendor gets 404,
a role without the permission gets 403, a role for which the object belongs to someone else gets 404,
and the roles that may use it get exactly one answer: the page (200), or the redirect after an action that
worked (302, no refusal message).

Adding a page? Add one `Page(...)` line to PAGES (a page outside /v/<vendor>/: LOGIN_REQUIRED_PAGES or
PUBLIC_PAGES); a URL pattern with no line fails the coverage tests at the end. `kwargs` and `data` build
the URL arguments and the POST body from the `World` below (add what your page needs to it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from partners.models import Membership, PartnerOrganization
from tests.factories import InvitationFactory, OrganizationFactory, member

Role = Membership.Role

STAFF = frozenset({"channel_manager", "vendor_admin"})
PARTNERS = frozenset({"partner_user", "partner_admin", "distributor_user"})
EVERYONE = STAFF | PARTNERS
ROLES = sorted(EVERYONE)


@dataclass
class World:
    """The objects the pages of one vendor are exercised on (the role fixtures live in conftest)."""

    vendor: object
    reseller: object
    distributor: object
    application: object
    invitation: object
    colleague: object  # a partner user of `reseller` that a partner admin may remove
    agreement: object  # reseller → distributor
    users: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)  # deals, products, territories (deals/products pages)

    def own_membership_pk(self, user) -> int | str:
        """The user's membership at this vendor, or "" for visitors who have none."""
        from django_scopes import scopes_disabled

        with scopes_disabled():
            membership = Membership.objects.filter(
                user__pk=getattr(user, "pk", None), vendor=self.vendor
            ).first()
        return membership.pk if membership else ""

    def invitable_role(self, user) -> str:
        """A role the user may invite to their team: a colleague for a partner admin, staff for a vendor's."""
        from django_scopes import scopes_disabled

        with scopes_disabled():
            membership = Membership.objects.filter(
                user__pk=getattr(user, "pk", None), vendor=self.vendor
            ).first()
        partner_side = membership is not None and membership.organization_id is not None
        return Role.PARTNER_USER if partner_side else Role.CHANNEL_MANAGER


@dataclass(frozen=True)
class Page:
    name: str
    allowed: frozenset
    kwargs: Callable[[World], dict] = lambda w: {}
    hidden_from: frozenset = frozenset()  # roles for which the object is someone else's: 404
    method: str = "get"
    data: Callable[[World, object], dict] = lambda w, user: {}
    # What the allowed roles get: the page (200) for a GET, the redirect after the action (302) for a POST,
    # unless said otherwise here (an htmx fragment answers a POST with 200).
    status: int | None = None

    def __str__(self):
        return f"{self.method.upper()} {self.name}"

    @property
    def answer(self) -> int:
        if self.status is not None:
            return self.status
        return 302 if self.method == "post" else 200


PAGES = [
    # partners: landing and switcher
    Page("dashboard", EVERYONE),
    Page(
        "switch_membership",
        EVERYONE,
        method="post",
        data=lambda w, user: {"membership": w.own_membership_pk(user)},
    ),
    # partners: vendor staff pages
    Page("partner_list", STAFF),
    Page("partner_applications", frozenset({"vendor_admin"})),
    Page(
        "partner_application_detail", frozenset({"vendor_admin"}), kwargs=lambda w: {"pk": w.application.pk}
    ),
    Page(
        "partner_application_approve",
        frozenset({"vendor_admin"}),
        method="post",
        kwargs=lambda w: {"pk": w.application.pk},
        data=lambda w, user: {"approve-tier": w.reseller.tier_id},
    ),
    Page(
        "partner_application_decline",
        frozenset({"vendor_admin"}),
        method="post",
        kwargs=lambda w: {"pk": w.application.pk},
        data=lambda w, user: {"decline-note": "Not a fit."},
    ),
    # An organisation's page: vendor staff and its own members; anyone else in the vendor gets 404.
    Page(
        "partner_detail",
        STAFF | {"partner_user", "partner_admin"},
        kwargs=lambda w: {"pk": w.reseller.pk},
        hidden_from=frozenset({"distributor_user"}),
    ),
    Page(
        "partner_suspend",
        frozenset({"vendor_admin"}),
        method="post",
        kwargs=lambda w: {"pk": w.reseller.pk},
        data=lambda w, user: {"note": "Audit pending."},
    ),
    Page(
        "partner_reactivate",
        frozenset({"vendor_admin"}),
        method="post",
        kwargs=lambda w: {"pk": w.records["suspended"].pk},  # only a suspended partner can come back
        data=lambda w, user: {"note": "Back."},
    ),
    Page(
        "partner_change_tier",
        frozenset({"vendor_admin"}),
        method="post",
        kwargs=lambda w: {"pk": w.reseller.pk},
    ),
    Page(
        "partner_add_agreement",
        frozenset({"vendor_admin"}),
        method="post",
        kwargs=lambda w: {"pk": w.reseller.pk},
        data=lambda w, user: {"distributor": w.records["spare_distributor"].pk},
    ),
    Page(
        "partner_end_agreement",
        frozenset({"vendor_admin"}),
        method="post",
        kwargs=lambda w: {"pk": w.reseller.pk, "agreement_pk": w.agreement.pk},
    ),
    # team: the partner admin's organisation, or the vendor admin's staff
    Page("team", frozenset({"vendor_admin", "partner_admin"})),
    Page(
        "team",
        frozenset({"vendor_admin", "partner_admin"}),
        method="post",
        data=lambda w, user: {"email": "new.person@example.com", "role": w.invitable_role(user)},
    ),
    # The invitation and the colleague belong to the reseller: the vendor admin's team does not hold them.
    Page(
        "team_revoke_invitation",
        frozenset({"partner_admin"}),
        method="post",
        kwargs=lambda w: {"pk": w.invitation.pk},
        hidden_from=frozenset({"vendor_admin"}),
    ),
    Page(
        "team_remove_member",
        frozenset({"partner_admin"}),
        method="post",
        kwargs=lambda w: {"pk": w.colleague.pk},
        hidden_from=frozenset({"vendor_admin"}),
    ),
]

# deals: the registrant's pages, the review pages (a draft, a submitted and an approved deal of the
# reseller, registered by partner_user and routed to the distributor), and another reseller's deal.
REGISTRANTS = frozenset({"partner_user", "partner_admin", "distributor_user"})
OWNERS = frozenset({"partner_user", "partner_admin"})  # the distributor sees the deal but may not change it
# A draft belongs to its organisation until it is submitted: the vendor and the distributor get 404.
DISTRIBUTOR = frozenset({"distributor_user"})
NOT_OWNERS_OF_A_DRAFT = STAFF | DISTRIBUTOR


def _deal(name):
    return lambda w: {"number": w.records[name].number}


def _draft_attachment(deal_name):
    """The draft's attachment, addressed under the deal `deal_name` (another organisation's: 404)."""
    return lambda w: {"number": w.records[deal_name].number, "attachment_id": w.records["attachment"].pk}


def _submitted_attachment(w):
    return {"number": w.records["submitted"].number, "attachment_id": w.records["submitted_attachment"].pk}


PAGES += [
    Page("deal_list", EVERYONE),
    Page("deal_create", REGISTRANTS),
    # htmx fragments of the registration form: a POST answered with the redrawn fragment.
    Page(
        "deal_verify_domain",
        REGISTRANTS,
        method="post",
        data=lambda w, user: {"domain": "example.com"},
        status=200,
    ),
    Page("deal_checklist", REGISTRANTS, method="post", status=200),
    Page("review_queue", STAFF),
    Page("deal_detail", OWNERS, kwargs=_deal("draft"), hidden_from=NOT_OWNERS_OF_A_DRAFT),
    Page("deal_detail", EVERYONE, kwargs=_deal("submitted")),
    Page("deal_detail", STAFF, kwargs=_deal("foreign"), hidden_from=PARTNERS),
    Page("deal_edit", OWNERS, kwargs=_deal("draft"), hidden_from=DISTRIBUTOR),
    Page("deal_edit", frozenset(), kwargs=_deal("foreign"), hidden_from=REGISTRANTS),
    Page(
        "deal_checklist_edit",
        OWNERS,
        kwargs=_deal("draft"),
        method="post",
        hidden_from=DISTRIBUTOR,
        status=200,
    ),
    Page("deal_submit", OWNERS, kwargs=_deal("draft"), method="post", hidden_from=DISTRIBUTOR),
    Page("deal_withdraw", OWNERS, kwargs=_deal("draft"), method="post", hidden_from=DISTRIBUTOR),
    Page("deal_withdraw", frozenset(), kwargs=_deal("foreign"), method="post", hidden_from=REGISTRANTS),
    Page("deal_lose", OWNERS, kwargs=_deal("approved"), method="post", data=lambda w, u: {"reason": "Lost"}),
    Page(
        "deal_post_update", OWNERS, kwargs=_deal("approved"), method="post", data=lambda w, u: {"body": "Hi"}
    ),
    Page("deal_add_attachments", OWNERS, kwargs=_deal("approved"), method="post"),
    Page("deal_attachment", OWNERS, kwargs=_draft_attachment("draft"), hidden_from=NOT_OWNERS_OF_A_DRAFT),
    Page("deal_attachment", EVERYONE, kwargs=_submitted_attachment),
    # Removing a draft's file: its owners only; the distributor does not even see the draft.
    Page(
        "deal_remove_attachment",
        OWNERS,
        kwargs=_draft_attachment("draft"),
        method="post",
        hidden_from=DISTRIBUTOR,
    ),
    Page(
        "deal_remove_attachment",
        frozenset(),
        kwargs=_draft_attachment("foreign"),
        method="post",
        hidden_from=REGISTRANTS,
    ),
    Page("deal_review", STAFF, kwargs=_deal("submitted")),
    Page("deal_approve", STAFF, kwargs=_deal("submitted"), method="post"),
    Page(
        "deal_reject",
        STAFF,
        kwargs=_deal("submitted"),
        method="post",
        data=lambda w, u: {"reject-reason": "other", "reject-note": "No."},
    ),
    Page(
        "deal_request_info",
        STAFF,
        kwargs=_deal("submitted"),
        method="post",
        data=lambda w, u: {"info-note": "?"},
    ),
    Page(
        "deal_revoke",
        STAFF,
        kwargs=_deal("approved"),
        method="post",
        data=lambda w, u: {"revoke-reason": "other", "revoke-note": "No."},
    ),
    # quotes and orders: a quoted deal routed to the distributor, and another reseller's one
    Page("quote_detail", EVERYONE, kwargs=lambda w: {"number": w.records["quoted"].number, "sequence": 1}),
    Page("quote_pdf", EVERYONE, kwargs=lambda w: {"number": w.records["quoted"].number, "sequence": 1}),
    Page("quote_csv", EVERYONE, kwargs=lambda w: {"number": w.records["quoted"].number, "sequence": 1}),
    Page(
        "quote_detail",
        STAFF,
        kwargs=lambda w: {"number": w.records["foreign_quoted"].number, "sequence": 1},
        hidden_from=PARTNERS,
    ),
    Page(
        "quote_pdf",
        STAFF,
        kwargs=lambda w: {"number": w.records["foreign_quoted"].number, "sequence": 1},
        hidden_from=PARTNERS,
    ),
    Page("quote_new", EVERYONE, kwargs=_deal("quoted")),
    Page("quote_new", STAFF, kwargs=_deal("foreign_quoted"), hidden_from=PARTNERS),
    Page(
        "order_start",
        PARTNERS,
        kwargs=_deal("quoted"),
        method="post",
        data=lambda w, u: {"po_number": "PO-1"},
    ),
    Page("order_start", frozenset(), kwargs=_deal("foreign_quoted"), method="post", hidden_from=PARTNERS),
    Page("order_submit", PARTNERS, kwargs=_deal("ordering"), method="post"),
    Page("order_submit", frozenset(), kwargs=_deal("foreign_quoted"), method="post", hidden_from=PARTNERS),
    # lifecycle: deals about to expire, and extension requests (a quoted deal with one waiting)
    Page("deals_expiring", EVERYONE),
    Page("extension_requests", STAFF),
    Page(
        "extension_request",
        OWNERS,
        kwargs=_deal("quoted"),
        method="post",
        data=lambda w, u: {"reason": "The board meets in May."},
    ),
    Page(
        "extension_request",
        frozenset(),
        kwargs=_deal("foreign_quoted"),
        method="post",
        data=lambda w, u: {"reason": "More time."},
        hidden_from=PARTNERS,
    ),
    Page(
        "extension_decide",
        STAFF,
        kwargs=lambda w: {"number": w.records["extending"].number, "request_id": w.records["extension"].pk},
        method="post",
        data=lambda w, u: {"decision": "grant"},
    ),
    # products: the vendor admin configures the program
    Page("product_list", frozenset({"vendor_admin"})),
    Page("product_create", frozenset({"vendor_admin"})),
    Page("product_edit", frozenset({"vendor_admin"}), kwargs=lambda w: {"pk": w.records["product"].pk}),
    Page("eligibility_matrix", frozenset({"vendor_admin"})),
    Page("territory_list", frozenset({"vendor_admin"})),
    Page("territory_edit", frozenset({"vendor_admin"}), kwargs=lambda w: {"pk": w.records["territory"].pk}),
    Page("program_settings", frozenset({"vendor_admin"})),
]


def _deal_and_catalogue_records(vendor, reseller, partner_user) -> dict:
    from django.core.files.base import ContentFile
    from django_scopes import scope, scopes_disabled

    from deals.models import DealAttachment, DealState, ExtensionRequest
    from deals.services.orders import deal_start_order
    from notifications.models import Notification
    from tests.factories import (
        DealFactory,
        DistributorFactory,
        ProductFactory,
        TerritoryFactory,
        actor_of,
        quoted_deal,
    )

    def deal(**kwargs):
        return DealFactory(organization=reseller, registered_by=partner_user, **kwargs)

    records = {
        "draft": deal(),
        "submitted": deal(state=DealState.SUBMITTED),
        "approved": deal(state=DealState.APPROVED),
        # Submitted: the vendor sees another organisation's deal once it left the draft.
        "foreign": DealFactory(
            organization=OrganizationFactory(vendor=vendor, name="Delta Resellers"), state=DealState.SUBMITTED
        ),
        "quoted": quoted_deal(organization=reseller, registered_by=partner_user),
        "foreign_quoted": quoted_deal(
            organization=OrganizationFactory(vendor=vendor, name="Epsilon Resellers")
        ),
        "territory": TerritoryFactory(vendor=vendor, code="EMEA", countries=["GB"]),
        "product": ProductFactory(vendor=vendor),
    }
    records["extending"] = quoted_deal(organization=reseller, registered_by=partner_user)
    records["ordering"] = quoted_deal(organization=reseller, registered_by=partner_user)
    with scope(vendor=vendor):
        deal_start_order(deal=records["ordering"], actor=actor_of(partner_user, vendor), po_number="PO-7")
    records["suspended"] = OrganizationFactory(
        vendor=vendor, name="Zeta Resellers", status=PartnerOrganization.Status.SUSPENDED
    )
    records["spare_distributor"] = DistributorFactory(vendor=vendor, name="Dist Two")
    with scopes_disabled():
        attachment = DealAttachment(
            deal=records["draft"], original_name="notes.txt", size=5, uploaded_by=partner_user
        )
        attachment.file.save("notes.txt", ContentFile(b"notes"), save=True)
        submitted_attachment = DealAttachment(
            deal=records["submitted"], original_name="brief.txt", size=5, uploaded_by=partner_user
        )
        submitted_attachment.file.save("brief.txt", ContentFile(b"brief"), save=True)
        records["extension"] = ExtensionRequest.objects.create(
            deal=records["extending"], requested_by=partner_user, reason="The board meets in May."
        )
        records["notification"] = Notification.objects.create(
            vendor=vendor,
            user=partner_user,
            event_type="deal_approved",
            title="Approved",
            url=f"/v/{vendor.slug}/",
            idempotency_key="matrix-notification",
        )
    records["attachment"] = attachment
    records["submitted_attachment"] = submitted_attachment
    return records


# Pages outside /v/<vendor>/ that still need a login: (name, URL arguments, method).
LOGIN_REQUIRED_PAGES = [
    ("home", lambda w: {}, "get"),
    ("partner_apply", lambda w: {"slug": w.vendor.slug}, "get"),
    ("notification_inbox", lambda w: {}, "get"),
    ("notification_preferences", lambda w: {}, "get"),
    ("notification_mark_all_read", lambda w: {}, "post"),
    ("notification_open", lambda w: {"notification_id": w.records["notification"].pk}, "post"),
    ("notification_mark_read", lambda w: {"notification_id": w.records["notification"].pk}, "post"),
]

# Pages outside /v/<vendor>/ that anyone may open, and why.
PUBLIC_PAGES = {
    "healthz": "the load balancer's probe",
    "invitation_accept": "the invited person may not have an account yet; the token is the credential",
    "favicon": "browsers ask for /favicon.ico before anyone logs in; it redirects to the static icon",
}


@pytest.fixture
def world(vendor, reseller, distributor, partner_user):
    from django_scopes import scopes_disabled

    application = OrganizationFactory(
        vendor=vendor, name="Gamma Applicants", status=PartnerOrganization.Status.APPLIED
    )
    invitation = InvitationFactory(
        vendor=vendor,
        organization=reseller,
        email="invited@example.com",
        role=Role.PARTNER_USER,
        expires_at=timezone.now() + timedelta(days=3),
    )
    colleague_user = member(Role.PARTNER_USER, organization=reseller)
    with scopes_disabled():
        colleague = Membership.objects.get(user=colleague_user, organization=reseller)
        agreement = reseller.agreements.get()
    world = World(vendor, reseller, distributor, application, invitation, colleague, agreement)
    world.records = _deal_and_catalogue_records(vendor, reseller, partner_user)
    return world


def _url(page: Page, world: World) -> str:
    return reverse(page.name, kwargs={"vendor_slug": world.vendor.slug, **page.kwargs(world)})


def _request(client, page: Page, world: World, user=None):
    if page.method == "post":
        return client.post(_url(page, world), page.data(world, user))
    return client.get(_url(page, world))


@pytest.mark.parametrize("page", PAGES, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_its_permissions_allow(page, role, world, login, request):
    user = request.getfixturevalue(role)
    response = _request(login(user), page, world, user)
    if role in page.allowed:
        assert response.status_code == page.answer, f"{page} as {role}: {response.status_code}"
        assert response.status_code != 302 or "/accounts/login/" not in response["Location"]
        # Let through means it worked: a refusal redirects too, but leaves an error message behind.
        refusals = [m.message for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]
        assert refusals == []
    elif role in page.hidden_from:
        assert response.status_code == 404
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_logged_out_visitor_is_sent_to_log_in(page, world, client):
    response = _request(client, page, world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_member_of_another_vendor_gets_404(page, world, outsider, login):
    assert _request(login(outsider), page, world, outsider).status_code == 404


@pytest.mark.parametrize(
    ("name", "kwargs", "method"), LOGIN_REQUIRED_PAGES, ids=[n for n, _, _ in LOGIN_REQUIRED_PAGES]
)
def test_pages_outside_a_vendor_still_need_a_login(name, kwargs, method, world, client):
    response = getattr(client, method)(reverse(name, kwargs=kwargs(world)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["notification_open", "notification_mark_read"])
@pytest.mark.parametrize("role", ROLES)
def test_a_notification_is_its_owners_only(name, role, world, login, request):
    """The notification is partner_user's; anyone else asking for it by number gets 404."""
    user = request.getfixturevalue(role)
    response = login(user).post(reverse(name, kwargs={"notification_id": world.records["notification"].pk}))
    assert response.status_code == (302 if role == "partner_user" else 404)


def test_public_pages_answer_without_a_login(world, client):
    assert client.get(reverse("healthz")).status_code == 200
    response = client.get(reverse("invitation_accept", kwargs={"token": world.invitation.token}))
    assert response.status_code == 200
    assert world.invitation.email in response.content.decode()
    favicon = client.get(reverse("favicon"))
    assert favicon.status_code == 302 and favicon["Location"].endswith(".ico")


# Apps whose tenant pages must all appear in PAGES (every app's are: see the test of `tenant_patterns` below).
APPS_IN_MATRIX = ["partners", "products"]


def test_the_matrix_covers_every_tenant_url_of_the_apps_in_it():
    """A new page under /v/<vendor>/ of such an app without a line in PAGES fails here."""
    from importlib import import_module

    names = {
        pattern.name
        for app in APPS_IN_MATRIX
        for pattern in import_module(f"{app}.urls").tenant_urlpatterns
        if pattern.name
    }
    assert names - {page.name for page in PAGES} == set()


def test_the_matrix_covers_every_url_under_a_vendor():
    """Every pattern under /v/<vendor>/, of every app, has a line in PAGES: a new page without one fails."""
    from portal.urls import tenant_patterns

    names = [pattern.name for pattern in tenant_patterns]
    assert None not in names, "every tenant URL pattern needs a name to be checked here"
    assert len(names) > 40
    assert set(names) - {page.name for page in PAGES} == set()


# Outside the project's own pages: the vendor's (checked by PAGES), allauth's and the Django admin's.
NOT_OURS_OR_ELSEWHERE = ("v/<slug:vendor_slug>/", "accounts/", "admin/")


def _own_names_outside_vendors() -> list:
    """The names of the project's own URL patterns outside /v/<vendor>/."""
    from django.urls import URLPattern

    from portal import urls

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLPattern):
                yield entry.name
            elif not str(entry.pattern).startswith(NOT_OURS_OR_ELSEWHERE):
                yield from walk(entry.url_patterns)

    return list(walk(urls.urlpatterns))


def test_every_url_outside_a_vendor_is_either_login_required_or_known_public():
    """A new page outside /v/<vendor>/ must say here whether it needs a login (and it is then checked)."""
    names = _own_names_outside_vendors()
    assert None not in names, "every URL pattern needs a name to be checked here"
    assert {"home", "notification_inbox", "healthz"} <= set(names)  # the walk sees the project's URLs
    covered = {name for name, _, _ in LOGIN_REQUIRED_PAGES} | set(PUBLIC_PAGES)
    assert set(names) - covered == set()


def test_the_matrix_covers_every_page_of_the_deal_views():
    from deals.urls import tenant_urlpatterns

    names = {p.name for p in tenant_urlpatterns if p.callback.__module__.startswith("deals.views.")}
    assert len(names) > 20  # every deal page is in deals.views.<area>
    assert names - {page.name for page in PAGES} == set()
