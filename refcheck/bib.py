"""Verified bibliographies: read BibTeX, RIS or CSL-JSON, resolve every entry, suggest corrections.

Each entry becomes a Citation (identifiers from its DOI/PMID fields, CitedMetadata from the rest)
and goes through the same Resolver as a document's citations, so the same statuses apply
(VERIFIED / METADATA_MISMATCH / WRONG_WORK / NOT_FOUND / UNRESOLVED, plus RETRACTED and other flags).
Corrections are computed per field from the resolved record and shown as a unified diff; the
user's file is never rewritten: --fix writes a new file beside it.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .export import FIELD_NAMES, bibtex_fields, csl_item, dump_bibtex, dump_csljson, dump_ris, ris_tags
from .identifiers import normalise_doi
from .metadata import different_scripts, fold
from .progress import Progress, no_progress
from .records import (
    METADATA_MISMATCH, VERIFIED, Author, CheckedCitation, Citation, CitedMetadata, DocumentReport, Identifier, Report, Work,
)

BIB_FORMATS = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".json": "csljson", ".csl": "csljson"}


@dataclass(frozen=True)
class BibEntry:
    key: str
    start: int  # the entry's span in the file text
    end: int
    fields: dict  # title, authors (tuple of Author), year, journal, volume, issue, pages, doi, pmid
    raw: tuple  # the entry as (name, value) pairs in the file's own format, in file order


@dataclass(frozen=True)
class Bibliography:
    path: str
    format: str
    text: str
    entries: tuple[BibEntry, ...]


# --- reading ---------------------------------------------------------------------------------------

def _clean(value) -> str:
    return " ".join(re.sub(r"[{}]", "", str(value or "")).split())


def _person(name: str) -> Author:
    """'Family, Given' or 'Given Family'."""
    name = _clean(name)
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return Author(family, given)
    words = name.split()
    return Author(words[-1], " ".join(words[:-1])) if words else Author("")


def _year(value) -> int | None:
    match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", str(value or ""))
    return int(match.group(1)) if match else None


def _doi_in(value: str) -> str:
    match = re.search(r"10\.\d{4,9}/\S+", value or "")
    return match.group(0).rstrip(".,;") if match else ""


def _fields(title, authors, year, journal, volume, issue, pages, doi, pmid) -> dict:
    return {
        "title": _clean(title), "authors": tuple(a for a in authors if a.family), "year": _year(year), "journal": _clean(journal),
        "volume": _clean(volume), "issue": _clean(issue), "pages": _clean(pages).replace("--", "-"),
        "doi": _doi_in(_clean(doi)), "pmid": _clean(pmid) if _clean(pmid).isdigit() else "",
    }


def _parse_bibtex(text: str) -> list[BibEntry]:
    import bibtexparser
    from bibtexparser.bparser import BibTexParser

    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False, interpolate_strings=True)
    database = bibtexparser.loads(text, parser=parser)
    entries = []
    for raw in database.entries:
        found = re.search(r"@\w+\s*[{(]\s*" + re.escape(raw["ID"]) + r"\s*,", text)
        start = found.start() if found else 0
        eprint_pmid = raw.get("eprint", "") if raw.get("eprinttype", "").lower() == "pubmed" else ""
        fields = _fields(
            raw.get("title"), [_person(n) for n in re.split(r"\s+and\s+", _clean(raw.get("author")))] if raw.get("author") else [],
            raw.get("year") or raw.get("date"), raw.get("journal") or raw.get("journaltitle") or raw.get("booktitle"),
            raw.get("volume"), raw.get("number") or raw.get("issue"), raw.get("pages"),
            raw.get("doi") or _doi_in(raw.get("url", "")), raw.get("pmid") or eprint_pmid,
        )
        entries.append(BibEntry(raw["ID"], start, found.end() if found else 0, fields, tuple(raw.items())))
    return entries


RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _parse_ris(text: str) -> list[BibEntry]:
    entries, tags, start, offset = [], [], 0, 0
    for line in text.splitlines(keepends=True):
        match = RIS_LINE.match(line.rstrip("\r\n"))
        if match:
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "TY":
                tags, start = [], offset
            if tag == "ER":
                entries.append(_ris_entry(tags, start, offset + len(line.rstrip("\r\n")), len(entries)))
                tags = []
            else:
                tags.append((tag, value))
        offset += len(line)
    return entries


def _ris_entry(tags: list, start: int, end: int, index: int) -> BibEntry:
    def first(*names):
        return next((value for tag, value in tags if tag in names), "")

    names = FIELD_NAMES["ris"]
    pages = "-".join(p for p in (first("SP"), first("EP")) if p)
    fields = _fields(first(*names["title"]), [_person(v) for t, v in tags if t in names["authors"]], first(*names["year"]),
                     first(*names["journal"]), first("VL"), first("IS"), pages, first("DO"), first("AN"))
    key = first("ID") or f"entry{index + 1}"
    return BibEntry(key, start, end, fields, tuple(tags))


def _parse_csljson(text: str) -> list[BibEntry]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid CSL-JSON ({exc})") from None
    items = [items] if isinstance(items, dict) else items
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InputError("CSL-JSON must be a list of objects")
    entries = []
    for index, item in enumerate(items):
        key = str(item.get("id") or f"entry{index + 1}")
        found = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(item.get("id"))), text) if "id" in item else None
        people = [Author(p.get("family") or p.get("literal", ""), p.get("given", "")) for p in item.get("author", []) if isinstance(p, dict)]
        issued = (item.get("issued") or {}).get("date-parts") or [[None]]
        container = item.get("container-title")
        fields = _fields(item.get("title"), people, issued[0][0] if issued and issued[0] else None,
                         container[0] if isinstance(container, list) and container else container,
                         item.get("volume"), item.get("issue"), item.get("page"), item.get("DOI"), item.get("PMID"))
        entries.append(BibEntry(key, found.start() if found else 0, found.end() if found else 0, fields, tuple(item.items())))
    return entries


PARSERS = {"bibtex": _parse_bibtex, "ris": _parse_ris, "csljson": _parse_csljson}


def sniff_format(path: str, text: str) -> str:
    by_extension = BIB_FORMATS.get(Path(path).suffix.lower())
    if by_extension:
        return by_extension
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return "csljson"
    if re.search(r"^TY  - ", text, re.M):
        return "ris"
    if re.search(r"^\s*@\w+\s*[{(]", text, re.M):
        return "bibtex"
    raise InputError(f"{path}: not a BibTeX, RIS or CSL-JSON file (use .bib, .ris or .json)")


def read_bibliography(path: str) -> Bibliography:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None
    fmt = sniff_format(path, text)
    try:
        entries = PARSERS[fmt](text)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    if not entries:
        raise InputError(f"{path}: no entries found in this {fmt} file")
    return Bibliography(path, fmt, text, tuple(entries))


# --- checking --------------------------------------------------------------------------------------

def entry_citation(entry: BibEntry) -> Citation:
    fields = entry.fields
    identifiers = tuple(
        Identifier(scheme, value) for scheme, value in (("doi", normalise_doi(fields["doi"]) if fields["doi"] else ""), ("pmid", fields["pmid"])) if value
    )
    cited = CitedMetadata(
        title=fields["title"] or None, authors=tuple(a.family for a in fields["authors"]), year=fields["year"],
        journal=fields["journal"] or None, volume=fields["volume"] or None, issue=fields["issue"] or None,
        first_page=re.split(r"[-\u2013]", fields["pages"])[0] or None,
    )
    primary = identifiers[0] if identifiers else None
    return Citation(primary.scheme if primary else "reference", primary.value if primary else None, entry.key,
                    entry.start, entry.end, identifiers, cited)


def check_bibliography(bibliography: Bibliography, resolver, progress: Progress = no_progress) -> Report:
    """Every entry resolved as one citation; `progress` as in refcheck.check."""
    from . import __version__

    citations = [entry_citation(entry) for entry in bibliography.entries]
    checked = tuple(CheckedCitation(c, r) for c, r in zip(citations, resolver.resolve(citations, progress)))
    return Report((DocumentReport(bibliography.path, checked, text=bibliography.text),), version=__version__)


# --- corrections -----------------------------------------------------------------------------------

def corrections(fields: dict, work: Work) -> tuple[str, ...]:
    """The bibliographic fields the entry should take from the record: those that differ, and
    identifiers and details the entry lacks. The journal is only filled in, never replaced: an
    abbreviated journal name is not an error."""
    recorded_first_page = re.split(r"[-\u2013]", work.page)[0] if work.page else ""
    changed = []
    # A title translated or a name transliterated into the entry's script is a style, not an error.
    if work.title and fold(fields["title"]) != fold(work.title) and not different_scripts(fields["title"], work.title):
        changed.append("title")
    cited_families = [fold(a.family) for a in fields["authors"]]
    # A shortened author list (the first few of the record's, in order) is a style, not an error.
    recorded_families = [fold(a.family) for a in work.authors][: len(cited_families) or None]
    same_authors = len(cited_families) == len(recorded_families) and all(
        cited == recorded or different_scripts(cited, recorded) for cited, recorded in zip(cited_families, recorded_families))
    if work.authors and not same_authors:
        changed.append("authors")
    if work.year and fields["year"] != work.year:
        changed.append("year")
    if work.journal and not fields["journal"]:
        changed.append("journal")
    for name, recorded in (("volume", work.volume), ("issue", work.issue)):
        if recorded and fields[name].lstrip("0") != recorded.lstrip("0"):
            changed.append(name)
    if recorded_first_page and re.split(r"[-\u2013]", fields["pages"])[0].lower() != recorded_first_page.lower():
        changed.append("pages")
    if work.doi and fields["doi"].lower() != work.doi.lower():
        changed.append("doi")
    if work.pmid and fields["pmid"] != work.pmid:
        changed.append("pmid")
    return tuple(changed)


def _record_pairs(fmt: str, work: Work) -> list[tuple[str, object]]:
    if fmt == "bibtex":
        return list(bibtex_fields(work).items())
    if fmt == "csljson":
        return list(csl_item(work).items())
    return ris_tags(work)


def corrected_raw(fmt: str, raw: tuple, work: Work, changed: tuple[str, ...]) -> tuple:
    """The entry with the changed fields taken from the record, each where the entry had it (else at the end)."""
    names = {name for field in changed for name in FIELD_NAMES[fmt][field]}
    replacement = [(name, value) for name, value in _record_pairs(fmt, work) if name in names]
    result, inserted = [], False
    for name, value in raw:
        if name in names:
            if not inserted:
                result += replacement
                inserted = True
            continue
        result.append((name, value))
    if not inserted:
        result += replacement
    return tuple(result)


def dump(fmt: str, raws: list[tuple]) -> str:
    if fmt == "bibtex":
        return dump_bibtex([dict(raw) for raw in raws])
    if fmt == "csljson":
        return dump_csljson([dict(raw) for raw in raws])
    return dump_ris([list(raw) for raw in raws])


def fixed_entries(bibliography: Bibliography, report: Report) -> list[tuple]:
    """Every entry, corrected where its record is the work it means (VERIFIED or METADATA_MISMATCH)."""
    fixed = []
    for entry, item in zip(bibliography.entries, report.documents[0].citations):
        work = item.resolution.work
        usable = work is not None and item.resolution.status in (VERIFIED, METADATA_MISMATCH)
        fixed.append(corrected_raw(bibliography.format, entry.raw, work, corrections(entry.fields, work)) if usable else entry.raw)
    return fixed


def fixed_path(path: str) -> Path:
    """refs.bib -> refs.fixed.bib, beside the original."""
    original = Path(path)
    return original.with_name(f"{original.stem}.fixed{original.suffix or '.txt'}")


def suggestion_diff(bibliography: Bibliography, report: Report) -> str:
    """A unified diff from the entries as read (normalised by the format's writer) to the corrected entries."""
    before = dump(bibliography.format, [entry.raw for entry in bibliography.entries])
    after = dump(bibliography.format, fixed_entries(bibliography, report))
    return "".join(difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        fromfile=f"{bibliography.path} (as read)", tofile=str(fixed_path(bibliography.path)),
    ))
