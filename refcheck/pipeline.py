"""load -> extract -> resolve -> compare, for one or many sources."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
from .extract import dangling_markers, extract_with_identity
from .extract.claims import attach_claims, unsourced_claims
from .load import MAX_BYTES, STDIN_NAME, load, public_source
from .progress import Progress, no_progress
from .records import (
    CANNOT_CHECK, CheckedCitation, CheckedClaim, Citation, Claim, ClaimVerdict, Document, DocumentReport, OwnIdentifier,
    Resolution, UnmatchedMarker, UnsourcedClaim,
)
from .report.model import Report
from .resolve import Resolver, Settings
from .resolve.cache import default_cache_dir
from .version import __version__


def check(source, *, settings: Settings | None = None, resolver: Resolver | None = None, max_bytes: int = MAX_BYTES,
          progress: Progress | None = None, suggest_sources: bool = False, **overrides) -> Report:
    """Check one source (path, URL, "-", or a loaded Document) or a list of them.

    Keyword overrides are Settings fields (offline=True, cache_dir=..., ...). `progress(stage, done, total)`
    is told how far the run is, from the lookup threads too but never two calls at once (the CLI draws a
    progress bar with it; stages and counting: refcheck.progress). `suggest_sources` searches PubMed
    for candidate sources of each unsourced claim (extra requests; the suggestions are not verified).
    """
    progress = progress or no_progress
    sources = list(source) if isinstance(source, (list, tuple)) else [source]
    documents: list[Document | tuple[str, str]] = []
    for index, item in enumerate(sources):
        progress("loading", index, len(sources))
        if isinstance(item, Document):
            documents.append(item)
            continue
        try:
            documents.append(load(str(item) if isinstance(item, Path) else item, max_bytes=max_bytes))
        except InputError as exc:
            documents.append((STDIN_NAME if item == "-" else public_source(str(item)), str(exc)))
    if resolver is not None:
        return check_documents(documents, resolver, progress, suggest_sources)
    own_resolver = Resolver(settings or Settings.from_env(**overrides))
    try:
        return check_documents(documents, own_resolver, progress, suggest_sources)
    finally:
        own_resolver.close()


def check_bibliography(source, *, settings: Settings | None = None, resolver: Resolver | None = None, max_bytes: int = MAX_BYTES,
                       progress: Progress | None = None, **overrides) -> Report:
    """Check a bibliography (a BibTeX, RIS or CSL-JSON path, or a refcheck.bib.Bibliography already read): every
    entry resolved as one citation, its key as the citation's text. Settings, overrides and progress as for check().
    An unreadable file raises InputError (the library's one-line error, exit 2 on the command line)."""
    from .bib import Bibliography, read_bibliography, resolve_bibliography

    bibliography = source if isinstance(source, Bibliography) else read_bibliography(str(source), max_bytes=max_bytes)
    if resolver is not None:
        return resolve_bibliography(bibliography, resolver, progress or no_progress)
    own_resolver = Resolver(settings or Settings.from_env(**overrides))
    try:
        return resolve_bibliography(bibliography, own_resolver, progress or no_progress)
    finally:
        own_resolver.close()


def check_documents(documents: list, resolver: Resolver, progress: Progress | None = None, suggest_sources: bool = False) -> Report:
    """All citations of all documents are resolved together, each identifier once."""
    progress = progress or no_progress
    settings = resolver.settings
    # found (or refused: a one-line InputError) before any lookup is sent; it loads on the first claim
    scorer = claim_scorer(settings)
    extracted = {index: extract_document(document) for index, document in enumerate(documents) if isinstance(document, Document)}
    every_citation = [c for item in extracted.values() for c in item.citations]
    resolutions = iter(resolver.resolve(every_citation, progress))
    resolved = {index: [next(resolutions) for _ in item.citations] for index, item in extracted.items()}
    claim_total = sum(len(group) for item in extracted.values() for group in item.claims)
    verdicts = iter(claim_verdicts([pair for index, item in extracted.items() for pair in claims_to_compare(item, resolved[index])],
                                   progress, scorer, local_cache_dir(settings) if settings.use_cache else None))

    reports = []
    for index, document in enumerate(documents):
        if index not in extracted:
            source, error = document
            reports.append(DocumentReport(source=source, error=error))
            continue
        reports.append(document_report(extracted[index], resolved[index], verdicts))
    if suggest_sources:
        progress("suggesting sources", claim_total, claim_total)
        reports = with_suggested_sources(reports, resolver)
    progress("done", claim_total, claim_total)
    return Report(tuple(reports), version=__version__)


def local_cache_dir(settings: Settings) -> Path:
    """Where this machine keeps what is not a lookup (downloaded models, remembered verdicts): the SQLite cache's
    directory, also when the lookups are cached on PostgreSQL (--cache-url)."""
    return Path(settings.cache_dir) if settings.cache_dir else default_cache_dir()


def claim_scorer(settings: Settings):
    """The entailment scorer the settings ask for (refcheck.compare.entailment_scorer)."""
    from .compare import entailment_scorer

    return entailment_scorer(settings.nli_model, str(local_cache_dir(settings)), settings.offline)


@dataclass(frozen=True)
class Extracted:
    """One document before resolution: its citations, the claims on each, and what needs no lookup.
    A corpus run (refcheck.corpus) extracts in its workers and resolves the citations of many together."""

    document: Document
    citations: tuple[Citation, ...]
    claims: tuple[tuple[Claim, ...], ...]  # per citation
    markers: tuple[UnmatchedMarker, ...]
    unsourced: tuple[UnsourcedClaim, ...]
    identity: tuple[OwnIdentifier, ...] = ()  # the document's own identifiers (none of its citations)


def extract_document(document: Document) -> Extracted:
    citations, identity = extract_with_identity(document)
    claims = attach_claims(document, citations)
    return Extracted(document, tuple(citations), tuple(tuple(group) for group in claims), unmatched_markers(document),
                     tuple(unsourced_claims(document, citations, claims)), identity)


def claims_to_compare(item: Extracted, resolutions: list[Resolution]) -> list[tuple[Claim, Resolution]]:
    """Each claim of the document with its citation's resolution, in the order document_report takes their verdicts."""
    return [(claim, resolution) for citation_claims, resolution in zip(item.claims, resolutions) for claim in citation_claims]


def document_report(item: Extracted, resolutions: list[Resolution], verdicts) -> DocumentReport:
    """The document's report once its citations are resolved (in citation order); `verdicts` yields the verdict
    of each of claims_to_compare(item, resolutions) in turn."""
    checked = tuple(
        CheckedCitation(citation, resolution, tuple(CheckedClaim(claim, next(verdicts)) for claim in citation_claims))
        for citation, citation_claims, resolution in zip(item.citations, item.claims, resolutions)
    )
    return DocumentReport(item.document.source, checked, item.unsourced, text=item.document.text, unmatched_markers=item.markers,
                          format=item.document.format, identity=item.identity)


def unmatched_markers(document: Document) -> tuple[UnmatchedMarker, ...]:
    """The document's citation markers that point at no reference-list entry or footnote definition."""
    return tuple(UnmatchedMarker(start, end, labels, document.text[start:end]) for start, end, labels in dangling_markers(document.text))


def with_suggested_sources(reports: list[DocumentReport], resolver: Resolver) -> list[DocumentReport]:
    """Every document's unsourced claims with PubMed suggestions, all searched and fetched together."""
    from .suggest import find_sources

    claims = [claim for report in reports for claim in report.unsourced_claims]
    if not claims:
        return reports
    answered = iter(find_sources(claims, resolver.search_pubmed_text, resolver.pubmed_records))
    return [replace(report, unsourced_claims=tuple(next(answered) for _ in report.unsourced_claims)) for report in reports]


def claim_verdicts(claims: list[tuple[Claim, Resolution]], progress: Progress, scorer=None,
                   verdict_dir: Path | None = None) -> list[ClaimVerdict]:
    """The verdict on each claim against its citation's record. All claims of the run are compared in
    one batch, so each cited abstract is read once however often it is cited; `scorer` is the
    entailment scorer (None: rules and lexical scorer only); verdicts are remembered in `verdict_dir`."""
    def compared(done: int, total: int) -> None:
        progress("comparing claims", done, total)

    with_record = [(claim.text, resolution.work.abstract, resolution.work.title, claim.quotation)
                   for claim, resolution in claims if resolution.work is not None]
    judged = iter(())
    if with_record:
        # (the rules and scorers are imported only for a run with something to compare)
        from .compare import compare_many
        from .compare.verdict_cache import VerdictCache

        verdict_cache = VerdictCache(verdict_dir) if verdict_dir is not None else None
        try:
            judged = iter(compare_many(with_record, compared, scorer=scorer or False, verdict_cache=verdict_cache))
        finally:
            if verdict_cache is not None:
                verdict_cache.close()
    return [next(judged) if resolution.work is not None
            else ClaimVerdict(CANNOT_CHECK, reasons=(f"the citation is {resolution.status}: no record to compare with",))
            for _, resolution in claims]
