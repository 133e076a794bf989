"""Citation markers that point at no reference-list entry ("[3]" with two entries, "[^smith]" with no
definition) reach every report: JSON, table, HTML, GitHub, JUnit, --fail-on and baselines."""
import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib import resources

import pytest

import refcheck
from refcheck.cli import main
from refcheck.records import Document, UnmatchedMarker
from refcheck.report import DEFAULT_FAIL_ON, FINDING_CATEGORIES, UNMATCHED_MARKER, marker_problem, render, to_dict
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

REFERENCES = """## References

1. Rolf L, Muris AH, Mathias A, et al. Exploring the effect of vitamin D3 supplementation on the anti-EBV antibody response in relapsing-remitting multiple sclerosis. Mult Scler. 2018;24(10):1280-1287. PMID: 28731372
2. Sadasivan S, Pond BB, Pani AK, et al. Methylphenidate exposure induces dopamine neuron loss and activation of microglia in the basal ganglia of mice. PLoS One. 2012;7(3):e33693. doi:10.1371/journal.pone.0033693
"""
DANGLING = f"""# Vitamin D and antibodies

High-dose vitamin D3 reduced anti-EBNA-1 antibody levels in RRMS patients [1]. A larger trial later found the same [3].

Methylphenidate is widely prescribed to children.[^smith]

{REFERENCES}"""
# The same page with every marker pointing at an entry, and with the two markers left out.
RESOLVED = DANGLING.replace(" [3]", " [1]").replace("[^smith]", " [2]")
WITHOUT_MARKERS = DANGLING.replace(" [3]", "").replace("[^smith]", "")


def offline_report(tmp_path, text):
    return refcheck.check(Document("page.md", text, "markdown"), offline=True, cache_dir=str(tmp_path / "cache"))


def test_library_reports_the_numbered_and_the_named_marker(tmp_path):
    (document,) = offline_report(tmp_path, DANGLING).documents
    assert [(m.marker, m.labels) for m in document.unmatched_markers] == [("[3]", (3,)), ("[^smith]", ("smith",))]
    for marker in document.unmatched_markers:
        assert document.text[marker.start:marker.end] == marker.marker


def test_markers_that_all_resolve_report_none(tmp_path):
    report = offline_report(tmp_path, RESOLVED)
    assert report.documents[0].unmatched_markers == ()
    data = to_dict(report)
    assert data["documents"][0]["unmatched_markers"] == [] and data["summary"]["unmatched_markers"] == 0
    table = render(report, "table")
    assert "unmatched marker" not in table
    assert [f for f in report.findings() if f.category == UNMATCHED_MARKER] == []


def test_json_lists_the_markers_and_validates_against_the_schema(tmp_path):
    import jsonschema

    report = offline_report(tmp_path, DANGLING)
    data = json.loads(render(report, "json"))
    schema = json.loads(resources.files("refcheck").joinpath("report.schema.json").read_text())
    jsonschema.validate(data, schema)
    (document,) = data["documents"]
    assert [(m["marker"], m["labels"]) for m in document["unmatched_markers"]] == [("[3]", [3]), ("[^smith]", ["smith"])]
    first = document["unmatched_markers"][0]
    assert report.documents[0].text[first["start"]:first["end"]] == "[3]"
    assert data["summary"]["unmatched_markers"] == 2


def test_table_and_markdown_have_a_line_per_marker_and_the_count(tmp_path):
    report = offline_report(tmp_path, DANGLING)
    table = render(report, "table")
    assert "unmatched marker (page.md): [3] cites no entry in the reference list" in table
    assert "unmatched marker (page.md): [^smith] has no footnote definition" in table
    assert table.rstrip().endswith("; 2 unmatched marker(s)")
    # After the unsourced lines, which it follows in the same list.
    assert table.index("unsourced (page.md)") < table.index("unmatched marker (page.md)")
    assert "- unmatched marker (page.md): \\[3\\]" in render(report, "markdown")  # brackets escaped: no Markdown link


def test_csv_has_a_row_per_marker(tmp_path):
    rows = list(csv.DictReader(io.StringIO(render(offline_report(tmp_path, DANGLING), "csv"))))
    assert [(r["Citation"], r["Reason"]) for r in rows if r["row_type"] == "unmatched-marker"] == [
        ("[3]", "[3] cites no entry in the reference list"), ("[^smith]", "[^smith] has no footnote definition")]


@pytest.mark.parametrize("marker, expected", [
    (UnmatchedMarker(0, 3, (7,), "[7]"), "[7] cites no entry in the reference list"),
    (UnmatchedMarker(0, 5, (2, 3, 4), "[2-4]"), "[2-4] cites at least one number with no entry in the reference list"),
    (UnmatchedMarker(0, 8, ("smith",), "[^smith]"), "[^smith] has no footnote definition"),
])
def test_marker_problem_says_only_what_is_known(marker, expected):
    assert marker_problem(marker) == expected


class _Spans(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.misnested, self.markers, self.inside = [], [], [], None

    def handle_starttag(self, tag, attrs):
        if tag not in ("meta", "br"):  # void elements: no end tag
            self.stack.append(tag)
        attributes = dict(attrs)
        if "unmatched-marker" in (attributes.get("class") or "").split() and "title" in attributes:
            self.inside = [attributes["title"], ""]

    def handle_data(self, data):
        if self.inside is not None:
            self.inside[1] += data

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.misnested.append(tag)
        if tag == "span" and self.inside is not None:
            self.markers.append(tuple(self.inside))
            self.inside = None


def test_html_highlights_each_marker_with_an_explanation_and_counts_them(tmp_path):
    html = render(offline_report(tmp_path, DANGLING), "html")
    parser = _Spans()
    parser.feed(html)
    assert parser.misnested == [] and parser.stack == []
    assert parser.markers == [
        ("[3] cites no entry in the reference list", "[3]"),
        ("[^smith] has no footnote definition", "[^smith]"),
    ]
    assert "UNMATCHED MARKER</span> 2 marker(s)" in html
    assert "UNMATCHED MARKER</span>" not in render(offline_report(tmp_path, RESOLVED), "html")


def test_unmatched_marker_is_a_category_but_not_a_default_failure():
    assert UNMATCHED_MARKER in FINDING_CATEGORIES and UNMATCHED_MARKER not in DEFAULT_FAIL_ON


def test_fail_on_unmatched_marker_fails_and_the_default_exit_code_is_unchanged(env, tmp_path):
    dangling = write(tmp_path, "dangling.md", DANGLING)
    without = write(tmp_path, "without.md", WITHOUT_MARKERS)
    # 3, not 0: the replay server has no PubMed answer for the Crossref DOI, so it is only partly checked.
    assert main(["check", dangling]) == main(["check", without]) == 3
    assert main(["check", dangling, "--fail-on", "unmatched-marker"]) == 1
    assert main(["check", without, "--fail-on", "unmatched-marker"]) == 3


def test_github_and_junit_name_the_marker_and_its_line(env, tmp_path, capsys):
    source = write(tmp_path, "page.md", DANGLING)
    line = DANGLING[: DANGLING.index("[3]")].count("\n") + 1
    capsys.readouterr()
    main(["check", source, "-f", "github", "--fail-on", "unmatched-marker"])
    errors = [row for row in capsys.readouterr().out.splitlines() if row.startswith("::error")]
    assert len(errors) == 2 and "title=refcheck unmatched-marker::unmatched marker: [3] cites no entry" in errors[0]
    assert f",line={line}," in errors[0]

    main(["check", source, "-f", "junit", "--fail-on", "unmatched-marker"])
    suite = ET.fromstring(capsys.readouterr().out).find("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert cases[f"line {line}: unmatched marker [3]"].find("failure").get("type") == "unmatched-marker"
    assert "line" in next(name for name in cases if name.endswith("[^smith]"))
    # Without --fail-on the markers are listed but fail nothing.
    main(["check", source, "-f", "junit"])
    suite = ET.fromstring(capsys.readouterr().out).find("testsuite")
    assert [c.find("failure") for c in suite.findall("testcase") if "unmatched marker" in c.get("name")] == [None, None]


def test_baseline_excuses_recorded_markers_and_catches_a_new_one(env, tmp_path, capsys):
    source = write(tmp_path, "page.md", DANGLING)
    baseline = tmp_path / "baseline.json"
    strict = ["--fail-on", "unmatched-marker", "--baseline", str(baseline)]
    main(["check", source, "--write-baseline", str(baseline)])
    recorded = [f for f in json.loads(baseline.read_text())["findings"] if f["category"] == UNMATCHED_MARKER]
    assert sorted(f["subject"] for f in recorded) == ["[3]", "[^smith]"]

    # An unrelated edit moves every offset; the recorded markers stay known.
    write(tmp_path, "page.md", DANGLING.replace("# Vitamin D and antibodies\n", "# Vitamin D and antibodies\n\nAn added introduction.\n"))
    assert main(["check", source, *strict]) == 3

    # The same marker in another sentence is a new finding, and only it fails.
    write(tmp_path, "page.md", DANGLING.replace("[^smith]", "[^smith]\n\nIt is also prescribed to adults [3]."))
    capsys.readouterr()
    assert main(["check", source, *strict, "-f", "github"]) == 1
    errors = [row for row in capsys.readouterr().out.splitlines() if row.startswith("::error")]
    assert len(errors) == 1 and "[3]" in errors[0]


def test_two_identical_markers_in_different_sentences_are_two_fingerprints():
    from refcheck.records import DocumentReport
    from refcheck.report import Report

    text = "Sleep got shorter [3]. Mood got worse [3]. Mood got worse [3]."
    starts = [i for i in range(len(text)) if text.startswith("[3]", i)]
    markers = tuple(UnmatchedMarker(s, s + 3, (3,), "[3]") for s in starts)
    found = Report((DocumentReport("a.txt", text=text, unmatched_markers=markers),)).findings()
    prints = [f.fingerprint for f in found]
    assert prints[0] != prints[1]
    # The same words around the same marker are one finding seen twice (a baseline then excuses both).
    assert prints[1] == prints[2]
