"""Citations in a Document: identifiers (in text and hrefs), reference-list
entries, and the numbered markers that point at them."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .identifiers import Found, find_identifiers
from .records import Citation, CitedMetadata, Document, Identifier

_REFERENCE_HEADING = re.compile(
    r"^[ \t#*]{0,6}(?:references?(?: and (?:articles|notes|further reading))?|bibliography|works cited|"
    r"literature cited|sources|notes(?: and references)?|citations|footnotes|further reading)[ \t]{0,4}:?[ \t*]{0,4}$",
    re.IGNORECASE | re.MULTILINE,
)
_ENTRY_NUMBER = re.compile(r"^[ \t]{0,8}(?:\[(\d{1,4})\]|(\d{1,4})[.)])[ \t]{1,8}")
# Identifiers on one line within this distance describe the same work (e.g. "doi: ... PMID: ...").
_SAME_WORK_SPAN = 300


@dataclass(frozen=True)
class ReferenceEntry:
    number: int | None
    start: int
    end: int
    text: str


def extract(document: Document) -> list[Citation]:
    """Every citation in reading order."""
    text = document.text
    found = find_identifiers(text)
    for link in document.links:
        for item in find_identifiers(link.href, in_url=True):
            if any(f.identifier == item.identifier and f.start < link.end + 1 and link.start - 1 < f.end for f in found):
                continue  # the anchor text already shows this identifier
            found.append(Found(item.identifier, link.start, link.end, link.href, item.hint))
    found.sort(key=lambda f: (f.start, f.end))
    entries = reference_entries(text)
    citations = [_citation_from_group(group, text, entries) for group in _group_same_work(found, text)]
    covered = [(c.start, c.end) for c in citations]
    for entry in entries:
        if any(entry.start <= start < entry.end for start, _ in covered):
            continue
        metadata = parse_reference(entry.text)
        if _looks_like_reference(entry, metadata):
            citations.append(Citation(kind="reference", id=None, text=entry.text.strip(), start=entry.start, end=entry.end, cited=metadata))
    citations.sort(key=lambda c: c.start)
    return citations


def _looks_like_reference(entry: ReferenceEntry, metadata: CitedMetadata) -> bool:
    """Reference sections on web pages also hold abstracts, comments and share
    buttons: keep an entry only if it is numbered or carries bibliographic detail."""
    if metadata.volume and metadata.year:
        return True
    if metadata.year and len(metadata.authors) >= 2 and metadata.title:
        return True
    return entry.number is not None and bool(metadata.title) and len(entry.text) >= 30


def _group_same_work(found: list[Found], text: str) -> list[list[Found]]:
    groups: list[list[Found]] = []
    for item in found:
        if groups:
            last = groups[-1]
            between = text[last[-1].end:item.start]
            schemes = {f.identifier.scheme for f in last}
            if (
                "\n" not in between
                and item.start - last[0].start <= _SAME_WORK_SPAN
                and item.identifier.scheme not in schemes
                and not re.search(r"[\]\)]\s*[\[\(]|;\s*\d", between)  # "[1] [2]" or "; 12" separate works
            ):
                last.append(item)
                continue
            if item.identifier == last[-1].identifier and item.start <= last[-1].end:
                continue
        groups.append([item])
    return groups


def _citation_from_group(group: list[Found], text: str, entries: list[ReferenceEntry]) -> Citation:
    first, last = group[0], group[-1]
    primary = next((f for f in group if f.identifier.value), first)
    identifiers = tuple(dict.fromkeys(f.identifier for f in group if f.identifier.value))
    entry = next((e for e in entries if e.start <= first.start < e.end), None)
    cited = parse_reference(entry.text) if entry else None
    return Citation(
        kind=primary.identifier.scheme,
        id=primary.identifier.value or None,
        text=text[first.start:last.end] if len(group) > 1 else first.written,
        start=first.start,
        end=last.end,
        identifiers=identifiers,
        cited=cited,
        hints=tuple(f.hint for f in group if f.hint),
    )


def reference_section_start(text: str) -> int | None:
    """Offset just after the last reference-list heading, if the document has one."""
    headings = list(_REFERENCE_HEADING.finditer(text))
    return headings[-1].end() if headings else None


def reference_entries(text: str) -> list[ReferenceEntry]:
    """Entries of the reference list: one per line (or per numbered item) after the heading."""
    start = reference_section_start(text)
    if start is None:
        return []
    entries: list[ReferenceEntry] = []
    offset = start
    for line in text[start:].splitlines(keepends=True):
        stripped = line.strip()
        line_start, offset = offset, offset + len(line)
        if not stripped:
            continue
        number_match = _ENTRY_NUMBER.match(line)
        number = int(number_match.group(1) or number_match.group(2)) if number_match else None
        entries.append(ReferenceEntry(number, line_start, line_start + len(line.rstrip()), line.rstrip()))
    return entries


def numbered_markers(text: str, body_end: int) -> list[tuple[int, int, tuple[int, ...]]]:
    """Markers like [3], [2-4], [1, 3] in the body: (start, end, numbers)."""
    markers = []
    for match in re.finditer(r"\[(\d{1,3}(?:\s{0,2}[-\u2013,]\s{0,2}\d{1,3}){0,20})\]", text[:body_end]):
        numbers: list[int] = []
        for part in match.group(1).split(","):
            bounds = re.split(r"[-\u2013]", part.strip())
            if len(bounds) == 2 and bounds[0] and bounds[1] and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 50:
                numbers.extend(range(int(bounds[0]), int(bounds[1]) + 1))
            elif bounds[0]:
                numbers.append(int(bounds[0]))
        # Skip "[2020]"-like years and entry numbers at the start of a reference line.
        if all(n < 1000 for n in numbers):
            markers.append((match.start(), match.end(), tuple(numbers)))
    return markers


_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)")
_VOLUME_PAGES = re.compile(r"(?P<year>(?:1[89]|20)\d{2})[^;:\n]{0,20};\s*(?P<volume>\d{1,5})\s*(?:\((?P<issue>[^)]{1,10})\))?\s*:\s*(?P<page>[A-Za-z]?\d{1,6})")
_AUTHOR_NAME = re.compile(r"\b([A-Z][a-z\u00c0-\u017f'\-]{1,30})(?:,?\s+(?:[A-Z]\.?\s?){1,3}\b|\s+et al)")


def parse_reference(entry: str) -> CitedMetadata:
    """Light field parsing of one reference string: enough to compare with a record."""
    body = _ENTRY_NUMBER.sub("", entry, count=1)
    body = re.sub(r"(?:doi\s*:?\s*|https?://\S+|PMID:?\s*\d+|PMCID:?\s*PMC\d+)\S*", " ", body, flags=re.I).strip()
    year_match = _YEAR.search(body)
    vp = _VOLUME_PAGES.search(body)
    pieces = [p.strip(" .,;") for p in re.split(r"(?<=[.?!])\s+(?=[A-Z\u201c\"])|[\u201c\u201d\"]", body) if p.strip(" .,;")]
    title = None
    for piece in pieces:
        words = piece.split()
        looks_like_authors = len(_AUTHOR_NAME.findall(piece)) >= 2 or re.search(r"\bet al\b", piece)
        if len(words) >= 4 and not looks_like_authors and not _VOLUME_PAGES.search(piece) and not re.match(r"^(?:19|20)\d{2}\b", piece):
            title = piece
            break
    authors = tuple(dict.fromkeys(m for m in _AUTHOR_NAME.findall(body[: body.find(title)] if title and body.find(title) > 0 else body)))
    journal = None
    if vp:
        before = body[: vp.start()].rstrip(" .,")
        journal = before.rsplit(". ", 1)[-1].strip(" .") or None
    return CitedMetadata(
        title=title,
        authors=authors[:10],
        year=int(year_match.group(1)) if year_match else None,
        journal=journal,
        volume=vp.group("volume") if vp else None,
        issue=vp.group("issue") if vp else None,
        first_page=vp.group("page") if vp else None,
    )


def link_markers(text: str, citations: list[Citation]) -> dict[int, list[tuple[int, int]]]:
    """Map citation index -> spans of body markers that point at its reference entry."""
    body_end = reference_section_start(text)
    if body_end is None:
        return {}
    entries = {e.number: e for e in reference_entries(text) if e.number is not None}
    linked: dict[int, list[tuple[int, int]]] = {}
    for start, end, numbers in numbered_markers(text, body_end):
        for number in numbers:
            entry = entries.get(number)
            if entry is None:
                continue
            for index, citation in enumerate(citations):
                if entry.start <= citation.start < entry.end:
                    linked.setdefault(index, []).append((start, end))
    return linked


def dangling_markers(text: str) -> list[tuple[int, int, tuple[int, ...]]]:
    """Numbered markers with no reference list entry to point at."""
    body_end = reference_section_start(text)
    numbered = {e.number for e in reference_entries(text)} if body_end is not None else set()
    limit = body_end if body_end is not None else len(text)
    return [m for m in numbered_markers(text, limit) if not set(m[2]) <= numbered]


def with_identifier(citation: Citation, identifier: Identifier) -> Citation:
    """The same citation, knowing one more identifier for its work."""
    if identifier in citation.identifiers:
        return citation
    return replace(citation, identifiers=citation.identifiers + (identifier,))
