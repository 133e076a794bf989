"""--format html: one self-contained page, checked in a real headless Chromium."""
import os
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from refcheck.cli import main
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

ARTICLE = """# Vitamin D and antibodies

In a randomized controlled trial, high-dose vitamin D3 reduced anti-EBNA-1 antibody levels in RRMS patients [PMID: 28731372]. The same trial gave vitamin D3 to 90 patients for two years [PMID: 28731372].

Studies have shown that 90% of people feel better after a week.

A follow-up was reported too (doi:10.1371/notarealdoi).
"""
CHROMIUM = "/usr/bin/chromium"
INSTALL_SECONDS = 600


@pytest.fixture(scope="session")
def chromium():
    """The Debian chromium package, installed on first use when we may (root with apt-get)."""
    in_ci = os.environ.get("CI") == "true"
    if not os.path.exists(CHROMIUM) and os.geteuid() == 0 and shutil.which("apt-get"):
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        try:
            subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True, timeout=INSTALL_SECONDS, env=environment)
            subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"], check=True, capture_output=True,
                           timeout=INSTALL_SECONDS, env=environment)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            if in_ci:
                pytest.fail(f"could not install chromium: {exc}")
    if not os.path.exists(CHROMIUM):
        reason = "chromium is not installed and cannot be installed here (needs root and apt-get)"
        if in_ci:
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


def browser(chromium, tmp_path, *args):
    profile = tmp_path / "chromium-profile"
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements, self.stack, self.problems = [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag not in ("meta", "br"):
            self.stack.append(tag)
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            if value and not value.startswith("#"):
                self.problems.append(f"{tag} {name}={value}")
        if tag in ("script", "link", "img", "iframe"):
            self.problems.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"misnested </{tag}>")


@pytest.fixture
def report_html(env, tmp_path):
    source = write(tmp_path, "article.md", ARTICLE)
    target = tmp_path / "report.html"
    assert main(["check", source, "-f", "html", "-o", str(target)]) == 1
    return target


def test_html_is_self_contained_and_well_nested(report_html):
    collector = _Collector()
    collector.feed(report_html.read_text())
    assert collector.problems == [] and collector.stack == []
    classes = [attributes.get("class", "") for _, attributes in collector.elements]
    assert any("claim tone-good" in c for c in classes)  # the supported claim
    assert any("claim tone-bad" in c for c in classes)  # the contradicted one
    assert any("claim tone-unsourced" in c for c in classes)
    statuses = [attributes["data-status"] for tag, attributes in collector.elements if tag == "a" and "data-status" in attributes]
    assert statuses == ["VERIFIED", "VERIFIED", "NOT_FOUND"]
    assert "@media print" in report_html.read_text()


def test_html_report_in_headless_chromium(chromium, report_html, tmp_path):
    url = report_html.as_uri()
    dom = browser(chromium, tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-500:]
    assert dom.stdout.count('class="cite tone-good" href="#d1-c') == 2
    assert 'class="cite tone-bad" href="#d1-c3"' in dom.stdout
    assert 'data-verdict="CONTRADICTED"' in dom.stdout and 'id="summary"' in dom.stdout
    screenshot = tmp_path / "report.png"
    shot = browser(chromium, tmp_path, "--window-size=1280,1000", f"--screenshot={screenshot}", url)
    assert shot.returncode == 0, shot.stderr[-500:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
    keep = os.environ.get("REFCHECK_KEEP_SCREENSHOT")
    if keep:  # to look at it: REFCHECK_KEEP_SCREENSHOT=/tmp/report.png pytest tests/test_html_report.py
        shutil.copy(screenshot, keep)
