"""The pages work under the Content-Security-Policy: nothing the portal itself does is refused, while an
injected inline script is."""

from playwright.sync_api import expect

from partners.models import Membership
from tests.browser.journey import person, switch_to
from tests.factories import ProspectFactory


def csp_refusals(page):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    return refused


def test_the_portal_runs_under_its_policy_and_inline_script_is_refused(page, log_in, reseller, vendor):
    refused = csp_refusals(page)
    ProspectFactory(vendor=vendor, name="Initech Corporation", domain="initech-corp.com")
    switch_to(page, log_in, person(Membership.Role.PARTNER_USER, organization=reseller))

    # Bootstrap (navbar dropdown) and htmx (the domain check) under the policy.
    page.goto(f"/v/{vendor.slug}/deals/new/")
    page.get_by_label("Company name").fill("Initech Corporation")
    page.get_by_label("Primary domain").fill("initech-corp.com")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#domain-status")).to_contain_text("Existing prospect: Initech Corporation")
    # htmx's indicator rule comes from portal.css, not an injected <style>.
    expect(page.locator("#checklist-spinner")).to_be_hidden()
    assert page.locator("head style").count() == 0
    page.goto("/notifications/")
    assert refused == []

    # The control: the policy is enforced, so an injected inline script does not run.
    page.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.__injected = true";
        document.body.appendChild(s);
    }""")
    assert page.evaluate("window.__injected === undefined")
    assert any("script-src" in text for text in refused)
