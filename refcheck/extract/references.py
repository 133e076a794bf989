"""Reference lists and footnote definitions: where they are and their entries.

A reference list is found under a heading ("References", "Sources", ...), or
as a trailing run of numbered entries. Its entries are
one per numbered item, one per line, a wrapped entry joined back together, or
(on web pages that paste a PubMed or publisher record) a run of short lines:
title, authors, "Journal 2010, 1:2 doi:...". Everything else in a reference
section - quoted abstracts, comments, share buttons - is left out.

A Markdown footnote definition ("[^1]: ...", "[^smith]: ...") is unambiguous
wherever it stands - above, inside or below the reference list, under any
heading or none - so each one is an entry of its own (its lazy and indented
continuation lines included), and the definitions are blanked out before the
reference list is looked for: they never decide where the list starts nor
hide one. Footnote markers ("[^1]", "[^smith]") are looked for in the whole
text outside the definitions, and a heading with such markers under it
(before its first entry) is body text, not the start of the reference list.
So is a heading ("# Notes") with nothing reference-shaped under it, only
unbulleted sentences that cite their identifiers inside the sentence
("... in mice (doi:...)."). Identifiers in different sentences of a line that
is no reference are different works, and a citation that opens a bracket
("doi:... (PMID: ...)") ends with its closing one.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from ..records import Citation, CitedMetadata
from . import refparse
from .identifiers import find_identifiers
from .sentences import FOOTNOTE_LABEL

# A heading may carry what its source format adds: a Sphinx directive before it (".. rubric:: References"),
# a Wikipedia "[edit]" link or a pandoc attribute ("{#litref}") after it.
_REFERENCE_HEADING = re.compile(
    r"^[ \t#*_=]{0,8}(?:\.\.[ \t]{1,3}(?:topic|rubric)::[ \t]{1,3})?(?:\d{1,2}\.?[ \t]{1,3})?(?:"
    r"(?:selected |key |scientific |cited |further |additional )?references?(?:[ \t]{1,3}(?:and|&)[ \t]{1,3}(?:articles|notes|further reading|sources|resources|studies|links))?"
    r"|reference list|bibliography|works cited|literature cited|literature|sources?(?:[ \t]{1,3}(?:and|&)[ \t]{1,3}(?:references|further reading|notes))?"
    r"|notes(?:[ \t]{1,3}(?:and|&)[ \t]{1,3}references)?|endnotes|citations|footnotes|further reading|studies cited|research cited"
    r"|scientific sources|medical references|sources cited"
    r")[ \t]{0,4}:?(?:[ \t]{0,2}\[edit\]|[ \t]{1,4}\{[#.][^{}\n]{0,60}\})?[ \t*_=]{0,8}$",
    re.IGNORECASE | re.MULTILINE,
)
# Headings that end a reference section on a web page.
_STOP_HEADING = re.compile(
    r"^[ \t#*]{0,6}(?:about the authors?|related (?:posts|articles|content|stories)|comments?|leave a (?:reply|comment)|share(?: this)?(?: article| post)?:?"
    r"|tags?:?|categories|you may also like|more from|subscribe|newsletter|disclaimer|follow us|recent posts|popular posts|read next)\b[^\n]{0,60}$",
    re.IGNORECASE | re.MULTILINE,
)
_ENTRY_NUMBER = re.compile(r"^[ \t]{0,8}(?:\[\^?(\d{1,5})\]:?|(\d{1,5})[.)](?!\d)|\((\d{1,4})\)|\^\s?(\d{1,4})[.:]?)[ \t]{1,8}(?=\S)")
# A footnote definition; its text may start on the next line.
_FOOTNOTE_DEFINITION = re.compile(r"^[ \t]{0,8}\[\^(" + FOOTNOTE_LABEL + r")\]:")
_FOOTNOTE_MARKER = re.compile(r"\[\^(" + FOOTNOTE_LABEL + r")\](?!:)")
_BULLET = re.compile(r"^[ \t]{0,8}(?:[-*+>\u2022\u25aa\u25cf\u2013]|\^(?:[ \t]?[a-z]{1,2}\b){0,8})[ \t]{1,4}(?=\S)")
_LABEL_PREFIX = re.compile(r"^[ \t]{0,8}(?:Sources?|References?|Ref|Citation|Study|Read the (?:study|paper)|Original (?:study|article|paper))[ \t]{0,3}:[ \t]{0,4}", re.IGNORECASE)
_MAX_ENTRY_CHARS = 1500


@dataclass(frozen=True)
class ReferenceEntry:
    number: int | None
    start: int
    end: int
    text: str
    cited: CitedMetadata | None = None  # fields read from the entry (or from the record's several lines)
    reference: bool = True  # carries bibliographic detail (False: a line that only holds an identifier or a link)
    label: str | None = None  # a footnote definition's label ("night-shift" for "[^night-shift]:", "1" for "[^1]:")



# ---------------------------------------------------------------- sections
@dataclass(frozen=True)
class _Layout:
    body: str  # the text with its footnote definitions and headingless reference lists blanked out, offsets unchanged
    section_start: int | None
    entries: tuple[ReferenceEntry, ...]  # the reference lists' and every footnote definition, in order
    definitions: tuple[tuple[int, int, str], ...]  # (start, end, label) of each footnote definition
    blocks: tuple[tuple[int, int], ...] = ()  # reference lists found by their lines, outside the headed section

    @property
    def body_end(self) -> int:
        return len(self.body) if self.section_start is None else self.section_start


def reference_section_start(text: str) -> int | None:
    """Offset where the reference list begins: just after its heading, or at the
    first entry of a heading-less trailing numbered list. Footnote definitions
    may stand anywhere and are not counted (see ``footnote_definitions``)."""
    return _layout(text).section_start


def reference_entries(text: str) -> list[ReferenceEntry]:
    """Entries of the reference list and the footnote definitions, in order (see the module docstring)."""
    return list(_layout(text).entries)


def iter_lines(text: str, start: int, end: int):
    """The lines of text[start:end], each with its line break, one at a time (no copy of the whole)."""
    while start < end:
        stop = text.find("\n", start, end)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


class Stretches:
    """Where a text's footnote definitions or reference lists stand (never body text), asked offset by offset."""

    def __init__(self, spans) -> None:
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]

    def holds(self, offset: int) -> bool:
        index = bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.spans[index][1]


def footnote_definitions(text: str) -> Stretches:
    return Stretches((start, end) for start, end, _ in _layout(text).definitions)


def reference_lists(text: str) -> Stretches:
    """Where the text's reference lists stand (the headed section and those found by their lines):
    like footnote definitions, never body text."""
    layout = _layout(text)
    spans = list(layout.blocks) + ([(layout.section_start, len(text))] if layout.section_start is not None else [])
    return Stretches(spans)


def _layout(text: str) -> _Layout:
    cached = _LAYOUT_CACHE.get(text)
    if cached is not None:
        return cached
    definitions = _footnote_definitions(text)
    body = _blank_out(text, [(start, end) for start, end, _ in definitions])
    section_start, listed = _find_section(body)
    blocks, found = _reference_blocks(body, len(body) if section_start is None else section_start)
    if blocks:
        body = _blank_out(body, blocks)
    notes = [_footnote_entry(text, start, end, label) for start, end, label in definitions]
    entries = tuple(sorted(listed + found + notes, key=lambda e: e.start))
    result = _Layout(body, section_start, entries, tuple(definitions), tuple(blocks))
    if len(_LAYOUT_CACHE) > 8:
        _LAYOUT_CACHE.clear()
    _LAYOUT_CACHE[text] = result
    return result


_LAYOUT_CACHE: dict[str, _Layout] = {}
# Lines that end a footnote definition's paragraph: a heading, a list item, a quotation.
_BLOCK_START = re.compile(r"[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|[-*+\u2022][ \t]|\d{1,4}[.)][ \t]|\[\d{1,4}\][ \t]|>)")


def _footnote_definitions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of each footnote definition: its first line, the lines that
    continue that paragraph, and the indented paragraphs after it."""
    found: list[tuple[int, int, str]] = []
    reading: tuple[int, int, str] | None = None  # the definition whose lines are being read
    after_blank = False
    offset = 0
    for line in iter_lines(text, 0, len(text)):
        line_start, offset = offset, offset + len(line)
        content = line.rstrip()
        if not content.strip():
            after_blank = True
            continue
        definition = _FOOTNOTE_DEFINITION.match(line)
        if reading is not None and definition is None and _continues_definition(line, content, after_blank):
            reading = (reading[0], line_start + len(content), reading[2])
        else:
            if reading is not None:
                found.append(reading)
            reading = None
            if definition is not None:
                reading = (line_start + len(line) - len(line.lstrip()), line_start + len(content), definition.group(1))
        after_blank = False
    if reading is not None:
        found.append(reading)
    return found


def _continues_definition(line: str, content: str, after_blank: bool) -> bool:
    """An indented line, or one that goes on with the definition's paragraph."""
    if line.startswith(("    ", "\t")):
        return True
    return not (after_blank or _BLOCK_START.match(line) or _REFERENCE_HEADING.match(content) or _STOP_HEADING.match(content))


def _blank_out(text: str, spans) -> str:
    """text with each (start, end) span turned to spaces (line breaks kept), so offsets stay put."""
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        start = max(start, cursor)  # overlapping spans blank once
        pieces += [text[cursor:start], re.sub(r"[^\n]", " ", text[start:end])]
        cursor = max(cursor, end)
    pieces.append(text[cursor:])
    return "".join(pieces)


def _find_section(body: str) -> tuple[int | None, list[ReferenceEntry]]:
    headings = list(_REFERENCE_HEADING.finditer(body))
    without_markers = []
    for heading in headings:
        entries = _entries_in(body, heading.end(), len(body), in_block=True, headed=True)
        first_entry = entries[0].start if entries else len(body)
        if _FOOTNOTE_MARKER.search(body, heading.end(), first_entry):
            continue  # prose carrying footnote markers: the document's own "Notes on ..." heading
        section_end = _next_heading_end(body, heading.end())
        nearby = [e for e in entries if e.start < section_end]
        if any(e.reference or e.number is not None for e in nearby):
            return heading.end(), entries
        if _prose_section(body, heading.end(), section_end):
            continue  # "# Notes" over the page's own paragraphs
        without_markers.append((heading.end(), entries))
    trailing = _trailing_list_start(body)
    if trailing is not None:
        return trailing, _entries_in(body, trailing, len(body), in_block=True)
    if without_markers:
        return without_markers[-1]
    return None, []


# ---------------------------------------------------------------- reference lists without a heading
# Cheap signs that a line is (part of) a reference: each is one point; a line with two is a candidate.
_SIGNS = (
    re.compile(r"(?<![\d.])(?:1[6-9]|20)\d{2}[a-z]?(?![\d])"),  # a year
    re.compile(r"^[ \t]{0,8}(?:[-*+>\u2022]|\d{1,4}[.)]|\[\d{1,4}\])?[ \t]{0,4}(?:[A-Z\u00c0-\u00de][\w'\u2019\-]{1,40},?[ \t](?:[A-Z]\.[ \t]?){1,3}|[A-Z\u00c0-\u00de][\w'\u2019\-]{1,40}[ \t][A-Z]{1,3}[,.]|(?:[A-Z]\.[ \t]?){1,3}[A-Z][\w'\-]{1,40}[,.]|[\u2014\u2013_-]{2,}"
               r"|[A-Z\u00c0-\u00de][\w'\u2019\-]{1,40}(?:[ \t]et[ \t]al\.?|,?[ \t](?:and|&)[ \t][A-Z][\w'\u2019\-]{1,40})?,?[ \t]\(?(?:1[6-9]|20)\d{2}[a-z]?\)?[.,:;])"),  # authors first
    re.compile(r"\d{1,5}[ \t]?\(\d{1,5}[^)\n]{0,6}\)|\d{1,5}:[ \t]?[A-Za-z]?\d{1,6}|\bpp?\.[ \t]?\d|\b(?:[Vv]ol(?:ume)?|[Pp]ages?)\.?[ \t]?\d"),  # volume, issue, pages
    re.compile(r"\b(?:doi|PMID|PMC\d|https?://|www\.)|\b10\.\d{4,9}/", re.IGNORECASE),  # an identifier or a link
    re.compile(r"\bet al\b|\b[Ee]ds?\.|\bPress\b|\bJournal\b|\bProceedings\b"),  # reference words
)
_MIN_SIGNS = 2
# A tool's name over its reference ("* Nextflow", "- [MultiQC](https://...)"): neither a reference nor prose.
_NAME_LINE = re.compile(r"[ \t]{0,8}(?:[-*+\u2022][ \t]{1,4})?\[?[\w.+\-]{1,40}(?:[ \t][\w.+\-]{1,40}){0,2}(?:\]\([^()\s]{1,300}\))?[ \t]*")
# A line that stops a run of references: a Markdown heading, or a long line of several sentences.
_HEADING_LINE = re.compile(r"[ \t]{0,3}#{1,6}[ \t][^\n]*|[ \t]{0,3}[=\-]{3,}[ \t]*")
_BLOCK_MIN_ENTRIES = 2


_STRUCTURAL_SIGNS = (1, 2, 3)  # authors first, volume and pages, an identifier: what prose rarely has
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'\u2019\-]*")
_PROSE_LOWER_SHARE = 0.6
# A full stop, then a word and a lower-case word: where a sentence of prose starts (a reference has few).
_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]\u201d]?\s+[A-Z][a-z]+\s[a-z]{2,}")
_MAX_ENTRY_SENTENCES = 3
_URL = re.compile(r"(?:https?://|www\.)\S{1,2000}")


def _signs(line: str) -> int:
    """How many signs of a reference the line carries; 0 for prose. A candidate needs one sign that
    prose rarely has (authors first, volume and pages, an identifier); a line whose words are mostly
    lower case is prose (a sentence citing "(Smith et al., 2009)") unless it opens with authors or
    gives volume and pages."""
    if not 20 <= len(line) <= _MAX_ENTRY_CHARS:
        return 0
    return _entry_signs(line)


# The reference-list pass and the body pass ask about the same lines (a page of cited sentences: 2,955 questions
# about 1,150 lines); the answer depends on the line alone. Bounded: at most this many lines of at most
# _MAX_ENTRY_CHARS characters are kept.
@lru_cache(maxsize=16384)
def _entry_signs(line: str) -> int:
    if len(_SENTENCE_BREAK.findall(line)) > _MAX_ENTRY_SENTENCES:
        return 0  # a paragraph of sentences, whatever it cites
    structural = {index: bool(_SIGNS[index].search(line)) for index in _STRUCTURAL_SIGNS}
    if not any(structural.values()):
        return 0  # most lines of a long document stop here, after three searches
    present = [structural[index] if index in structural else bool(sign.search(line)) for index, sign in enumerate(_SIGNS)]
    if not (present[1] or present[2]):
        words = _WORD.findall(_URL.sub(" ", line))
        if words and sum(word[0].islower() for word in words) / len(words) > _PROSE_LOWER_SHARE:
            return 0
        if present[3] and _cites_in_a_sentence(line):
            return 0  # "Study 1604 found that ... (Title; PMID: 1)": a number like a year and an identifier, in prose
    return sum(present)


# Where a sentence starts: after a full stop (or ! ?) and a space.
_SENTENCE_START = re.compile(r"[.!?][\"')\]\u201d]?\s+")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_SENTENCE_FUNCTION_WORDS = 2


def _cites_in_a_sentence(line: str) -> bool:
    """Does every identifier of the line sit in brackets opened inside a sentence of prose ("... found
    that X (Title; PMID: 1).", "Patients in Study 2003 (doi:...) improved.")? The sentence around the
    brackets has lower-case words (verbs, articles); a reference that is no sentence ("Title. Journal.
    2019 (PMID: 1)") puts its identifier after a full stop or among capitalised words."""
    found = find_identifiers(line)
    if not found:
        return False
    for item in found:
        opening = max(line.rfind("(", 0, item.start), line.rfind("[", 0, item.start))
        if opening < 0 or ")" in line[opening:item.start] or "]" in line[opening:item.start]:
            return False
        closing = min((at for at in (line.find(")", item.end), line.find("]", item.end)) if at >= 0), default=len(line))
        sentence_start = max((m.end() for m in _SENTENCE_START.finditer(line, 0, opening)), default=0)
        after = _SENTENCE_END.search(line, closing)
        sentence = line[sentence_start:opening] + " " + line[closing + 1:after.start() if after else len(line)]
        if not line[sentence_start:opening].strip():
            return False  # the brackets open the sentence: "Title. (PMID: 1)"
        if sum(word[0].islower() for word in _WORD.findall(_URL.sub(" ", sentence))) < _SENTENCE_FUNCTION_WORDS:
            return False
    return True


def _reference_blocks(body: str, end: int) -> tuple[list[tuple[int, int]], list[ReferenceEntry]]:
    """Reference lists before ``end`` that no heading announces, found by what their lines look like:
    runs of lines (between headings and blank-line-separated prose) in which most lines carry at
    least two signs of a reference (a year, authors first, volume and pages, an identifier, "et al.").
    Every entry of such a run is kept, with an identifier or without."""
    blocks: list[tuple[int, int]] = []
    entries: list[ReferenceEntry] = []
    for start, stop in _runs(body, end):
        found = [e for e in _entries_in(body, start, stop, in_block=True) if e.reference or e.number is not None]
        if sum(1 for e in found if e.reference) >= _BLOCK_MIN_ENTRIES:
            blocks.append((found[0].start, found[-1].end))
            entries.extend(found)
    return blocks, entries


def _logical_lines(body: str, end: int):
    """(start, end, text) of each line with its wrapped continuation lines (indented deeper than it, or
    going on in lower case after a line without a full stop), and of each heading or blank line."""
    current = None  # [start, end, indent, is a label line]
    offset = 0
    for line in iter_lines(body, 0, end):
        line_start, offset = offset, offset + len(line)
        content = line.strip()
        indent = len(line) - len(line.lstrip())
        line_end = line_start + len(line.rstrip())
        quote_under_item = content.startswith(">") and body[current[0]:current[0] + 1] != ">" if current is not None else False
        if current is not None and content and _same_quote(body[current[0]:current[1]], content):
            current[1] = line_end
            continue
        if current is not None and content and not _HEADING_LINE.fullmatch(line.rstrip("\n")) and not current[3] and not quote_under_item and (
            indent > current[2] or (content[0].islower() and body[current[1] - 1:current[1]] not in (".", ":"))
        ) and line_end - current[0] <= _MAX_ENTRY_CHARS:
            current[1] = line_end
            continue
        if current is not None:
            yield current[0], current[1], body[current[0]:current[1]]
        # a label line ("Muscle:") stands alone: the indented lines under it are entries of their own
        current = [line_start + indent, line_end, indent, bool(_LABEL_LINE.fullmatch(line.rstrip("\n")))] if content else None
        if not content:
            yield line_start, line_start, ""
    if current is not None:
        yield current[0], current[1], body[current[0]:current[1]]


def _runs(body: str, end: int) -> list[tuple[int, int]]:
    """(start, end) of each stretch of lines where candidate lines (two signs or more, a line taken
    with its wrapped continuation) outnumber the other non-blank lines, cut at headings; only
    stretches with two candidates or more."""
    runs: list[tuple[int, int]] = []
    run_start = run_end = None
    candidates = others = 0
    for line_start, line_end, content in _logical_lines(body, end):
        if not content:
            continue
        if _HEADING_LINE.fullmatch(content):
            continue  # a heading neither adds to a run nor ends it: each entry may stand under its own
        heading = bool(_STOP_HEADING.match(content))
        signs = 0 if heading else _signs(content)
        if signs >= _MIN_SIGNS:
            if run_start is None:
                run_start, candidates, others = line_start, 0, 0
            candidates += 1
            run_end = line_end
            continue
        if run_start is not None:
            # A tool name or a bullet without signs may sit inside a list; a stop heading ("Comments"),
            # or more plain lines than reference lines, ends it. A label line ("FastTree:") is neither.
            others += not (_LABEL_LINE.fullmatch(content) or _NAME_LINE.fullmatch(content))
            if heading or others > candidates:
                if candidates >= _BLOCK_MIN_ENTRIES:
                    runs.append((run_start, run_end))
                run_start = None
            else:
                run_end = line_end
    if run_start is not None and candidates >= _BLOCK_MIN_ENTRIES:
        runs.append((run_start, run_end))
    return runs


# A line that reads as a sentence: a capital first, a full stop (or ! ?) last.
_SENTENCE_LINE = re.compile(r"[\"'\u201c(]?[A-Z][^\n]*[.!?][)\]\"'\u201d]{0,2}")
_PROSE_LINE_WORDS = 5
_PROSE_SECTION_WORDS = 8


def _prose_section(text: str, start: int, end: int) -> bool:
    """Is everything under a heading (which has no reference-shaped or numbered entry) the page's
    own prose: unbulleted sentences, one of them long, every identifier cited inside a sentence
    rather than standing after a title? Such a heading ("Notes") heads body text, not a list."""
    lines = [text[s:e] for s, e, _, _ in _lines(text, start, end)]
    if not any(len(line.split()) >= _PROSE_SECTION_WORDS for line in lines):
        return False
    return all(_prose_line(line) for line in lines)


def _prose_line(line: str) -> bool:
    if _BULLET.match(line) or _ENTRY_NUMBER.match(line) or not _SENTENCE_LINE.fullmatch(line.strip()):
        return False
    found = find_identifiers(line)
    words = re.sub(r"\S*\d\S*", "", _blank_out(line, [(item.start, item.end) for item in found])).split()
    if len(words) < _PROSE_LINE_WORDS or sum(word.islower() for word in words) < 2:
        return False
    # "... in mice (doi:10.1/x)." or "... (PMID: 1), and ...": cited in the sentence; "Title. doi:10.1/x" is an entry.
    return all(re.search(r"[a-z,]\s{1,3}\($", line[:f.start]) or re.search(r"[A-Za-z]", line[f.end:]) for f in found)


def _next_heading_end(text: str, start: int) -> int:
    """Where the section under a heading gives way to the next reference heading."""
    following = _REFERENCE_HEADING.search(text, start + 1)
    return following.start() if following else len(text)


def _trailing_list_start(text: str) -> int | None:
    """A list of at least two numbered entries after the last body paragraph."""
    starts = []
    for match in re.finditer(r"^[ \t]{0,8}(?:\[\^?\d{1,5}\]:?|\d{1,5}[.)])[ \t]{1,8}\S[^\n]{0,1500}", text, re.MULTILINE):
        if refparse.parse(match.group(0)).score() >= 4:
            starts.append(match.start())
    if len(starts) < 2:
        return None
    # The run must reach the end of the document (a footer may follow).
    first = starts[0]
    for candidate in starts:
        tail = [s for s in starts if s >= candidate]
        if len(tail) >= 2:
            first = candidate
            break
    return first


# ---------------------------------------------------------------- entries
@dataclass
class _Unit:
    start: int
    end: int
    text: str
    number: int | None
    bullet: bool
    indent: int = 0
    kind: str = "other"  # full | source | authors | title | identifier | other
    parsed: refparse.ParsedReference | None = None
    label: str | None = None
    body: str = ""  # the text that was parsed: no list number, tool name or repeated-author dashes
    # In a list found by its lines, unnumbered and not shaped like an entry (no authors first, no volume
    # and pages): its fields may be prose's words ("Study 1604 found ...") and judge no identifier's record.
    unproven: bool = False


def _entries_in(text: str, start: int, end: int, *, in_block: bool = False, headed: bool = False) -> list[ReferenceEntry]:
    """The entries of text[start:end]; ``in_block``: a list recognised by its lines, where every line
    with the signs of a reference is an entry even when its fields cannot all be read."""
    units = _units(text, start, end)
    for unit in units:
        _classify(unit, text)
        if in_block and unit.kind in ("other", "title", "identifier") and _signs(unit.text) >= _MIN_SIGNS and not _is_noise(unit.text):
            unit.kind = "full"
    if in_block:
        _same_shape_entries(units, headed)
    if not headed:
        for unit in units:
            unit.unproven = unit.number is None and unit.label is None and not shaped_like_entry(unit.body)
    return _assemble(units, text)


def shaped_like_entry(line: str) -> bool:
    """Does the line read as a reference by itself: authors first ("Hastings 1970,", "Smith J, ...",
    "Laura Luebbert, Chi Hoang, ...", "Edgar RC (2021)"), or volume and pages ("27(6):1421-32")? What a
    sentence of prose that cites a work ("John Smith reported in 2019 ...") rarely has."""
    if _SIGNS[1].search(line) or _SIGNS[2].search(line):
        return True
    body = _ENTRY_MARK.sub("", line)
    names = refparse.scan_authors(body, 0, allow_given_family=True)
    return bool(names.families) and (len(names.families) >= 2 or names.et_al or body[names.end:].lstrip()[:1] in tuple("(,.;:"))


_ENTRY_MARK = re.compile(r"^[ \t]{0,8}(?:[-*+>\u2022][ \t]{0,4}){0,2}")


def _shape(unit: _Unit) -> tuple[str, int]:
    """How a list writes its items: the mark before each (quote, bullet, number, none) and its indent."""
    mark = ">" if unit.text.startswith(">") else "-" if unit.bullet else "1" if unit.number is not None else ""
    return mark, unit.indent


def _same_shape_entries(units: list[_Unit], headed: bool) -> None:
    """Every item of a reference list is an entry, also the ones whose fields cannot be read (software
    with no author, a web resource, a title as link text): an item written like the list's entries (same
    mark, same indent, under the same heading) is one when enough of its like are. Under a reference
    heading one reference among them is enough; in a list found by its lines, or for unmarked paragraphs,
    it takes two, and a third of its like."""
    segments: list[list[_Unit]] = [[]]
    for unit in units:
        if headed and unit.text.startswith("#") or _HEADING_LINE.fullmatch(unit.text) or _STARRED_HEADING.fullmatch(unit.text):
            segments.append([])  # a heading starts another list (a list found by its lines is one already)
        else:
            segments[-1].append(unit)
    for segment in segments:
        by_shape: dict[tuple[str, int], list[_Unit]] = {}
        for unit in segment:
            by_shape.setdefault(_shape(unit), []).append(unit)
        for (mark, _), alike in by_shape.items():
            full = sum(unit.kind == "full" for unit in alike)
            # unmarked paragraphs between entries may be the page's own prose: they take the stricter rule
            if full < 1 or ((not headed or not mark) and (full < 2 or full * 3 < len(alike))):
                continue
            for unit in alike:
                if unit.kind != "full" and _REFERENCE_EVIDENCE.search(unit.body) and not _is_noise(unit.body) and not _code_like(unit.body):
                    unit.kind = "full"


# Headings of a text dump of a web page: "***** Further reading[edit] *****".
_STARRED_HEADING = re.compile(r"\*{3,}[ \t][^\n]{1,120}[ \t]\*{3,}")
# What an item needs, besides its place in a list, to be taken for an entry: a year, a link or link text
# (an instruction such as "- Please also cite the data you use." has none).
_REFERENCE_EVIDENCE = re.compile(r"(?<!\d)(?:1[6-9]|20)\d{2}(?!\d)|\bn\.\s?d\.|https?://|www\.|\]\(|\]\[")


def _lines(text: str, start: int, end: int) -> list[tuple[int, int, bool, int]]:
    """(start, end, follows_blank, indent) for each non-blank line; stop sections cut the range."""
    lines = []
    offset = start
    blank = True
    stopped = False
    for line in iter_lines(text, start, end):
        line_start, offset = offset, offset + len(line)
        stripped = line.strip()
        if not stripped:
            blank = True
            continue
        if _STOP_HEADING.match(line.rstrip("\n")) and len(stripped) <= 80:
            stopped = True
            blank = True
            continue
        if stopped:
            if _REFERENCE_HEADING.match(line.rstrip("\n")):
                stopped = False
            continue
        indent = len(line) - len(line.lstrip())
        lines.append((line_start + indent, line_start + len(line.rstrip()), blank, len(line[:indent].expandtabs(4))))
        blank = False
    return lines


def _units(text: str, start: int, end: int) -> list[_Unit]:
    """Lines joined into entries: numbered items with their wrapped lines, wrapped unnumbered entries."""
    units: list[_Unit] = []
    lines = _lines(text, start, end)
    numbered_list = sum(1 for s, e, _, _ in lines if _ENTRY_NUMBER.match(text[s:e])) >= 2
    label_line = False
    for line_start, line_end, after_blank, indent in lines:
        line = text[line_start:line_end]
        if _LABEL_LINE.fullmatch(line):
            label_line = True  # "Muscle:", "EXTERNAL TOOL CITATIONS:": what follows is an entry of its own
            continue
        after_label, label_line = label_line, False
        number_match = _ENTRY_NUMBER.match(line)
        bullet = bool(_BULLET.match(line)) and not number_match
        number = None
        if number_match:
            number = int(next(g for g in number_match.groups() if g))
        # Markdown's lazy continuation: a line straight after a bullet item, unmarked, is the item's
        hanging = bool(units) and not after_blank and (indent > units[-1].indent or (
            units[-1].bullet and not line.startswith(">") and not _HEADING_LINE.fullmatch(line)))
        if units and not after_label and not after_blank and number is None and _same_quote(units[-1].text, line):
            last = units[-1]  # the next line of a quotation ("> Authors" then "> Journal. 2020.") is the same entry
            last.end = line_end
            last.text = text[last.start:last.end]
            continue
        if line.startswith(">") and not (units and units[-1].text.startswith(">")):
            hanging = False  # a quotation under a list item ("* [Tool](url)" then "  > Authors ..."): the entry itself
        if units and not after_label and number is None and not bullet and (hanging or _continues(units[-1], line, text, after_blank, numbered_list)):
            last = units[-1]
            last.end = line_end
            last.text = text[last.start:last.end]
            continue
        units.append(_Unit(line_start, line_end, line, number, bullet, indent=indent))
    return units


def _same_quote(previous: str, line: str) -> bool:
    """Is the line the next line of the quotation above, not a reference of its own quoted after it?"""
    if not (previous.startswith(">") and line.startswith(">")):
        return False
    def whole(entry: str) -> bool:
        body = refparse.strip_entry_number(entry)
        return _full_reference(refparse.parse(body), body)
    return not (whole(previous) and whole(line))


def _continues(previous: _Unit, line: str, text: str, after_blank: bool, numbered_list: bool) -> bool:
    """Is this line the wrapped rest of the previous entry?"""
    if len(previous.text) + len(line) > _MAX_ENTRY_CHARS:
        return False
    prev = previous.text.rstrip()
    if after_blank:
        # Numbered entries are sometimes wrapped with a blank line before an identifier line.
        return numbered_list and previous.number is not None and bool(re.match(r"(?:doi|PMID|PMCID|https?://|\[?PubMed|\[?Google Scholar|\[?Cross[Rr]ef)", line, re.IGNORECASE))
    if numbered_list and previous.number is not None:
        return True  # inside a numbered list every unnumbered line continues the item above
    if prev.endswith(("-", "\u2010")) or re.match(r"[a-z(\[\d;:,.]", line):
        return bool(prev) and not prev.endswith((". ", "]"))
    if re.search(r"(?:[,;:&]|\band|\bet al\.?|\bIn:?|\bdoi:?)$", prev):
        return True
    if re.match(r"(?:doi|PMID|PMCID|https?://|\[?PubMed)", line, re.IGNORECASE):
        return True
    return False


def _classify(unit: _Unit, text: str) -> None:
    body = _entry_body(refparse.strip_entry_number(unit.text))
    parsed = refparse.parse(body)
    unit.parsed, unit.body = parsed, body
    words = body.split()
    has_identifier = bool(find_identifiers(body))
    if _code_like(body):
        unit.kind = "other"  # a numbered item that is a page's stylesheet or script, copied with its text
        return
    if (unit.number is not None or unit.label is not None) and len(words) >= 3:
        unit.kind = "full"
        return
    if _is_noise(body):
        unit.kind = "other"
        return
    if _full_reference(parsed, body):
        unit.kind = "full"
        return
    if parsed.source_style and (parsed.volume or parsed.first_page) and parsed.year and len(words) <= 25 and not parsed.title:
        unit.kind = "source"
        return
    names = refparse.scan_authors(body.strip(), 0, allow_given_family=True)
    covered = names.end >= len(body.strip()) - 2 or bool(re.fullmatch(r"[A-Z][a-z]{3,30}", body.strip()[names.end:].strip(" .,")))
    if names.families and covered and (len(names.families) >= 2 or names.et_al):
        unit.kind = "authors"
        return
    if _title_like(body):
        unit.kind = "title"
        return
    if has_identifier:
        unit.kind = "identifier"
        return
    if unit.bullet and parsed.year and parsed.title and len(words) >= 4:
        unit.kind = "full"
        return
    unit.kind = "other"


# "BLAST v. 2.9.0 (Camacho et al., 2009) - Camacho, C., ...", "Opal: Wheeler, T.J. ...": a tool's name before its reference.
_NAME_BEFORE_ENTRY = re.compile(r"^[^\n:\u2013\u2014]{1,80}?(?:\s[-\u2013\u2014]\s|:\s)(?=[A-Z\u00c0-\u00de][^\s,]{0,40},?\s(?:[A-Z]\.|[A-Z]{1,3}\b))")
# "———. 2020. Package AER ...": the authors of the entry above, not written again.
_REPEATED_AUTHORS = re.compile(r"^(?:[\u2014\u2013_-]{2,}|\u2014)[.,]?\s")
_SAME_AUTHORS = "Same, A. "
_LABEL_LINE = re.compile(r"[ \t]{0,8}[A-Za-z][\w .+/()'\-]{0,60}:[ \t]*")


def _entry_body(body: str) -> str:
    """An entry without a tool name or label before it and without repeated-author dashes."""
    # The dashes stand for names: a stand-in name lets the entry parse as written (its authors are then
    # taken from the entry above, see _assemble).
    body = _REPEATED_AUTHORS.sub(_SAME_AUTHORS, body, count=1)
    prefix = _NAME_BEFORE_ENTRY.match(body)
    if prefix is not None and refparse.parse(body).authors == ():
        return body[prefix.end():]
    return body


def _full_reference(parsed: refparse.ParsedReference, body: str) -> bool:
    if len(body) > _MAX_ENTRY_CHARS:
        return False
    if parsed.authors and parsed.year and (parsed.title or parsed.journal):
        return True
    if parsed.authors and parsed.quoted_title:
        return True
    if parsed.title and parsed.year and (parsed.volume or parsed.first_page) and parsed.journal:
        return True
    return False


_NOISE_START = re.compile(
    r"^(?:comment|note|editor'?s note|published|posted|updated|copyright|\u00a9|share|tweet|pin|like|follow|read more|click|"
    r"download|view|see also|all rights|source:\s*$)\b",
    re.IGNORECASE,
)


_CODE_CHARS = re.compile(r"[{};]")
_CODE_CHARS_MIN = 6


def _code_like(body: str) -> bool:
    return len(_CODE_CHARS.findall(body)) >= _CODE_CHARS_MIN and body.count("{") >= 2


def _is_noise(body: str) -> bool:
    return bool(_NOISE_START.match(body.strip()))


def _title_like(body: str) -> bool:
    body = body.strip()
    inner = body.strip("\u201c\u201d\"'\u2018\u2019 ")
    words = inner.split()
    if not 3 <= len(words) <= 40 or len(inner) > 320:
        return False
    if not re.match(r"[A-Z\u00c0-\u00de0-9]", inner):
        return False
    if re.search(r"[.?!]\s[A-Z][a-z]", inner.rstrip(".")):
        return False  # more than one sentence: prose
    if inner.endswith(":") or find_identifiers(inner):
        return False
    return True


def _assemble(units: list[_Unit], text: str) -> list[ReferenceEntry]:
    if not any(u.number is not None for u in units):
        carets = [u for u in units if re.match(r"\^", u.text)]
        if len(carets) >= 2:
            # Wikipedia's list copied as text loses its numbers but keeps "^ a b": count them back.
            for number, unit in enumerate(carets, start=1):
                unit.number = number
    entries: list[ReferenceEntry] = []
    index = 0
    while index < len(units):
        unit = units[index]
        nxt = units[index + 1] if index + 1 < len(units) else None
        after = units[index + 2] if index + 2 < len(units) else None
        kinds = (unit.kind, nxt.kind if nxt else None, after.kind if after else None)
        if unit.kind == "full":
            cited = refparse.fields(unit.body, rules=unit.parsed)
            if unit.unproven and find_identifiers(unit.body):
                cited = None  # the identifier is checked; fields that may be prose's words accuse no record
            if _REPEATED_AUTHORS.match(refparse.strip_entry_number(unit.text)) and entries and entries[-1].cited is not None:
                cited = replace(cited, authors=entries[-1].cited.authors)  # "———. 2008. ...": the authors above
            entries.append(_entry(unit.number, [unit], text, cited, True))
            index += 1
        elif kinds[:2] in (("title", "authors"), ("authors", "title")):
            title_unit = unit if unit.kind == "title" else nxt
            authors_unit = nxt if unit.kind == "title" else unit
            group = [unit, nxt]
            source_unit = after if after is not None and after.kind in ("source", "identifier") else None
            if source_unit is not None:
                group.append(source_unit)
            entries.append(_entry(unit.number, group, text, _record(title_unit, authors_unit, source_unit), True))
            index += len(group)
        elif unit.kind == "source" and nxt is not None and nxt.kind == "title" and _medline_source(unit):
            # PubMed's abstract page: "Stem Cells. 2009 Jun;27(6):1421-32. doi: ..." then the title.
            group = [unit, nxt]
            authors_unit = after if after is not None and after.kind == "authors" else None
            if authors_unit is not None:
                group.append(authors_unit)
            entries.append(_entry(unit.number, group, text, _record(nxt, authors_unit, unit), True))
            index += len(group)
        elif unit.kind == "source":
            entries.append(_entry(unit.number, [unit], text, _record(None, None, unit), True))
            index += 1
        elif unit.kind == "identifier":
            entries.append(_entry(unit.number, [unit], text, None, False))
            index += 1
        else:
            if unit.number is not None or unit.label is not None:
                entries.append(_entry(unit.number, [unit], text, None, False))
            index += 1
    return entries


def _footnote_entry(text: str, start: int, end: int, label: str) -> ReferenceEntry:
    """A footnote definition is one entry, whatever its lines look like."""
    unit = _Unit(start, end, text[start:end], int(label) if label.isdigit() else None, bullet=False, label=label)
    _classify(unit, text)
    return _assemble([unit], text)[0]


def _medline_source(unit: _Unit) -> bool:
    return bool(re.match(r"^[A-Z][^.;\n]{1,80}\.\s(?:19|20)\d{2}\b", refparse.strip_entry_number(unit.text).strip()))


def _record(title: _Unit | None, authors: _Unit | None, source: _Unit | None) -> CitedMetadata:
    fields = refparse.fields(source.body, rules=source.parsed) if source is not None and source.parsed is not None else CitedMetadata()
    if source is not None and source.kind == "identifier":
        fields = CitedMetadata()
    title_text = None
    if title is not None:
        title_text = refparse._tidy_title(refparse.strip_entry_number(title.text).strip())
    names: tuple[str, ...] = ()
    if authors is not None:
        scan = refparse.scan_authors(refparse.strip_entry_number(authors.text).strip(), 0, allow_given_family=True)
        families = list(scan.families)
        if families:
            families[-1] = refparse.split_glued_tail(families[-1])
        names = tuple(families)
    return replace(fields, title=title_text or fields.title, authors=names or fields.authors)


def _entry(number: int | None, units: list[_Unit], text: str, cited: CitedMetadata | None, reference: bool) -> ReferenceEntry:
    start, end = units[0].start, units[-1].end
    return ReferenceEntry(number, start, end, text[start:end], cited, reference, units[0].label)


# ---------------------------------------------------------------- body references
_PAREN_REFERENCE = re.compile(r"\(([^()\n]{20,400})\)")


def _body_references(layout: _Layout, citations: list[Citation]) -> list[Citation]:
    """References without an identifier outside the reference list and the footnote definitions: a line
    such as "Source: Sun L, et al. Title. Stem Cells. 2009;27:1421-32." or a full reference in parentheses."""
    text, body_end = layout.body, layout.body_end
    taken = [(c.start, c.end) for c in citations]
    found: list[Citation] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    offset = 0
    for line in iter_lines(text, 0, body_end):
        line_start, offset = offset, offset + len(line)
        stripped = line.strip()
        if not 30 <= len(stripped) <= 600:
            continue
        body = _LABEL_PREFIX.sub("", stripped)
        if _signs(body) < _MIN_SIGNS:
            continue  # no authors first, volume and pages or identifier: prose, never parsed
        labelled = body != stripped
        lead = len(stripped) - len(body)
        parsed = refparse.parse(body)
        strong = parsed.authors and parsed.year and parsed.title and (parsed.journal or parsed.volume) and (parsed.volume or parsed.first_page or labelled)
        if not strong:
            # "... the one people quote: Manson JE, Cook NR, et al. Title. N Engl J Med. 2019;380(1):23-32."
            for opening in re.finditer(r"(?:[:;]|\.)\s(?=[A-Z])", body):
                rest = body[opening.end():]
                names = refparse.scan_authors(rest, 0)
                if len(names.families) >= 2 or names.et_al:
                    candidate = refparse.parse(rest)
                    if candidate.authors and candidate.year and candidate.title and candidate.journal and (candidate.volume or candidate.first_page):
                        parsed, strong, lead = candidate, True, lead + opening.end()
                        break
        if strong and len(re.findall(r"[.?!]\s[A-Z]", body[lead - (len(stripped) - len(body)):])) <= 4:
            start = line_start + line.index(stripped[0]) + lead
            end = line_start + line.index(stripped[0]) + len(stripped)
            stripped = text[start:end]
            if free(start, end):
                found.append(Citation(kind="reference", id=None, text=stripped, start=start, end=end, cited=parsed.metadata()))
                taken.append((start, end))
    for match in _PAREN_REFERENCE.finditer(text, 0, body_end):
        inner = match.group(1)
        if _signs(inner) < _MIN_SIGNS:
            continue
        parsed = refparse.parse(inner)
        if parsed.authors and parsed.year and parsed.journal and (parsed.volume or parsed.first_page) and free(match.start(), match.end()):
            found.append(Citation(kind="reference", id=None, text=inner, start=match.start(1), end=match.end(1), cited=parsed.metadata()))
            taken.append((match.start(), match.end()))
    return found

