"""One fixed report for the exact-output tests of every format: built by hand from records (the Rolf 2018 and
Sadasivan 2012 works as PubMed and Crossref recorded them), so a change in extraction or comparison cannot
move it. It holds a supported claim, a contradicted one with a long reason, a citation not found, one only
partly checked (PubMed did not answer) with a correction flag, one unresolved, an unsourced claim and an
unmatched marker."""
from refcheck.records import (
    CANNOT_CHECK, CONTRADICTED, CORRECTED, FAILED, FOUND, NOT_FOUND, SUPPORTED, UNRESOLVED, VERIFIED, Author, CheckedCitation,
    CheckedClaim, Citation, Claim, ClaimVerdict, DocumentReport, Identifier, Lookup, Notice, Resolution, UnmatchedMarker, UnsourcedClaim,
    Work,
)
from refcheck.report import Report

TEXT = (
    "---\ntitle: Vitamin D and antibodies\n---\n"
    "# Vitamin D and **antibodies**\n\n"
    "In a randomized controlled trial, high-dose vitamin D3 reduced anti-EBNA-1 antibody levels in RRMS patients [PMID: 28731372]. "
    "The same trial gave vitamin D3 to 90 patients for two years and halved relapses [PMID: 28731372].\n\n"
    "Studies have shown that 90% of people feel better after a week.\n\n"
    "- A follow-up was reported too (doi:10.1371/notarealdoi).\n"
    "- Methylphenidate caused dopamine neuron loss in mice (doi:10.1371/journal.pone.0033693).\n"
    "- An unrecorded one (doi:10.5555/never-recorded-1), and one more [7].\n"
)

ABSTRACT = (
    "Background: Epstein-Barr virus (EBV) infection and vitamin D insufficiency are potentially interacting risk factors for multiple "
    "sclerosis (MS). Objectives: To investigate the effect of high-dose vitamin D3 supplements on antibody levels against the EBV nuclear "
    "antigen-1 (EBNA-1) in patients with relapsing-remitting multiple sclerosis (RRMS) and to explore any underlying mechanism affecting "
    "anti-EBNA-1 antibody levels. Methods: This study utilized blood samples from a randomized controlled trial in RRMS patients receiving "
    "either vitamin D3 (14,000 IU/day; n = 30) or placebo ( n = 23) over 48 weeks. Conclusion: High-dose vitamin D3 supplementation "
    "selectively reduces anti-EBNA-1 antibody levels in RRMS patients."
)
ROLF = Work(
    title="Exploring the effect of vitamin D3 supplementation on the anti-EBV antibody response in relapsing-remitting multiple sclerosis",
    authors=(Author("Rolf", "Linda"), Author("Muris", "Anne-Hilde"), Author("Mathias", "Amandine")), year=2018,
    journal="Multiple sclerosis (Houndmills, Basingstoke, England)", journal_abbreviation="Mult Scler", volume="24", issue="10",
    page="1280-1287", doi="10.1177/1352458517722646", pmid="28731372", pmcid="PMC6108041", abstract=ABSTRACT, source="pubmed",
)
SADASIVAN = Work(
    title="Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal Ganglia of Mice",
    authors=(Author("Sadasivan", "Shankar"), Author("Pond", "Brooks B.")), year=2012, journal="PLoS ONE", volume="7", issue="3",
    page="e33693", doi="10.1371/journal.pone.0033693", flags=(CORRECTED,), source="crossref",
    notices=(Notice(CORRECTED, Identifier("doi", "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda")),),
)
OBJECTIVES, METHODS, CONCLUSION = (
    sentence for sentence in (ABSTRACT[ABSTRACT.index(start):ABSTRACT.index(end) + len(end)] for start, end in (
        ("Objectives:", "antibody levels."), ("Methods:", "48 weeks."), ("Conclusion:", "RRMS patients.")))
)
LONG_REASON = ("claim says 90 patients but the abstract gives n = 30 and n = 23 (53 in all); the abstract never gives two years "
               "(it gives 48 weeks); the claim says relapses were halved but the abstract reports antibody levels only and says "
               "nothing of relapses")


def _span(needle: str, end_needle: str | None = None) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, (TEXT.index(end_needle, start) + len(end_needle)) if end_needle else start + len(needle)


def _citation(written: str, scheme: str, value: str, occurrence: int = 0) -> Citation:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(written, start + 1)
    return Citation(scheme, value, written, start, start + len(written), (Identifier(scheme, value),))


def _claim(first: str, last: str, written: str) -> Claim:
    """A claim spanning first ... last in the text (its citation included, as the extractor's spans do), its text
    as written (the extractor leaves the citation out)."""
    start, end = _span(first, last)
    return Claim(written, start, end)


def golden_report() -> Report:
    supported = CheckedClaim(_claim("In a randomized", "28731372].", "In a randomized controlled trial, high-dose vitamin D3 reduced "
                                    "anti-EBNA-1 antibody levels in RRMS patients."),
                             ClaimVerdict(SUPPORTED, (OBJECTIVES, METHODS, CONCLUSION), ("abstract agrees",), 0.893))
    contradicted = CheckedClaim(_claim("The same trial", "28731372].", "The same trial gave vitamin D3 to 90 patients for two years and "
                                       "halved relapses."), ClaimVerdict(CONTRADICTED, (METHODS,), (LONG_REASON,), 0.571))
    not_found = CheckedCitation(
        _citation("doi:10.1371/notarealdoi", "doi", "10.1371/notarealdoi"),
        Resolution(NOT_FOUND, None, reasons=("DOI 10.1371/notarealdoi: Crossref has no record of this DOI (HTTP 404)",),
                   lookups=(Lookup("crossref", "10.1371/notarealdoi", "not_found", reason="Crossref has no record of this DOI (HTTP 404)"),)),
        (CheckedClaim(_claim("A follow-up", "notarealdoi).", "A follow-up was reported too."), ClaimVerdict(CANNOT_CHECK, (), ("the citation is NOT_FOUND: no record to compare with",))),),
    )
    partly = CheckedCitation(
        _citation("doi:10.1371/journal.pone.0033693", "doi", "10.1371/journal.pone.0033693"),
        Resolution(VERIFIED, SADASIVAN, (CORRECTED,), ("partly checked: PubMed search: HTTP 503 (retraction and correction status from it unknown)",),
                   lookups=(Lookup("crossref", "10.1371/journal.pone.0033693", FOUND, work=SADASIVAN),
                            Lookup("pubmed-doi", "10.1371/journal.pone.0033693", FAILED, reason="PubMed search: HTTP 503"))),
        (CheckedClaim(_claim("Methylphenidate caused", "0033693).", "Methylphenidate caused dopamine neuron loss in mice."), ClaimVerdict(CANNOT_CHECK, (), ("no abstract available",))),),
    )
    unresolved = CheckedCitation(
        _citation("doi:10.5555/never-recorded-1", "doi", "10.5555/never-recorded-1"),
        Resolution(UNRESOLVED, None, reasons=("Crossref: HTTP 503",),
                   lookups=(Lookup("crossref", "10.5555/never-recorded-1", FAILED, reason="Crossref: HTTP 503"),)),
    )
    rolf = Resolution(VERIFIED, ROLF, lookups=(Lookup("pubmed", "28731372", FOUND, work=ROLF),))
    citations = (
        CheckedCitation(_citation("PMID: 28731372", "pmid", "28731372"), rolf, (supported,)),
        CheckedCitation(_citation("PMID: 28731372", "pmid", "28731372", occurrence=1), rolf, (contradicted,)),
        not_found, partly, unresolved,
    )
    unsourced_start, unsourced_end = _span("Studies have shown", "a week.")
    marker_start, _ = _span("[7]")
    document = DocumentReport(
        "articles/vitamin-d.md", citations,
        (UnsourcedClaim(TEXT[unsourced_start:unsourced_end], unsourced_start, unsourced_end, ("90%",)),),
        text=TEXT, unmatched_markers=(UnmatchedMarker(marker_start, marker_start + 3, (7,), "[7]"),), format="markdown",
    )
    return Report((document,), version="0.1.0")
