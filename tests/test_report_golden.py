"""Exact output of every format for one fixed report (tests/golden_report.py): a long reason, a narrow terminal,
a partly checked citation, an unresolved one, an unsourced claim and an unmatched marker.

The expected files live in tests/golden/. After a deliberate change to a format, rewrite them with
REFCHECK_WRITE_GOLDEN=1 python -m pytest tests/test_report_golden.py, and read the diff before committing.
"""
import os
from pathlib import Path

import pytest

from golden_report import golden_report
from refcheck.report import RenderOptions, render
from refcheck.report.baseline import Baseline
from refcheck.report.rendering import job_summary

GOLDEN = Path(__file__).parent / "golden"
RAW = golden_report().documents[0].text  # the file as given is the extracted text here: line numbers are exact
SOURCE_TEXTS = {"articles/vitamin-d.md": RAW}

CASES = {
    "table.txt": ("table", RenderOptions()),
    "table-60-columns.txt": ("table", RenderOptions(width=60)),
    "table-160-columns-colour.txt": ("table", RenderOptions(width=160, colour=True)),
    "markdown.md": ("markdown", RenderOptions()),
    "report.json": ("json", RenderOptions()),
    "report.csv": ("csv", RenderOptions()),
    "report.html": ("html", RenderOptions()),
    "github.txt": ("github", RenderOptions(source_texts=SOURCE_TEXTS)),
    "junit.xml": ("junit", RenderOptions(source_texts=SOURCE_TEXTS)),
    "findings.txt": ("findings", RenderOptions(source_texts=SOURCE_TEXTS)),
    "findings-unresolved-warn.txt": ("findings", RenderOptions(source_texts=SOURCE_TEXTS, unresolved="warn")),
}


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("REFCHECK_WRITE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} missing: write it with REFCHECK_WRITE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CASES)
def test_every_format_gives_exactly_the_expected_text(name):
    fmt, options = CASES[name]
    check_golden(name, render(golden_report(), fmt, options))


def test_the_job_summary_lists_what_the_baseline_does_not_excuse():
    report = golden_report()
    excused = [f for f in report.findings() if f.category == "not-found"]
    baseline = Baseline(counts={f.fingerprint: 1 for f in excused}, directory=None)
    check_golden("job-summary.md", job_summary(report, RenderOptions(source_texts=SOURCE_TEXTS, baseline=baseline, unresolved="warn")))


def test_a_narrow_terminal_gets_no_line_wider_than_itself():
    for width in (60, 80, 100):
        text = render(golden_report(), "table", RenderOptions(width=width))
        assert max(len(line) for line in text.splitlines()) <= width, width


def test_the_long_reason_is_whole_in_every_text_format():
    from golden_report import LONG_REASON

    for fmt in ("table", "markdown", "csv", "json", "html", "github", "findings"):
        text = " ".join(render(golden_report(), fmt).split())
        if fmt == "github":
            text = text.replace("%25", "%")
        assert " ".join(LONG_REASON.split()) in text, fmt
    narrow = " ".join(render(golden_report(), "table", RenderOptions(width=60)).split())
    assert " ".join(LONG_REASON.split()) in narrow  # wrapped at spaces only: joined again, the same words


def _export_entries():
    """The golden report's records as a document exports them (keys made from the record), and the Rolf record as
    a BibTeX entry of the user's exports it (their key, their journal, their braces and their shortened author list)."""
    from golden_report import ROLF
    from refcheck.report.export import ExportEntry, document_entries

    made, left_out = document_entries(golden_report())
    users = ExportEntry(ROLF, key="Rolf:2018-EBV", journal="Mult. Scler.", protected=("EBV", "D3"),
                        bibtex_kept={"author": r"Rolf, Linda and M{\"u}ris, Anne-Hilde and others", "title": ROLF.title.replace("EBV", "{EBV}")})
    return [users, *made], left_out


@pytest.mark.parametrize("fmt, name", [("bibtex", "export.bib"), ("csljson", "export.json"), ("ris", "export.ris")])
def test_every_export_format_gives_exactly_the_expected_text(fmt, name):
    from refcheck.report.export import export

    entries, _ = _export_entries()
    check_golden(name, export(entries, fmt))


def test_the_citations_left_out_of_an_export_are_named_with_the_reason():
    _, left_out = _export_entries()
    assert left_out == [
        "articles/vitamin-d.md: C3 10.1371/notarealdoi: NOT_FOUND, no record was found for it",
        "articles/vitamin-d.md: C5 10.5555/never-recorded-1: UNRESOLVED, no record was found for it",
    ]
