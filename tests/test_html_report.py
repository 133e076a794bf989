"""--format html: one self-contained page, checked in a real headless Chromium.

The Chromium test needs /usr/bin/chromium. Run as root where apt-get works, it installs the Debian chromium
package on first use (apt-get update; apt-get install chromium chromium-driver: a few minutes, once); elsewhere
it is skipped with that reason, and under CI=true it fails instead. To look at the page it renders:
REFCHECK_KEEP_SCREENSHOT=/tmp/report.png python -m pytest tests/test_html_report.py."""
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
# The only places the page links to, all https; everything else is a link within the page.
WORK_PAGES = ("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/", "https://pmc.ncbi.nlm.nih.gov/")
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
        if attributes.get("src"):
            self.problems.append(f"{tag} src={attributes['src']}")
        href = attributes.get("href") or ""
        if href and not href.startswith(("#",) + WORK_PAGES):
            self.problems.append(f"{tag} href={href}")
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
    outside = [a for tag, a in collector.elements if tag == "a" and a.get("href", "").startswith("https://")]
    assert outside and all(a.get("rel") == "noopener noreferrer" for a in outside)
    classes = [attributes.get("class", "") for _, attributes in collector.elements]
    assert any("claim tone-good" in c for c in classes)  # the supported claim
    assert any("claim tone-bad" in c for c in classes)  # the contradicted one
    assert any("claim tone-unsourced" in c for c in classes)
    statuses = [attributes["data-status"] for tag, attributes in collector.elements if tag == "a" and "data-status" in attributes]
    assert statuses == ["VERIFIED", "VERIFIED", "NOT_FOUND"]
    assert "@media print" in report_html.read_text()


class _Dom(HTMLParser):
    """What Chromium built: each element's tag, attributes and the text inside it."""

    VOID = {"meta", "br", "link", "input", "img", "hr"}

    def __init__(self):
        super().__init__()
        self.open, self.done = [], []

    def handle_starttag(self, tag, attrs):
        element = [tag, dict(attrs), ""]
        if tag in self.VOID:
            self.done.append(element)
        else:
            self.open.append(element)

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag:
            element = self.open.pop()
            self.done.append(element)
            if self.open:
                self.open[-1][2] += element[2]

    def handle_data(self, data):
        if self.open:
            self.open[-1][2] += data

    def find(self, tag, css=""):
        return [(attributes, text) for name, attributes, text in self.done if name == tag and css in attributes.get("class", "")]


def test_html_report_in_headless_chromium(chromium, report_html, tmp_path):
    url = report_html.as_uri()
    dumped = browser(chromium, tmp_path, "--dump-dom", url)
    assert dumped.returncode == 0, dumped.stderr[-500:]
    dom = _Dom()
    dom.feed(dumped.stdout)
    cites = [attributes for attributes, _ in dom.find("a", "cite") if "data-status" in attributes]
    assert [a["data-status"] for a in cites] == ["VERIFIED", "VERIFIED", "NOT_FOUND"]
    assert 'data-verdict="CONTRADICTED"' in dumped.stdout and 'id="summary"' in dumped.stdout
    # Each verified card links the work at doi.org, PubMed and PMC; the one not found offers to look its DOI up.
    links = [attributes["href"] for attributes, _ in dom.find("a") if attributes.get("href", "").startswith("https://")]
    assert links.count("https://doi.org/10.1177/1352458517722646") == 2
    assert links.count("https://pubmed.ncbi.nlm.nih.gov/28731372/") == 2 and links.count("https://pmc.ncbi.nlm.nih.gov/articles/PMC6108041/") == 2
    assert "https://doi.org/10.1371/notarealdoi" in links
    # The whole abstract is one click away, the evidence sentences marked in it.
    abstracts = dom.find("details", "abstract")
    assert len(abstracts) == 2 and all("Epstein-Barr virus" in text for _, text in abstracts)
    marked = [text for _, text in dom.find("mark", "evidence")]
    assert any(text.startswith("Conclusion: High-dose vitamin D3 supplementation") for text in marked)
    # Markdown is shown rendered: the heading's "#" is hidden, the heading styled.
    assert [text for _, text in dom.find("span", "md-h1")] == ["# Vitamin D and antibodies"]
    assert [text for _, text in dom.find("span", "md-hidden")] == ["# "]

    screenshot = tmp_path / "report.png"
    opened = tmp_path / "opened.html"  # the abstracts unfolded, so the screenshot shows the marks
    opened.write_text(report_html.read_text().replace('<details class="abstract">', '<details class="abstract" open>'))
    shot = browser(chromium, tmp_path, "--window-size=1280,1600", f"--screenshot={screenshot}", opened.as_uri())
    assert shot.returncode == 0, shot.stderr[-500:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
    keep = os.environ.get("REFCHECK_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(screenshot, keep)


def _shown(text: str) -> str:
    """The text as the HTML report shows it: without the characters markdown_layout hides."""
    from refcheck.report.markdown_source import markdown_layout

    hidden = {i for start, end, css in markdown_layout(text)[1] if css == "md-hidden" for i in range(start, end)}
    return "".join(character for i, character in enumerate(text) if i not in hidden)


def test_markdown_emphasis_and_code_marks_are_hidden_but_not_lone_stars_or_snake_case():
    assert _shown("A *small* and _careful_ trial ran `refcheck --offline` with **big** words.") == (
        "A small and careful trial ran refcheck --offline with big words.")
    assert _shown("p < 0.05* and 2*3*4 and snake_case_name stay; ``a ` b`` too.") == (
        "p < 0.05* and 2*3*4 and snake_case_name stay; a ` b too.")
    assert _shown("* a bullet with *emphasis*\nUnclosed *star and `tick") == "* a bullet with emphasis\nUnclosed *star and `tick"
