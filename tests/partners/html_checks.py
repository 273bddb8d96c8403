"""A small structural HTML check for rendered pages: balanced tags, unique ids, labelled controls,
one h1 and no skipped heading level inside <main>.

No validator package is installed; this catches the usual slips.
"""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets you leave out; our templates close them anyway, but be lenient.
OPTIONAL_END = {"li", "p", "option", "td", "th", "tr", "dt", "dd"}
UNLABELLED_OK = {"hidden", "submit", "button", "reset", "image"}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: dict[str, int] = {}
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, dict, bool]] = []  # (tag, attrs, inside a label)
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] = self.ids.get(attrs["id"], 0) + 1
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea"):
            self.controls.append((tag, attrs, "label" in self.stack))
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit() and "main" in self.stack:
            self.headings.append(int(tag[1]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()


def page_problems(html: str) -> list[str]:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    problems = list(parser.problems)
    if [t for t in parser.stack if t not in OPTIONAL_END]:
        problems.append(f"unclosed: {parser.stack}")
    problems += [f"duplicate id {i!r}" for i, n in parser.ids.items() if n > 1]
    for tag, attrs, in_label in parser.controls:
        if tag == "input" and attrs.get("type") in UNLABELLED_OK:
            continue
        labelled = (
            in_label
            or attrs.get("id") in parser.label_for
            or attrs.get("aria-label")
            or attrs.get("aria-labelledby")
        )
        if not labelled:
            problems.append(f"unlabelled <{tag} name={attrs.get('name')!r}>")
    if parser.headings.count(1) != 1:
        problems.append(f"expected one h1, found {parser.headings.count(1)}")
    previous = 0
    for level in parser.headings:
        if level > previous + 1:
            problems.append(f"heading level skips from h{previous} to h{level}")
        previous = level
    return problems


def assert_sound_page(response):
    assert response.status_code in (200, 400, 403, 404, 410), response.status_code
    problems = page_problems(response.content.decode())
    assert problems == [], problems
