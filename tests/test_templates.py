"""Conventions of templates/: scripts and styles in static/, {% load %} at the top, partials are _name.html.

Each rule is a small checker returning the violations it finds; the checkers are first tried on bad snippets
(so a checker that finds nothing cannot pass by accident), then run over every template of the project.
"""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType
from django.template.loader import get_template

from partners.models import Membership

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
# Email clients ignore stylesheets: the email templates keep their inline styles (and nothing else is exempt).
EMAIL = TEMPLATES / "email"
# Python packages whose template names must resolve (tests included: they name templates too).
PYTHON_PACKAGES = ("deals", "partners", "products", "notifications", "portal", "tests")

DJANGO_SYNTAX = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
INCLUDE = re.compile(r"""^include\s+["']([^"']+)["']""")
EXTENDS = re.compile(r"""^extends\s+["']([^"']+)["']""")
TEMPLATE_NAME = re.compile(r"^[\w-]+(/[\w.-]+)+\.(html|txt)$")


def _templates(suffixes=(".html", ".txt")):
    found = sorted(p for p in TEMPLATES.rglob("*") if p.is_file() and p.suffix in suffixes)
    assert len(found) > 100, "the walk should see the project's templates"
    return found


def _name(path):
    return path.relative_to(TEMPLATES).as_posix()


def _is_email(path):
    return EMAIL in path.parents


# --- markup: no inline behaviour, no inline styles ----------------------------------------------------------


class _MarkupScan(HTMLParser):
    def __init__(self, *, styles_allowed):
        super().__init__(convert_charrefs=True)
        self.styles_allowed = styles_allowed
        self.problems = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        line = self.getpos()[0]
        if tag == "script" and "src" not in names:
            self.problems.append(f"line {line}: inline <script> (no src); move it to static/js/")
        for name, value in attrs:
            if name.startswith(("on", "hx-on", "data-hx-on")):
                self.problems.append(f"line {line}: inline event handler {name}=; wire it from static/js/")
            elif name.startswith("hx-"):
                # HTML has no hx-* attributes (the Nu checker rejects them); htmx reads data-hx-* as well.
                self.problems.append(f"line {line}: {name}= is not HTML; write data-{name}=")
            if name == "href" and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"line {line}: javascript: URL; wire it from static/js/")
        if not self.styles_allowed:
            if tag == "style":
                self.problems.append(f"line {line}: <style> element; move it to static/css/")
            if "style" in names:
                self.problems.append(f"line {line}: style= attribute on <{tag}>; use a class in static/css/")

    handle_startendtag = handle_starttag


def markup_problems(source, *, styles_allowed=False):
    """Inline scripts, event handlers and (unless allowed) inline styles in a template's HTML.

    Template syntax is blanked out first (keeping line numbers); `src="{% static ... %}"` still is a src.
    """
    blanked = DJANGO_SYNTAX.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    scan = _MarkupScan(styles_allowed=styles_allowed)
    scan.feed(blanked)
    scan.close()
    return scan.problems


def test_markup_checker_finds_inline_scripts_and_styles():
    assert markup_problems('<script>alert("hi")</script>') == [
        "line 1: inline <script> (no src); move it to static/js/"
    ]
    assert markup_problems("<p>\n<script type='module'>\n</script>") == [
        "line 2: inline <script> (no src); move it to static/js/"
    ]
    assert markup_problems('<col style="width: 40%">') == [
        "line 1: style= attribute on <col>; use a class in static/css/"
    ]
    assert markup_problems("<style>#main { max-width: 40rem; }</style>") == [
        "line 1: <style> element; move it to static/css/"
    ]
    assert markup_problems('<button onclick="go()">') == [
        "line 1: inline event handler onclick=; wire it from static/js/"
    ]
    assert markup_problems('<form hx-on::after-request="x()">') == [
        "line 1: inline event handler hx-on::after-request=; wire it from static/js/"
    ]
    assert markup_problems('<form data-hx-on:submit="x()">') == [
        "line 1: inline event handler data-hx-on:submit=; wire it from static/js/"
    ]
    assert markup_problems('<button hx-post="/x/" data-hx-target="#y">') == [
        "line 1: hx-post= is not HTML; write data-hx-post="
    ]
    assert markup_problems('<a href="javascript:void(0)">') == [
        "line 1: javascript: URL; wire it from static/js/"
    ]
    assert markup_problems('<td style="color: red">', styles_allowed=True) == []
    # A script loaded from static/ is fine, however its src is written.
    assert markup_problems("<script src=\"{% static 'js/cosell.js' %}\" defer></script>") == []
    assert markup_problems('{% if x %}<div class="{% if y %}a{% endif %}" data-style="b">{% endif %}') == []


@pytest.mark.parametrize("path", _templates((".html",)), ids=_name)
def test_templates_keep_scripts_and_styles_in_static(path):
    problems = markup_problems(path.read_text(), styles_allowed=_is_email(path))
    assert problems == [], f"{_name(path)}: " + "; ".join(problems)


def test_the_moved_scripts_and_styles_exist():
    """What the pages used to carry inline now lives in these files; the templates load them."""
    static = ROOT / "static"
    assert "cosell-total" in (static / "js" / "cosell.js").read_text()
    # Adding and removing rows of both formsets (product lines, co-sell partners) is one script.
    assert "data-formset-add" in (static / "js" / "formset-rows.js").read_text()
    for partial, prefix in (("_lines.html", "lines"), ("_cosell.html", "cosell")):
        markup = (TEMPLATES / "deals" / partial).read_text()
        assert f'data-formset-rows="{prefix}"' in markup and f'data-formset-add="{prefix}"' in markup
    assert "window.print()" in (static / "js" / "print-button.js").read_text()
    css = (static / "css" / "portal.css").read_text()
    for rule in (
        ".checklist-card { top: 1rem; }",
        ".form-narrow { max-width: 40rem; }",
        ".cosell-col-partner",
    ):
        assert rule in css
    form = (TEMPLATES / "deals" / "form.html").read_text()
    assert "js/cosell.js" in form and "js/formset-rows.js" in form
    detail = (TEMPLATES / "deals" / "quotes" / "detail.html").read_text()
    assert "js/print-button.js" in detail and 'id="print-quote" data-print-page' in detail


# --- {% load %} at the top ----------------------------------------------------------------------------------


def _tags(source):
    """(token, first word) of a template's tokens but blanks and what {% comment %}/{% verbatim %} hide."""
    hidden_until = None
    for token in Lexer(source).tokenize():
        word = (
            token.contents.split()[0]
            if token.token_type == TokenType.BLOCK and token.contents.split()
            else ""
        )
        if hidden_until:
            if word == hidden_until:
                hidden_until = None
            continue
        if word in ("comment", "verbatim"):
            hidden_until = "end" + word
        if token.token_type == TokenType.TEXT and not token.contents.strip():
            continue
        yield token, word


def load_problems(source):
    """{% extends %} only as the very first tag; {% load %} only before anything else (but {% extends %})."""
    problems, started = [], False
    for index, (token, word) in enumerate(_tags(source)):
        if word == "extends":
            if index:
                problems.append(f"line {token.lineno}: {{% extends %}} must come first")
            continue
        if word == "load":
            if started:
                problems.append(
                    f"line {token.lineno}: {{% {token.contents} %}} below the top of the template"
                )
            continue
        started = True
    return problems


def test_load_checker_finds_loads_in_the_middle():
    assert (
        load_problems('{% extends "base.html" %}\n{% load static humanize %}\n{% block x %}{% endblock %}')
        == []
    )
    assert load_problems("{% load a %}{% load b %}\n<p>{% a_tag %}</p>") == []
    assert load_problems("<p>hi</p>\n{% load static %}") == [
        "line 2: {% load static %} below the top of the template"
    ]
    assert load_problems("{% comment %}Explains.{% endcomment %}\n{% load quote_tags %}") == [
        "line 2: {% load quote_tags %} below the top of the template"
    ]
    assert load_problems('{# note #}{% extends "base.html" %}') == ["line 1: {% extends %} must come first"]
    # What a comment or verbatim block merely mentions is no tag.
    assert load_problems("{% load x %}{% comment %}{% load y %}{% endcomment %}") == []
    assert load_problems("{% load x %}{% verbatim %}{% load y %}{% endverbatim %}") == []


@pytest.mark.parametrize("path", _templates(), ids=_name)
def test_load_tags_sit_at_the_top(path):
    problems = load_problems(path.read_text())
    assert problems == [], f"{_name(path)}: " + "; ".join(problems)


# --- partials: one naming convention ------------------------------------------------------------------------


def template_references(source):
    """Template names that a template includes and extends, literally (not in comments)."""
    included, extended = set(), set()
    for token, word in _tags(source):
        if word == "include" and (match := INCLUDE.match(token.contents)):
            included.add(match.group(1))
        if word == "extends" and (match := EXTENDS.match(token.contents)):
            extended.add(match.group(1))
    return included, extended


def python_template_names():
    """{name: [where]} of every string constant in the project's Python that looks like a template name."""
    names = {}
    for package in PYTHON_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == Path(__file__).resolve():
                continue  # this module names the pending renames' new names on purpose
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and TEMPLATE_NAME.match(node.value)
                ):
                    names.setdefault(node.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return names


def inclusion_tags_in(source):
    """Templates named by @register.inclusion_tag("...") in a Python module's source."""
    return {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", "") == "inclusion_tag"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def inclusion_tag_templates():
    found = set()
    for package in PYTHON_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found |= inclusion_tags_in(path.read_text())
    return found


def _included_everywhere():
    included = {}
    for path in _templates():
        for name in template_references(path.read_text())[0]:
            included.setdefault(name, []).append(_name(path))
    return included


def test_reference_collectors_read_includes_and_python():
    included, extended = template_references(
        '{% extends "base.html" %}{% comment %}{% include "x/never.html" %}{% endcomment %}'
        '{% include "deals/_state_badge.html" with deal=deal %}{% include role_template %}'
    )
    assert (included, extended) == ({"deals/_state_badge.html"}, {"base.html"})
    names = python_template_names()
    assert "partners/partner_list.html" in names and "notifications/_row.html" in names
    source = (
        '@register.inclusion_tag("deals/lifecycle/_panel.html", takes_context=True)\ndef panel(context): ...'
    )
    assert inclusion_tags_in(source) == {"deals/lifecycle/_panel.html"}


def test_included_templates_are_named_like_partials():
    wrong = {
        name: where
        for name, where in _included_everywhere().items()
        if not name.rsplit("/", 1)[-1].startswith("_")
    }
    assert wrong == {}, "included templates are partials: name them _name.html"


def test_inclusion_tags_and_role_dashboards_render_partials():
    tags = inclusion_tag_templates()
    assert [name for name in tags if not name.rsplit("/", 1)[-1].startswith("_")] == []
    # partners.views.dashboard includes one of these by the member's role.
    for role in Membership.Role.values:
        assert (TEMPLATES / "partners" / "dashboard" / f"_{role}.html").is_file(), role


def test_partials_folders_hold_only_cross_app_underscore_partials():
    """templates/partials/ holds shared fragments, each _name.html; no app has its own partials/ folder."""
    shared = sorted(p.name for p in (TEMPLATES / "partials").iterdir())
    assert "_pagination.html" in shared
    assert [name for name in shared if not name.startswith("_")] == []
    elsewhere = sorted(
        _name(p)
        for p in TEMPLATES.rglob("*")
        if p.is_file() and "partials" in p.relative_to(TEMPLATES).parts[1:]
    )
    assert elsewhere == []


def test_every_underscore_template_is_used():
    """A partial nobody includes or renders is left over from a rename."""
    used = set(_included_everywhere()) | set(python_template_names()) | inclusion_tag_templates()
    for path in _templates():
        used |= template_references(path.read_text())[1]
    used |= {f"partners/dashboard/_{role}.html" for role in Membership.Role.values}
    unused = [_name(p) for p in _templates() if p.name.startswith("_") and _name(p) not in used]
    assert unused == []


def test_every_template_name_resolves():
    """Every literal include/extends and every template name in Python loads (catches stale renames)."""
    names = dict(python_template_names())
    for path in _templates():
        included, extended = template_references(path.read_text())
        for name in included | extended:
            names.setdefault(name, []).append(_name(path))
    assert len(names) > 50
    missing = {}
    for name, where in sorted(names.items()):
        try:
            get_template(name)
        except Exception as error:  # TemplateDoesNotExist, or a broken template
            missing[name] = (where, repr(error))
    assert missing == {}


def test_lists_share_one_pager():
    pagers = sorted(
        _name(p)
        for p in _templates((".html",))
        if "pagination" in p.read_text() and p != TEMPLATES / "partials" / "_pagination.html"
    )
    assert pagers == [
        "deals/list.html",
        "deals/queue.html",
        "notifications/inbox.html",
        "partners/partner_list.html",
    ]
    for name in pagers:
        assert '{% include "partials/_pagination.html" %}' in (TEMPLATES / name).read_text(), name
    assert [p for p in _templates() if "pagination" in p.name] == [
        TEMPLATES / "partials" / "_pagination.html"
    ]
