"""Where findings point (claim findings at the claim's line), the HTML cards' names and evidence headings,
Markdown cells with "|", and --export given more than once."""
import json
import re
from pathlib import Path

from refcheck.cli import main
from refcheck.records import (
    CONTRADICTED, NOT_FOUND, SUPPORTED, VERIFIED, CheckedCitation, CheckedClaim, Citation, Claim, ClaimVerdict,
    DocumentReport, Resolution, UnsourcedClaim, Work,
)
from refcheck.report import Report, render, source_line
from refcheck.report.sanitise import markdown_text
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "gut-brain-health.html"


def _annotation_lines(out: str, category: str) -> list[int]:
    return [int(m.group(1)) for m in re.finditer(rf"^::\w+ file=[^,]*,line=(\d+),title=refcheck {category}::", out, re.M)]


def test_claim_annotations_point_at_the_claims_line_and_citation_annotations_at_the_citations(env, capsys):
    assert main(["check", str(EXAMPLE), "-f", "github"]) == 1
    out = capsys.readouterr().out
    # The sentences are on lines 16, 19, 22 and 26; their reference entries on lines 38-40.
    assert sorted(_annotation_lines(out, "contradicted")) == [16, 19, 22, 26]
    # Short claims end in their marker ("adults.[7]"), which the HTML writes as <sup><a ...>[7]</a></sup>.
    assert sorted(_annotation_lines(out, "cannot-check")) == [29, 29, 32]
    assert _annotation_lines(out, "not-found") == [44]
    assert _annotation_lines(out, "wrong-work") == [43]


def test_a_claim_finding_carries_the_claims_offsets():
    text = "Vitamin D lowered antibodies [1].\n\n1. Smith. PMID 28731372"
    citation = Citation("pmid", "28731372", "PMID 28731372", text.index("PMID"), len(text))
    claim = Claim("Vitamin D lowered antibodies [1].", 0, 33)
    checked = CheckedCitation(citation, Resolution(NOT_FOUND, None), (CheckedClaim(claim, ClaimVerdict(CONTRADICTED)),))
    report = Report((DocumentReport("a.txt", (checked,), text=text),))
    assert [(f.category, f.start, f.end) for f in report.findings()] == [("contradicted", 0, 33), ("not-found", citation.start, citation.end)]  # in text order
    out = render(report, "github")
    assert _annotation_lines(out, "contradicted") == [1] and _annotation_lines(out, "not-found") == [3]


def test_source_line_finds_a_claim_whose_marker_is_markup_in_the_raw_file():
    # A long <head> (or a long link target) puts the same relative position on another line.
    head = "<head>\n" + "<meta name='x'>\n" * 40 + "</head>\n"
    raw = head + '<p>Intro.</p>\n<p>Other text.</p>\n<p>A trial confirmed it.<sup><a href="#r7">[7]</a></sup></p>\n<ol><li>Ref</li></ol>'
    extracted = "Intro.\n\nOther text.\n\nA trial confirmed it.[7]\n\n1. Ref"
    start = extracted.index("A trial")
    assert source_line(extracted, start, raw) == 45
    markdown = "Intro.\n\nSee the\n[paper](https://x.org/a_b" + "/c" * 200 + ") shows it.\n\nEnd.\n"
    assert source_line("Intro.\n\nSee the paper shows it.\n\nEnd.\n", 8, markdown) == 3


def _title_only_report() -> Report:
    title = "Methylphenidate exposure induces dopamine neuron loss in mice"
    text = "Methylphenidate causes neuron loss in children [1]. The vitamin trial worked [2].\n\n1. Sadasivan 2012. doi:10.1/x\n2. Rolf. PMID 1"
    first = CheckedCitation(
        Citation("doi", "10.1/x", "doi:10.1/x", text.index("doi:"), text.index("doi:") + 10),
        Resolution(VERIFIED, Work(title=title, doi="10.1/x")),
        (CheckedClaim(Claim("Methylphenidate causes neuron loss in children [1].", 0, 51),
                      ClaimVerdict(CONTRADICTED, (title,), ('claim speaks of "children"; the study was in "mice" (from the title; no abstract available)',))),),
    )
    second = CheckedCitation(
        Citation("pmid", "1", "PMID 1", text.index("PMID"), len(text)),
        Resolution(VERIFIED, Work(title="Vitamin D trial", abstract="The vitamin trial worked well.", pmid="1")),
        (CheckedClaim(Claim("The vitamin trial worked [2].", 52, 81), ClaimVerdict(SUPPORTED, ("The vitamin trial worked well.",))),),
    )
    return Report((DocumentReport("a.txt", (first, second), text=text),))


def test_html_cards_are_named_apart_from_the_documents_numbers_and_claims_link_to_them():
    html = render(_title_only_report(), "html")
    assert re.findall(r'<a class="num" href="#d1-t\d+"[^>]*>([^<]*)</a>', html) == ["C1", "C2"]
    assert not re.search(r">\[\d+\]</a>", html)  # no card or highlight is named like the document's "[1]"
    assert re.search(r'in children \[1\]\.</mark><a class="cardref tone-bad" href="#d1-c1"[^>]*>C1</a>', html)
    assert re.search(r'worked \[2\]\.</mark><a class="cardref tone-good" href="#d1-c2"[^>]*>C2</a>', html)


def test_html_evidence_from_the_title_is_headed_so():
    html = render(_title_only_report(), "html")
    first, second = html.split('id="d1-c2"')[0].split('id="d1-c1"')[1], html.split('id="d1-c2"')[1]
    assert "Evidence from the title:</div><blockquote>Methylphenidate exposure" in first
    assert "from the abstract" not in first
    assert "Evidence from the abstract:</div><blockquote>The vitamin trial worked well." in second


def test_html_unsourced_claim_links_to_its_card_once_sources_were_searched():
    report = Report((DocumentReport("a.txt", unsourced_claims=(UnsourcedClaim("Most people feel better.", 0, 24, sources_searched=True),),
                                    text="Most people feel better."),))
    html = render(report, "html")
    assert '</mark><a class="cardref tone-unsourced" href="#d1-u1" id="d1-v1"' in html
    assert '<a class="num" href="#d1-v1" title="back to the claim in the text">U1</a>' in html


def _piped_report() -> Report:
    claim = "Scores rose | fell in both groups, a sentence long enough that the table cuts it before its end."
    unsourced = ("Studies | surveys show that most people feel better after a week, a sentence longer than the hundred "
                 "and ten characters the terminal keeps.")
    text = f"{claim} [1]\n\n{unsourced}\n\n1. PMID 1"
    checked = CheckedCitation(Citation("pmid", "1", "PMID 1", text.index("PMID"), len(text)), Resolution(VERIFIED, None),
                              (CheckedClaim(Claim(claim, 0, len(claim)), ClaimVerdict(CONTRADICTED, ("a | b",))),))
    return Report((DocumentReport("a.md", (checked,), (UnsourcedClaim(unsourced, text.index("Studies"), text.index("keeps.") + 6),),
                                  text=text),))


def test_markdown_escapes_pipes_and_keeps_unsourced_claims_whole():
    out = render(_piped_report(), "markdown")
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len({line.count("|") - line.count("\\|") for line in table}) == 1  # every row has the header's cells
    assert "Scores rose \\| fell" in out and "a \\| b" in out
    unsourced = _piped_report().documents[0].unsourced_claims[0].text
    assert f"- unsourced (a.md): {markdown_text(unsourced)}" in out  # whole, escaped as everything foreign in Markdown
    terminal = render(_piped_report(), "table")
    assert "\\|" not in terminal and f"unsourced (a.md): {unsourced}" in terminal  # no Markdown escapes; whole there too


def test_export_given_twice_writes_both_files(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", "Vitamin D3 lowered anti-EBNA-1 antibodies in MS [PMID: 28731372].\n")
    bib, csl = tmp_path / "verified.bib", tmp_path / "verified.json"
    main(["check", source, "-q", "--export", "bibtex", str(bib), "--export", "csljson", str(csl)])
    assert "28731372" in bib.read_text()
    assert [item["PMID"] for item in json.loads(csl.read_text())] == ["28731372"]
    assert main(["check", source, "-q", "--export", "bibtex", str(bib), "--export", "ris", str(bib)]) == 2
    assert "--export and --export would write the same file" in capsys.readouterr().err


def test_ids_stay_unique_in_a_report_of_several_documents(tmp_path):
    import refcheck
    from refcheck.report import render

    pages = []
    for name in ("a.md", "b.md"):
        path = tmp_path / name
        path.write_text("Vitamin D cured multiple sclerosis in most patients (doi:10.1371/notarealdoi).\n", encoding="utf-8")
        pages.append(str(path))
    html = render(refcheck.check(pages, offline=True, cache_dir=str(tmp_path / "cache")), "html")
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) and "d2-c1" in ids
    assert all(target in ids for target in re.findall(r'href="#([^"]+)"', html))
