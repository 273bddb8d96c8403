"""The seeded demo's main pages of every role: where they are and what each person should get.

Shared by the browser's accessibility audit (tests/browser/test_accessibility.py) and the HTML validity
check (tests/test_html_validity.py), so both look at the same pages.
"""

from django_scopes import scopes_disabled

from deals.models import Deal, DealState, Quote
from notifications.models import Notification
from partners.models import PartnerOrganization, Vendor
from products.models import Product, Territory


def demo_paths() -> dict[str, str]:
    """The demo's records that the pages below open, found by the natural keys the demo seeds them with."""
    with scopes_disabled():
        parallax = Vendor.objects.get(slug="parallax")
        deals = Deal.objects.filter(vendor=parallax)

        def deal(domain: str, state: str) -> int:
            return deals.get(domain=domain, state=state).number

        def organization(name: str) -> int:
            return PartnerOrganization.objects.get(vendor=parallax, name=name).pk

        quoted = deals.get(domain="northridge-univ.com", state=DealState.QUOTED)
        quote = Quote.objects.filter(deal=quoted).latest()
        conflict = deals.get(domain="northridge-univ.com", state=DealState.SUBMITTED)
        assert Notification.objects.filter(vendor=parallax).exists(), "the demo should leave notifications"
        product = Product.objects.filter(vendor=parallax).order_by("name").first()
        territory = Territory.objects.filter(vendor=parallax).order_by("code").first()
        numbers = {
            "draft": deal("contoso-health.com", DealState.DRAFT),
            "submitted": deal("fabrikam-logistics.com", DealState.SUBMITTED),
            "late": deal("tailspin-air.com", DealState.SUBMITTED),
            "info": deal("wingtip-retail.com", DealState.INFO_REQUESTED),
            "quoted": quoted.number,
            "extended": deal("adventure-works.com", DealState.EXTENDED),
            "expired": deal("litware-ins.com", DealState.EXPIRED),
            "revoked": deal("proseware-media.com", DealState.REVOKED),
            "rejected": deal("lucerne-pub.com", DealState.REJECTED),
            "ordered": deal("margies-travel.com", DealState.ORDERED),
            "won": deal("trey-research.com", DealState.WON),
            "conflict": conflict.number,
        }
        organizations = {
            "northwind": organization("Northwind Systems"),
            "applicant": organization("Harbor Tech Partners"),
            "distributor": organization("Meridian Distribution"),
        }
    v = "/v/parallax"
    n = numbers
    return {
        # Anyone.
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "password_reset": "/accounts/password/reset/",
        "apply": "/apply/parallax/",
        "not_found": "/no-such-page/",
        # Partners.
        "workspaces": "/",
        "dashboard": f"{v}/",
        "deal_list": f"{v}/deals/",
        "deal_new": f"{v}/deals/new/",
        "deal_edit": f"{v}/deals/{n['draft']}/edit/",
        **{f"deal_{state}": f"{v}/deals/{number}/" for state, number in n.items()},
        "quote": f"{v}/deals/{quoted.number}/quotes/{quote.sequence}/",
        "expiring": f"{v}/deals/expiring/",
        "organisation": f"{v}/partners/{organizations['northwind']}/",
        "team": f"{v}/team/",
        "notifications": "/notifications/",
        "preferences": "/notifications/preferences/",
        "email_addresses": "/accounts/email/",
        "change_password": "/accounts/password/change/",
        "forbidden": f"{v}/deals/queue/",
        "deal_not_found": f"{v}/deals/999999/",
        # Vendor staff.
        "queue": f"{v}/deals/queue/",
        "review_submitted": f"{v}/deals/{n['submitted']}/review/",
        "review_conflict": f"{v}/deals/{n['conflict']}/review/",
        "review_info": f"{v}/deals/{n['info']}/review/",
        "extensions": f"{v}/deals/extensions/",
        "quote_new": f"{v}/deals/{quoted.number}/quotes/new/",
        "partners": f"{v}/partners/",
        "partner_detail": f"{v}/partners/{organizations['northwind']}/",
        "distributor_detail": f"{v}/partners/{organizations['distributor']}/",
        "applications": f"{v}/partners/applications/",
        "application": f"{v}/partners/applications/{organizations['applicant']}/",
        "program_settings": f"{v}/program/settings/",
        "products": f"{v}/program/products/",
        "product_new": f"{v}/program/products/new/",
        "product_edit": f"{v}/program/products/{product.pk}/",
        "matrix": f"{v}/program/eligibility/",
        "territories": f"{v}/program/territories/",
        "territory_edit": f"{v}/program/territories/{territory.pk}/",
    }


# (person, page key, expected status). Deals at Parallax are registered by Northwind's partner admin, so
# partner-side deal pages are audited as that person; the rest of a role's pages as the role's own login.
PAGES = [
    ("anonymous", "login", 200),
    ("anonymous", "signup", 200),
    ("anonymous", "password_reset", 200),
    ("anonymous", "apply", 200),
    ("anonymous", "not_found", 404),
    ("partner.user", "dashboard", 200),
    ("partner.user", "deal_list", 200),
    ("partner.user", "deal_new", 200),
    ("partner.user", "expiring", 200),
    ("partner.user", "organisation", 200),
    ("partner.user", "notifications", 200),
    ("partner.user", "preferences", 200),
    ("partner.user", "email_addresses", 200),
    ("partner.user", "change_password", 200),
    ("partner.user", "forbidden", 403),
    ("partner.user", "deal_not_found", 404),
    ("partner.admin", "workspaces", 200),
    ("partner.admin", "dashboard", 200),
    ("partner.admin", "deal_list", 200),
    ("partner.admin", "deal_edit", 200),
    ("partner.admin", "deal_draft", 200),
    ("partner.admin", "deal_submitted", 200),
    ("partner.admin", "deal_info", 200),
    ("partner.admin", "deal_quoted", 200),
    ("partner.admin", "deal_extended", 200),
    ("partner.admin", "deal_expired", 200),
    ("partner.admin", "deal_revoked", 200),
    ("partner.admin", "deal_ordered", 200),
    ("partner.admin", "deal_won", 200),
    ("partner.admin", "quote", 200),
    ("partner.admin", "team", 200),
    ("partner.admin", "notifications", 200),
    ("distributor.user", "dashboard", 200),
    ("distributor.user", "deal_list", 200),
    ("distributor.user", "deal_quoted", 200),  # bought through Meridian Distribution
    ("channel.manager", "dashboard", 200),
    ("channel.manager", "deal_list", 200),
    ("channel.manager", "queue", 200),
    ("channel.manager", "review_submitted", 200),
    ("channel.manager", "review_conflict", 200),
    ("channel.manager", "review_info", 200),
    ("channel.manager", "deal_rejected", 200),
    ("channel.manager", "deal_late", 200),
    ("channel.manager", "extensions", 200),
    ("channel.manager", "quote_new", 200),
    ("channel.manager", "partners", 200),
    ("channel.manager", "partner_detail", 200),
    ("channel.manager", "notifications", 200),
    ("vendor.admin", "dashboard", 200),
    ("vendor.admin", "partners", 200),
    ("vendor.admin", "distributor_detail", 200),
    ("vendor.admin", "applications", 200),
    ("vendor.admin", "application", 200),
    ("vendor.admin", "team", 200),
    ("vendor.admin", "program_settings", 200),
    ("vendor.admin", "products", 200),
    ("vendor.admin", "product_new", 200),
    ("vendor.admin", "product_edit", 200),
    ("vendor.admin", "matrix", 200),
    ("vendor.admin", "territories", 200),
    ("vendor.admin", "territory_edit", 200),
]
