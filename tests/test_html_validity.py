"""Valid HTML: the Nu HTML checker (vnu.jar) reads the main pages of every role, rendered from the demo.

Browsers forgive invalid markup, each in its own way; assistive technology and htmx read the DOM the browser
rebuilt, not the template. So every page the accessibility audit opens is also rendered here through the test
client and handed to vnu.jar, all in one run (the JVM takes seconds to start).

vnu.jar comes from the npm package `vnu-jar` (pinned in .ci/package.json) and runs on Debian's Java; both are
installed by scripts/services.sh, which `make test` and .ci/run call. Without them the test is skipped, never
passed.
"""

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from demo.people import DEMO_EMAIL_DOMAIN
from partners.models import User
from tests.demo_pages import PAGES, demo_paths

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / ".ci" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(JAVA is None, reason="no java on the PATH: run scripts/services.sh to install it"),
    pytest.mark.skipif(not VNU.exists(), reason=f"{VNU} is missing: run scripts/services.sh to install it"),
]

# The checker's own guard: a page with known faults must come back with exactly these complaints.
FAULTY = """<!DOCTYPE html><html lang="en"><head><title>Faulty</title></head><body>
<button hx-post="/x/">Go</button>
<time datetime="2026-01-02T03:04:05.123456+00:00">then</time>
<input type="checkbox" name="a" autocomplete="off" aria-label="a">
</body></html>
"""


def _render_every_page(directory: Path) -> dict[Path, str]:
    """Each page of PAGES as its person sees it, saved as a file; returns file -> "person: path"."""
    paths = demo_paths()
    clients = {}
    rendered = {}
    for person, key, status in PAGES:
        if person not in clients:
            clients[person] = Client()
            if person != "anonymous":
                clients[person].force_login(User.objects.get(email=f"{person}@{DEMO_EMAIL_DOMAIN}"))
        response = clients[person].get(paths[key], follow=True)  # as the browser audit sees it
        assert response.status_code == status, f"{paths[key]} as {person}: HTTP {response.status_code}"
        file = directory / f"{person}-{key}.html"
        file.write_bytes(response.content)
        rendered[file] = f"{person}: {paths[key]}"
    return rendered


def _vnu_errors(files: list[Path]) -> dict[Path, list[dict]]:
    """vnu.jar's errors per file, from one run over all of them."""
    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr)["messages"]  # vnu writes its report to stderr
    errors = {file: [] for file in files}
    for message in messages:
        errors[Path(message["url"].removeprefix("file:"))].append(message)
    return errors


def _describe(errors: dict[Path, list[dict]], rendered: dict[Path, str]) -> str:
    lines = []
    for file, messages in errors.items():
        for message in messages:
            extract = " ".join(message.get("extract", "").split())
            where = f"{rendered[file]} line {message.get('lastLine')}"
            lines.append(f"{where}: {message['message']}  «{extract}»")
    return f"{len(lines)} HTML errors:\n" + "\n".join(lines)


def test_the_main_pages_of_every_role_are_valid_html(tmp_path, settings, django_capture_on_commit_callbacks):
    settings.DEMO_MODE = True  # the login page then lists the demo accounts too
    # The demo's notifications are written after commit; the test's transaction never commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    rendered = _render_every_page(tmp_path)
    faulty = tmp_path / "faulty.html"
    faulty.write_text(FAULTY)

    errors = _vnu_errors([faulty, *rendered])

    found_in_faulty = " ".join(message["message"] for message in errors.pop(faulty))
    for fault in ("hx-post", "datetime", "autocomplete"):
        assert fault in found_in_faulty, f"the checker missed a known fault ({fault}): {found_in_faulty}"
    assert not any(errors.values()), _describe(errors, rendered)
