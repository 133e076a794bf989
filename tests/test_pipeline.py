"""End to end against the replay server: resolve, cache, offline, exit codes."""
import json

import pytest

import refcheck
from refcheck.records import CANNOT_CHECK, NOT_FOUND, UNRESOLVED, VERIFIED, WRONG_WORK
from refcheck.report import EXIT_INCOMPLETE, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, render, to_dict

from helpers import replay_settings

PUBMED_DOI = "10.1177/1352458517722646"  # recorded in PubMed (metapub), not in Crossref
PUBMED_PMID = "28731372"
CROSSREF_DOI = "10.1371/journal.pone.0033693"  # recorded in Crossref, carries a correction notice
NOT_RECORDED_DOI = "10.5555/never-recorded-123"


def write(tmp_path, text, name="page.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(replay_server, tmp_path, text, **overrides):
    page = write(tmp_path, text)
    settings = replay_settings(replay_server, tmp_path / "cache", **overrides)
    return refcheck.check(str(page), settings=settings)


def only_citation(report):
    (document,) = report.documents
    assert len(document.citations) == 1, document.citations
    return document.citations[0]


def test_doi_resolves_through_pubmed_with_abstract(replay_server, tmp_path):
    report = run(replay_server, tmp_path, f"High-dose vitamin D3 reduced anti-EBNA-1 antibody levels in patients with multiple sclerosis (doi:{PUBMED_DOI}).")
    item = only_citation(report)
    work = item.resolution.work
    assert item.resolution.status == VERIFIED
    assert work.pmid == PUBMED_PMID and work.doi == PUBMED_DOI
    assert "EBNA-1" in work.abstract
    assert item.claims and item.claims[0].verdict.verdict != CANNOT_CHECK
    # Crossref has no recording of this DOI: the check is only partial, so exit 3, never NOT_FOUND.
    assert any("partly checked" in r for r in item.resolution.reasons)
    assert report.exit_code() == EXIT_INCOMPLETE


def test_pmid_resolves_with_metadata(replay_server, tmp_path):
    report = run(replay_server, tmp_path, f"Vitamin D3 lowered anti-EBNA-1 antibodies in relapsing-remitting MS (PMID: {PUBMED_PMID}).")
    item = only_citation(report)
    assert item.resolution.status == VERIFIED
    assert item.resolution.work.first_author() == "Rolf" and item.resolution.work.year == 2018
    assert replay_server.count("crossref") == 0


def test_crossref_record_and_correction_flag(replay_server, tmp_path):
    report = run(replay_server, tmp_path, f"Methylphenidate exposure caused dopamine neuron loss in mice (https://doi.org/{CROSSREF_DOI}).")
    item = only_citation(report)
    assert item.resolution.status == VERIFIED
    assert item.resolution.work.title.startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss")
    assert "CORRECTED" in item.resolution.flags


def test_recorded_404_is_not_found(replay_server, tmp_path):
    report = run(replay_server, tmp_path, "A study that does not exist (doi:10.1371/notarealdoi) is cited here.")
    item = only_citation(report)
    assert item.resolution.status == NOT_FOUND
    assert "404" in " ".join(item.resolution.reasons)
    assert report.exit_code() == EXIT_PROBLEM


def test_service_failure_is_unresolved_never_not_found(replay_server, tmp_path):
    report = run(replay_server, tmp_path, f"An unrecorded work (doi:{NOT_RECORDED_DOI}) is cited here.")
    item = only_citation(report)
    assert item.resolution.status == UNRESOLVED
    assert "503" in " ".join(item.resolution.reasons)
    assert report.exit_code() == EXIT_INCOMPLETE


def test_second_run_is_served_from_cache(replay_server, tmp_path):
    text = f"Vitamin D3 lowered antibodies in MS patients (PMID: {PUBMED_PMID}). Another finding (PMID: 12091962) is cited too."
    first = run(replay_server, tmp_path, text)
    assert replay_server.count() > 0
    replay_server.reset()
    second = run(replay_server, tmp_path, text)
    assert replay_server.count() == 0
    assert to_dict(first) == to_dict(second)


def test_failures_are_never_cached(replay_server, tmp_path):
    # A recorded DOI beside them, so the DOI list is answered (the replay fails a list of none it holds,
    # and a failed list is not asked again DOI by DOI) and the other two are asked on their own.
    text = (f"A recorded work (doi:10.1038/srep16696), an unrecorded work (doi:{NOT_RECORDED_DOI}) and a missing one "
            "(doi:10.1371/notarealdoi) are cited.")
    run(replay_server, tmp_path, text)
    replay_server.reset()
    report = run(replay_server, tmp_path, text)
    asked = {r.path for r in replay_server.requests}
    # The 404 is an answer and is cached; the 503s are asked again.
    assert f"/works/{NOT_RECORDED_DOI}" in asked and "/works/10.1371/notarealdoi" not in asked
    assert [c.resolution.status for c in report.documents[0].citations][1:] == [UNRESOLVED, NOT_FOUND]


def test_offline_answers_from_cache_only(replay_server, tmp_path):
    text = f"Vitamin D3 lowered antibodies in MS patients (PMID: {PUBMED_PMID}). Another work (PMID: 12091962) is cited too."
    page = write(tmp_path, f"Vitamin D3 lowered antibodies in MS patients (PMID: {PUBMED_PMID}).")
    refcheck.check(str(page), settings=replay_settings(replay_server, tmp_path / "cache"))
    replay_server.reset()
    report = run(replay_server, tmp_path, text, offline=True)
    assert replay_server.count() == 0
    statuses = {c.citation.id: c.resolution.status for c in report.documents[0].citations}
    assert statuses == {PUBMED_PMID: VERIFIED, "12091962": UNRESOLVED}


def test_wrong_work_when_doi_sits_beside_another_title(replay_server, tmp_path):
    text = (
        "References\n\n"
        "1. Smith J, Brown K. Green tea catechins and cardiovascular mortality in Japanese adults. "
        f"Circulation. 2011;124(3):255-61. doi:{CROSSREF_DOI}\n"
    )
    report = run(replay_server, tmp_path, text)
    item = only_citation(report)
    assert item.resolution.status == WRONG_WORK
    assert report.exit_code() == EXIT_PROBLEM


def test_bad_input_is_reported_and_other_documents_still_checked(replay_server, tmp_path):
    good = write(tmp_path, f"Vitamin D3 lowered anti-EBNA-1 antibodies in MS patients (PMID: {PUBMED_PMID}).", "good.txt")
    settings = replay_settings(replay_server, tmp_path / "cache")
    report = refcheck.check([str(tmp_path / "missing.txt"), str(good)], settings=settings)
    assert report.documents[0].error and "no such file" in report.documents[0].error
    assert report.documents[1].citations[0].resolution.status == VERIFIED
    assert report.exit_code() == EXIT_USAGE


def test_clean_document_exits_zero(replay_server, tmp_path):
    report = run(replay_server, tmp_path, "A page with no citations at all.\n")
    assert report.exit_code() == EXIT_OK


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv"])
def test_every_format_renders(replay_server, tmp_path, fmt):
    report = run(replay_server, tmp_path, f"Vitamin D3 lowered anti-EBNA-1 antibodies in MS patients (PMID: {PUBMED_PMID}).")
    text = render(report, fmt)
    assert PUBMED_PMID in text
    if fmt == "json":
        data = json.loads(text)
        citation = data["documents"][0]["citations"][0]
        assert set(citation) >= {"kind", "id", "text", "start", "end", "status", "flags", "work", "claims"}
        assert set(citation["work"]) >= {"title", "authors", "year", "journal", "doi", "pmid", "abstract"}
        assert set(citation["claims"][0]) >= {"text", "start", "end", "verdict", "evidence", "reasons"}
        assert "unsourced_claims" in data["documents"][0] and "summary" in data
