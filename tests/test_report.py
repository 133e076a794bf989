"""Machine outputs: JSON schema and determinism, GitHub annotations, JUnit XML, --fail-on, config, terminal table."""
import json
import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from refcheck.cli import main
from refcheck.records import (
    CONTRADICTED, NOT_FOUND, SUPPORTED, UNRESOLVED, VERIFIED, CheckedCitation, CheckedClaim, Citation, Claim, ClaimVerdict,
    DocumentReport, Resolution,
)
from refcheck.report import DEFAULT_FAIL_ON, RenderOptions, Report, render, source_line
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

PMID = "28731372"
DOI = "10.1371/journal.pone.0033693"


MARKDOWN = f"""# Vitamin D and antibodies

Some [context](https://example.org/intro) first.

In a randomized controlled trial, high-dose vitamin D3 reduced anti-EBNA-1 antibody levels in RRMS patients [PMID: {PMID}].

A later study was said to have shown the same thing ([the paper](https://doi.org/10.1371/notarealdoi)).
"""


def line_of(text, needle):
    return text[: text.index(needle)].count("\n") + 1


def test_json_validates_against_the_schema_and_is_byte_identical_on_rerun(env, tmp_path, capsys):
    import jsonschema

    source = write(tmp_path, "notes.md", MARKDOWN)
    main(["check", source, "-f", "json"])
    first = capsys.readouterr().out
    main(["check", source, "-f", "json"])  # now answered from the cache
    second = capsys.readouterr().out
    assert first == second
    schema = json.loads(resources.files("refcheck").joinpath("report.schema.json").read_text())
    data = json.loads(first)
    jsonschema.validate(data, schema)
    assert data["schema_version"] == 1
    broken = dict(data, schema_version="1")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_github_annotations_point_at_the_citation_lines_in_the_markdown_source(env, tmp_path, capsys):
    source = write(tmp_path, "notes.md", MARKDOWN)
    assert main(["check", source, "-f", "github"]) == 1
    out = capsys.readouterr().out
    errors = [line for line in out.splitlines() if line.startswith("::error")]
    assert len(errors) == 1 and "not-found" in errors[0]
    assert f"file={source.replace(':', '%3A')},line={line_of(MARKDOWN, 'notarealdoi')}," in errors[0]
    assert out.splitlines()[-1].startswith("::notice title=refcheck::")


def test_source_line_maps_extracted_offsets_through_html_markup():
    raw = "<html>\n<body>\n<p>First <b>para</b>.</p>\n<p>See the\n  <a href='x'>Smith   et al.</a> paper and Smith et al. again</p>\n</body>"
    extracted = "First para.\n\nSee the Smith et al. paper and Smith et al. again"
    first = extracted.index("Smith")
    second = extracted.index("Smith", first + 1)
    assert source_line(extracted, first, raw) == 5
    assert source_line(extracted, second, raw) == 5
    assert source_line(extracted, 0, raw) == 3
    assert source_line("a\nb\nc", 4) == 3  # plain text: the offsets are the file's


def _report(status, verdict, flags=()):
    citation = Citation("pmid", PMID, f"PMID {PMID}", 10, 24)
    claim = CheckedClaim(Claim("Vitamin D lowered antibodies.", 0, 30), ClaimVerdict(verdict))
    return Report((DocumentReport("a.md", (CheckedCitation(citation, Resolution(status, None, flags), (claim,)),), text="x" * 40),))


@pytest.mark.parametrize(
    "status, verdict, flags, expected",
    [
        (VERIFIED, SUPPORTED, (), 0),
        (VERIFIED, CONTRADICTED, (), 1),
        (NOT_FOUND, SUPPORTED, (), 1),
        (VERIFIED, SUPPORTED, ("RETRACTED",), 1),
        (VERIFIED, SUPPORTED, ("CORRECTED",), 0),
        (UNRESOLVED, SUPPORTED, (), 3),
    ],
)
def test_default_fail_on_is_the_documented_exit_rule(status, verdict, flags, expected):
    assert _report(status, verdict, flags).exit_code() == expected


def test_fail_on_narrows_and_widens_what_fails():
    report = _report(NOT_FOUND, CONTRADICTED)
    assert report.exit_code(frozenset({"contradicted"})) == 1
    assert [f.category for f in report.failing(frozenset({"contradicted"}))] == ["contradicted"]
    assert report.exit_code(frozenset({"retracted"})) == 0
    assert _report(UNRESOLVED, SUPPORTED).exit_code(frozenset({"unresolved"})) == 1
    assert "not-found" in DEFAULT_FAIL_ON and "unresolved" not in DEFAULT_FAIL_ON


def test_fail_on_flag_and_unknown_kind(env, tmp_path, capsys):
    source = write(tmp_path, "notes.md", MARKDOWN)
    assert main(["check", source, "--fail-on", "contradicted"]) == 0
    assert main(["check", source, "--fail-on", "not-found"]) == 1
    assert main(["check", source, "--fail-on", "not-fuond"]) == 2
    assert "unknown kind(s) not-fuond" in capsys.readouterr().err


def test_junit_xml_parses_with_one_testcase_per_citation(env, tmp_path, capsys):
    source = write(tmp_path, "notes.md", MARKDOWN)
    main(["check", source, "-f", "junit"])
    root = ET.fromstring(capsys.readouterr().out)
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [f"1: {PMID}", "2: 10.1371/notarealdoi"]
    assert cases[0].find("failure") is None
    assert cases[1].find("failure").get("type") == "not-found"
    assert (suite.get("tests"), suite.get("failures"), root.get("failures")) == ("2", "1", "1")


def test_config_in_pyproject_sets_defaults_and_flags_win(env, tmp_path, capsys):
    source = write(tmp_path, "notes.md", MARKDOWN)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.refcheck]\nformat = "json"\nfail-on = ["contradicted"]\n')
    assert main(["check", source]) == 0
    assert json.loads(capsys.readouterr().out)["exit_code"] == 0
    assert main(["check", source, "-f", "csv", "--fail-on", "not-found"]) == 1
    assert capsys.readouterr().out.startswith("source,Citation")


def test_bad_config_is_a_one_line_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refcheck.toml").write_text('formt = "json"\n')
    assert main(["check", "x.md"]) == 2
    assert "unknown refcheck setting 'formt'" in capsys.readouterr().err


def test_terminal_table_fits_the_width_and_colours_only_when_asked():
    report = _report(VERIFIED, CONTRADICTED)
    wide = render(report, "table", RenderOptions(width=200))
    narrow = render(report, "table", RenderOptions(width=90))
    assert "Resolved to" in wide and "Resolved to" not in narrow
    assert max(len(line) for line in narrow.splitlines()) <= 90
    assert "\x1b[" not in wide
    coloured = render(report, "table", RenderOptions(width=200, colour=True))
    assert "\x1b[31mCONTRADICTED\x1b[0m" in coloured


def test_piped_output_has_no_colour_and_no_progress(env, tmp_path):
    import os
    import subprocess
    import sys

    source = write(tmp_path, "notes.md", MARKDOWN.split("\n\nA later")[0])  # only recorded lookups: no slow retries
    result = subprocess.run([sys.executable, "-m", "refcheck", "check", source], capture_output=True, text=True, env=dict(os.environ))
    assert "\x1b[" not in result.stdout + result.stderr
    assert result.stderr == ""


CSV_PAGE = """<html><body>
<p>Methylphenidate caused dopamine neuron loss and activated microglia in the basal ganglia of mice
(<a href="https://doi.org/10.1371/journal.pone.0033693">Sadasivan et al. 2012</a>).</p>
</body></html>
"""


def _csv_rows(text):
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def test_csv_keeps_every_value_whole_and_lists_unreadable_documents(env, tmp_path, capsys):
    source = write(tmp_path, "page.html", CSV_PAGE)
    missing = str(tmp_path / "missing.html")
    main(["check", source, missing, "-f", "csv"])
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "source,Citation,Identifier,Status,Status reason,Resolved to,Claim,Verdict,Evidence,Reason,row_type"
    assert "\u2026" not in out
    citation, error = _csv_rows(out)
    assert citation["Citation"] == "https://doi.org/10.1371/journal.pone.0033693"
    assert citation["Resolved to"].startswith(
        "Sadasivan 2012. Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal Ganglia of Mice")
    assert citation["Claim"].startswith("Methylphenidate caused dopamine neuron loss") and citation["Claim"].endswith("of mice.")
    assert citation["row_type"] == "citation"
    assert error == dict.fromkeys(citation, "") | {"source": missing, "Reason": f"{missing}: no such file", "row_type": "error"}


def test_csv_has_a_row_for_every_unsourced_claim_and_unmatched_marker():
    from refcheck.records import SourceSuggestion, UnmatchedMarker, UnsourcedClaim

    text = "About 40% of adults in the country take a vitamin D supplement every single day of the year. Trials agree [7]."
    suggestion = SourceSuggestion(pmid="123", doi=None, title="Vitamin D supplement use among adults: a national survey of " + "x" * 120,
                                  year=2019, score=0.8, reason="")
    claim = UnsourcedClaim(text=text[:92], start=0, end=92, figures=("40%",), suggestions=(suggestion,), sources_searched=True)
    marker = UnmatchedMarker(start=text.index("[7]"), end=text.index("[7]") + 3, labels=(7,), marker="[7]")
    report = Report((DocumentReport("a.txt", unsourced_claims=(claim,), unmatched_markers=(marker,), text=text),))
    unsourced, unmatched = _csv_rows(render(report, "csv"))
    assert (unsourced["row_type"], unsourced["Claim"]) == ("unsourced", claim.text)
    assert unsourced["Reason"] == f"figures: 40%; suggestion, not verified: PMID 123 (2019) {suggestion.title} (match 0.80)"
    assert (unmatched["row_type"], unmatched["Citation"], unmatched["Claim"]) == ("unmatched-marker", "[7]", "Trials agree [7].")
    assert unmatched["Reason"] == "[7] cites no entry in the reference list"
