"""Sentence boundaries with offsets, aware of the abbreviations and numbers
that scientific prose is full of ("et al.", "e.g.", "Fig. 2", "p < 0.05")."""
from __future__ import annotations

import re

_ABBREVIATIONS = {
    "al", "e.g", "i.e", "etc", "vs", "fig", "figs", "ref", "refs", "no", "nos", "vol", "pp", "p", "ed", "eds",
    "dr", "prof", "mr", "mrs", "ms", "st", "approx", "ca", "cf", "resp", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "univ", "dept", "suppl", "eq",
}
# A boundary candidate: terminal punctuation, optional closing quotes/brackets/markers, then space.
_BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)\]]{0,3}(?:\[\d{1,3}(?:[-,\u2013 ]{1,3}\d{1,3}){0,10}\]){0,3}(?=\s+|$)|\n{2,}|\n")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed, in order."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group(0) == "\n" and not _line_break_ends_sentence(text, match.start()):
            continue
        if match.group(0)[0] == "." and (_is_abbreviation(text, match.start()) or _is_list_number(text, match.start())):
            continue
        if match.group(0)[0] in ".!?" and not _next_starts_sentence(text, end):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def split_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([A-Za-z][A-Za-z.]{0,8})$", text[max(0, dot - 10):dot])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    # A single capital letter before a dot is an initial ("J. Smith").
    return token in _ABBREVIATIONS or (len(token) == 1 and text[dot - 1].isupper())


def _is_list_number(text: str, dot: int) -> bool:
    line = text[text.rfind("\n", 0, dot) + 1:dot].strip()
    return line.isdigit() and len(line) <= 3


def _next_starts_sentence(text: str, end: int) -> bool:
    rest = text[end:end + 40].lstrip()
    if not rest:
        return True
    # "p < 0.05. the" is rare; a lower-case start is usually not a new sentence.
    return not rest[0].islower()


def _line_break_ends_sentence(text: str, newline: int) -> bool:
    """A single line break ends a heading or a list item, not a hard-wrapped line."""
    rest = text[newline + 1:newline + 40].lstrip(" \t")
    if re.match(r"(?:[-*\u2022]|\d{1,3}[.)]|\[\d{1,3}\])\s", rest):
        return True
    line = text[text.rfind("\n", 0, newline) + 1:newline].strip()
    return bool(rest) and rest[0].isupper() and len(line) < 70 and not line.endswith((",", ";", "-", "and", "of", "the"))
