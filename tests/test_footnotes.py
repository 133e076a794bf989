"""Markdown footnotes: a definition is an entry wherever it stands, the sentences carrying its
marker are its citation's claims, definitions never hide a numbered reference list, and an
undefined footnote marker is always reported - through extract/attach_claims and refcheck.check."""
from __future__ import annotations

import pytest

import refcheck
from refcheck.extract.claims import attach_claims, unsourced_claims
from refcheck.extract import dangling_markers, extract
from refcheck.records import Document
from refcheck.report import to_dict

CLAIM = "Vitamin D lowered EBV antibody levels in MS patients."
ROLF = ("Rolf L, et al. Exploring the effect of vitamin D3 supplementation on the anti-EBV antibody response "
        "in relapsing-remitting multiple sclerosis. Mult Scler. 2018. PMID: 28731372")
BROWNING = ("Browning CL, Wise JP. Titanium dioxide nanoparticles are not cytotoxic or clastogenic in human skin cells. "
            "J Environ Anal Toxicol. 2014;4(6):239. doi:10.4172/2161-0525.1000239")
REFERENCES = (
    "## References\n\n"
    "1. Rolf L, Muris AH, Mathias A, et al. Exploring the effect of vitamin D3 supplementation on the anti-EBV antibody "
    "response in relapsing-remitting multiple sclerosis. Mult Scler. 2018;24(10):1280-1287. PMID: 28731372\n"
    "2. Sadasivan S, Pond BB, Pani AK, et al. Methylphenidate exposure induces dopamine neuron loss and activation of "
    "microglia in the basal ganglia of mice. PLoS One. 2012;7(3):e33693. doi:10.1371/journal.pone.0033693\n"
)


def _claims(text: str) -> dict[str, list[str]]:
    """Claim texts by the citation's identifier (or its text for a reference without one)."""
    document = Document("page.md", text, "markdown")
    citations = extract(document)
    return {c.id or c.text: [claim.text for claim in claims] for c, claims in zip(citations, attach_claims(document, citations))}


def _checked_claims(text: str, tmp_path) -> dict[str, list[str]]:
    report = refcheck.check(Document("page.md", text, "markdown"), offline=True, cache_dir=str(tmp_path / "cache"))
    (document,) = report.documents
    return {c.citation.id or c.citation.text: [claim.claim.text for claim in c.claims] for c in document.citations}


def _dangling(text: str) -> list[tuple[str, tuple]]:
    return [(text[start:end], labels) for start, end, labels in dangling_markers(text)]


# --- 1. the sentences carrying [^1] are the claims of the citation in the [^1] definition ---------------

ONE_FOOTNOTE = {
    "no heading": f"{CLAIM}[^1]\n\n[^1]: {ROLF}\n",
    "a title": f"# T\n\n{CLAIM}[^1]\n\n[^1]: {ROLF}\n",
    "a Notes heading above the definition": f"# T\n\n{CLAIM}[^1]\n\n## Notes\n\n[^1]: {ROLF}\n",
    "a page titled Notes": f"# Notes\n\n{CLAIM}[^1]\n\n[^1]: {ROLF}\n",
    "a named footnote": f"# T\n\n{CLAIM}[^rolf]\n\n[^rolf]: {ROLF}\n",
    "the definition mid-page": f"# T\n\n{CLAIM}[^1]\n\n[^1]: {ROLF}\n\nMore about the page follows here.\n",
    "the definition's text on an indented line": f"# T\n\n{CLAIM}[^1]\n\n[^1]:\n    {ROLF}\n",
    "two footnotes": f"# T\n\n{CLAIM}[^1] Nanoparticles did not harm skin cells.[^2]\n\n[^1]: {ROLF}\n[^2]: {BROWNING}\n",
}


@pytest.mark.parametrize("text", ONE_FOOTNOTE.values(), ids=ONE_FOOTNOTE.keys())
def test_the_sentence_carrying_the_marker_is_the_claim_whatever_the_layout(text, tmp_path):
    assert _claims(text)["28731372"] == [CLAIM]
    assert _checked_claims(text, tmp_path)["28731372"] == [CLAIM]
    assert _dangling(text) == []


def test_every_sentence_carrying_the_marker_is_a_claim():
    text = f"{CLAIM}[^1] Other sentences say nothing about it. Antibody titres fell within a year.[^1]\n\n[^1]: {ROLF}\n"
    assert _claims(text)["28731372"] == [CLAIM, "Antibody titres fell within a year."]


def test_a_definition_is_neither_a_claim_nor_an_unsourced_claim():
    text = f"{CLAIM}[^1]\n\n[^1]: {ROLF}. Studies have shown that 40% of patients improved in this trial.\n"
    document = Document("page.md", text, "markdown")
    citations = extract(document)
    claimed = attach_claims(document, citations)
    assert [c.text for claims in claimed for c in claims] == [CLAIM]
    assert unsourced_claims(document, citations, claimed) == []


# --- 2. a sentence carrying its own marker never belongs to another citation ----------------------------

@pytest.mark.parametrize("heading", ["", "## Notes\n\n"], ids=["no heading", "Notes heading"])
def test_the_next_sentence_with_its_own_undefined_marker_is_not_swallowed(heading, tmp_path):
    text = f"# T\n\n{CLAIM}[^1] Titanium dioxide was tested on cells.[^2]\n\n{heading}[^1]: {ROLF}\n"
    assert _claims(text)["28731372"] == [CLAIM]
    assert _checked_claims(text, tmp_path)["28731372"] == [CLAIM]
    assert _dangling(text) == [("[^2]", (2,))]


@pytest.mark.parametrize("text", [
    f"{CLAIM}[^1] See also.[^2]\n\n[^1]: {ROLF}\n[^2]: {BROWNING}\n",
    "Exercise improved fatigue in cancer survivors [1]. See [2].\n\n" + REFERENCES,
], ids=["footnotes", "numbered"])
def test_a_bare_citation_does_not_take_the_sentence_of_another(text):
    claims = _claims(text)
    assert claims.pop("10.4172/2161-0525.1000239" if "[^2]" in text else "10.1371/journal.pone.0033693") == []
    assert list(claims.values()) == [[CLAIM if "[^1]" in text else "Exercise improved fatigue in cancer survivors."]]


def test_a_bare_citation_still_gives_the_claim_to_an_uncited_sentence_before():
    text = f"{CLAIM} See the trial.[^1]\n\n[^1]: {ROLF}\n"
    assert _claims(text)["28731372"] == [CLAIM]


# --- 3. footnote definitions anywhere never hide a later numbered reference list --------------------------

ABOVE_THE_LIST = (
    "Vitamin D lowered EBV antibody levels in MS patients [1]. Another effect was seen [7] and in [2-4].\n"
    "Stimulants are widely prescribed to children.[^smith] Nanoparticles did not harm skin cells.[^ok]\n\n"
    f"[^ok]: {BROWNING}\n\n" + REFERENCES
)
LIST_LAYOUTS = {
    "a title": "# Vitamin D\n\n" + ABOVE_THE_LIST,
    "a page titled Notes": "# Notes\n\n" + ABOVE_THE_LIST,
    "a Notes heading over the definition": "# Notes\n\n" + ABOVE_THE_LIST.replace("[^ok]: ", "## Notes\n\n[^ok]: "),
    "no References heading": ABOVE_THE_LIST.replace("## References\n\n", ""),
}


@pytest.mark.parametrize("text", LIST_LAYOUTS.values(), ids=LIST_LAYOUTS.keys())
def test_a_definition_above_a_numbered_list_keeps_the_list_and_its_markers(text, tmp_path):
    assert _dangling(text) == [("[7]", (7,)), ("[2-4]", (2, 3, 4)), ("[^smith]", ("smith",))]
    expected = {
        "10.4172/2161-0525.1000239": ["Nanoparticles did not harm skin cells."],
        "28731372": [CLAIM],
        "10.1371/journal.pone.0033693": ["Another effect was seen and in."],
    }
    assert _claims(text) == expected
    report = refcheck.check(Document("page.md", text, "markdown"), offline=True, cache_dir=str(tmp_path / "cache"))
    assert {c.citation.id: [claim.claim.text for claim in c.claims] for c in report.documents[0].citations} == expected
    (document,) = to_dict(report)["documents"]
    assert [(m["marker"], m["labels"]) for m in document["unmatched_markers"]] == [
        ("[7]", [7]), ("[2-4]", [2, 3, 4]), ("[^smith]", ["smith"])]


def test_a_footnote_marker_links_to_its_definition_and_a_bracketed_number_to_the_list():
    # The same work as footnote 1 and as entry 1: "[^1]" cites the definition, "[1]" the list entry.
    text = f"{CLAIM}[^1] Antibody titres fell in a second trial [1].\n\n[^1]: {ROLF}\n\n" + REFERENCES
    document = Document("page.md", text, "markdown")
    citations = extract(document)
    in_definition, in_list = [[claim.text for claim in claims]
                              for c, claims in zip(citations, attach_claims(document, citations)) if c.id == "28731372"]
    assert in_definition == [CLAIM]
    assert in_list == ["Antibody titres fell in a second trial."]


# --- 4. an undefined named footnote is always reported -----------------------------------------------------

SMITH = "Stimulants are widely prescribed to children.[^smith]"
SMITH_LAYOUTS = {
    "alone": f"{SMITH}\n",
    "with a title": f"# T\n\n{SMITH}\n",
    "on a page titled Notes": f"# Notes\n\n{SMITH}\n",
    "beside a defined footnote": f"{SMITH} {CLAIM}[^1]\n\n[^1]: {ROLF}\n",
    "after the definitions": f"{CLAIM}[^1]\n\n[^1]: {ROLF}\n[^2]: {BROWNING}\n\n{SMITH}\n",
    "under a Notes title with a defined one": f"# Notes\n\n{CLAIM}[^rolf] {SMITH}\n\n[^rolf]: {ROLF}\n",
    "with a reference list": f"# T\n\n{SMITH} {CLAIM} [1]\n\n" + REFERENCES,
    "with a heading-less numbered list": f"{SMITH} {CLAIM} [1]\n\n" + REFERENCES.replace("## References\n\n", ""),
    "on a page titled Notes with a list": f"# Notes\n\n{SMITH} {CLAIM} [1]\n\n" + REFERENCES,
    "with a definition and a list": f"# Notes\n\n{SMITH} {CLAIM}[^1]\n\n[^1]: {ROLF}\n\n" + REFERENCES,
}


@pytest.mark.parametrize("text", SMITH_LAYOUTS.values(), ids=SMITH_LAYOUTS.keys())
def test_an_undefined_named_footnote_is_always_dangling(text, tmp_path):
    assert _dangling(text) == [("[^smith]", ("smith",))]
    (document,) = refcheck.check(Document("page.md", text, "markdown"), offline=True, cache_dir=str(tmp_path / "cache")).documents
    assert [(m.marker, m.labels) for m in document.unmatched_markers] == [("[^smith]", ("smith",))]


def test_a_definition_in_another_case_answers_the_marker():
    assert _dangling(f"{SMITH}\n\n[^Smith]: {ROLF}\n") == []
