"""Where the Markdown syntax stands in a Markdown document's text, so the HTML report can show the document as
rendered text (headings as headings, no front matter, no `#`, `**`, `*`, `_`, backticks or fences) while every offset into the
text stays as it is. Links are unwrapped by load.py already."""
from __future__ import annotations

import re

FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
HEADING = re.compile(r"^(#{1,6}[ \t]+)(.*?)([ \t]+#+)?[ \t]*$", re.M)
SETEXT_UNDERLINE = re.compile(r"^(?:=+|-+)[ \t]*$", re.M)
EMPHASIS = re.compile(r"(\*\*|__)(?=\S)[^\n]+?(?<=\S)\1")
# *word* and _word_, not a lone star ("p < 0.05*") nor snake_case: the marks hug a word on the inside only.
SINGLE_EMPHASIS = re.compile(r"(?<![\w*])(\*)(?=[^\s*])[^*\n]*?(?<=[^\s*])\*(?![\w*])|(?<![\w_])(_)(?=[^\s_])[^_\n]*?(?<=[^\s_])_(?![\w_])")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)[^\n]*?(?<!`)\1(?!`)")
BULLET = re.compile(r"^[ \t]*([-*+][ \t]+)(?=\S)", re.M)
FENCE = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*$", re.M)
COMMENT = re.compile(r"<!--.*?-->", re.S)
QUOTE = re.compile(r"^[ \t]*(>[ \t]?)", re.M)


def markdown_layout(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """(blocks, syntax): blocks as (start, end, CSS class) for front matter and headings, syntax as (start, end,
    CSS class) for the characters to hide (heading marks, emphasis marks, code-span backticks, fences, comments, setext underlines)
    or to show as a bullet. Both sorted by start, neither overlapping itself."""
    blocks, syntax = [], []
    front = FRONT_MATTER.match(text)
    body_start = front.end() if front else 0
    if front:
        blocks.append((0, front.end(), "md-front"))
    for match in HEADING.finditer(text, body_start):
        level = len(match.group(1).strip())
        blocks.append((match.start(), match.end(), f"md-h{level}"))
        syntax.append((match.start(1), match.end(1), "md-hidden"))
        if match.group(3):
            syntax.append((match.start(3), match.end(3), "md-hidden"))
    for pattern, css in ((SETEXT_UNDERLINE, "md-hidden"), (FENCE, "md-hidden"), (COMMENT, "md-hidden")):
        syntax += [(m.start(), m.end(), css) for m in pattern.finditer(text, body_start)]
    syntax += [(m.start(1), m.end(1), "md-bullet") for m in BULLET.finditer(text, body_start)]
    syntax += [(m.start(1), m.end(1), "md-hidden") for m in QUOTE.finditer(text, body_start)]
    for pattern in (EMPHASIS, SINGLE_EMPHASIS, CODE_SPAN):
        for match in pattern.finditer(text, body_start):
            width = len(match.group(1) or match.group(2) or "") if pattern is SINGLE_EMPHASIS else len(match.group(1))
            syntax += [(match.start(), match.start() + width, "md-hidden"), (match.end() - width, match.end(), "md-hidden")]
    return _disjoint(blocks), _disjoint(syntax)


def _disjoint(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sorted by start; a span overlapping an earlier one is dropped (a '---' line is a setext underline or a
    bullet, not both)."""
    kept, reached = [], -1
    for span in sorted(spans):
        if span[0] >= reached and span[1] > span[0]:
            kept.append(span)
            reached = span[1]
    return kept
