"""Tests for refcheck.extract.claims (which sentences each citation supports; unsourced
claims) and refcheck.extract.sentences, on hand-written text and on the shared seeds,
plus the example page's realistic claims end to end against the replay server."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import replay_settings
from refcheck.extract.claims import attach_claims, unsourced_claims
from refcheck.extract import extract
from refcheck.load import load
from refcheck.pipeline import check
from refcheck.records import CONTRADICTED, NOT_SUPPORTED, Document
from refcheck.extract.sentences import sentence_spans, split_sentences

EXAMPLE_PAGE = Path(__file__).resolve().parents[1] / "examples" / "gut-brain-health.html"


def _claims(text: str):
    document = Document(source="test", text=text, format="text")
    citations = extract(document)
    claimed = attach_claims(document, citations)
    return document, citations, claimed


# --- sentences ---------------------------------------------------------------

def test_spans_point_at_verbatim_sentences_with_markers_and_headings():
    text = "Results\nVitamin D cut infections by 12%.[3] Smith et al. disagreed (p < 0.05).\n\n- A list item"
    sentences = split_sentences(text)
    assert sentences == ["Results", "Vitamin D cut infections by 12%.[3]", "Smith et al. disagreed (p < 0.05).",
                         "- A list item"]
    assert [text[s:e] for s, e in sentence_spans(text)] == sentences


def test_a_hard_wrapped_line_does_not_end_a_sentence():
    assert split_sentences("Patients who received the drug for\nsix months improved.") == [
        "Patients who received the drug for\nsix months improved."
    ]


# --- which sentences a citation supports ----------------------------------------

def test_identifier_inside_the_sentence_claims_that_sentence():
    _, citations, claimed = _claims(
        "Background text here. Metformin lowered weight in teenagers (doi:10.1000/abc123) in one trial. Next one.")
    assert [c.text for c in claimed[0]] == ["Metformin lowered weight in teenagers in one trial."]


def test_bare_citation_sentence_gives_the_claim_to_the_sentence_before():
    _, _, claimed = _claims("Zinc shortened colds by two days in adults. See doi:10.1000/xyz9.")
    assert [c.text for c in claimed[0]] == ["Zinc shortened colds by two days in adults."]


def test_several_markers_in_one_sentence_and_one_marker_for_several_sentences():
    document, citations, claimed = _claims(
        "Exercise improved fatigue [1] and sleep [2] in survivors. Walking alone helped too [1].\n\n"
        "References\n\n"
        "1. Smith J. Exercise and fatigue. J Onc. 2019. doi:10.1000/fatigue.1\n"
        "2. Jones K. Sleep after cancer. J Sleep. 2020. doi:10.1000/sleep.2\n")
    first, second = claimed
    assert [c.text for c in first] == ["Exercise improved fatigue and sleep in survivors.", "Walking alone helped too."]
    assert [c.text for c in second] == ["Exercise improved fatigue and sleep in survivors."]


def test_reference_entry_with_quoted_abstract_and_paraphrase_in_seed_000(shared_dir):
    document = load(str(shared_dir / "seeds" / "000_b49fc75c8dca2277.txt"))
    citations = extract(document)
    claimed = attach_claims(document, citations)
    stem68 = next(claims for c, claims in zip(citations, claimed) if c.id == "10.1002/stem.68")
    quotations = [c for c in stem68 if c.quotation]
    paraphrase = [c for c in stem68 if not c.quotation]
    assert len(quotations) == 1
    assert quotations[0].text.startswith("Systemic lupus erythematosus (SLE) is a multisystem autoimmune disease")
    assert paraphrase[0].text.startswith("In all of the patients, organ function improved greatly")
    # The next article's commentary ("Neurotoxic lupus autoantibodies ...") is not this work's claim.
    assert not any("neurological" in c.text for c in stem68)
    assert all(document.text[c.start:c.end].startswith(c.text[:30]) for c in stem68)


# --- unsourced claims ----------------------------------------------------------

def _unsourced(shared_dir, name):
    document = load(str(shared_dir / "seeds" / name))
    citations = extract(document)
    return unsourced_claims(document, citations, attach_claims(document, citations))


def test_seed_003_unsourced_claims_with_their_figures(shared_dir):
    found = {u.text[:45]: u.figures for u in _unsourced(shared_dir, "003_b5304200f5e1a7f4.txt")}
    assert found["In a review of HSCT outcomes in 279 SLE patie"] == ("279 SLE patients", "73%")
    assert found["Disease-free survival at 5 years after HSCT w"] == ("5 years", "29%")
    assert found["When these data were used in a long-term foll"] == ("84%", "five years")
    assert "Stem cell therapy for lupus is still mostly e" in found  # "clinical trials have shown"
    assert "Studies on hematopoietic stem cells (HSCs) an" in found
    # Headings, the patient anecdote and calls for more research are not unsourced claims.
    for not_a_claim in ("Hematopoietic Stem Cell Transplant", "Two weeks after getting MSC", "More than four years",
                        "Although initial studies and patient reports"):
        assert not any(text.startswith(not_a_claim[:45]) for text in found), not_a_claim


def test_seed_002_unsourced_claims(shared_dir):
    texts = [u.text for u in _unsourced(shared_dir, "002_a2ee7a15ff90a389.txt")]
    assert any(t.startswith("Additionally, long-term safety data indicate") for t in texts)
    assert any("have been reported in controlled trials" in t for t in texts)
    assert any(t.startswith("Mesenchymal stem cell therapy has shown encouraging results") for t in texts)
    assert not any(t.startswith(("Clinical Evidence", "Multiple clinical trials have explored",
                                 "Ongoing clinical trials and research are essential")) for t in texts)


def test_cited_sentence_is_not_unsourced():
    document, citations, claimed = _claims(
        "Studies have shown that zinc shortened colds by 33% (doi:10.1000/zinc.1). "
        "Studies have shown that vitamin C prevents 40% of colds in adults.")
    found = unsourced_claims(document, citations, claimed)
    assert [u.text for u in found] == ["Studies have shown that vitamin C prevents 40% of colds in adults."]
    assert found[0].figures == ("40%",)


# --- the example page, end to end -------------------------------------------------

@pytest.fixture(scope="module")
def example_report(replay, tmp_path_factory):
    settings = replay_settings(replay, tmp_path_factory.mktemp("cache"))
    return check(str(EXAMPLE_PAGE), settings=settings).documents[0]


def _verdict_for(report, claim_start: str):
    for checked in report.citations:
        for claim in checked.claims:
            if claim.claim.text.startswith(claim_start):
                return claim.verdict
    raise AssertionError(f"no claim starting {claim_start!r}")


def test_example_page_misquoted_trial_size_is_not_supported(example_report):
    verdict = _verdict_for(example_report, "The same trial is often quoted")
    assert verdict.verdict in (NOT_SUPPORTED, CONTRADICTED)
    assert "90" in " ".join(verdict.reasons)


def test_example_page_survival_at_highest_dose_is_contradicted(example_report):
    verdict = _verdict_for(example_report, "Titanium dioxide nanoparticles")
    assert verdict.verdict == CONTRADICTED
    assert "48%" in verdict.reasons[0] and "84.7%" in verdict.reasons[0]


def test_example_page_mouse_recipients_are_contradicted(example_report):
    verdict = _verdict_for(example_report, "Gut bacteria taken from people")
    assert verdict.verdict == CONTRADICTED
    assert "mice" in verdict.reasons[0]


def test_example_page_claims_get_the_verdict_refcheck_compare_gives(example_report):
    """The pipeline compares a run's claims in one batch; each verdict is the single comparison's."""
    import refcheck

    compared = [(claim, checked.resolution.work) for checked in example_report.citations for claim in checked.claims
                if checked.resolution.work is not None]
    assert len(compared) >= 5
    for claim, work in compared:
        assert claim.verdict == refcheck.compare(claim.claim.text, work.abstract, work.title, claim.claim.quotation)
