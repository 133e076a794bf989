"""load -> extract -> resolve -> compare, for one or many sources."""
from __future__ import annotations

from pathlib import Path

from . import __version__
from .claims import attach_claims, unsourced_claims
from .errors import InputError
from .extract import extract
from .load import MAX_BYTES, load
from .records import (
    CANNOT_CHECK, CheckedCitation, CheckedClaim, ClaimVerdict, Document, DocumentReport, Report, Resolution,
)
from .resolve import Resolver, Settings


def check(source, *, settings: Settings | None = None, resolver: Resolver | None = None, max_bytes: int = MAX_BYTES, **overrides) -> Report:
    """Check one source (path, URL, "-", or a loaded Document) or a list of them.

    Keyword overrides are Settings fields (offline=True, cache_dir=..., ...).
    """
    sources = list(source) if isinstance(source, (list, tuple)) else [source]
    documents: list[Document | tuple[str, str]] = []
    for item in sources:
        if isinstance(item, Document):
            documents.append(item)
            continue
        try:
            documents.append(load(str(item) if isinstance(item, Path) else item, max_bytes=max_bytes))
        except InputError as exc:
            documents.append((str(item), str(exc)))
    if resolver is not None:
        return check_documents(documents, resolver)
    own_resolver = Resolver(settings or Settings.from_env(**overrides))
    try:
        return check_documents(documents, own_resolver)
    finally:
        own_resolver.close()


def check_documents(documents: list, resolver: Resolver) -> Report:
    """All citations of all documents are resolved together, each identifier once."""
    extracted = {}
    for index, document in enumerate(documents):
        if isinstance(document, Document):
            citations = extract(document)
            extracted[index] = (document, citations, attach_claims(document, citations))
    every_citation = [c for _, citations, _ in extracted.values() for c in citations]
    resolutions = iter(resolver.resolve(every_citation))
    reports = []
    for index, document in enumerate(documents):
        if index not in extracted:
            source, error = document
            reports.append(DocumentReport(source=source, error=error))
            continue
        document, citations, claims = extracted[index]
        checked = tuple(
            CheckedCitation(citation, resolution, tuple(CheckedClaim(claim, verdict_for(claim.text, resolution)) for claim in citation_claims))
            for citation, citation_claims, resolution in zip(citations, claims, resolutions)
        )
        reports.append(DocumentReport(document.source, checked, tuple(unsourced_claims(document, citations, claims))))
    return Report(tuple(reports), version=__version__)


def verdict_for(claim: str, resolution: Resolution) -> ClaimVerdict:
    from .compare import compare

    if resolution.work is None:
        return ClaimVerdict(CANNOT_CHECK, reasons=(f"the citation is {resolution.status}: no record to compare with",))
    return compare(claim, resolution.work.abstract, resolution.work.title)
