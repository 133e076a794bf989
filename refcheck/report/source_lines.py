"""Source line numbers: where in the file as given (HTML, Markdown) an offset of the extracted text lies.

Offsets refer to the extracted text. Where the raw file is that text (plain text) the line is exact. Otherwise
(Markdown links, HTML markup) the words of the two texts are aligned once per document: the raw file with its
markup blanked out (tags, entities, Markdown link targets: same length, so offsets stay) is read word by word
beside the extracted text, a word matched when it is the next one, or when it and the two after it come up a
little further on (the raw file has words the extracted text has not: a <title>, an alt text). A finding's line
is the raw line of the first aligned word at or after its start; with no aligned word, the line at the same
relative position. Building the alignment is linear in the two texts, and each line is then found by bisection:
a report with 100,000 findings no longer rescans the file for each.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path

_MARKUP = re.compile(r"<[^<>]*>|&[#\w]+;|\]\([^()\s]*\)")
_WORD = re.compile(r"[^\W_]+")
LOOKAHEAD = 64  # raw words searched past an unmatched one for it (markup-only text is rarely longer)
ANCHOR = 3  # words that must match in a row where the alignment resumes after a gap


class SourceLines:
    """The line in the raw file of each offset of the extracted text of one document."""

    def __init__(self, extracted: str, raw: str | None = None) -> None:
        self._exact = raw is None or raw == extracted
        text = extracted if self._exact else raw
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._length = max(1, len(extracted))
        self._raw_length = len(text)
        if self._exact:
            return
        blanked = _MARKUP.sub(lambda markup: " " * len(markup.group()), raw)
        extracted_words = [(m.start(), m.group().lower()) for m in _WORD.finditer(extracted)]
        raw_words = [(m.start(), m.group().lower()) for m in _WORD.finditer(blanked)]
        self._word_starts, self._raw_offsets = _align(extracted_words, raw_words)

    def _line_at(self, offset: int) -> int:
        return bisect_left(self._newlines, offset) + 1

    def line(self, start: int) -> int:
        """The 1-based line of the raw file where extracted[start:] begins."""
        if self._exact:
            return self._line_at(start)
        index = bisect_left(self._word_starts, start)
        if index < len(self._word_starts):
            return self._line_at(self._raw_offsets[index])
        return self._line_at(int(start / self._length * self._raw_length))


def _align(extracted: list[tuple[int, str]], raw: list[tuple[int, str]]) -> tuple[list[int], list[int]]:
    """(offsets of the aligned extracted words, the raw offsets they align with), both increasing."""
    starts, offsets = [], []
    position = 0
    for index, (start, word) in enumerate(extracted):
        if position < len(raw) and raw[position][1] == word:
            found = position
        else:
            following = [w for _, w in extracted[index + 1:index + ANCHOR]]
            found = next((j for j in range(position + 1, min(len(raw), position + LOOKAHEAD))
                          if raw[j][1] == word and [w for _, w in raw[j + 1:j + ANCHOR]] == following), None)
            if found is None:
                continue  # a word the raw file spells otherwise (an entity, a decoded character): skipped
        starts.append(start)
        offsets.append(raw[found][0])
        position = found + 1
    return starts, offsets


def source_line(extracted: str, start: int, raw: str | None = None) -> int:
    """The 1-based line in the raw source file where extracted[start:] begins (one lookup; for many, SourceLines)."""
    return SourceLines(extracted, raw).line(start)


def read_source_texts(paths: list[str]) -> dict[str, str]:
    """The raw text of each file by its path as given, for line numbers; URLs and unreadable files are left out
    (their lines come from the extracted text)."""
    texts = {}
    for path in paths:
        if "://" in path:
            continue
        try:
            texts[path] = Path(path).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        except OSError:
            continue
    return texts
