"""Titles and names in any script: compared letter by letter within one script, never across two."""
from refcheck.bib import corrections, entry_citation, read_bibliography
from refcheck.metadata import (
    TITLE_AGREES, authors_agree, compare_metadata, field_agreement, fold, title_score, title_similarity,
)
from refcheck.records import METADATA_MISMATCH, VERIFIED, WRONG_WORK, Author, CitedMetadata, Work

RUSSIAN_TITLE = "Влияние витаминов на артериальное давление у взрослых"
ENGLISH_TITLE = "The effect of vitamins on blood pressure in adults"
CHINESE_TITLE = "维生素对成人血压的影响"
RUSSIAN_WORK = Work(title=RUSSIAN_TITLE, authors=(Author("Иванов", "И. И."),), year=2010, journal="Кардиология",
                    volume="5", page="10-15", doi="10.1000/ru1")


def test_fold_keeps_every_script_and_still_drops_accents():
    assert fold("Влияние витамина D") == "влияние витамина d"
    assert fold("维生素对血压的影响") == "维生素对血压的影响"
    assert fold("Ελληνικά") == "ελληνικα"  # the tonos is an accent like any other
    assert fold("Müller, Édouard") == "muller edouard"
    assert fold("Łukasz Søndergaard") == "lukasz sondergaard"


def test_identical_non_latin_titles_are_similar():
    for title in (RUSSIAN_TITLE, CHINESE_TITLE):
        assert title_similarity(title, title) == 100
        assert compare_metadata(CitedMetadata(title=title, year=2010), Work(title=title, year=2010)) == (VERIFIED, ())


def test_different_cyrillic_titles_sharing_a_letter_are_not_similar():
    cited, recorded = "Влияние витамина D на давление", "Дефицит витамина D у детей раннего возраста"
    assert title_similarity(cited, recorded) < TITLE_AGREES
    assert compare_metadata(CitedMetadata(title=cited, year=2010), Work(title=recorded, year=2010))[0] != VERIFIED
    assert title_similarity("Острый инфаркт миокарда", "Хроническая сердечная недостаточность") < 50


def test_a_title_too_short_to_name_a_work_decides_nothing():
    assert title_score("D", "Vitamin D and blood pressure") is None
    assert title_score("2010", "2010") is None
    assert compare_metadata(CitedMetadata(title="D", year=2010), Work(title="Vitamin D and blood pressure", year=2010)) == (VERIFIED, ())
    assert "title" not in field_agreement(CitedMetadata(title="D"), Work(title="D"))


def test_a_translated_title_is_not_a_different_work():
    assert title_score(ENGLISH_TITLE, RUSSIAN_TITLE) is None
    cited = CitedMetadata(title=ENGLISH_TITLE, authors=("Ivanov",), year=2010, volume="5", first_page="10")
    assert compare_metadata(cited, RUSSIAN_WORK) == (VERIFIED, ())
    # ...but it cannot vouch for a search candidate either: the title must agree to accept one.
    assert "title" not in field_agreement(cited, RUSSIAN_WORK)


def test_different_cyrillic_authors_disagree():
    assert authors_agree(("Петров",), Work(authors=(Author("Иванов"),))) is False
    assert authors_agree(("Иванов",), Work(authors=(Author("Иванов"),))) is True
    status, reasons = compare_metadata(CitedMetadata(title=RUSSIAN_TITLE, authors=("Петров",), year=2010), RUSSIAN_WORK)
    assert status == METADATA_MISMATCH and "Петров" in reasons[0]


def test_a_transliterated_author_is_not_a_disagreement():
    assert authors_agree(("Ivanov",), RUSSIAN_WORK) is None
    assert authors_agree(("Zhang",), Work(authors=(Author("张"),))) is None
    assert "first author" not in field_agreement(CitedMetadata(authors=("Ivanov",)), RUSSIAN_WORK)
    status, _ = compare_metadata(CitedMetadata(title=RUSSIAN_TITLE, authors=("Ivanov",), year=2010), RUSSIAN_WORK)
    assert status == VERIFIED


def test_a_bib_entry_with_the_records_cyrillic_title_is_verified_and_needs_no_correction(tmp_path):
    for author in ("Иванов, И. И.", "Ivanov, I. I."):
        path = tmp_path / "ru.bib"
        path.write_text(f"@article{{ivanov2010,\n  title = {{{RUSSIAN_TITLE}}},\n  author = {{{author}}},\n  journal = {{Кардиология}},\n"
                        "  year = {2010},\n  volume = {5},\n  pages = {10--15},\n  doi = {10.1000/ru1}\n}\n", encoding="utf-8")
        entry = read_bibliography(str(path)).entries[0]
        status, reasons = compare_metadata(entry_citation(entry).cited, RUSSIAN_WORK)
        assert (status, reasons) == (VERIFIED, ()), author
        assert corrections(entry.fields, RUSSIAN_WORK) == (), author


def test_corrections_keep_a_translation_but_fix_a_wrong_name_in_the_same_script():
    entry = {"title": ENGLISH_TITLE, "authors": (Author("Ivanov"),), "year": 2010, "journal": "Kardiologiia", "volume": "5",
             "issue": "", "pages": "10-15", "doi": "10.1000/ru1", "pmid": ""}
    assert corrections(entry, RUSSIAN_WORK) == ()
    assert corrections(dict(entry, title=RUSSIAN_TITLE[:-4], authors=(Author("Петров"),)), RUSSIAN_WORK) == ("title", "authors")
