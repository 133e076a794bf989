"""The one sentence splitter: boundaries with offsets, aware of the
abbreviations and numbers that scientific prose is full of ("et al.", "e.g.",
"Fig. 2", "p < 0.05", initials), of citation markers after the full stop
("... improved.[3] Next", "... improved.[^smith] Next"), of headings and list items on their own lines, and
of blank-line paragraph breaks.

``sentence_spans`` gives (start, end) offsets (claims need them to map
citations to sentences); ``split_sentences`` gives the same sentences as
strings (compare quotes them verbatim as evidence).
"""
from __future__ import annotations

import re
from array import array

# Lower-cased tokens (without their final period) after which a period does not
# end a sentence.
_ABBREVIATIONS = frozenset(
    """al e.g eg i.e ie vs v cf etc fig figs figure tab no nos vol pp p approx ca
    dr mr mrs ms prof st jr sr inc ltd co corp dept univ resp ref refs eq eqs
    min max mo yr yrs wk wks hr hrs sec suppl ed eds jan feb mar apr jun jul aug
    sep sept oct nov dec n.b nb u.s u.k sp spp var subsp""".split()
)
# A boundary candidate: terminal punctuation, optional closing quotes/brackets
# and citation markers, then whitespace or the end; or a line break.
# What a citation marker holds: the numbers of "[3]", "[2, 5]", "[4-6]", and a Markdown footnote's label
# ("[^1]", "[^night-shift]"). Extraction and claim linking build their marker patterns from these, so a
# marker one recognises the others do too.
NUMBERED_LABELS = r"\d{1,3}(?:\s{0,2}[-\u2013,]\s{0,2}\d{1,3}){0,20}"
FOOTNOTE_LABEL = r"\d{1,4}|[A-Za-z][\w\-]{0,40}"
_BOUNDARY = re.compile(
    rf"[.!?][\"'\u201d\u2019)\]]{{0,3}}(?:\[{NUMBERED_LABELS}\]|\[\^(?:{FOOTNOTE_LABEL})\]){{0,3}}(?=\s|$)|\n{{2,}}|\n"
)
_LIST_ITEM = re.compile(r"(?:[-*\u2022]|\d{1,3}[.)]|\[\d{1,3}\])\s")


def sentence_spans(text: str | None, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[:end], whitespace trimmed, in order."""
    starts, ends = sentence_bounds(text, end)
    return list(zip(starts, ends))


def sentence_bounds(text: str | None, end: int | None = None) -> tuple[array, array]:
    """The same sentences as two arrays, of starts and of ends: 16 bytes a sentence instead of a
    tuple's hundred, for long documents."""
    starts, ends = array("q"), array("q")
    if not text:
        return starts, ends
    length = len(text) if end is None else min(end, len(text))
    start = 0
    for match in _BOUNDARY.finditer(text, 0, length):
        mark = match.group(0)
        if mark == "\n" and not _line_break_ends_sentence(text, match.start()):
            continue
        if mark[0] == "." and (_is_abbreviation(text, start, match.start()) or _is_list_number(text, match.start())):
            continue
        if mark[0] in ".!?" and not _next_starts_sentence(text, match.end()):
            continue
        _add_trimmed(text, start, match.end(), starts, ends)
        start = match.end()
    _add_trimmed(text, start, length, starts, ends)
    return starts, ends


def _add_trimmed(text: str, s: int, e: int, starts: array, ends: array) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        starts.append(s)
        ends.append(e)


def split_sentences(text: str | None) -> list[str]:
    """The sentences of text, verbatim."""
    return [text[s:e] for s, e in sentence_spans(text)]


def _is_abbreviation(text: str, sentence_start: int, dot: int) -> bool:
    # (the last two words decide; a window keeps "x. " * 16000 from being split up 16000 times)
    window_start = max(sentence_start, dot - 100)
    words = text[window_start:dot].split()
    if not words:
        return False
    word = words[-1].lstrip("(\"'[")
    # A capital letter after a name or another initial is an initial
    # ("J. Smith", "John F. Kennedy"); after a lower-case word it usually ends
    # a sentence ("vitamin D. The ...").
    if re.fullmatch(r"[A-Z]", word):
        if len(words) == 1:
            return window_start == sentence_start
        return words[-2][:1].isupper() or words[-2] in ("and", "&")
    return word.lower() in _ABBREVIATIONS


def _is_list_number(text: str, dot: int) -> bool:
    """Is the line up to this full stop a list number ("  12.")? Read backwards from the full stop,
    never further than the spaces before the number, so a long line costs nothing per full stop."""
    at = dot
    while at > 0 and text[at - 1] in " \t":
        at -= 1
    digits_end = at
    while at > 0 and text[at - 1].isdigit() and digits_end - at <= 3:
        at -= 1
    if not 1 <= digits_end - at <= 3:
        return False
    while at > 0 and text[at - 1] in " \t":
        at -= 1
    return at == 0 or text[at - 1] == "\n"


def _next_starts_sentence(text: str, end: int) -> bool:
    rest = text[end:end + 40].lstrip()
    # "p < 0.05. the" is rare; a lower-case start is usually not a new sentence.
    return not rest or not rest[0].islower()


def _line_break_ends_sentence(text: str, newline: int) -> bool:
    """A single line break ends a heading or a list item, not a hard-wrapped line."""
    rest = text[newline + 1:newline + 40].lstrip(" \t")
    if _LIST_ITEM.match(rest):
        return True
    line = text[text.rfind("\n", 0, newline) + 1:newline].strip()
    return bool(rest) and rest[0].isupper() and len(line) < 70 and not line.endswith((",", ";", "-", "and", "of", "the"))
