"""Metadata comparison, the Crossref/PubMed cross-check, and reference matching without identifiers."""
import dataclasses
import json

import pytest

from refcheck.resolve.cache import Cache
from refcheck.metadata import best_candidate, compare_metadata, validate_candidate
from refcheck.records import (
    FOUND, METADATA_MISMATCH, NOT_FOUND, UNRESOLVED, VERIFIED, WRONG_WORK, Author, Citation, CitedMetadata, Identifier,
    Lookup, Work,
)
from refcheck.resolve import Resolver
from refcheck.resolve import judge as judge_module
from refcheck.resolve.judge import Lookups, judge, judge_all
from refcheck.resolve.services.crossref import works_from_list

from helpers import replay_settings

ROLF = Work(
    title="High-dose vitamin D3 reduces anti-EBNA-1 antibodies in multiple sclerosis",
    authors=(Author("Rolf", "L"), Author("Muris", "AH")),
    year=2018, journal="Multiple Sclerosis", volume="24", issue="10", page="1280-1287",
    doi="10.1177/1352458517722646", pmid="28731372", source="pubmed",
)


def cited(**fields) -> CitedMetadata:
    values = dict(title=ROLF.title, authors=("Rolf",), year=2018, volume="24", first_page="1280")
    values.update(fields)
    return CitedMetadata(**values)


def test_matching_metadata_is_verified():
    assert compare_metadata(cited(), ROLF) == (VERIFIED, ())


def test_misspelt_author_is_a_mismatch_not_a_different_work():
    status, reasons = compare_metadata(cited(authors=("Rolff",)), ROLF)
    assert status == METADATA_MISMATCH
    assert any("Rolff" in r for r in reasons)


def test_wrong_year_is_a_mismatch():
    status, reasons = compare_metadata(cited(year=2014), ROLF)
    assert status == METADATA_MISMATCH
    assert reasons == ("year differs: cited 2014, recorded 2018",)


def test_a_different_title_and_authors_is_the_wrong_work():
    status, reasons = compare_metadata(cited(title="Deep learning for protein folding at scale", authors=("Smith",)), ROLF)
    assert status == WRONG_WORK
    assert any("Smith" in r for r in reasons)


def doi_citation(doi: str, pmid: str | None = None) -> Citation:
    identifiers = (Identifier("doi", doi),) + ((Identifier("pmid", pmid),) if pmid else ())
    return Citation("doi", doi, doi, 0, 1, identifiers)


def test_crossref_and_pubmed_disagreeing_is_said():
    crossref_work = Work(title="A completely different paper about soil bacteria", doi="10.1/x", source="crossref")
    pubmed_work = Work(title=ROLF.title, doi="10.1/y", pmid="1", source="pubmed")
    lookups = Lookups(
        crossref={"10.1/x": Lookup("crossref", "10.1/x", FOUND, work=crossref_work)},
        doi_links={"10.1/x": Lookup("pubmed-doi", "10.1/x", "not_found")},
        pmcid_links={},
        pubmed={"1": Lookup("pubmed", "1", FOUND, work=pubmed_work)},
        references={},
    )
    resolution = judge(doi_citation("10.1/x", pmid="1"), lookups)
    assert resolution.status == METADATA_MISMATCH
    assert any("identifiers disagree" in r for r in resolution.reasons)


def test_citations_that_differ_only_in_where_they_stand_are_judged_once(monkeypatch):
    lookups = Lookups(crossref={}, doi_links={}, pmcid_links={}, pubmed={"28731372": Lookup("pubmed", "28731372", FOUND, work=ROLF)},
                      references={})
    here = Citation("pmid", "28731372", "PMID 28731372", 10, 23, (Identifier("pmid", "28731372"),), cited(year=2014))
    elsewhere = dataclasses.replace(here, text="PMID: 28731372", start=900, end=914)
    other_metadata = dataclasses.replace(here, cited=cited())
    judged = []
    monkeypatch.setattr(judge_module, "judge", lambda citation, lookups: judged.append(citation) or judge(citation, lookups))
    resolutions = judge_all([here, elsewhere, other_metadata, here], lookups)
    assert judged == [here, other_metadata]
    assert [r.status for r in resolutions] == [METADATA_MISMATCH, METADATA_MISMATCH, VERIFIED, METADATA_MISMATCH]
    # The key judge_all uses is every field but the place: a new Citation field must be added to it.
    assert {f.name for f in dataclasses.fields(Citation)} == {"kind", "id", "identifiers", "cited", "hints", "text", "start", "end"}


def test_failed_retraction_source_is_reported_as_unknown():
    lookups = Lookups(
        crossref={"10.1/x": Lookup("crossref", "10.1/x", "failed", reason="Crossref: HTTP 503")},
        doi_links={"10.1/x": Lookup("pubmed-doi", "10.1/x", FOUND, related=(Identifier("pmid", "1"),))},
        pmcid_links={},
        pubmed={"1": Lookup("pubmed", "1", FOUND, work=ROLF)},
        references={},
    )
    resolution = judge(doi_citation("10.1/x"), lookups)
    assert resolution.status == VERIFIED and resolution.flags == ()
    assert any(r.startswith("partly checked") and "retraction" in r for r in resolution.reasons)


@pytest.fixture(scope="module")
def ecology_items(shared_dir):
    document = json.loads((shared_dir / "fixtures/crossref_habanero/works_query_ecology_rows_2.json").read_text())
    return works_from_list(document["message"])


def test_search_candidate_accepted_only_with_enough_agreeing_fields(ecology_items):
    communicating, chemical = ecology_items  # "Communicating Ecology" (no authors), "Chemical Ecology" (Kessler, 2012)
    reference = CitedMetadata(title="Chemical ecology", authors=("Kessler",), year=2012, journal="Ecology")
    accepted, score, agreeing = validate_candidate(reference, chemical)
    assert accepted and agreeing == ("title", "first author", "year") and score == 1.0
    assert best_candidate(reference, ecology_items)[0] is chemical
    # Title and year alone are too little evidence to accept a match.
    accepted, _, agreeing = validate_candidate(CitedMetadata(title="Communicating ecology", year=2022), communicating)
    assert agreeing == ("title", "year") and not accepted
    # The right title with a year far off is no match: another edition, or a fabrication.
    accepted, _, agreeing = validate_candidate(CitedMetadata(title="Chemical ecology", authors=("Kessler",), year=2003, volume="12"), chemical)
    assert not accepted


def test_no_candidate_agreeing_is_a_valid_no_match(ecology_items):
    reference = CitedMetadata(title="Vitamin D and multiple sclerosis relapses", authors=("Rolf",), year=2018, volume="24")
    work, score, agreeing = best_candidate(reference, ecology_items)
    assert work is None and agreeing == () and score < 0.5


def test_unrecorded_reference_search_is_unresolved_never_not_found(replay_server, tmp_path):
    reference = Citation("reference", None, "Rolf L et al. 2018", 0, 1, cited=CitedMetadata(
        title="Vitamin D3 supplementation and EBNA-1 antibodies", authors=("Rolf",), year=2018, journal="Mult Scler", volume="24", first_page="1280"))
    resolver = Resolver(replay_settings(replay_server, tmp_path), Cache(tmp_path))
    try:
        (resolution,) = resolver.resolve([reference])
    finally:
        resolver.close()
    assert resolution.status == UNRESOLVED
    assert resolution.status != NOT_FOUND
    assert "503" in " ".join(resolution.reasons)
    assert replay_server.count() >= 2  # ECitMatch and a Crossref search were both tried


def test_each_lookup_is_logged_for_verbose_runs(replay_server, tmp_path, caplog):
    doi = Citation("doi", "10.1371/notarealdoi", "doi:10.1371/notarealdoi", 0, 1,
                   identifiers=(Identifier("doi", "10.1371/notarealdoi"),))
    for _ in range(2):  # asked, then answered from the cache
        resolver = Resolver(replay_settings(replay_server, tmp_path), Cache(tmp_path))
        try:
            with caplog.at_level("DEBUG", logger="refcheck"):
                resolver.resolve([doi])
        finally:
            resolver.close()
    lines = [record.getMessage() for record in caplog.records]
    assert "crossref 10.1371/notarealdoi: not_found (Crossref has no record of this DOI (HTTP 404))" in lines
    assert any(line.startswith("crossref 10.1371/notarealdoi: not_found from the cache") for line in lines)


@pytest.mark.parametrize("timeout", [0, -5, float("nan"), float("inf"), 1e308])
def test_a_timeout_that_could_hang_or_never_wait_is_refused_from_python_too(timeout):
    import refcheck

    with pytest.raises(ValueError, match="seconds above 0"):
        refcheck.check("examples/gut-brain-health.html", timeout=timeout, offline=True)
