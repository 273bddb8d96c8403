"""The accessibility smoke check itself: it passes a sound page and names every flaw of a broken one."""

import pytest

from tests.browser.a11y import accessibility_problems

pytestmark = pytest.mark.browser

SOUND_PAGE = """<!doctype html><html lang="en"><head><title>Sound</title></head><body>
<header><nav aria-label="Main"><button type="button" aria-label="Toggle navigation"></button></nav></header>
<main><h1>Register a deal</h1>
  <img src="/logo.png" alt="">
  <form><label for="company">Company</label><input id="company" name="company">
    <label>Notes <textarea name="notes"></textarea></label>
    <select name="tier" aria-label="Tier"><option>Gold</option></select>
    <input type="hidden" name="csrf" value="x"><button type="submit">Save</button></form>
</main></body></html>"""

BROKEN_PAGE = """<!doctype html><html><head><title>Broken</title></head><body>
<main><h1>One</h1><h1>Two</h1><img src="/chart.png">
  <form><input id="company" name="company"><select name="tier"><option>Gold</option></select>
    <button type="submit"><i class="bi bi-x"></i></button><span id="company"></span></form>
</main><main></main></body></html>"""


def test_it_finds_nothing_wrong_with_a_sound_page(browser):
    page = browser.new_page()
    page.set_content(SOUND_PAGE)
    assert accessibility_problems(page) == []
    page.close()


def test_it_names_every_flaw_of_a_broken_page(browser):
    page = browser.new_page()
    page.set_content(BROKEN_PAGE)
    problems = accessibility_problems(page)
    page.close()
    assert "<html> has no lang attribute" in problems
    assert "expected exactly one <main>, found 2" in problems
    assert "expected exactly one <h1>, found 2" in problems
    assert "image without alt: /chart.png" in problems
    assert 'form control without a label: input#company[name="company"]' in problems
    assert 'form control without a label: select[name="tier"]' in problems
    assert 'button without a name: button[type="submit"]' in problems
    assert 'id "company" is used 2 times' in problems
