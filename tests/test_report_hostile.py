"""Hostile strings from the document, the services and the cache, in every format: no control character reaches a
terminal, no formula a spreadsheet, no markup a browser or a Markdown renderer, and JUnit stays well-formed XML."""
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from refcheck.cli import main
from refcheck.records import (
    CONTRADICTED, FOUND, VERIFIED, Author, CheckedCitation, CheckedClaim, Citation, Claim, ClaimVerdict, DocumentReport, Identifier,
    Lookup, Resolution, UnmatchedMarker, UnsourcedClaim, Work,
)
from refcheck.report import FORMATS, Report, render
from refcheck.report.rendering import job_summary
from refcheck.report.sanitise import csv_cell, markdown_text, visible
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

TERMINAL = "\x1b[2J\x1b]0;owned\x07\x9b31m\x00\x0b\x0c\x7f\ud800"  # erase screen, set title, C1 CSI, NUL, VT, FF, DEL, lone surrogate
FORMULA = "=HYPERLINK(\"http://evil.example\",\"x\")"
MARKUP = "<script>alert(1)</script><img src=x onerror=alert(1)>[click](javascript:alert(1))"
HOSTILE = f"{TERMINAL}{MARKUP}"
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def hostile_report() -> Report:
    """Every string field hostile: the document's (source, text, citation, claim), the service's (title, authors,
    journal, reasons, evidence) and the cache's (a year that is a string, as a tampered row may hold)."""
    claim_text = f"{FORMULA} {HOSTILE} claim."
    text = f"{claim_text} [1] and more [7]. -cmd|' /C calc'!A0 is unsourced at 40%.\n"
    work = Work(title=f"@SUM(1+1) {HOSTILE}", authors=(Author(f"+{HOSTILE}", "A"),), year="<img src=x onerror=alert(2)>",
                journal=f"-{HOSTILE}", doi=f"10.1234/{MARKUP}", pmid="1<script>", pmcid="PMC1\x1b[2J", abstract=f"{HOSTILE} abstract.",
                source=f"crossref{TERMINAL}")
    resolution = Resolution(VERIFIED, work, reasons=(f"{FORMULA} {HOSTILE}",), lookups=(Lookup("crossref", "x", FOUND, work=work),))
    verdict = ClaimVerdict(CONTRADICTED, (f"{HOSTILE} abstract.",), (f"+{HOSTILE} reason",))
    citation = Citation("doi", f"10.1234/{HOSTILE}", f"={HOSTILE}", text.index("[1]"), text.index("[1]") + 3, (Identifier("doi", "10.1234/x"),))
    unsourced_start = text.index("-cmd")
    document = DocumentReport(
        f"={HOSTILE}.md", (CheckedCitation(citation, resolution, (CheckedClaim(Claim(claim_text, 0, len(claim_text)), verdict),)),),
        (UnsourcedClaim(text[unsourced_start:-1], unsourced_start, len(text) - 1, ("40%",)),),
        text=text, unmatched_markers=(UnmatchedMarker(text.index("[7]"), text.index("[7]") + 3, (7,), "[7]"),), format="markdown",
    )
    return Report((document, DocumentReport(f"@{HOSTILE}.html", error=f"@{HOSTILE}: no such file")), version=f"0.1{TERMINAL}")


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_control_character_in_any_format(fmt):
    text = render(hostile_report(), fmt)
    assert UNSAFE.findall(text) == []
    text.encode("utf-8")  # a lone surrogate would fail here


def test_csv_cells_never_start_a_formula():
    rows = list(csv.reader(io.StringIO(render(hostile_report(), "csv"))))
    starts = [cell[0] for row in rows[1:] for cell in row if cell]
    assert starts and not [s for s in starts if s in "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"]
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)  # shown, as text


def test_csv_cell_follows_owasp():
    assert [csv_cell(v) for v in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "\uff1d1", "plain", "", 7)] == [
        "'=1+1", "'+1", "'-1", "'@A1", "'\t=1", "'\r=1", "'\uff1d1", "plain", "", "7"]


def test_markdown_carries_no_html_and_no_link():
    text = render(hostile_report(), "markdown")
    assert re.findall(r"(?<!\\)[<>\[\]]", text.replace("| --- |", "")) == []
    assert "&lt;" not in text.replace("&amp;lt;", "")  # an entity the writer did not mean is shown as itself
    assert markdown_text("<b>&lt;i&gt;</b> *x* [a](b) `c` | d") == r"\<b\>&amp;lt;i&amp;gt;\</b\> \*x\* \[a\](b) \`c\` \| d"


def test_html_escapes_every_field_whatever_its_type():
    text = render(hostile_report(), "html")
    elements = _Elements()
    elements.feed(text)
    assert not {"script", "img", "iframe", "object", "embed", "svg"} & set(elements.tags)
    assert not [name for name, _ in elements.attributes if name.startswith("on")]
    hrefs = [value for name, value in elements.attributes if name == "href"]
    assert all(h.startswith(("#", "https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/", "https://pmc.ncbi.nlm.nih.gov/")) for h in hrefs)
    assert "(&lt;img src=x onerror=alert(2)&gt;)" in text  # the year a tampered cache row held as a string
    assert not [h for h in hrefs if "<" in h or "script" in h]  # identifiers of the wrong shape get no link


def test_junit_is_well_formed_xml_1_0():
    root = ET.fromstring(render(hostile_report(), "junit"))
    assert root.get("tests") == "3" and root.find("testsuite/testcase/failure") is not None


def test_json_keeps_the_data_and_escapes_what_a_terminal_would_obey():
    text = render(hostile_report(), "json")
    assert UNSAFE.findall(text) == []
    data = json.loads(text)
    assert data["documents"][0]["citations"][0]["work"]["title"] == f"@SUM(1+1) {HOSTILE}"  # lossless
    assert data["documents"][0]["citations"][0]["work"]["year"] == "<img src=x onerror=alert(2)>"


def test_json_is_the_indented_dump_of_to_dict_to_the_character():
    # render_json writes a citation at a time (to bound its memory); the text must be json.dumps(to_dict(...), indent=2)
    # exactly: several documents, one without citations, one citing twice, hostile strings everywhere.
    from refcheck.report import to_dict
    from refcheck.report.sanitise import json_text

    first, failed = hostile_report().documents
    twice = replace(first, source="twice.md", citations=first.citations * 2)
    report = Report((first, failed, twice, replace(first, citations=())), version="0.1")
    assert render(report, "json") == json_text(json.dumps(to_dict(report), indent=2, ensure_ascii=False)) + "\n"


def test_github_commands_cannot_be_injected():
    lines = render(hostile_report(), "github").splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)


def test_the_job_summary_is_safe_markdown():
    text = job_summary(hostile_report())
    assert UNSAFE.findall(text) == [] and re.findall(r"(?<!\\)<", text) == []


def test_visible_keeps_offsets_and_is_idempotent():
    assert len(visible(HOSTILE)) == len(HOSTILE)
    assert visible(visible(HOSTILE)) == visible(HOSTILE)
    assert visible("a\x1b[2Jb\tc\nd") == "a\u241b[2Jb\tc\nd"


def test_the_same_findings_before_and_after_sanitising():
    from refcheck.report.sanitise import sanitised

    report = hostile_report()
    assert [f.fingerprint for f in report.findings()] == [f.fingerprint for f in sanitised(report).findings()]


# --- through the command line: a hostile document and a hostile cached record --------------------

PAGE = ("<html><body><p>Coffee cuts \x1b[2J\x9b31m risk by 40% =HYPERLINK(\"http://evil\") "
        "<b>&lt;script&gt;alert(1)&lt;/script&gt;</b> in adults (PMID: 28731372).</p>"
        "<p>@SUM(1) Another \x1b]0;owned\x07 sentence says 75% of people agree.</p></body></html>")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_hostile_document_through_the_cli(env, tmp_path, capsys, fmt):
    source = write(tmp_path, "page.html", PAGE)
    main(["check", source, "-f", fmt])
    captured = capsys.readouterr()
    assert UNSAFE.findall(captured.out + captured.err) == []
    if fmt == "html":
        assert "<script" not in captured.out
    if fmt == "csv":
        assert not [c for row in csv.reader(io.StringIO(captured.out)) for c in row if c[:1] in ("=", "+", "-", "@")]


def test_stderr_shows_escapes_instead_of_obeying_them(tmp_path, capsys):
    missing = str(tmp_path / "\x1b[2Jmissing\x9b.md")
    assert main(["check", missing, "--offline", "--cache-dir", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x9b" not in err and "\u241b[2Jmissing" in err


def test_a_hostile_record_from_the_cache(env, tmp_path, capsys):
    from refcheck.resolve.cache import Cache

    cache = Cache(tmp_path / "cache")
    record = Work(title=f"Vitamin D3 {HOSTILE}", authors=(Author("Rolf", "Linda"),), year=2018, journal=f"={TERMINAL}",
                  pmid="28731372", abstract=f"Vitamin D3 lowered antibodies. {MARKUP}", source="pubmed")
    cache.put(Lookup("pubmed", "28731372", FOUND, work=record))
    cache.close()
    source = write(tmp_path, "a.md", "Vitamin D3 lowered antibodies in MS patients (PMID: 28731372).\n")
    for fmt in FORMATS:
        main(["check", source, "-f", fmt, "--offline", "--cache-dir", str(tmp_path / "cache")])
        captured = capsys.readouterr()
        assert UNSAFE.findall(captured.out + captured.err) == [], fmt
        if fmt == "html":
            assert "<script" not in captured.out and "<img" not in captured.out
        if fmt == "markdown":
            assert re.findall(r"(?<!\\)<", captured.out) == []


def test_log_lines_show_escapes_instead_of_obeying_them(tmp_path, capsys):
    import logging

    main(["check", str(tmp_path / "none.md"), "--offline", "--cache-dir", str(tmp_path / "c")])  # sets logging up
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("refcheck")
    logger.addHandler(handler)
    try:
        logger.warning("a reason a service gave: %s", "\x1b]0;owned\x07")
    finally:
        logger.removeHandler(handler)
    assert [record.getMessage() for record in records] == ["a reason a service gave: \u241b]0;owned\u2407"]
