"""One claim, one abstract, one verdict: whichever way the claim reaches the comparison (a bare
refcheck.compare call, a document on disk, the same bytes on stdin, the CLI's JSON, a second run
answered by the verdict cache). Issue 14 found PARTIALLY_SUPPORTED from stdin and SUPPORTED from
disk for one file, and CONTRADICTED from a bare call against SUPPORTED inside a document."""
from __future__ import annotations

import io
import json
import sys

import pytest

import refcheck
from refcheck.cli import main

from helpers import replay_settings

# Recorded PubMed abstracts (../shared/fixtures/metapub/pmid_xml); claims of every kind of verdict.
PAGE = """# What the studies found

Serum SNORD55 levels were significantly higher in lung cancer patients than in healthy people (PMID: 33474827).
Ergothioneine is made by plants and animals themselves [PMID: 32051057].
The study put the prevalence of hypertrophic cardiomyopathy at about 1 in 543 (PMID 37652022).
One hundred and forty older and younger patients were recruited to the ELDERS study (PMID: 38704912).
Plants and animals do not make ergothioneine; they acquire it from soil and diet [PMID: 32051057].
"""


def _verdicts(report):
    (document,) = report.documents
    return [(checked.claim.text, checked.verdict.verdict, checked.verdict.reasons, checked.verdict.evidence)
            for item in document.citations for checked in item.claims]


# The rules alone, and refcheck's own model, which is what an unset --nli-model and
# $REFCHECK_NLI_MODEL mean (the suite's conftest sets "none": here it is taken away).
@pytest.fixture(params=["none", "default model"])
def model(request, monkeypatch):
    if request.param == "none":
        monkeypatch.setenv("REFCHECK_NLI_MODEL", "none")
    else:
        monkeypatch.delenv("REFCHECK_NLI_MODEL")
    return request.param


@pytest.fixture
def from_disk(model, replay_server, tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    settings = replay_settings(replay_server, tmp_path / "cache")
    return page, settings, _verdicts(refcheck.check(str(page), settings=settings))


def test_every_claim_is_found_and_checked(from_disk, model):
    _, _, verdicts = from_disk
    assert len(verdicts) == 5
    assert [v for _, v, _, _ in verdicts] == ["CONTRADICTED", "CONTRADICTED", "SUPPORTED", "SUPPORTED", "SUPPORTED"], verdicts
    # the rules decide the first four either way (two clashes, two claims whose figures they found);
    # the model reads the last
    model_read = ["entailment model" in " ".join(reasons) for _, _, reasons, _ in verdicts]
    assert model_read == [False, False, False, False, model != "none"], verdicts


def test_a_bare_comparison_gives_the_document_s_verdict(from_disk):
    _, settings, verdicts = from_disk
    report = refcheck.check(str(from_disk[0]), settings=settings)
    (document,) = report.documents
    for item in document.citations:
        work = item.resolution.work
        for checked in item.claims:
            bare = refcheck.compare(checked.claim.text, work.abstract, work.title, checked.claim.quotation)
            assert (bare.verdict, bare.reasons, bare.evidence) == (
                checked.verdict.verdict, checked.verdict.reasons, checked.verdict.evidence), checked.claim.text


def test_stdin_gives_the_verdicts_a_file_gives(from_disk, monkeypatch):
    _, settings, verdicts = from_disk
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGE.encode("utf-8"))))
    assert _verdicts(refcheck.check("-", settings=settings)) == verdicts


def test_a_warm_run_from_the_verdict_cache_gives_the_same_verdicts(from_disk):
    page, settings, verdicts = from_disk
    assert (settings.cache_dir and (page.parent / "cache" / "verdicts.sqlite").exists())
    assert _verdicts(refcheck.check(str(page), settings=settings)) == verdicts


def test_the_cli_reports_the_library_s_verdicts(from_disk, replay_server, monkeypatch, capsys):
    page, settings, verdicts = from_disk
    monkeypatch.setenv("REFCHECK_CROSSREF_URL", replay_server.crossref_url)
    monkeypatch.setenv("REFCHECK_EUTILS_URL", replay_server.eutils_url)
    main(["check", str(page), "--cache-dir", settings.cache_dir, "-f", "json"])
    data = json.loads(capsys.readouterr().out)
    reported = [(claim["text"], claim["verdict"]) for document in data["documents"]
                for citation in document["citations"] for claim in citation["claims"]]
    assert reported == [(text, verdict) for text, verdict, _, _ in verdicts]
