"""--suggest-sources: PubMed search terms from an unsourced claim, ranking of the candidates, and the whole
path against the replay server (its free-text esearch over the recorded articles)."""
import csv
import json
import xml.etree.ElementTree as ET
from importlib import resources

import pytest
import requests

import refcheck
from helpers import replay_settings
from refcheck.cli import main
from refcheck.records import ABSENT, FAILED, FOUND, Identifier, Lookup, UnsourcedClaim, Work
from refcheck.report import render
from refcheck.suggest import MIN_SCORE, find_sources, rank, search_terms, search_words, suggested
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

# A recorded article (metapub/pmid_xml/INDEX.tsv) and an unsourced claim written from its abstract's words.
PMID = "23657305"
CLAIM = ("Studies have shown that alcoholic liver disease patients with a hemochromatosis gene mutation "
         "have a 17 times higher risk of excessive liver iron stores.")
PAGE = f"Iron and the liver\n\n{CLAIM}\n"


def unsourced(text=CLAIM):
    return UnsourcedClaim(text=text, start=0, end=len(text))


def test_the_article_is_recorded_with_an_abstract(shared_dir):
    with open(shared_dir / "fixtures" / "metapub" / "INDEX.tsv", encoding="utf-8") as index:
        rows = {row["pmid"]: row for row in csv.DictReader(index, delimiter="\t")}
    assert rows[PMID]["has_abstract"] == "True"
    assert rows[PMID]["title"].startswith("Hfe mutations and iron overload")


# --- term building (pure) --------------------------------------------------------------------------------------

def test_search_words_put_distinctive_words_first_and_drop_research_words_numbers_and_repeats():
    words = search_words("Studies have shown that 90% of the body's serotonin, serotonins and gut bacteria are made in the gut.")
    assert words[:2] == ["serotonin", "bacteria"]
    assert "body" in words and "gut" in words
    for dropped in ("studies", "shown", "90", "serotonins", "made", "body's"):
        assert dropped not in words
    assert words.count("gut") == 1


def test_search_terms_and_the_best_words_then_fewer_in_claim_order():
    terms = search_terms(CLAIM)
    assert terms == [
        "alcoholic AND liver AND disease AND hemochromatosis AND mutation AND higher AND excessive AND stores",
        "alcoholic AND disease AND hemochromatosis AND mutation AND excessive",
        "alcoholic AND hemochromatosis AND excessive",
    ]


def test_search_words_leave_out_commenting_adverbs_and_number_words():
    words = search_words("Although promising, the study additionally reported that three patients developed infections.")
    assert words == ["infections", "developed"]


def test_search_terms_for_short_claims():
    assert search_terms("Research shows that probiotics ease anxiety.") == ["probiotics AND ease AND anxiety"]
    assert search_terms("Research shows that probiotics help with anxiety.") == ["probiotics AND anxiety"]
    assert search_terms("Studies have shown that it works.") == []


# --- ranking and failing closed (pure) -------------------------------------------------------------------------

HFE = Work(title="Hfe mutations and iron overload in patients with alcoholic liver disease", pmid="1", year=2013,
           abstract="The presence of at least one HFE mutation increases the risk of having excessive liver iron stores.")
OFF_TOPIC = Work(title="Plato's embryology", pmid="2", year=2015, abstract="Plato wrote about the origin of the embryo.")
PARTLY = Work(title="Iron stores in alcoholic liver disease", pmid="3", year=2001)


def test_rank_puts_the_best_cover_first_drops_poor_matches_and_keeps_the_limit():
    ranked = rank(CLAIM, [OFF_TOPIC, PARTLY, HFE], "alcoholic AND hemochromatosis")
    assert [s.pmid for s in ranked] == ["1", "3"]
    assert ranked[0].score > ranked[1].score >= MIN_SCORE
    assert "alcoholic AND hemochromatosis" in ranked[0].reason and "title and abstract contain" in ranked[0].reason
    assert "title (no abstract)" in ranked[1].reason
    assert rank(CLAIM, [PARTLY, HFE], "t", limit=1)[0].pmid == "1"


def lookup(term, outcome, *pmids, reason=""):
    return Lookup("pubmed-text", term, outcome, related=tuple(Identifier("pmid", p) for p in pmids), reason=reason)


def test_a_failed_search_is_could_not_search_never_no_sources():
    claim = suggested(unsourced(), [lookup("t", ABSENT), lookup("u", FAILED, reason="PubMed search: HTTP 503")], {})
    assert claim.sources_searched and claim.suggestions == ()
    assert claim.suggestion_error == "could not search: PubMed search: HTTP 503"


def test_pubmeds_empty_answer_is_searched_without_error_and_a_short_claim_cannot_be_searched():
    nothing = suggested(unsourced(), [lookup("t", ABSENT)], {})
    assert nothing.sources_searched and nothing.suggestions == () and nothing.suggestion_error is None
    short = suggested(unsourced("Studies have shown that it works."), [], {})
    assert short.suggestion_error.startswith("could not search")


def test_candidates_that_could_not_be_fetched_are_reported_beside_the_rest():
    records = {"1": Lookup("pubmed", "1", FOUND, work=HFE), "9": Lookup("pubmed", "9", FAILED, reason="PubMed: HTTP 500")}
    claim = suggested(unsourced(), [lookup("t", FOUND, "9", "1")], records)
    assert [s.pmid for s in claim.suggestions] == ["1"]
    assert claim.suggestion_error == "could not search fully: 1 of 2 candidate records could not be fetched (PubMed: HTTP 500)"


def test_find_sources_tries_fewer_words_only_after_an_empty_answer_and_fetches_once():
    searched, fetched = [], []
    failing_claim = unsourced("Research shows that probiotics ease anxiety in most adults with depression.")

    def search(terms):
        searched.append(terms)
        answers = {}
        for term in terms:
            if term.startswith("probiotics"):
                answers[term] = lookup(term, FAILED, reason="PubMed search: HTTP 500")
            elif term == "alcoholic AND hemochromatosis AND excessive":
                answers[term] = lookup(term, FOUND, "1", "2")
            else:
                answers[term] = lookup(term, ABSENT)
        return answers

    def fetch(pmids):
        fetched.append(pmids)
        return {"1": Lookup("pubmed", "1", FOUND, work=HFE), "2": Lookup("pubmed", "2", FOUND, work=OFF_TOPIC)}

    hfe, failed = find_sources([unsourced(), failing_claim], search, fetch)
    assert [len(batch) for batch in searched] == [2, 1, 1]  # the failed claim is not asked again with fewer words
    assert fetched == [["1", "2"]]
    assert [s.pmid for s in hfe.suggestions] == ["1"] and hfe.suggestion_error is None
    assert failed.suggestion_error == "could not search: PubMed search: HTTP 500"


# --- the replay server's free-text esearch ---------------------------------------------------------------------

def esearch(server, term):
    return requests.get(f"{server.eutils_url}/esearch.fcgi", params={"db": "pubmed", "term": term, "sort": "relevance"}, timeout=10)


def test_replay_free_text_esearch_finds_recorded_articles_containing_every_word(replay_server):
    response = esearch(replay_server, "Alcoholic AND hemochromatosis AND excessive")
    assert response.status_code == 200
    assert [i.text for i in ET.fromstring(response.content).findall("IdList/Id")] == [PMID]
    assert esearch(replay_server, "alcoholic hemochromatosis").status_code == 200  # spaces AND as in PubMed


@pytest.mark.parametrize("term", [
    "alcoholic AND hemochromatosis AND unicorn",  # one word in no recorded article: 503, never an empty list
    "alcoholic OR hemochromatosis",
    "alcoholic[tiab] AND hemochromatosis",
    '"alcoholic liver"',
])
def test_replay_free_text_esearch_without_a_match_or_with_other_syntax_is_unrecorded(replay_server, term):
    assert esearch(replay_server, term).status_code == 503


# --- end to end ------------------------------------------------------------------------------------------------

def test_the_recorded_article_is_the_top_suggestion_and_not_verified(replay_server, tmp_path):
    page = write(tmp_path, "page.txt", PAGE)
    report = refcheck.check(page, settings=replay_settings(replay_server, tmp_path / "cache"), suggest_sources=True)
    (claim,) = report.documents[0].unsourced_claims
    assert claim.suggestions[0].pmid == PMID and claim.suggestion_error is None
    assert claim.suggestions[0].doi == "10.1590/s0004-28032013000100008"
    assert [r.path for r in replay_server.requests] == ["/esearch.fcgi", "/efetch.fcgi"]
    assert "suggestion, not verified: PMID 23657305 (2013) Hfe mutations" in render(report, "table")
    html = render(report, "html")
    assert 'data-verified="false" data-pmid="23657305"' in html and "suggestion, not verified" in html

    replay_server.reset()
    again = refcheck.check(page, settings=replay_settings(replay_server, tmp_path / "cache"), suggest_sources=True)
    assert replay_server.count() == 0  # the search and the record come from the cache
    assert again == report


def test_cli_flag_gives_schema_valid_json_with_unverified_suggestions(env, tmp_path, capsys):
    import jsonschema

    page = write(tmp_path, "page.txt", PAGE)
    assert main(["check", page, "-f", "json", "--suggest-sources"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, json.loads(resources.files("refcheck").joinpath("report.schema.json").read_text()))
    (claim,) = data["documents"][0]["unsourced_claims"]
    assert claim["suggestion_error"] is None
    assert claim["suggestions"][0]["pmid"] == PMID and all(s["verified"] is False for s in claim["suggestions"])


def test_without_the_flag_no_request_is_made_and_the_json_has_no_suggestions(env, tmp_path, capsys):
    page = write(tmp_path, "page.txt", PAGE)
    assert main(["check", page, "-f", "json"]) == 0
    (claim,) = json.loads(capsys.readouterr().out)["documents"][0]["unsourced_claims"]
    assert env.count() == 0
    assert set(claim) == {"text", "start", "end", "figures"}


def test_a_failing_search_says_could_not_search_and_leaves_the_exit_code_alone(env, tmp_path, capsys):
    env.fault = lambda service, path, query: "500" if path == "/esearch.fcgi" else None
    page = write(tmp_path, "page.txt", PAGE)
    # A failed optional search is no finding about the document: the run stays clean (exit 0, not 3).
    assert main(["check", page, "-f", "json", "--suggest-sources"]) == 0
    data = json.loads(capsys.readouterr().out)
    (claim,) = data["documents"][0]["unsourced_claims"]
    assert claim["suggestions"] == [] and claim["suggestion_error"] == "could not search: PubMed search: HTTP 500"
    assert data["exit_code"] == 0
    assert main(["check", page, "--suggest-sources"]) == 0
    assert "suggested sources: could not search: PubMed search: HTTP 500" in capsys.readouterr().out
