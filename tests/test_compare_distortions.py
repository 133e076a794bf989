"""Distortions a newcomer found called SUPPORTED (issue 14), against the real recorded abstracts.

The abstracts are parsed from ../shared/fixtures as the pipeline parses them; each claim is a page's
misreading of the study (or, for the last ones, a faithful reading the comparison once missed).
"""
from __future__ import annotations

import json

import pytest

import refcheck
from refcheck.records import CONTRADICTED, SUPPORTED
from refcheck.resolve.services.crossref import work_from_crossref
from refcheck.resolve.services.pubmed import parse_pubmed_xml


@pytest.fixture(scope="module")
def works(shared_dir):
    def pubmed(pmid):
        (work, _), = parse_pubmed_xml((shared_dir / "fixtures" / "metapub" / "pmid_xml" / f"{pmid}.xml").read_bytes())
        return work

    def crossref(name):
        return work_from_crossref(json.loads((shared_dir / "fixtures" / "crossref_habanero" / name).read_text())["message"])

    return {
        "snord55": pubmed("33474827"),
        "ergothioneine": pubmed("32051057"),
        "elders": pubmed("38704912"),
        "penetrance": pubmed("37652022"),
        "synuclein": crossref("works_10.1038_srep16696.json"),
        "beagles": crossref("works_10.1002_jor.1100150407.json"),
    }


# Still missed: a non-significant change named by an abbreviation and worded apart from the claim
# ("unlikely to negatively impact their HRQoL" against "quality of life dropped significantly").
# Neither the rules nor refcheck's own model catch it yet; strict, so the day it is caught the mark
# must go.
STILL_MISSED = pytest.mark.xfail(strict=True, reason="not caught yet (issue 14): see the README's model card")

# Each case is judged by the rules alone and with refcheck's own model (the default): the model
# decides only where no rule clashes, so every distortion a rule catches stays caught.
MODELS = ["none", "builtin"]

CONTRADICTED_CLAIMS = [
    ("snord55", "SNORD55 levels were significantly higher in the platelets of lung cancer patients than in healthy people."),
    ("synuclein", "The Parkinson's-linked mutants produced much higher concentrations of toxic oligomers than "
                  "normal alpha-synuclein."),
    ("ergothioneine", "Ergothioneine is made by plants and animals themselves."),
    pytest.param("elders", "Quality of life dropped significantly in older patients treated with checkpoint inhibitors.",
                 marks=STILL_MISSED),
    ("penetrance", "The study put the prevalence of hypertrophic cardiomyopathy (HCM) at 1 in 220."),
    ("beagles", "A growth hormone secretagogue increased muscle strength in older adults recovering from knee surgery."),
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("work, claim", CONTRADICTED_CLAIMS,
                         ids=["snord55", "synuclein", "ergothioneine", "elders", "penetrance", "beagles"])
def test_distortion_is_contradicted(works, work, claim, model):
    verdict = refcheck.compare(claim, works[work].abstract, works[work].title, nli_model=model)
    assert verdict.verdict == CONTRADICTED, verdict


def test_an_aim_sentence_does_not_bear_out_a_finding(works):
    # The study's aim ("investigated ... its impact on health-related quality of life") shares the
    # claim's words but finds nothing; read beside the conclusion it lent them to it, and alone the
    # model gave it 22% entailment, enough with the lexical scorer's support for SUPPORTED. With the
    # model, only finding sentences may bear a finding out (the rules alone still say SUPPORTED).
    claim = "Quality of life dropped significantly in older patients treated with checkpoint inhibitors."
    verdict = refcheck.compare(claim, works["elders"].abstract, works["elders"].title, nli_model="builtin")
    assert verdict.verdict != SUPPORTED, verdict
    assert "investigated" not in verdict.evidence[0]


@pytest.mark.parametrize("model", MODELS)
def test_a_dog_study_presented_as_people_is_caught_for_who_was_studied(works, model):
    claim = "A growth hormone secretagogue increased muscle strength in older adults recovering from knee surgery."
    verdict = refcheck.compare(claim, works["beagles"].abstract, works["beagles"].title, nli_model=model)
    reasons = " ".join(verdict.reasons)
    assert "journal" not in reasons and "published" not in reasons
    assert any(word in reasons for word in ("animal", "dog", "beagle", "canine", "nonhuman", "people")), reasons


@pytest.mark.parametrize("model", MODELS)
def test_a_count_written_in_words_is_given(works, model):
    # (the model reads figures in digits only: "One hundred and forty" is given it as "140")
    verdict = refcheck.compare("The ELDERS study recruited 140 patients.", works["elders"].abstract, works["elders"].title,
                               nli_model=model)
    assert verdict.verdict == SUPPORTED, verdict
    assert "140" in " ".join(verdict.reasons)


@pytest.mark.parametrize("model", MODELS)
def test_the_right_prevalence_is_supported(works, model):
    verdict = refcheck.compare("The study put the prevalence of hypertrophic cardiomyopathy (HCM) at about 1 in 543.",
                               works["penetrance"].abstract, works["penetrance"].title, nli_model=model)
    assert verdict.verdict == SUPPORTED, verdict


FAITHFUL = [
    ("ergothioneine", "Ergothioneine is synthesised by fungi and actinobacteria."),
    ("ergothioneine", "Plants and animals do not make ergothioneine; they acquire it from soil and diet."),
    ("synuclein", "Wild-type and mutant alpha-synuclein formed similar concentrations of oligomers."),
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("work, claim", FAITHFUL)
def test_the_faithful_reading_is_supported(works, work, claim, model):
    verdict = refcheck.compare(claim, works[work].abstract, works[work].title, nli_model=model)
    assert verdict.verdict == SUPPORTED, verdict
