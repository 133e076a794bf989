"""The document's own identifiers (refcheck/extract/identity.py): a journal page, a preprint or a PMC copy prints its
own DOI, PMID and PMCID in its head, its header and its stamps, and each was checked as a citation of the page by
itself, with the header's words as its claim. The real pages below are as the search index stored their text
(headers as printed; abstracts and body text abridged to a line); each test says what was wrong."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from refcheck.extract import extract_with_identity
from refcheck.load import load, read_html
from refcheck.records import Document, Identifier, OwnIdentifier

DOCUMENTS = Path(__file__).resolve().parent / "corpus_real" / "documents"


def _read(text: str, source: str = "page.txt", links=(), tags=()) -> tuple[list[str], list[tuple[str, str]]]:
    """The identifiers cited (in order) and the document's own, as (identifier, evidence)."""
    citations, identity = extract_with_identity(Document(source, text, "text", tuple(links), tuple(tags)))
    return [str(i) for c in citations for i in c.identifiers], [(str(own.identifier), own.evidence) for own in identity]


def test_a_pmc_page_names_itself_under_its_title():
    """https://pmc.ncbi.nlm.nih.gov/articles/PMC8936507 (Frontiers in Nutrition, CC BY): the journal's line with
    the DOI and the "PMCID: ... PMID: ..." line under the authors were three citations of the page itself."""
    text = ("Skip to main content\nFrontiers in Nutrition logoLink to Frontiers in Nutrition\n"
            ". 2022 Mar 7;9:806566. doi: 10.3389/fnut.2022.806566\n\n"
            "Priority Micronutrient Density in Foods\n\n"
            "Ty Beal 1,2,*, Flaminia Ortenzi 3\nPMCID: PMC8936507  PMID: 35321287\n\n"
            "Abstract\n\nBackground\n\n(abridged) Micronutrient deficiencies remain widespread.\n\n"
            "Keywords: nutrient density, micronutrient deficiencies, animal-source foods\n\n")
    assert _read(text) == ([], [("doi:10.3389/fnut.2022.806566", "header"), ("pmcid:PMC8936507", "header"), ("pmid:35321287", "header")])


def test_an_author_manuscripts_pmcid_and_pmid_line_is_its_own():
    """https://pmc.ncbi.nlm.nih.gov/articles/PMC3003334 (an NIH author manuscript): the journal version's DOI was
    already known for the manuscript's own ("Published in final edited form as: ..."); the "PMCID: PMC3003334
    NIHMSID: NIHMS161098  PMID: 21170175" line under the authors was one more citation of it."""
    text = (". Author manuscript; available in PMC: 2010 Dec 17.\n"
            "Published in final edited form as: Proceedings (IEEE Int Conf Bioinformatics Biomed). 2009 Nov 1;1-4 Nov(2009):308\u2013313. "
            "doi: 10.1109/BIBMW.2009.5332080\n\n"
            "Investigating and Annotating the Role of Citation in Biomedical Full-Text Articles\n\n"
            "Hong Yu 1, Shashank Agarwal 1, Nadya Frid 1\nPMCID: PMC3003334  NIHMSID: NIHMS161098  PMID: 21170175\n\n"
            "Abstract\n\n(abridged) We annotated the roles citations play in full-text biomedical articles.\n\n"
            "1. Introduction\n\nA citation is defined as a cited article that is referenced by a citing article (PMID: 10592235).\n")
    assert _read(text) == (["pmid:10592235"], [("doi:10.1109/bibmw.2009.5332080", "stamp"), ("pmcid:PMC3003334", "header"),
                                                ("pmid:21170175", "header")])


def test_an_mdpi_article_gives_its_doi_on_the_journal_line():
    """https://www.mdpi.com/2072-6643/13/9/3022 (Nutrients, CC BY): "Nutrients 2021, 13(9), 3022;
    https://doi.org/..." under the affiliations, the dates of submission and publication under it."""
    text = ("Article\n\nAcute Metabolic Response in Adults to Toddler Milk Formulas with Alternating Higher and Lower Protein and Fat "
            "Contents, a Randomized Cross-Over Trial\n\n1\nDivision of Metabolic and Nutritional Medicine, Dr. von Hauner Children\u2019s "
            "Hospital, LMU University Hospital Munich, 80337 Munich, Germany\n*\nAuthor to whom correspondence should be addressed.\n"
            "Nutrients 2021, 13(9), 3022; https://doi.org/10.3390/nu13093022\n"
            "Submission received: 31 July 2021 / Revised: 24 August 2021 / Accepted: 27 August 2021 / Published: 29 August 2021\n"
            "(This article belongs to the Section Clinical Nutrition)\n\nAbstract\n\n:\n(abridged) Protein intake in early life "
            "influences later obesity risk.\n")
    assert _read(text) == ([], [("doi:10.3390/nu13093022", "header")])


def test_a_scielo_article_gives_its_doi_above_its_title():
    """http://scielo.isciii.es/scielo.php?script=sci_arttext&pid=S0213-91112019000400356 (Gaceta Sanitaria): the DOI
    on a line of its own between the issue line and the title."""
    text = ("Gaceta Sanitaria\n\nPrint version ISSN 0213-9111\n\nGac Sanit vol.33 n.4 Barcelona Jul./Aug. 2019  Epub Dec 02, 2019\n\n"
            "https://dx.doi.org/10.1016/j.gaceta.2018.01.009 \n\nORIGINAL ARTICLES\n\n"
            "Misconduct as the main cause for retraction. A descriptive study of retracted publications and their authors\n\n"
            "Isabel Campos-Varelaa  b  , Alberto Ruano-Ravi\u00f1ac  d  * \n\n"
            "ABSTRACT\n\nObjective\n\n(abridged) The causes of retraction and the characteristics of retracted authors.\n")
    assert _read(text) == ([], [("doi:10.1016/j.gaceta.2018.01.009", "header")])


def test_a_hindawi_page_gives_its_doi_above_its_references():
    """https://www.hindawi.com/journals/dm/2015/864370/ref/ (Disease Markers, CC BY): the DOI under the volume line, the
    dates, editor and copyright under the title; the page's reference list follows."""
    text = ("Table of Contents Author Guidelines Submit a Manuscript\nDisease Markers\nVolume 2015 (2015), Article ID 864370, 10 pages\n"
            "http://dx.doi.org/10.1155/2015/864370\nReview Article\n\n"
            "Optimal Vitamin D Supplementation Levels for Cardiovascular Disease Protection\n\n"
            "Received 14 June 2015; Accepted 9 August 2015\n\nAcademic Editor: Silvia Persichilli\n\n"
            "Copyright \u00a9 2015 Sebastian T. Lugg et al. This is an open access article distributed under the Creative Commons "
            "Attribution License.\n\nLinked References\n\n"
            "  1. A. S. Dusso, A. J. Brown, and E. Slatopolsky, \u201cVitamin D,\u201d American Journal of Physiology\u2014Renal "
            "Physiology, vol. 289, no. 1, pp. F8\u2013F28, 2005. View at Publisher \u00b7 View at Google Scholar\n")
    assert _read(text) == ([], [("doi:10.1155/2015/864370", "header")])


def test_a_to_cite_this_article_block_is_the_pages_own_reference():
    """https://www.mediasphera.ru/issues/laboratornaya-sluzhba/2021/2/1230521982021021055 (Laboratory Service): "To cite
    this article:" and the article's reference, its DOI on the line below. The DOI was a citation, the reference above
    it an entry of its own; the page's reference list below is cited as before."""
    text = ("Vitamin D testing and treatment: a narrative review of current evidence\n\nAuthors:\n\n"
            "Stefan Pilz, Armin Zittermann, Christian Trummer\n\nRead: 8597 times\n\n\nTo cite this article:\n\n"
            "Stefan Pilz, Armin Zittermann, Christian Trummer, et al. . Vitamin D testing and treatment: a narrative review of current "
            "evidence. Laboratory Service. 2021;10(2):55\u201172. (In Russ.)\nhttps://doi.org/10.17116/labs20211002155\n\n"
            "References:\n\n  1. Christakos S, Dhawan P, Verstuyf A, Verlinden L, Carmeliet G. Vitamin D: metabolism, molecular "
            "mechanism of action, and pleiotropic effects. Physiological Reviews. 2016;96:365-408. "
            "https://doi.org/10.1152/physrev.00014.2015\n")
    citations, identity = extract_with_identity(Document("mediasphera.txt", text, "text"))
    assert [(c.kind, [str(i) for i in c.identifiers]) for c in citations] == [("doi", ["doi:10.1152/physrev.00014.2015"])]
    assert identity == (OwnIdentifier(Identifier("doi", "10.17116/labs20211002155"), "stamp"),)


def test_the_jmir_pages_doi_after_its_abstract_is_its_own():
    """corpus_real/documents/jmir_osteoarthritis.txt: "doi:10.2196/12855" on a line after the abstract was a citation
    with the abstract's conclusion as its claim."""
    citations, identity = extract_with_identity(load(str(DOCUMENTS / "jmir_osteoarthritis.txt")))
    assert citations == [] and identity == (OwnIdentifier(Identifier("doi", "10.2196/12855"), "header"),)


# ---------------------------------------------------------------- the head of an HTML page, its address

# A PMC article page's head as PMC serves it (the tags named as on every PMC page; the identifiers are the article's,
# https://pmc.ncbi.nlm.nih.gov/articles/PMC4991525, F1000Research), with a reference tag and a sentence that links the
# article's own DOI.
PMC_PAGE = """<html><head><title>Vitamin D supplementation: less controversy, more guidance needed - PMC</title>
<link rel="canonical" href="https://pmc.ncbi.nlm.nih.gov/articles/PMC4991525/">
<meta name="citation_title" content="Vitamin D supplementation: less controversy, more guidance needed">
<meta name="citation_doi" content="10.12688/f1000research.8863.1">
<meta name="citation_pmid" content="27594987">
<meta name="citation_reference" content="citation_title=Vitamin D deficiency; citation_doi=10.1056/NEJMra070553">
<meta name="DC.Identifier" content="f1000research-5-9271">
</head><body><article>
<p>. 2016 Aug 17;5:F1000 Faculty Rev-2017. [Version 1] doi: <a href="https://doi.org/10.12688/f1000research.8863.1">10.12688/f1000research.8863.1</a></p>
<h1>Vitamin D supplementation: less controversy, more guidance needed</h1>
<p>This review, <a href="https://doi.org/10.12688/f1000research.8863.1">published in F1000Research</a>, updates the
evidence on vitamin D supplementation since the deficiency was reviewed (doi:10.1056/NEJMra070553).</p>
</article></body></html>"""


def test_the_head_of_a_page_names_it_and_every_occurrence_of_that_name_goes():
    body, links, tags = read_html(PMC_PAGE)
    assert ("citation_doi", "10.12688/f1000research.8863.1") in tags and ("canonical", "https://pmc.ncbi.nlm.nih.gov/articles/PMC4991525/") in tags
    assert not any(name == "citation_reference" for name, _ in tags)
    citations, identity = extract_with_identity(Document("pmc.html", body, "html", links, tags))
    assert [str(i) for c in citations for i in c.identifiers] == ["doi:10.1056/nejmra070553"]  # the sentence's own DOI link went too
    assert [(str(own.identifier), own.evidence) for own in identity] == [
        ("doi:10.12688/f1000research.8863.1", "meta"), ("pmid:27594987", "meta"), ("pmcid:PMC4991525", "meta")]


def test_a_self_closed_tag_and_dublin_cores_doi_name_the_page():
    """An Open Journal Systems page: "DC.Identifier" first holds its internal number, "DC.Identifier.DOI" the DOI."""
    _, _, tags = read_html('<html><head><meta name="DC.Identifier" content="v059i10"/>'
                           '<meta name="DC.Identifier.DOI" content="10.18637/jss.v059.i10"/></head><body><p>Text.</p></body></html>')
    assert _read("Text.", tags=tags) == ([], [("doi:10.18637/jss.v059.i10", "meta")])


def test_the_address_a_page_was_loaded_from_names_it():
    """A BMC article loaded from its address: the page's "Download PDF" link carries its DOI and was a citation of it;
    a work the page cites in a sentence stays one, and so does the page's own DOI where a sentence cites it."""
    from refcheck.records import Link

    address = "https://bmcpulmmed.biomedcentral.com/articles/10.1186/1471-2466-12-3"
    text = ("Download PDF\n\nThe relationship of systemic inflammation to prior hospitalization in adult patients with cystic fibrosis\n\n"
            "Systemic inflammation has been proposed as a risk factor in cystic fibrosis (doi:10.1164/rccm.200802-331OC).\n")
    pdf = Link(0, 12, "//bmcpulmmed.biomedcentral.com/counter/pdf/10.1186/1471-2466-12-3.pdf")
    assert _read(text, address, [pdf]) == (["doi:10.1164/rccm.200802-331oc"], [("doi:10.1186/1471-2466-12-3", "url")])
    cited_in_a_sentence = text + "Our earlier analysis of this cohort is reported in doi:10.1186/1471-2466-12-3 and its supplement.\n"
    assert _read(cited_in_a_sentence, address, [pdf])[0] == ["doi:10.1164/rccm.200802-331oc", "doi:10.1186/1471-2466-12-3"]


# ---------------------------------------------------------------- never a real citation

def test_a_doi_cited_in_the_opening_sentence_of_a_post_stays_a_citation():
    text = ("Vitamin D and falls\nPublished 3 March 2020\n\nA new trial (doi:10.1001/jama.2019.22020) found that vitamin D did not "
            "prevent falls in older adults.\n\nAbstract thoughts on what it means follow.\n")
    assert _read(text) == (["doi:10.1001/jama.2019.22020"], [])


def test_a_list_of_works_above_their_abstracts_is_no_header():
    text = ("Smith J. Vitamin D and falls. BMJ 2020;1:2.\ndoi:10.1136/bmj.m1\nAbstract\nVitamin D did not prevent falls.\n\n"
            "Jones K. Vitamin D and fractures. BMJ 2020;1:3.\ndoi:10.1136/bmj.m2\nAbstract\nKeywords: fractures\n")
    assert _read(text)[1] == []


def test_a_header_doi_the_body_cites_is_no_identity():
    text = ("Journal of Examples 2020; 12:3.\ndoi:10.1000/example.1\nReceived 1 May 2020; Accepted 2 June 2020\n\nAbstract\n\nA summary.\n\n"
            "Introduction\n\nOur method was first described in an earlier report (doi:10.1000/example.1) and is used here.\n")
    assert _read(text) == (["doi:10.1000/example.1", "doi:10.1000/example.1"], [])


def test_a_header_with_one_kind_of_sign_is_not_read():
    text = "Notes on vitamin D\nPublished 3 March 2020\ndoi:10.1001/jama.2019.22020\n\nThe trial is worth reading.\n"
    assert _read(text) == (["doi:10.1001/jama.2019.22020"], [])


# ---------------------------------------------------------------- in the report

def test_the_report_gives_the_documents_identity_in_every_format(tmp_path):
    import jsonschema

    import refcheck

    document = replace(load(str(DOCUMENTS / "jmir_osteoarthritis.txt")), source="jmir.txt")
    report = refcheck.check(document, offline=True, cache_dir=str(tmp_path))
    assert report.documents[0].identity == (OwnIdentifier(Identifier("doi", "10.2196/12855"), "header"),)
    data = json.loads(refcheck.render(report, "json"))
    schema = json.loads((Path(refcheck.__file__).parent / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["documents"][0]["identity"] == [{"id": "doi:10.2196/12855", "evidence": "header"}]
    line = "doi:10.2196/12855 (from its header): the document itself, not checked as a citation"
    assert f"identity ({document.source}): {line}" in refcheck.render(report, "table")
    assert f"- identity ({document.source}): {line}" in refcheck.render(report, "markdown")
    assert ('This document itself: <a href="https://doi.org/10.2196/12855" rel="noopener noreferrer" target="_blank">doi.org/10.2196/12855</a> '
            "(from its header)") in refcheck.render(report, "html")
