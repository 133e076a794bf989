"""A sentence of prose that cites an identifier is no reference entry: numbers that look like years
("Study 1604 found", "In 2019 researchers", "Figure 1998") and a title quoted beside the identifier
must not be read as cited details and then judged against the record (a false WRONG_WORK or
METADATA_MISMATCH). Real reference entries with wrong details are still flagged."""
import refcheck
from refcheck.extract import extract
from refcheck.records import VERIFIED, WRONG_WORK, Document
from replay_server import recorded_works

from helpers import replay_settings

CROSSREF_DOI = "10.1371/journal.pone.0033693"  # recorded in Crossref: methylphenidate and dopamine neurons in mice

# Each form cites the work correctly, with its title's first words; {n} is a number that looks like a year.
PROSE_FORMS = (
    "Study {n} found that the treatment changed the outcome ({title}; PMID: {pmid}).",
    "In {n} researchers found that the {title} Study Mattered (PMID: {pmid}).",
    "Figure {n} shows what the {title} Trial Reported (PMID: {pmid}).",
    "Patients in Study {n} ({title}, {n}; PMID: {pmid}) improved.",
    'As reported in "{title}" ({n}; PMID: {pmid}), outcomes improved.',
)


def prose_page() -> str:
    works = [w for w in recorded_works() if w.get("pmid") and w.get("title")][:10]
    lines = [PROSE_FORMS[index % len(PROSE_FORMS)].format(n=1604 + 41 * index, title=work["title"][:60], pmid=work["pmid"])
             for index, work in enumerate(works)]
    # every form twice over, one per line: a run of lines that a list found by its lines could take for entries
    return "\n\n".join(lines + lines[::-1]) + "\n"


def test_cited_sentences_with_year_like_numbers_carry_no_cited_details():
    citations = extract(Document("t", prose_page(), "text"))
    assert len(citations) == 20
    assert [c.cited for c in citations] == [None] * 20


def test_a_list_found_by_its_lines_gives_details_only_for_lines_shaped_like_entries():
    """Lines with a year and an identifier make a list, but "Figure 1604 Shows ..." names no authors and
    gives no volume: its words judge no record. Authors first, in any common form, still give details."""
    prose = ("Figure 1604 Shows How The Treatment Changed Outcomes. PMID: 11618220\n"
             "Figure 1645 Shows How The Dose Changed Outcomes. PMID: 11636720\n")
    assert [(c.id, c.cited) for c in extract(Document("t", prose, "text"))] == [("11618220", None), ("11636720", None)]
    entries = ("Tang J, Lee K. How the treatment changed outcomes. 1604. PMID: 11618220\n"
               "Laura Luebbert, Chi Hoang, How the dose changed outcomes, 1645. PMID: 11636720\n"
               "Edgar RC (1686), How the diet changed outcomes. PMID: 11873782\n")
    assert [(c.cited.authors, c.cited.year) for c in extract(Document("t", entries, "text"))] == [
        (("Tang", "Lee"), 1604), (("Luebbert", "Hoang"), 1645), (("Edgar",), 1686)]


def test_correct_citations_in_prose_are_verified(replay_server, tmp_path):
    page = tmp_path / "page.md"
    page.write_text(prose_page(), encoding="utf-8")
    report = refcheck.check(str(page), settings=replay_settings(replay_server, tmp_path / "cache"))
    statuses = [c.resolution.status for c in report.documents[0].citations]
    assert statuses == [VERIFIED] * 20


def test_a_list_without_heading_still_flags_an_entry_citing_another_work(replay_server, tmp_path):
    """Authors first, volume and pages: entries, whose wrong title is judged (no reference heading above)."""
    page = tmp_path / "page.txt"
    page.write_text(
        "Smith J, Brown K. Green tea catechins and cardiovascular mortality in Japanese adults. "
        f"Circulation. 2011;124(3):255-61. doi:{CROSSREF_DOI}\n"
        "Rolf L, Muris AH, Mathias A, et al. Exploring the effect of vitamin D3 supplementation on the anti-EBV "
        "antibody response in relapsing-remitting multiple sclerosis. Mult Scler. 2018;24(10):1280-1287. PMID: 28731372\n",
        encoding="utf-8")
    report = refcheck.check(str(page), settings=replay_settings(replay_server, tmp_path / "cache"))
    statuses = {c.citation.id: c.resolution.status for c in report.documents[0].citations}
    assert statuses[CROSSREF_DOI] == WRONG_WORK
    assert statuses["28731372"] == VERIFIED
