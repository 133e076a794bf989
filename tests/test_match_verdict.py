"""The match verdict weighed by field (refcheck/metadata.py): WRONG_WORK when title, journal and year
name another work, whatever one surname among many authors does."""
from refcheck.metadata import compare_metadata, journals_agree
from refcheck.records import METADATA_MISMATCH, WRONG_WORK, Author, CitedMetadata, Work

AGEING = Work(
    title="Clonal haematopoiesis and the ageing of the human blood system",
    authors=tuple(Author(f"Author{n}") for n in range(36)) + (Author("Brown"), Author("Zhao"), Author("Quint")),
    year=2024, journal="Science", volume="383", page="eadj1234",
)
VITAMIN_D = CitedMetadata(title="Vitamin D and influenza in school children", authors=("Smith", "Brown"),
                          year=2019, journal="Lancet", volume="393", first_page="1021")


def test_one_shared_surname_among_39_authors_does_not_save_a_different_work():
    status, reasons = compare_metadata(VITAMIN_D, AGEING)
    assert status == WRONG_WORK
    assert reasons[1] == "only the surname Brown is shared, with 39 recorded authors"
    assert reasons[2] == "fields that differ: title, first author, journal, year, volume, pages; fields that agree: authors"


def test_a_garbled_title_by_the_same_first_author_in_the_same_year_stays_a_mismatch():
    work = Work(title="Mesenchymal stem cell transplantation reverses multiorgan dysfunction in lupus mice",
                authors=(Author("Sun"), Author("Akiyama")), year=2009, journal="Stem Cells", volume="27", page="1421-1432")
    cited = CitedMetadata(title="Umbilical cord stem cells for arthritis", authors=("Sun",), year=2009, journal="Stem Cells")
    assert compare_metadata(cited, work)[0] == METADATA_MISMATCH


def test_journal_abbreviations_agree_with_their_full_names():
    assert journals_agree("N Engl J Med", "The New England Journal of Medicine") is True
    assert journals_agree("Lancet", "The Lancet") is True
    assert journals_agree("J Biol Chem", "Journal of Biological Chemistry") is True
    assert journals_agree("Lancet", "Science") is False
    assert journals_agree(None, "Science") is None
