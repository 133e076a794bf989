"""Identifier schemes (refcheck/extract/doi.py, pmid.py, pmcid.py) on the forms real documents write."""
import pytest

from refcheck.extract import doi, pmcid, pmid
from refcheck.extract.identifiers import find_identifiers


def found(text):
    return [(str(f.identifier), f.written) for f in find_identifiers(text)]


@pytest.mark.parametrize("written, expected", [
    ("https://www.biorxiv.org/content/10.1101/715722v1", "doi:10.1101/715722"),
    ("https://www.biorxiv.org/content/10.1101/715722v2.full.pdf", "doi:10.1101/715722"),
    ("https://www.medrxiv.org/content/10.1101/2020.03.01.20029785v3.full", "doi:10.1101/2020.03.01.20029785"),
    ("doi:10.1101/gr.123456.110", "doi:10.1101/gr.123456.110"),  # a Cold Spring Harbor journal keeps its DOI whole
])
def test_preprint_versions_are_not_part_of_the_doi(written, expected):
    assert [i for i, _ in found(written)] == [expected]


@pytest.mark.parametrize("written, expected", [
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC524361/ and "
     "http://www.pubmedcentral.nih.gov/articlerender.fcgi?tool=pubmed&pubmedid=15514348", ["pmcid:PMC524361", "pmid:15514348"]),
    ("http://www.ncbi.nlm.nih.gov/entrez/query.fcgi?cmd=Retrieve&db=PubMed&list_uids=10639509&dopt=Abstract", ["pmid:10639509"]),
    ("https://example.org/article?pmid=31712796", ["pmid:31712796"]),
    ("https://www.ncbi.nlm.nih.gov/sites/entrez?db=pubmed&uid=12345678", ["pmid:12345678"]),
    ("https://europepmc.org/abstract/MED/35699396", ["pmid:35699396"]),
    ("https://example.org/render?pmcid=PMC7654321", ["pmcid:PMC7654321"]),
])
def test_identifiers_in_url_parameters(written, expected):
    assert [i for i, _ in found(written)] == expected


def test_a_pdf_named_by_its_doi_names_the_doi():
    """A BMC page's "Download PDF" link: the file is named by the DOI, and "10.1186/1471-2466-12-3.pdf" was read as a
    DOI no record has."""
    pdf = "https://bmcpulmmed.biomedcentral.com/counter/pdf/10.1186/1471-2466-12-3.pdf"
    assert [i for i, _ in found(pdf)] == ["doi:10.1186/1471-2466-12-3"]
    assert [str(f.identifier) for f in find_identifiers("//bmcpulmmed.biomedcentral.com/counter/pdf/10.1186/1471-2466-12-3.pdf", in_url=True)] == [
        "doi:10.1186/1471-2466-12-3"]


def test_uid_parameter_counts_only_on_ncbi_pages():
    assert found("https://shop.example.com/item?uid=12345678") == []


def test_a_badge_image_spelling_a_doi_is_not_a_citation_but_its_link_is():
    badge = "[![Publication](https://img.shields.io/badge/Publication-10.1111/2041-green.svg)](https://doi.org/10.1111/2041-210X.13000)"
    assert found(badge) == [("doi:10.1111/2041-210x.13000", "10.1111/2041-210X.13000")]
    assert found('<a href="x"><img src="https://img.shields.io/badge/DOI-10.5281/zenodo.1234-blue.svg"></a>') == []


def test_a_doi_running_into_markdown_link_syntax_stops_there():
    assert found("[10.1000/abc](https://doi.org/10.1000/abc)") == [
        ("doi:10.1000/abc", "10.1000/abc"), ("doi:10.1000/abc", "10.1000/abc")]


def test_each_scheme_normalises_and_hints():
    assert doi.normalise("https://doi.org/10.1002/STEM.68") == "10.1002/stem.68"
    assert doi.normalise("10.1101/715722v1") == "10.1101/715722"
    assert doi.hint("10.100/x") == "its prefix needs 4 to 9 digits after '10.'"
    assert doi.hint("10.1002stem.68") == "it has no '/' between prefix and suffix"
    assert pmid.hint("0123") == "PMID 0123 has a leading zero; PubMed IDs never start with 0"
    assert pmid.hint("123456789") == "PMID 123456789 is longer than any PubMed ID"
    assert pmid.hint("31712796") == ""
    assert pmcid.normalise("pmc 1234567") == "PMC1234567"


def test_schemes_find_only_near_their_triggers_yet_miss_nothing():
    """The schemes scan only near a cheap trigger; a long gap between identifiers loses none."""
    text = (" word" * 5000 + " ").join(["doi:10.1000/a1", "PMID: 123456", "PMC1234567", "https://doi.org/10.1000/b2"])
    assert [i for i, _ in found(text)] == ["doi:10.1000/a1", "pmid:123456", "pmcid:PMC1234567", "doi:10.1000/b2"]


def test_an_elsevier_sici_doi_cut_before_its_bracket_is_joined_and_a_year_after_a_doi_is_not():
    from refcheck.extract.identifiers import find_identifiers

    wrapped = "Journal of Molecular Biology. 94 (1): 127-132. doi:10.1016/0022-2836\n      (75)90410-6.\n"
    assert [str(f.identifier) for f in find_identifiers(wrapped)] == ["doi:10.1016/0022-2836(75)90410-6"]
    assert [str(f.identifier) for f in find_identifiers("doi:10.1234/abc.\n(2001) later")] == ["doi:10.1234/abc"]
    assert [str(f.identifier) for f in find_identifiers("doi:10.1234/5678-1234\n(2001) later")] == ["doi:10.1234/5678-1234"]


def test_a_template_placeholder_doi_is_reported_not_looked_up():
    from refcheck.extract import extract
    from refcheck.records import Document

    citations = extract(Document("t", "Cite the release as doi:10.5281/zenodo.XXXXXXX and the paper.", "text"))
    assert [(c.identifiers, c.hints) for c in citations] == [
        ((), ("DOI 'doi:10.5281/zenodo.XXXXXXX' is a placeholder (its suffix ends in x's), not a DOI",))]
