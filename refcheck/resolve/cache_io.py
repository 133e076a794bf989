"""Pre-warm the cache from public data, and dump it.

`import_files` reads PubMed XML (efetch output, MEDLINE/PubMed baseline
`.xml.gz`) and Crossref work JSON (`{"message": {...}}`, as the REST API
answers /works/{doi}) and stores each record as if it had been fetched, so a
CI job can run with --offline. `export_lines` writes every cached answer as
one JSON object per line.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from .cache import Cache, UndecodableRow, work_to_dict
from ..errors import InputError
from ..records import FOUND, Identifier, Lookup
from .services import crossref as crossref_service
from .services import pubmed as pubmed_service
from .services.http import ServiceError


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
        return gzip.decompress(data) if path.suffix == ".gz" else data
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None


def lookups_from_file(path: Path) -> list[tuple[Lookup, bytes]]:
    """The records one file holds, as FOUND lookups with their raw form."""
    data = _read(path)
    if data.lstrip()[:1] in (b"{", b"["):
        try:
            document = json.loads(data)
        except ValueError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from None
        messages = [document.get("message")] if isinstance(document, dict) else []
        if not messages or not isinstance(messages[0], dict) or "DOI" not in messages[0]:
            raise InputError(f"{path}: not a Crossref work record ({{\"message\": {{\"DOI\": ...}}}})")
        lookup, raw = crossref_service.found_lookup(str(messages[0]["DOI"]).lower(), messages[0])
        if lookup.outcome != FOUND:
            raise InputError(f"{path}: {lookup.reason}")
        return [(lookup, raw)]
    try:
        pubmed_service.check_eutils_body(data)
        works = pubmed_service.parse_pubmed_xml(data)
    except ServiceError as exc:
        raise InputError(f"{path}: not a PubMed XML file ({exc.reason})") from None
    imported = []
    for work, raw in works:
        if not work.pmid:
            continue
        imported.append((Lookup(pubmed_service.NAME, work.pmid, FOUND, work=work), raw))
        # The record itself says which DOI and PMCID it carries: the links a search would find.
        link = (Identifier("pmid", work.pmid),)
        imported += [(Lookup(service, value, FOUND, related=link), b"") for service, value in (("pubmed-doi", work.doi), ("pubmed-pmcid", work.pmcid)) if value]
    return imported


def import_files(cache: Cache, paths: list[str]) -> int:
    """Store every record of every file; returns how many. Stops at the first unreadable file."""
    if not cache.available or not cache.writable:
        raise InputError(f"the cache at {cache.path} is not writable")
    stored = 0
    for name in paths:
        answers = lookups_from_file(Path(name))
        cache.put_many(answers)
        stored += len(answers)
    return stored


def export_lines(cache: Cache):
    """One JSON object per cached answer: service, key, outcome, record, related, reason, times.
    A row this version cannot read stops the export: a dump that quietly drops rows is worse than none."""
    try:
        for lookup, fetched_at, expires_at in cache.rows():
            yield json.dumps({
                "service": lookup.service,
                "key": lookup.key,
                "outcome": lookup.outcome,
                "record": work_to_dict(lookup.work) if lookup.work else None,
                "related": [str(i) for i in lookup.related],
                "reason": lookup.reason,
                "fetched_at": fetched_at,
                "expires_at": expires_at,
            }, sort_keys=True, ensure_ascii=False)
    except UndecodableRow as exc:
        raise InputError(f"{cache.path}: {exc}") from None
