"""Reference entries found where real documents put them: lists that no heading announces, entries under
tool names, behind labels or link text, csl-entry blocks, entries without identifiers (issue 15)."""
from pathlib import Path

from refcheck.extract import extract
from refcheck.load import load
from refcheck.records import Document

INPUTS = Path(__file__).parent / "inputs"


def cited(path):
    document = load(str(INPUTS / path))
    return [(c.text.split("\n")[0][:40], c.cited) for c in extract(document) if c.cited is not None]


def test_external_tool_citations_indented_and_wrapped_under_tool_names():
    entries = cited("tool_citations.txt")
    assert [text for text, _ in entries] == [
        'Wheeler, T.J. and Kececioglu, J.D. "Mult', "doi:10.1093/nar/gkh340", "doi:10.1186/1471-2105-5-113",
        "Price MN, Dehal PS, Arkin AP. (2010) Fas"]
    assert [c.authors[0] for _, c in entries] == ["Wheeler", "Edgar", "Edgar", "Price"]
    assert [c.year for _, c in entries] == [2007, 2004, 2004, 2010]


def test_title_first_entries_under_topical_headings_tool_prefixes_and_books():
    entries = cited("reading_list.md")
    titles = [c.title for _, c in entries]
    assert titles[:3] == ["Circadian rhythm disruption and cancer risk in night-shift nurses",
                          "Melatonin for insomnia in older adults: a randomised trial",
                          "Dietary fibre and mortality: a meta-analysis"]
    by_author = {c.authors[0]: c for _, c in entries if c.authors}
    # MEDLINE's short form, a tool's name before its reference, and books without identifiers.
    assert by_author["Essajee"].journal == "AIDS Res Hum Retroviruses" and by_author["Essajee"].title is None
    assert by_author["Camacho"].title == "BLAST+: architecture and applications"
    assert by_author["Buchfink"].journal == "Nat Methods"
    assert by_author["Kleiber"].year == 2008
    assert len(entries) == 9


def test_repeated_author_dashes_take_the_authors_above():
    entries = cited("reading_list.md")
    dashes = next(c for text, c in entries if text.startswith("\u2014"))
    assert dashes.authors == ("Davison",) and dashes.title == "Bootstrap Methods and Their Application"


def test_link_text_references_and_nested_citation_bullets_get_their_fields():
    entries = cited("link_text_references.md")
    assert [(c.title, c.year) for _, c in entries][:2] == [
        ("Equation of state calculations by fast computing machines", 1953),
        ("Monte Carlo sampling methods using Markov chains and their applications", 1970)]
    assert entries[2][1].title == "fastmcmc: fast samplers in R." and entries[2][1].journal == "Journal of Open Source Software"
    assert entries[3][1].authors == ("Gelman", "Carlin", "Stern", "Rubin")


def test_pandoc_csl_entries_without_a_heading():
    entries = cited("csl_entries.html")
    assert [c.authors[0] for _, c in entries] == ["Wood", "Pedersen"]
    assert entries[1][1].journal == "PeerJ" and entries[1][1].first_page == "e6876"


def test_prose_citing_author_year_is_no_reference_list():
    text = ("Regular physical activity lowers blood pressure in adults with hypertension (Cornelissen and Smart, 2013).\n"
            "Whether exercise can stand in for a first drug is less clear (Naci et al., 2019; Whelton et al., 2002).\n")
    assert [c for c in extract(Document("t", text, "text")) if c.kind == "reference"] == []


def test_paragraphs_of_cited_sentences_are_no_reference_list():
    """Numbers that look like years ('Study 1600') and a DOI per sentence do not make prose a list."""
    paragraph = " ".join(f"Study {n} found that the treatment reduced symptoms in {n % 90}% of patients (doi:10.5555/b.{n})."
                         for n in range(1600, 1610))
    citations = extract(Document("t", paragraph + "\n\n" + paragraph.replace("Study 16", "Study 17") + "\n", "text"))
    assert len(citations) == 20 and all(len(c.identifiers) == 1 and c.cited is None for c in citations)
