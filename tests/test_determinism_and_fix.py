"""The same answers give the same report whatever the cache holds; refcheck bib --fix changes only what its
report says it would, and keeps a shortened author list."""
import json

import refcheck
from refcheck.bib import corrections
from refcheck.cli import main
from refcheck.records import Author, Work
from refcheck.report import render

from helpers import replay_settings
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

RECORDED_PMID = "28731372"
UNRECORDED_PMID = "25535358"  # the replay server has neither an efetch record nor an esummary DocSum for it


def test_a_pmid_pubmed_gives_no_record_for_reads_the_same_on_a_cold_and_a_warm_cache(replay_server, tmp_path):
    # Cold, the unrecorded PMID shares an efetch with the recorded one, which answers without it, and the
    # esummary asking why fails; warm, the recorded one comes from the cache and the efetch asks for the
    # unrecorded one alone, and fails.
    source = write(tmp_path, "doc.txt", f"Vitamin D was studied (PMID: {RECORDED_PMID}). Screens were studied (PMID: {UNRECORDED_PMID}).\n")
    settings = replay_settings(replay_server, tmp_path / "cache")
    cold = render(refcheck.check(source, settings=settings), "json")
    warm = render(refcheck.check(source, settings=settings), "json")
    assert cold == warm
    failed = next(c for c in json.loads(cold)["documents"][0]["citations"] if c["id"] == UNRECORDED_PMID)
    assert (failed["status"], failed["reasons"]) == ("UNRESOLVED", ["PubMed: no record returned; could not confirm why (HTTP 503)"])


BROWNING = """@article{browning,
  title = {Titanium dioxide nanoparticles are not cytotoxic},
  author = {Browning, C. L. and Wise, J. P.},
  year = {2015},
  pmid = {26568896},
}
"""


def test_a_verified_entry_keeps_its_first_and_last_authors_and_its_report_names_every_fill_in(env, tmp_path, capsys):
    source = write(tmp_path, "refs.bib", BROWNING)
    main(["bib", source, "-f", "json", "-q"])
    browning = json.loads(capsys.readouterr().out)["documents"][0]["citations"][0]
    assert browning["status"] == "VERIFIED"
    assert browning["reasons"] == [
        "suggested from the record: title (the record's is longer), journal (missing), volume (missing), issue (missing), doi (missing)"]
    main(["bib", source, "--diff", "-q"])
    changed = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("-  ", "+  "))]
    assert changed == [
        "-  title = {Titanium dioxide nanoparticles are not cytotoxic},",
        "+  title = {Titanium Dioxide Nanoparticles are not Cytotoxic or Clastogenic in Human Skin Cells},",
        "+  journal = {Journal of environmental \\& analytical toxicology},",
        "+  volume = {4},",
        "+  number = {6},",
        "+  doi = {10.4172/2161-0525.1000239},",
    ]


def test_an_author_list_is_kept_when_it_names_some_of_the_records_authors_in_order():
    work = Work(title="A Study", authors=(Author("Smith", "J"), Author("Jones", "K"), Author("Brown", "L")), year=2020)
    entry = {"title": "A study", "year": 2020, "journal": "", "volume": "", "issue": "", "pages": "", "doi": "", "pmid": ""}
    for kept in (("Smith",), ("Smith", "Brown"), ("Smith", "Jones", "Brown")):
        assert "authors" not in corrections(dict(entry, authors=tuple(Author(name) for name in kept)), work), kept
    for replaced in ((), ("Brown", "Smith"), ("Smith", "Green")):
        assert "authors" in corrections(dict(entry, authors=tuple(Author(name) for name in replaced)), work), replaced
