"""Citation markers in the body: numbered ("[3]", "[2-4]"), footnote ("[^1]", "[^smith]") and
author-year ("(Smith et al., 2009)", "Smith and Jones (2009)"); which entry each points at, and which
point at nothing."""
from __future__ import annotations

import re
from bisect import bisect_left

from ..records import Citation
from .code import CodeSpans, looks_like_code
from .found import regions
from .references import _FOOTNOTE_MARKER, ReferenceEntry, _layout
from .sentences import NUMBERED_LABELS

# ---------------------------------------------------------------- markers
_NUMBERED_MARKER = re.compile(rf"\[({NUMBERED_LABELS})\]")


def numbered_markers(text: str, body_end: int) -> list[tuple[int, int, tuple[int, ...]]]:
    """Markers like [3], [2-4], [1, 3] in the body: (start, end, numbers)."""
    markers = []
    code: CodeSpans | None = None
    for match in _NUMBERED_MARKER.finditer(text, 0, body_end):
        if text[match.end():match.end() + 1] in ("(", ":"):
            continue  # a Markdown link or a link definition, not a marker
        code = code or CodeSpans(text)
        if code.holds(match.start()) or looks_like_code(text, match.start(), match.end()):
            continue
        numbers: list[int] = []
        for part in match.group(1).split(","):
            bounds = re.split(r"[-\u2013]", part.strip())
            if len(bounds) == 2 and bounds[0] and bounds[1] and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 50:
                numbers.extend(range(int(bounds[0]), int(bounds[1]) + 1))
            elif bounds[0]:
                numbers.append(int(bounds[0]))
        # Skip "[2020]"-like years; no list numbers a reference 0 ("[0]", "[0, 1]" are indices and intervals).
        if numbers and all(0 < n < 1000 for n in numbers):
            markers.append((match.start(), match.end(), tuple(numbers)))
    return markers


_SURNAME = r"(?:(?:van|von|de|der|den|di|da|du|la|le)\s){0,2}[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u017f'\u2019\-]{1,40}"
_AUTHOR_YEAR_ONE = (
    r"(?P<first>" + _SURNAME + r")(?:\s(?:et\sal\.?|and\scolleagues)|\s(?:and|&)\s(?P<second>" + _SURNAME + r"))?,?\s(?P<year>(?:19|20)\d{2})[a-z]?"
)
_PAREN_AUTHOR_YEAR = re.compile(r"\((?:e\.g\.,?\s|see\s|cf\.\s)?(" + _AUTHOR_YEAR_ONE.replace("?P<", "?P<p_") + r"(?:[;,]\s{0,2}[^();\n]{3,80}?(?:19|20)\d{2}[a-z]?){0,12})\)")
_NARRATIVE_AUTHOR_YEAR = re.compile(_AUTHOR_YEAR_ONE.replace(r",?\s(?P<year>", r"\s\((?P<year>") + r"\)")
_ONE_AUTHOR_YEAR = re.compile(_AUTHOR_YEAR_ONE)
_YEAR_IN_BRACKETS = re.compile(r"\((?:19|20)\d{2}[a-z]?\)")
_NARRATIVE_LONGEST = 200  # two particles and a surname, "et al." or "and" and another, then " ("
# "(World Health Organization, 2020)": an organisation as author, several capitalised words.
_PAREN_ORGANISATION_YEAR = re.compile(
    r"\((?P<first>[A-Z][A-Za-z&'\-]{1,30}(?:\s(?:of|for|and|on|the|&|[A-Z][A-Za-z&'\-]{0,30})){1,8}),\s(?P<year>(?:19|20)\d{2})[a-z]?\)"
)


def is_author_year(label: str) -> bool:
    """Is this text nothing but an author-year citation ("Smith et al., 2012", "(Lee and Kim 2010)")?"""
    return bool(_PAREN_AUTHOR_YEAR.fullmatch(label) or _ONE_AUTHOR_YEAR.fullmatch(label) or _NARRATIVE_AUTHOR_YEAR.fullmatch(label))


def author_year_markers(text: str, body_end: int) -> list[tuple[int, int, str, int]]:
    """(start, end, first author's family name, year) for "(Smith et al., 2009; Lee 2010)" and "Smith and Jones (2009)"."""
    markers = []
    for match in _PAREN_AUTHOR_YEAR.finditer(text, 0, body_end):
        for one in _ONE_AUTHOR_YEAR.finditer(match.group(1)):
            markers.append((match.start(), match.end(), one.group("first"), int(one.group("year"))))
    # The narrative form has no literal to scan for until its "(2009)": look only before those.
    stretches = regions(text, _YEAR_IN_BRACKETS, before=_NARRATIVE_LONGEST, after=0, end=body_end)
    for match in (m for start, end in stretches for m in _NARRATIVE_AUTHOR_YEAR.finditer(text, start, end)):
        markers.append((match.start(), match.end(), match.group("first"), int(match.group("year"))))
    seen = {(start, end) for start, end, _, _ in markers}
    for match in _PAREN_ORGANISATION_YEAR.finditer(text, 0, body_end):
        if match.span() not in seen:
            markers.append((match.start(), match.end(), match.group("first"), int(match.group("year"))))
    return markers


def link_markers(text: str, citations: list[Citation]) -> dict[int, list[tuple[int, int]]]:
    """Map citation index -> spans of body markers that point at its reference entry or footnote definition."""
    linked: dict[int, list[tuple[int, int]]] = {}
    seen: set[tuple[int, int, int]] = set()
    by_start = sorted(range(len(citations)), key=lambda index: citations[index].start)
    starts = [citations[index].start for index in by_start]

    def link(entry: ReferenceEntry, span: tuple[int, int]) -> None:
        for index in by_start[bisect_left(starts, entry.start):bisect_left(starts, entry.end)]:
            if (index, *span) not in seen:
                seen.add((index, *span))
                linked.setdefault(index, []).append(span)

    for start, end, _, targets in _labelled_markers(text):
        for entry in targets:
            if entry is not None:
                link(entry, (start, end))
    layout = _layout(text)
    by_author_year: dict[tuple[str, int], list[ReferenceEntry]] = {}
    for entry in layout.entries:
        if entry.cited is not None and entry.cited.year and entry.cited.authors:
            by_author_year.setdefault((_fold_name(entry.cited.authors[0]), entry.cited.year), []).append(entry)
    for start, end, family, year in author_year_markers(layout.body, layout.body_end):
        matches = by_author_year.get((_fold_name(family), year), [])
        for entry in matches if len(matches) <= 2 else []:
            link(entry, (start, end))
    return linked


def _labelled_markers(text: str) -> list[tuple[int, int, tuple[int | str, ...], tuple[ReferenceEntry | None, ...]]]:
    """Numbered markers in the body and footnote markers outside the footnote definitions, in reading order:
    (start, end, labels, the entry each label points at or None). "[^2]" points at the "[^2]:" definition,
    "[2]" at entry 2 of the reference list; either falls back to the other; names match regardless of case.
    Linking and the dangling check both ask for a text's markers: they are found once."""
    cached = _MARKER_CACHE.get(text)
    if cached is not None:
        return cached
    layout = _layout(text)
    listed = {e.number: e for e in layout.entries if e.number is not None and e.label is None}
    notes = {e.label.casefold(): e for e in layout.entries if e.label is not None}
    markers: list[tuple[int, int, tuple[int | str, ...], tuple[ReferenceEntry | None, ...]]] = [
        (start, end, numbers, tuple(listed.get(n) or notes.get(str(n)) for n in numbers))
        for start, end, numbers in numbered_markers(layout.body, layout.body_end)
    ]
    for match in _FOOTNOTE_MARKER.finditer(layout.body):
        label = match.group(1)
        if label.isdigit():
            markers.append((match.start(), match.end(), (int(label),), (notes.get(label) or listed.get(int(label)),)))
        else:
            markers.append((match.start(), match.end(), (label,), (notes.get(label.casefold()),)))
    markers.sort(key=lambda marker: marker[0])
    if len(_MARKER_CACHE) > 8:
        _MARKER_CACHE.clear()
    _MARKER_CACHE[text] = markers
    return markers


_MARKER_CACHE: dict[str, list] = {}


def _fold_name(name: str) -> str:
    import unicodedata

    name = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in name if ch.isalpha()).lower()


def dangling_markers(text: str) -> list[tuple[int, int, tuple[int | str, ...]]]:
    """Markers with nothing to point at, in reading order: numbered markers with no reference list
    entry or footnote definition for one of their numbers, (start, end, numbers); footnote markers
    with no definition, (start, end, (number,)) or (start, end, (name,))."""
    return [(start, end, labels) for start, end, labels, targets in _labelled_markers(text) if any(t is None for t in targets)]

