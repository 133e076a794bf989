"""What refcheck extracts from the held-out-like real documents of tests/corpus_real (health pages, a
Wikipedia-derived encyclopedia, a journal page, an index of a BMC article's references, a Manubot
manuscript) and from short excerpts of others that cannot be redistributed whole: each test names the
document its text comes from and the mistake it stops."""
from __future__ import annotations

from pathlib import Path

from refcheck.extract import extract
from refcheck.extract.claims import attach_claims
from refcheck.load import load
from refcheck.records import Document

DOCUMENTS = Path(__file__).resolve().parent / "corpus_real" / "documents"


def _claims_by_identifier(document: Document) -> dict[str, list]:
    citations = extract(document)
    claimed = attach_claims(document, citations)
    return {str(citation.identifiers[0]) if citation.identifiers else citation.text[:30]: list(claims)
            for citation, claims in zip(citations, claimed)}


def test_a_reference_entry_whose_doi_stands_below_it_is_no_quotation_of_the_entry_above():
    """ouci_bmc_references.txt: each numbered entry has its "DOI: ..." on the line below it, so the next
    entry's text sits between one DOI and the next. It was read as a quoted abstract of the entry above
    (the claim of entry 2 was the whole of entry 3)."""
    claims = _claims_by_identifier(load(str(DOCUMENTS / "ouci_bmc_references.txt")))
    assert set(claims) >= {"doi:10.1177/0962280214550516", "doi:10.1002/sim.4780080411", "doi:10.1002/sim.4486",
                           "doi:10.1177/0272989x10379919", "doi:10.1136/bmj.b4491"}
    assert all(not found for found in claims.values()), claims


def test_an_entry_of_a_bracket_numbered_list_is_no_quotation_of_the_one_above():
    """A health page's numbered list, "[n] Authors (year). "Title." ... PMC... https://pmc... (Retrieved ...)":
    entry 10 was the claim (a quotation) of entry 9's PMCID."""
    text = ('References\n'
            '[9] Authors (2025). "Ashwagandha as an Adaptogenic Herb: A Comprehensive Review of Immunological and '
            'Neurological Effects." PMC12680924. https://pmc.ncbi.nlm.nih.gov/articles/PMC12680924/ (Retrieved 2026-05-29). '
            '[mechanism_review]\n'
            '[10] Chartres N, et al. (2016). "Association of Industry Sponsorship With Outcomes of Nutrition Studies: A '
            'Systematic Review and Meta-analysis." JAMA Intern Med (RR 1.31, 95% CI 0.99-1.72). PMID 27802480. '
            'https://pubmed.ncbi.nlm.nih.gov/27802480/ (Retrieved 2026-05-29). [meta_analysis]\n')
    claims = _claims_by_identifier(Document("numbered.txt", text, "text"))
    assert claims == {"pmcid:PMC12680924": [], "pmid:27802480": []}


def test_a_pandoc_citation_bracket_is_cut_from_the_claim_whole():
    """covid19review_nutraceuticals.md (Manubot): "... outcomes [@doi:10.3390/...; @doi:...; ...]." left
    "outcomes [@; @; @; @; @]." as the claim, and "[@; @url:https://...]" where a web page was cited too."""
    claims = _claims_by_identifier(load(str(DOCUMENTS / "covid19review_nutraceuticals.md")))
    texts = {claim.text for found in claims.values() for claim in found}
    assert "Indeed, a patient's nutritional status seems to play a role in COVID-19 susceptibility and outcomes." in texts
    assert "In France, New Zealand, India, and China similar trends in sales were reported." in texts
    assert ("Some have been linked with reduced immunopathology, antiviral and anti-inflammatory activities, or even the "
            "prevention of ARDS.") in texts  # its shortDOI "@doi:10/ggkd3b" left "[@doi:; @; @]"
    assert not any("@" in text or "[" in text for text in texts), sorted(texts)
    assert len(claims) == 29


def test_nature_and_lancet_article_addresses_name_their_doi():
    """A blog's reading list links its papers by their pages: "[High salt diet reduces resting cerebral blood flow
    ...](https://www.nature.com/articles/s41593-017-0059-4)". The address spells the DOI without "10.1038/", so
    those two of the list's eight works were missed; The Lancet names its pages by the PII its DOIs are made of."""
    text = ("### [High salt diet reduces resting cerebral blood flow and can contribute to dementia in mice]"
            "(https://www.nature.com/articles/s41593-017-0059-4)\n"
            "We discovered that mice fed a high-salt diet developed dementia even when blood pressure did not rise.\n\n"
            "### [Very minor neuronal and synaptic losses observed in Alzheimer's](https://www.nature.com/articles/s41598-018-23868-5)\n"
            "The study implicitly suggests that dementia is associated with a synaptic dysfunction.\n\n"
            "Clinical features of patients infected with 2019 novel coronavirus in Wuhan, China "
            "(https://www.thelancet.com/journals/lancet/article/PIIS0140-6736(20)30183-5/fulltext).\n")
    from refcheck.load import markdown_to_text

    body, links = markdown_to_text(text)
    found = [str(i) for c in extract(Document("list.md", body, "markdown", links)) for i in c.identifiers]
    assert found == ["doi:10.1038/s41593-017-0059-4", "doi:10.1038/s41598-018-23868-5", "doi:10.1016/s0140-6736(20)30183-5"]


# A reference as PMC's article pages print it (the markup as saved from a PMC page; the reference is from a CC BY
# article): the DOI in the text and its link, the PMC copy behind a relative link.
PMC_REFERENCE = """<section id="ref-list1" class="ref-list"><h2 class="pmc_sec_title">References</h2>
<section id="ref-list1_sec2"><ul class="ref-list font-sm" style="list-style-type:none">
<li id="B1">
<span class="label">1.</span><cite>Sheikhalishahi S, Miotto R, Dudley JT, Lavelli A, Rinaldi F, Osmani V. Natural language processing of clinical notes on chronic diseases: systematic review. JMIR Med Inform. (2019) 7:e12239. 10.2196/12239</cite> [<a href="https://doi.org/10.2196/12239" class="usa-link usa-link--external" data-ga-action="click_feat_suppl" target="_blank" rel="noopener noreferrer">DOI</a>] [<a href="/articles/PMC6528438/" class="usa-link">PMC free article</a>]</li>
</ul></section></section>"""


def test_a_pmc_page_links_the_pmc_copy_of_a_cited_work_by_a_relative_address():
    from refcheck.load import html_to_text

    body, links = html_to_text(PMC_REFERENCE)
    citations = extract(Document("pmc.html", body, "html", links))
    assert [[str(i) for i in c.identifiers] for c in citations] == [["doi:10.2196/12239", "pmcid:PMC6528438"]]


def test_old_pmc_addresses_of_scanned_pages_name_the_pmcid():
    """A 2007 reading list's link definitions: "picrender.fcgi?artid=..." (the PDF of a PMC article) on
    pubmedcentral.nih.gov and pubmedcentral.gov were no PMCID (articlerender.fcgi's were)."""
    from refcheck.extract.identifiers import find_identifiers

    for address, pmcid in (("http://www.pubmedcentral.nih.gov/picrender.fcgi?artid=1117895&blobtype=pdf", "PMC1117895"),
                           ("http://www.pubmedcentral.gov/picrender.fcgi?artid=1113594&blobtype=pdf", "PMC1113594"),
                           ("http://www.pubmedcentral.gov/articlerender.fcgi?artid=534936", "PMC534936")):
        assert [f.identifier.value for f in find_identifiers(address, in_url=True)] == [pmcid]


def test_a_reference_style_markdown_link_carries_its_definitions_address():
    """goodenough_draft.md cites its papers with reference-style links ("*[Best Practices for Scientific
    Computing][best-practices]*") whose definitions stand at the end ("[best-practices]: http://journals.plos.org/
    ...?id=10.1371/journal.pbio.1001745"). The DOIs were found in the definitions only, far from the sentences
    citing them, each given the run of definitions as its claim; a renderer shows no definition."""
    document = load(str(DOCUMENTS / "goodenough_draft.md"))
    assert "[best-practices]:" not in document.text and "[noble-rules]" not in document.text
    claims = _claims_by_identifier(document)
    assert [claim.text for claim in claims["doi:10.1371/journal.pbio.1001745"]] == [
        "Two years ago we wrote a paper called\n*Best Practices for Scientific Computing*"]
    citations = extract(document)
    noble = [c for c in citations if str(c.identifiers[0]) == "doi:10.1371/journal.pcbi.1000424"]
    assert [document.text[c.start:c.end] for c in noble] == ["A Quick Guide to Organizing Computational Biology Projects rules",
                                                             "Noble's rules"]


def test_a_reference_style_link_without_a_definition_stays_text():
    from refcheck.load import markdown_to_text

    body, links = markdown_to_text("Read [the guide][nowhere] and [the paper][Paper].\n\n[paper]: https://doi.org/10.1000/xyz\n")
    assert body == "Read [the guide][nowhere] and the paper.\n\n"
    assert [(body[link.start:link.end], link.href) for link in links] == [("the paper", "https://doi.org/10.1000/xyz")]


def test_a_preprint_stamp_and_an_author_manuscript_header_give_the_documents_own_doi():
    """Text copied from a medRxiv PDF repeats the server's stamp, its own DOI inside, on every page; a PMC author
    manuscript opens with the journal version's DOI. Each was a citation, with the stamp or the journal's name as
    its claim ("https://doi.org/ doi: medRxiv preprint NOTE: This preprint reports new research ...")."""
    medrxiv = (". CC-BY-NC-ND 4.0 International license It is made available under a is the author/funder, who has granted "
               "medRxiv a license to display the preprint in perpetuity. (which was not certified by peer review) The copyright "
               "holder for this preprint this version posted February 12, 2020. ; https://doi.org/10.1101/2020.02.08.20021212 "
               "doi: medRxiv preprint NOTE: This preprint reports new research that has not been certified by peer review and "
               "should not be used to guide clinical practice.\n")
    biorxiv = ("bioRxiv preprint doi: https://doi.org/10.1101/2020.03.02.972935; this version posted March 3, 2020. The "
               "copyright holder for this preprint is the author/funder.\n"
               "A later study confirmed the receptor (doi:10.1038/s41586-020-2012-7).\n")
    pmc = (". Author manuscript; available in PMC: 2010 Nov 1.\nPublished in final edited form as: Int J Med Inform. 2009 "
           "Aug 28;78(11):772–777. doi: 10.1016/j.ijmedinf.2009.07.003\n\nComparing Clinician Knowledge and Online "
           "Information Regarding Alli (Orlistat)\n")
    found = {name: [str(i) for c in extract(Document(name, text, "text")) for i in c.identifiers]
             for name, text in (("medrxiv", medrxiv), ("biorxiv", biorxiv), ("pmc", pmc))}
    assert found == {"medrxiv": [], "biorxiv": ["doi:10.1038/s41586-020-2012-7"], "pmc": []}


def test_a_link_opening_a_list_item_does_not_take_the_claim_of_the_item_above():
    """A blog's reading list: each item is a paper's title linked to its page, its commentary under it. An item
    whose title line is short is "little more than its citation", and took the last sentence of the item above
    as its claim - here a sentence about Alzheimer's disease for a study of aluminium in autism."""
    from refcheck.load import markdown_to_text

    markup = ("- [There may possibly be an infectious/immune component to Alzheimer's Disease]"
              "(https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6018293/)\n"
              "\tThese constitute the hallmarks of AD, but whether they are causes of AD or consequences is unknown. "
              "We suggest that these are indicators of an infectious etiology.\n\n"
              "- [Higher levels of aluminium in brain tissue in autism](https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5788896/)\n"
              "\tThe aluminium seemed to be present in non-neural, microglia cells in meninges, vasculature, grey and white matter.\n")
    body, links = markdown_to_text(markup)
    claims = _claims_by_identifier(Document("list.md", body, "markdown", links))
    assert [claim.text for claim in claims["pmcid:PMC5788896"]] == []
    assert "Alzheimer" not in " ".join(claim.text for found in claims.values() for claim in found if "aluminium" in claim.text)


def test_five_initials_without_a_vowel_end_an_nlm_name():
    """A citation index page: "Commandeur LY, van Hooijdonk CMJ, de Haas C, Rademakers JJDJM, van Dijk L,
    Borgsteede SD. Do patients experience ...? PATIENT EDUCATION AND COUNSELING 2025; 134:108685. [PMID: 39892212
    DOI: ...]". The author list stopped at the fifth initial, and "Rademakers JJDJM, van Dijk L, Borgsteede SD" was
    read as the cited title - a title no record has, so a real citation would look like another work."""
    text = ("Commandeur LY, van Hooijdonk CMJ, de Haas C, Rademakers JJDJM, van Dijk L, Borgsteede SD. Do patients "
            "experience a personalized patient leaflet as personal? PATIENT EDUCATION AND COUNSELING 2025; 134:108685. "
            "[PMID: 39892212 DOI: 10.1016/j.pec.2025.108685]\n")
    (citation,) = extract(Document("rca.txt", text, "text"))
    assert citation.cited.authors == ("Commandeur", "van Hooijdonk", "de Haas", "Rademakers", "van Dijk", "Borgsteede")
    assert citation.cited.title == "Do patients experience a personalized patient leaflet as personal?"
    from refcheck.extract import refparse

    assert refparse.parse("Junguo ZHANG. \"A Critical Examination of Anselm's Ontological Argument.\" Frontiers of "
                          "Philosophy in China. 2017, 12 (1): 137-150.").authors in ([], ())  # a surname in capitals is no initials
