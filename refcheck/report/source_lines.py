"""Source line numbers: where in the file as given (HTML, Markdown) an offset of the extracted text lies."""
from __future__ import annotations

import re
from pathlib import Path

# What the raw file has and the extracted text has not: tags, entities, Markdown link targets. Blanked out
# (same length, so offsets stay), the words of a snippet are matched with anything but letters and digits
# between them: a claim ends "adults.[7]" where the HTML has "adults.<sup><a href="#ref7">[7]</a></sup>".
_MARKUP = re.compile(r"<[^<>]*>|&[#\w]+;|\]\([^()\s]*\)")
_WORD = re.compile(r"[^\W_]+")


def _snippet_pattern(snippet: str) -> re.Pattern | None:
    words = _WORD.findall(snippet)
    if not words:
        return None
    return re.compile(r"[\W_]+".join(re.escape(w) for w in words[:12]))


def source_line(extracted: str, start: int, end: int, raw: str | None = None) -> int:
    """The 1-based line in the raw source file of extracted[start:end].

    Offsets refer to the extracted text. Where the raw file is that text (plain text) the line is exact.
    Otherwise (Markdown links, HTML markup) the k-th occurrence of the same words in the extracted text is
    taken to be the k-th occurrence in the raw file, words allowed to be separated by punctuation, tags,
    entities or link targets;
    failing that, the line at the same relative position.
    """
    if raw is None or raw == extracted:
        return extracted.count("\n", 0, start) + 1
    pattern = _snippet_pattern(extracted[start:end])
    if pattern is not None:
        before = sum(1 for _ in pattern.finditer(extracted, 0, start))
        occurrences = list(pattern.finditer(_MARKUP.sub(lambda markup: " " * len(markup.group()), raw)))
        if before < len(occurrences):
            return raw.count("\n", 0, occurrences[before].start()) + 1
    relative = int(start / max(1, len(extracted)) * len(raw))
    return raw.count("\n", 0, relative) + 1


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
