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


def entry_texts(text):
    from refcheck.extract.references import reference_entries

    return [e.text.split("\n")[0][:32] for e in reference_entries(text) if e.reference]


def test_headings_with_a_wikipedia_edit_link_a_pandoc_attribute_or_a_sphinx_directive():
    entry = "Smith, J. (2001). A study of things. Journal of Studies, 4(2), 10-20."
    for heading in ("***** References[edit] *****", "## Reference and further reading {#litref}", ".. topic:: References:",
                    ".. rubric:: Bibliography"):
        text = f"Some prose about things that matter here.\n\n{heading}\n\n * {entry}\n"
        assert entry_texts(text) == ["* " + entry[:30]], heading


def test_every_bullet_under_a_reference_heading_is_an_entry_with_a_year_or_a_link():
    text = ("# Lesson\n\nProse of the lesson, with a sentence or two about it.\n\n## Reference and further reading\n\n"
            "The course borrows from the following work.\n\n"
            "- Wilkinson, M., Dumontier, M. et al.\n[The FAIR Guiding Principles][fair]. Sci Data 3, 160018 (2016).\n\n"
            "- [The FAIR Cookbook][fair-cookbook], online recipes for life scientists\n\n"
            "- A [self-assessment checklist for FAIR research software][checklist], by the eScience Center\n\n"
            "- Please also cite the data you use when it is public.\n\n"
            "## Installation\n\n- pip install this\n- [Docs](https://example.org/docs)\n")
    assert entry_texts(text) == ["- Wilkinson, M., Dumontier, M. e", "- [The FAIR Cookbook][fair-cookb",
                                 "- A [self-assessment checklist f"]


def test_software_and_web_resources_in_a_tool_citation_list_are_entries():
    text = ("# Citations\n\n## Pipeline tools\n\n* Nextflow\n"
            "  > Di Tommaso P, Chatzou M, Floden EW. Nextflow enables reproducible computational workflows. "
            "Nat Biotechnol. 2017 Apr 11;35(4):316-319.\n\n"
            "* pypgatk\n  > Yasset Perez-Riverol, & Husen M. Umer. (2021, March 31). py-pgatk: Pre-release v0.0.19. Zenodo.\n\n"
            "* [MultiQC](https://www.ncbi.nlm.nih.gov/pubmed/27312411/)\n"
            "  > Ewels P, Magnusson M, Lundin S, Käller M. MultiQC. Bioinformatics. 2016 Oct 1;32(19):3047-8.\n\n"
            "## Software packaging\n\n- [Bioconda](https://bioconda.github.io)\n\n"
            "  > Grüning B, Dale R, Sjödin A, et al. Bioconda. Nat Methods. 2018 Jul;15(7):475-476.\n\n"
            "- [Anaconda](https://anaconda.com)\n\n"
            "  > Anaconda Software Distribution. Computer software. Vers. 2-2.4.0. Anaconda, Nov. 2016. Web.\n")
    assert entry_texts(text) == ["> Di Tommaso P, Chatzou M, Flode", "> Yasset Perez-Riverol, & Husen ",
                                 "> Ewels P, Magnusson M, Lundin S", "> Grüning B, Dale R, Sjödin A, e",
                                 "> Anaconda Software Distribution"]


def test_a_quoted_reference_over_several_quote_lines_is_one_entry():
    text = ("You can cite the publication as follows:\n\n"
            "> **The nf-core framework for community-curated bioinformatics pipelines.**\n>\n"
            "> Philip Ewels, Alexander Peltzer, Sven Fillinger, Paolo Di Tommaso & Sven Nahnsen.\n>\n"
            "> _Nat Biotechnol._ 2020 Feb 13. doi: 10.1038/s41587-020-0439-x.\n\n"
            "> Smith J, Jones K. A first paper. J Biol. 2001;1:1-2.\n"
            "> Brown A, Lee B. A second paper. J Biol. 2002;2:3-4.\n")
    from refcheck.extract.references import reference_entries

    entries = [e for e in reference_entries(text) if e.reference]
    assert [e.text[:20] for e in entries] == ["> **The nf-core fram", "> Smith J, Jones K. ", "> Brown A, Lee B. A "]
    assert entries[0].text.endswith("0439-x.")


def test_a_stylesheet_numbered_like_an_entry_is_no_reference():
    text = ("***** References *****\n   1. ^ a bOdum, Eugene P. (1959). Fundamentals of Ecology. Saunders. p. 546.\n"
            "   2. .mw-parser-output cite.citation{font-style:inherit}.mw-parser-output .citation q{quotes:none}"
            ".mw-parser-output .id-lock-free a{background:url(x.png)}\n"
            "   3. ^Turchin, P. (2001). Does Population Ecology Have General Laws?. Oikos. 94 (1): 17-26.\n")
    from refcheck.extract.references import reference_entries

    entries = reference_entries(text)
    assert [(e.number, e.reference) for e in entries] == [(1, True), (2, False), (3, True)]


def test_dotted_initials_inside_an_nlm_list_and_two_given_names_do_not_become_the_title():
    from refcheck.extract import refparse

    phylofisher = refparse.fields(
        "Tice AK, Žihala D, Pánek T, Jones RE, Salomaki E, Nenarokov S, Burki F, Eliáš M, Eme L, Roger A.J., Rokas A, "
        "Shen X, Strassert JFH, Kolísko M, Brown MW. (2021). PhyloFisher: A phylogenomic package for resolving eukaryotic "
        "relationships. PLoS Biol.")
    assert phylofisher.title == "PhyloFisher: A phylogenomic package for resolving eukaryotic relationships"
    assert phylofisher.authors[9:11] == ("Roger", "Rokas") and len(phylofisher.authors) == 15
    tukey = refparse.fields("Tukey, John Wilder. Exploratory data analysis. Vol. 2. Reading, MA: Addison-wesley, 1977.")
    assert (tukey.title, tukey.authors, tukey.year) == ("Exploratory data analysis", ("Tukey",), 1977)
