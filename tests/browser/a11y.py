"""An accessibility smoke check any browser test can run on the page it is looking at.

Not a full audit (no contrast or focus-order analysis): it catches the mistakes that creep in most
often — an unlabelled control, a page without (or with two) <main> or <h1>, an image without alt text,
a missing lang — and names each offending element so the failure says what to fix.
"""

from playwright.sync_api import Page

# Runs in the page: returns one human-readable line per problem.
_FIND_PROBLEMS = """
() => {
  const problems = [];
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (el.getAttribute('name')) text += `[name="${el.getAttribute('name')}"]`;
    if (el.getAttribute('type')) text += `[type="${el.getAttribute('type')}"]`;
    return text;
  };
  const hasName = (el) => {
    const aria = (el.getAttribute('aria-label') || '').trim();
    if (aria) return true;
    const labelledBy = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    if (labelledBy.some((id) => (document.getElementById(id)?.textContent || '').trim())) return true;
    if (el.labels && Array.from(el.labels).some((label) => label.textContent.trim())) return true;
    if ((el.getAttribute('title') || '').trim()) return true;
    return false;
  };

  const lang = (document.documentElement.getAttribute('lang') || '').trim();
  if (!lang) problems.push('<html> has no lang attribute');

  const mains = document.querySelectorAll('main, [role="main"]').length;
  if (mains !== 1) problems.push(`expected exactly one <main>, found ${mains}`);

  const h1s = document.querySelectorAll('h1').length;
  if (h1s !== 1) problems.push(`expected exactly one <h1>, found ${h1s}`);

  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`image without alt: ${img.getAttribute('src')}`);
  }

  const controls = document.querySelectorAll('input, select, textarea');
  for (const el of controls) {
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (type === 'hidden') continue;
    if (['submit', 'button', 'reset', 'image'].includes(type)) {
      if (!(el.value || '').trim() && !hasName(el) && !(el.getAttribute('alt') || '').trim()) {
        problems.push(`button without a name: ${describe(el)}`);
      }
      continue;
    }
    if (!hasName(el)) problems.push(`form control without a label: ${describe(el)}`);
  }

  for (const button of document.querySelectorAll('button, [role="button"]')) {
    if (!button.textContent.trim() && !hasName(button)) {
      problems.push(`button without a name: ${describe(button)}`);
    }
  }

  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  for (const [id, count] of seen) if (count > 1) problems.push(`id "${id}" is used ${count} times`);

  return problems;
}
"""


def accessibility_problems(page: Page) -> list[str]:
    return page.evaluate(_FIND_PROBLEMS)


def assert_accessible(page: Page) -> None:
    problems = accessibility_problems(page)
    assert not problems, f"Accessibility problems on {page.url}:\n  " + "\n  ".join(problems)
