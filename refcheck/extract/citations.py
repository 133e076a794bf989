"""Citations in a Document: identifiers (in text and hrefs) grouped by the work they name, reference
entries without identifiers, and the fields each gives."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace

from ..records import Citation, CitedMetadata, Document, OwnIdentifier
from . import refparse
from .found import Found
from .identifiers import find_identifiers
from .identity import identity
from .references import (
    _LABEL_PREFIX, ReferenceEntry, Stretches, _body_references, _layout, footnote_definitions, reference_entries, reference_lists,
    shaped_like_entry,
)

# Identifiers on one line within this distance describe the same work (e.g. "doi: ... PMID: ...").
_SAME_WORK_SPAN = 300
# The longest an identifier can be as written ("doi: " and a DOI of 300 characters).
_MAX_WRITTEN = 400
# Every year refparse reads is a match of YEAR_RE, and cleaning a line never joins digits: a line
# without one cannot give a full reference, and a cited sentence is rarely one, so it is not parsed
# (10,000 cited sentences: refparse.parse was half of the extract stage's time).
_ANY_YEAR = re.compile(refparse.YEAR_RE)


def extract(document: Document) -> list[Citation]:
    """Every citation in reading order."""
    return extract_with_identity(document)[0]


def extract_with_identity(document: Document) -> tuple[list[Citation], tuple[OwnIdentifier, ...]]:
    """Every citation in reading order, and the document's own identifiers, which are none of them (identity.py)."""
    text = document.text
    found = find_identifiers(text)
    shown: dict = {}  # identifier -> (start, end) of each place the text shows it, in text order
    for item in found:
        shown.setdefault(item.identifier, []).append((item.start, item.end))
    for link in document.links:
        for item in find_identifiers(link.href, in_url=True):
            places = shown.get(item.identifier, [])
            nearby = places[bisect_left(places, (link.start - _MAX_WRITTEN, 0)):bisect_left(places, (link.end + 1, 0))]
            if any(start < link.end + 1 and link.start - 1 < end for start, end in nearby):
                continue  # the anchor text already shows this identifier
            found.append(Found(item.identifier, link.start, link.end, link.href, item.hint))
    found.sort(key=lambda f: (f.start, f.end))
    lists = Stretches(reference_lists(text).spans + footnote_definitions(text).spans)
    own = identity(document, found, lists)
    found = list(own.cited)
    entries = _EntryIndex(reference_entries(text))
    citations = [_citation_from_group(group, text, entries) for group in _group_same_work(found, text, entries)]
    citations = _share_cited_metadata(citations)
    covered = sorted(c.start for c in citations)
    for entry in entries.entries:
        if not entry.reference or bisect_left(covered, entry.start) < bisect_left(covered, entry.end):
            continue
        citations.append(Citation(kind="reference", id=None, text=entry.text.strip(), start=entry.start, end=entry.end, cited=entry.cited))
    citations.extend(_body_references(_layout(text), citations))
    if own.spans:  # a "Cite this article" block or a header line is the document's own reference, not one it cites
        citations = [c for c in citations if c.identifiers or not own.overlaps(c.start, c.end)]
    citations.sort(key=lambda c: (c.start, c.end))
    return citations, own.own


def _share_cited_metadata(citations: list[Citation]) -> list[Citation]:
    """A DOI in the body and the same DOI in the reference list: the body one learns the entry's fields."""
    by_identifier = {}
    for citation in citations:
        if citation.cited is not None:
            for identifier in citation.identifiers:
                by_identifier.setdefault(identifier, citation.cited)
    shared = []
    for citation in citations:
        if citation.cited is None:
            cited = next((by_identifier[i] for i in citation.identifiers if i in by_identifier), None)
            if cited is not None:
                citation = replace(citation, cited=cited)
        shared.append(citation)
    return shared


def _group_same_work(found: list[Found], text: str, entries: _EntryIndex) -> list[list[Found]]:
    """Identifiers of one work: those in one reference entry, or side by side on one line."""
    groups: list[list[Found]] = []
    group_entry: list[ReferenceEntry | None] = []
    for item in found:
        entry = entries.at(item.start)
        if groups:
            last = groups[-1]
            if item.identifier == last[-1].identifier and item.start <= last[-1].end:
                continue
            between = text[last[-1].end:item.start]
            if entry is not None and entry is group_entry[-1] and (entry.reference or not _sentences_between(between)):
                last.append(item)
                continue
            schemes = {f.identifier.scheme for f in last}
            if (
                entry is None and group_entry[-1] is None
                and "\n" not in between
                and item.start - last[0].start <= _SAME_WORK_SPAN
                and item.identifier.scheme not in schemes
                and not re.search(r"[\]\)]\s{0,3}[\[\(]|;\s{0,3}\d|\bdoi\b", between, re.IGNORECASE)  # "[1] [2]" or "; 12" separate works
                and len(re.findall(r"[A-Za-z]{3,}", between)) <= 3
                and item.identifier.value and all(f.identifier.value for f in last)
            ):
                last.append(item)
                continue
        groups.append([item])
        group_entry.append(entry)
    return groups


def _sentences_between(between: str) -> bool:
    """Does prose separate two identifiers in a line that is no reference: a sentence ends and
    more than a few words follow ("... in mice (doi:...). Titanium dioxide nanoparticles were ...
    (PMID: ...)")? A bare "doi:... Epub 2012 Jan 3. PMID: ..." keeps its identifiers together."""
    return bool(re.search(r"[.!?][)\]\"'\u201d]*\s+[A-Z]", between)) and len(re.findall(r"[A-Za-z]{3,}", between)) > 3


class _EntryIndex:
    """The entries sorted by start (they do not overlap), for finding the one holding an offset."""

    def __init__(self, entries: list[ReferenceEntry]) -> None:
        self.entries = sorted(entries, key=lambda entry: entry.start)
        self.starts = [entry.start for entry in self.entries]

    def at(self, offset: int) -> ReferenceEntry | None:
        index = bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.entries[index].end:
            return self.entries[index]
        return None


def _citation_from_group(group: list[Found], text: str, entries: _EntryIndex) -> Citation:
    first = group[0]
    primary = next((f for f in group if f.identifier.value), first)
    identifiers = tuple(dict.fromkeys(f.identifier for f in group if f.identifier.value))
    entry = entries.at(first.start)
    cited = entry.cited if entry is not None and entry.reference else None
    if entry is None:
        cited = _inline_metadata(text, first.start)
    end = _close_brackets(text, first.start, max(f.end for f in group))
    return Citation(
        kind=primary.identifier.scheme,
        id=primary.identifier.value or None,
        text=first.written if len(group) == 1 and end == first.end else text[first.start:end],
        start=first.start,
        end=end,
        identifiers=identifiers,
        cited=cited,
        hints=tuple(dict.fromkeys(f.hint for f in group if f.hint)),
    )


def _close_brackets(text: str, start: int, end: int) -> int:
    """The end of a citation span that opened a bracket: "doi:10.1/x (PMID: 1)" takes its ")",
    so neither the citation text nor the sentence around it keeps a lone bracket."""
    for opening, closing in (("(", ")"), ("[", "]")):
        span = text[start:end]
        if span.count(opening) > span.count(closing) and text[end:end + 1] == closing:
            end += 1
    return end


def _inline_metadata(text: str, at: int) -> CitedMetadata | None:
    """A full reference written on the identifier's own line, outside any reference list."""
    # (a line over 600 characters is prose, not a reference: look no further than that either way)
    line_start = text.rfind("\n", max(0, at - 601), at) + 1
    line_end = text.find("\n", at, at + 601)
    if (line_start == 0 and at > 600) or line_end == -1 and len(text) - at > 600:
        return None
    line = text[line_start:line_end if line_end != -1 else len(text)]
    if len(line) > 600 or not _ANY_YEAR.search(line):
        return None
    body = _LABEL_PREFIX.sub("", line)
    if not shaped_like_entry(body):
        return None  # a sentence citing a work ("In 2019 researchers found ... (PMID: 1)."), not a reference
    parsed = refparse.parse(body)
    if parsed.authors and parsed.year and parsed.title and (parsed.journal or parsed.volume):
        return parsed.metadata()
    return None


