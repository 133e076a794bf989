"""The text each citation is cited for: a "Notes" heading over prose is body text, identifiers in
different sentences are different works, link text that is part of the sentence stays in the claim,
a citation span closes the bracket it opens, and a sentence split by its citations gives each its clause."""
from __future__ import annotations

from pathlib import Path

from helpers import replay_settings
from refcheck.extract.claims import attach_claims
from refcheck.extract import extract
from refcheck.extract.references import reference_section_start
from refcheck.load import load
from refcheck.pipeline import check
from refcheck.records import METADATA_MISMATCH, Document

CORPUS = Path(__file__).resolve().parent / "corpus"

NOTES_PROSE = (
    "# Notes\n\n"
    "Methylphenidate caused dopamine neuron loss in mice (doi:10.1371/journal.pone.0033693). "
    "Titanium dioxide nanoparticles were not cytotoxic to human skin cells (PMID: 26568896).\n"
)


def _claims_by_citation(document: Document) -> dict[str, list[str]]:
    citations = extract(document)
    return {c.text: [claim.text for claim in claims] for c, claims in zip(citations, attach_claims(document, citations))}


def _claims_of(path: Path) -> dict[str, list[str]]:
    return _claims_by_citation(load(str(path)))


def _text_claims(text: str) -> dict[str, list[str]]:
    return _claims_by_citation(Document(source="test", text=text, format="markdown"))


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


# --- a reference-like heading over prose -------------------------------------------------------

def test_a_notes_heading_over_prose_is_body_text_and_each_identifier_gets_its_sentence():
    assert reference_section_start(NOTES_PROSE) is None
    listed = "Coffee helps some people sleep less.\n\n## Sources\n\nSleep study. doi:10.1371/journal.pone.0033693\n\nPMID: 26568896\n"
    assert reference_section_start(listed) == listed.index("## Sources") + len("## Sources")  # bare identifiers: a list
    assert _text_claims(NOTES_PROSE) == {
        "doi:10.1371/journal.pone.0033693": ["Methylphenidate caused dopamine neuron loss in mice."],
        "PMID: 26568896": ["Titanium dioxide nanoparticles were not cytotoxic to human skin cells."],
    }


def test_a_notes_heading_over_an_intro_line_and_a_cited_sentence_is_body_text():
    text = ("## Notes\n\nIn this post: sleep and screens.\n\n"
            "Methylphenidate caused dopamine neuron loss in mice (doi:10.1371/journal.pone.0033693).\n")
    assert reference_section_start(text) is None
    assert _text_claims(text) == {"doi:10.1371/journal.pone.0033693": ["Methylphenidate caused dopamine neuron loss in mice."]}


def test_identifiers_in_different_sentences_of_one_list_paragraph_are_two_works():
    text = ("Intro text.\n\n## Sources\n\nSee also: doi:10.1000/aaa\n\n"
            "Methylphenidate caused dopamine neuron loss in mice (doi:10.1371/journal.pone.0033693). "
            "Titanium dioxide nanoparticles were not cytotoxic to human skin cells (PMID: 26568896).\n")
    citations = extract(Document(source="test", text=text, format="markdown"))
    assert [[str(i) for i in c.identifiers] for c in citations] == [
        ["doi:10.1000/aaa"], ["doi:10.1371/journal.pone.0033693"], ["pmid:26568896"]]


def test_a_notes_page_of_prose_reports_no_identifier_disagreement(tmp_path, replay_server):
    source = _write(tmp_path, "notes.md", NOTES_PROSE)
    report = check(str(source), settings=replay_settings(replay_server, tmp_path / "cache"))
    checked = report.documents[0].citations
    assert [c.citation.text for c in checked] == ["doi:10.1371/journal.pone.0033693", "PMID: 26568896"]
    assert all(c.resolution.status != METADATA_MISMATCH for c in checked)
    assert [len(c.claims) for c in checked] == [1, 1]


# --- link text ---------------------------------------------------------------------------------

def test_link_text_in_the_sentence_stays_in_the_claim():
    claims = _claims_of(CORPUS / "markdown_notes.md")
    expected = ("A review of mercury pollution in China links emissions to policy, "
                "and the indoor chemistry review is on PubMed and PMC.")
    assert claims["https://doi.org/10.1039/d2em00039c"] == [expected]
    assert claims["PubMed and PMC"] == [expected]


def test_html_link_text_stays_in_the_claim(tmp_path):
    page = _write(tmp_path, "page.html", (
        '<html><body><p>A <a href="https://doi.org/10.1371/journal.pone.0033693">study in mice</a> found that '
        'methylphenidate caused dopamine neuron loss.</p>\n'
        '<p>According to <a href="https://pubmed.ncbi.nlm.nih.gov/26568896/">research on human skin cells</a>, '
        'titanium dioxide nanoparticles were not cytotoxic.</p>\n'
        '<p>Gut bacteria from patients with social anxiety disorder heightened social fear '
        '<a href="https://pubmed.ncbi.nlm.nih.gov/38147649/">in mice that received them</a>.</p></body></html>'))
    assert list(_claims_of(page).values()) == [
        ["A study in mice found that methylphenidate caused dopamine neuron loss."],
        ["According to research on human skin cells, titanium dioxide nanoparticles were not cytotoxic."],
        ["Gut bacteria from patients with social anxiety disorder heightened social fear in mice that received them."],
    ]


def test_link_text_that_is_only_a_label_is_cut_and_a_navigation_link_makes_no_claim(tmp_path):
    page = _write(tmp_path, "labels.html", (
        '<html><body><p>Iron taken every other day is absorbed better than daily doses '
        '<a href="https://pubmed.ncbi.nlm.nih.gov/26568896/">[4]</a>.</p>\n'
        '<p>Methylphenidate caused dopamine neuron loss in mice '
        '(<a href="https://doi.org/10.1371/journal.pone.0033693">source</a>).</p>\n'
        '<p>Vitamin D3 lowered antibody levels in multiple sclerosis '
        '<a href="https://pubmed.ncbi.nlm.nih.gov/28731372/">PMID: 28731372</a>.</p>\n'
        '<p>A <a href="https://doi.org/10.1039/d2em00039c">review of mercury pollution</a> links emissions to policy.</p>\n'
        '<p><a href="https://pubmed.ncbi.nlm.nih.gov/31712796/">Read the study</a> | '
        '<a href="https://example.org/share">Share</a></p></body></html>'))
    assert list(_claims_of(page).values()) == [
        ["Iron taken every other day is absorbed better than daily doses."],
        ["Methylphenidate caused dopamine neuron loss in mice."],
        ["Vitamin D3 lowered antibody levels in multiple sclerosis."],
        ["A review of mercury pollution links emissions to policy."],
        [],
    ]


# --- brackets ----------------------------------------------------------------------------------

def test_a_doi_with_a_bracketed_pmid_takes_the_closing_bracket():
    claims = _claims_of(CORPUS / "markdown_notes.md")
    assert claims["doi:10.1039/d1em00553g (PMID: 35699396)"] == [
        "The same paper on bottled water was also cited as in a newsletter."]
    footnotes = extract(load(str(CORPUS / "markdown_footnotes.md")))
    assert "10.1073/pnas.1418490112 (PMID: 25535358)" in [c.text for c in footnotes]


# --- one sentence, several citations -----------------------------------------------------------

def test_a_sentence_split_by_its_citations_gives_each_its_clause():
    claims = _claims_of(CORPUS / "text_wrapped.txt")
    wang = next(v for k, v in claims.items() if k.startswith("Wang, Y."))
    ren = claims["10.1111/1759-7714.13823"]
    assert wang == ["Cancer cells can burn fatty acids to resist apoptosis"]
    assert ren == ["platelets carry RNA that may reveal a tumour early."]
    # A narrative citation keeps its names in the sentence; only the year in brackets is the label.
    nakanishi = next(v for k, v in claims.items() if k.startswith("Nakanishi"))
    assert nakanishi == ["Left\natrial appendage management was reviewed by Nakanishi and Ueda"]


def test_numbered_markers_split_a_sentence_into_clauses():
    text = ("Fasting reduced blood pressure in adults [1], and exercise increased insulin sensitivity in mice [2].\n\n"
            "References\n\n1. Smith J. Fasting and blood pressure. J Hypertens. 2010;28:1-9.\n"
            "2. Lee K. Exercise and insulin in mice. Diabetes. 2012;61:10-19.\n")
    assert list(_text_claims(text).values()) == [
        ["Fasting reduced blood pressure in adults"],
        ["exercise increased insulin sensitivity in mice."],
    ]
    # Markers together at the end: the whole sentence goes to each.
    together = text.replace(" [1], and", ", and").replace(" [2].", " [1, 2].")
    whole = "Fasting reduced blood pressure in adults, and exercise increased insulin sensitivity in mice."
    assert list(_text_claims(together).values()) == [[whole], [whole]]


def test_a_citation_inside_a_clause_does_not_split_the_sentence():
    text = "A press release, PMID: 26568896, is kept with a warning; the paper at doi:10.1371/journal.pone.0033693 is fine.\n"
    whole = "A press release, is kept with a warning; the paper at is fine."
    assert list(_text_claims(text).values()) == [[whole], [whole]]
