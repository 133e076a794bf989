"""The records that flow between the pipeline stages.

load -> Document; extract -> Citation (and UnmatchedMarker); claims -> Claim; resolve -> Resolution
(carrying a Work); compare -> ClaimVerdict; DocumentReport holds one document's results (refcheck.report.Report
bundles them and says what they come to).
All frozen: a stage never mutates what an earlier stage produced.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .labels import (  # noqa: F401 (re-exported: every stage takes the labels from here)
    VERIFIED, METADATA_MISMATCH, WRONG_WORK, NOT_FOUND, UNRESOLVED, CITATION_STATUSES, RETRACTED, CORRECTED,
    EXPRESSION_OF_CONCERN, SUPPORTED, PARTIALLY_SUPPORTED, NOT_SUPPORTED, CONTRADICTED, CANNOT_CHECK, CLAIM_VERDICTS,
)


@dataclass(frozen=True)
class Link:
    """A hyperlink whose anchor text occupies text[start:end] of a Document."""

    start: int
    end: int
    href: str


# The tags of an HTML head that may name the page itself, strongest first (extract.identity weighs them so): those
# of the first kind hold an identifier, those of the second an address that may name one. An Open Journal Systems
# page's first "DC.Identifier" is its internal number, so Highwire's citation_doi comes before Dublin Core's;
# citation_reference tags name the works a page cites and are none of these.
IDENTITY_VALUE_TAGS = ("citation_doi", "citation_pmid", "citation_pmcid", "prism.doi", "dc.identifier.doi", "bepress_citation_doi",
                       "dc.identifier")
IDENTITY_ADDRESS_TAGS = ("canonical", "cite-as", "og:url", "citation_abstract_html_url", "citation_fulltext_html_url",
                         "citation_public_url", "citation_pdf_url")


@dataclass(frozen=True)
class Document:
    """A loaded input: plain text with paragraph breaks, plus the hyperlinks."""

    source: str
    text: str
    format: str  # "html" | "markdown" | "text" | "pdf"
    links: tuple[Link, ...] = ()
    # (name, value) of each tag of an HTML head that may name the page itself (IDENTITY_VALUE_TAGS, IDENTITY_ADDRESS_TAGS):
    # <meta name="citation_doi" content="...">, <link rel="canonical" href="..."> as ("canonical", href). The text holds
    # none of them.
    identity_tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Identifier:
    scheme: str  # "doi" | "pmid" | "pmcid"
    value: str  # normalised: DOI lower-cased, PMID digits, PMCID "PMC" + digits

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


@dataclass(frozen=True)
class OwnIdentifier:
    """An identifier of the document itself (the article a journal page, a preprint or a PMC copy is): the
    document's identity, reported as such and never checked as a citation of it (see extract.identity)."""

    identifier: Identifier
    evidence: str  # how it is known: "meta" (a tag of the HTML head), "url" (the address it was loaded from),
    # "stamp" ("Cite this article", a preprint server's line) or "header" (the lines above its body)


@dataclass(frozen=True)
class CitedMetadata:
    """What the document itself says about the cited work (for metadata checks)."""

    title: str | None = None
    authors: tuple[str, ...] = ()  # family names as written
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None


@dataclass(frozen=True)
class Citation:
    kind: str  # "doi" | "pmid" | "pmcid" | "reference"
    id: str | None  # the primary normalised identifier, None for an unidentified reference
    text: str  # as written in the document
    start: int
    end: int
    identifiers: tuple[Identifier, ...] = ()  # every identifier found for this work
    cited: CitedMetadata | None = None
    hints: tuple[str, ...] = ()  # e.g. a malformed identifier


@dataclass(frozen=True)
class Claim:
    text: str
    start: int
    end: int
    quotation: bool = False  # the page quotes the cited work (e.g. its abstract) rather than paraphrasing it


@dataclass(frozen=True)
class Author:
    family: str
    given: str = ""

    def display(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(frozen=True)
class Notice:
    """A notice that updates a work (a retraction, a correction, an expression of concern), by its identifier."""

    kind: str  # the flag it gives the work: RETRACTED / CORRECTED / EXPRESSION_OF_CONCERN
    identifier: Identifier


@dataclass(frozen=True)
class Work:
    """One resolved work. Field names follow CSL-JSON where CSL has the field."""

    title: str = ""
    authors: tuple[Author, ...] = ()
    year: int | None = None
    journal: str = ""  # CSL container-title
    journal_abbreviation: str = ""  # ISO 4 (PubMed's ISOAbbreviation, Crossref's short-container-title); CSL container-title-short
    volume: str = ""
    issue: str = ""
    page: str = ""
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    abstract: str | None = None
    type: str = "article-journal"
    publication_types: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # RETRACTED / CORRECTED / EXPRESSION_OF_CONCERN
    notices: tuple[Notice, ...] = ()  # the notices behind the flags, where the record names them
    source: str = ""  # which service(s) the record came from, e.g. "crossref+pubmed"
    notes: tuple[str, ...] = ()  # what the record says about itself worth reporting, e.g. "a retraction notice for doi:..."

    def first_author(self) -> str:
        return self.authors[0].family if self.authors else ""


# Outcomes of one lookup at one service.
FOUND = "found"
ABSENT = "not_found"  # the authority explicitly said there is no such record
FAILED = "failed"  # could not ask or could not understand the answer


@dataclass(frozen=True)
class Lookup:
    service: str
    key: str
    outcome: str  # FOUND | ABSENT | FAILED
    work: Work | None = None
    reason: str = ""
    related: tuple[Identifier, ...] = ()  # e.g. the PMIDs an esearch for a DOI returned


@dataclass(frozen=True)
class Resolution:
    status: str
    work: Work | None
    flags: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    lookups: tuple[Lookup, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class ClaimVerdict:
    verdict: str
    evidence: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    score: float = 0.0  # similarity between claim and best evidence, 0..1


@dataclass(frozen=True)
class CheckedClaim:
    claim: Claim
    verdict: ClaimVerdict


@dataclass(frozen=True)
class CheckedCitation:
    citation: Citation
    resolution: Resolution
    claims: tuple[CheckedClaim, ...] = ()


@dataclass(frozen=True)
class SourceSuggestion:
    """A PubMed article that may be the source of an unsourced claim: a lead for a person to read, never verified."""

    pmid: str
    doi: str | None
    title: str
    year: int | None
    score: float  # 0..1: how much of the claim the article's title and abstract cover
    reason: str


@dataclass(frozen=True)
class UnsourcedClaim:
    text: str
    start: int
    end: int
    figures: tuple[str, ...] = ()
    suggestions: tuple[SourceSuggestion, ...] = ()  # best first; only with --suggest-sources
    suggestion_error: str | None = None  # "could not search: ..." when the search failed (never "no sources exist")
    sources_searched: bool = False  # a search was attempted: no suggestions then means PubMed offered no good candidate


@dataclass(frozen=True)
class UnmatchedMarker:
    """A citation marker in the body ("[7]", "[2-4]", "[^smith]") with no reference-list entry or footnote
    definition for (at least one of) its labels."""

    start: int
    end: int
    labels: tuple[int | str, ...]  # numbers of a numbered marker (a range expanded), the name of a named footnote
    marker: str  # as written, e.g. "[7]"


@dataclass(frozen=True)
class DocumentReport:
    source: str
    citations: tuple[CheckedCitation, ...] = ()
    unsourced_claims: tuple[UnsourcedClaim, ...] = ()
    error: str | None = None  # a document that could not be loaded
    text: str = ""  # the extracted text the offsets refer to (for the HTML report and line numbers)
    unmatched_markers: tuple[UnmatchedMarker, ...] = ()
    format: str = ""  # the Document's format (the HTML report shows a Markdown text rendered)
    identity: tuple[OwnIdentifier, ...] = ()  # the document's own identifiers, none of them among its citations
