"""Where a document holds code, console output or mathematics rather than prose.

A bracketed number there ("y.val[95]", "#> [1] 0.34", "\\operatorname{Uniform}[0, 1]",
"np.random.binomial(1, 0.5, [100, 10])") is an index, an interval or output, never a citation
marker. Spans found: fenced code blocks (``` and ~~~), inline code (`...`), display and inline
maths ($$...$$, $...$ with something mathematical inside, \\(...\\), \\[...\\]), and console lines
(R's "#>", Python's ">>> " and "In [3]:"/"Out[3]:"). Linear: each pattern is bounded and the
spans come out sorted.
"""
from __future__ import annotations

import re
from bisect import bisect_right

_FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n(?:.*?\n)??[ \t]{0,3}(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"(?<!`)(?P<ticks>`{1,2})(?!`)[^\n`]{1,500}?(?<!`)(?P=ticks)(?!`)")
_DISPLAY_MATHS = re.compile(r"\$\$[^$]{1,5000}?\$\$|\\\[[^\n]{0,2000}?\\\]|\\\([^\n]{0,2000}?\\\)", re.DOTALL)
# "$x_i$", "$\\alpha$", "$[0, 1]$": a dollar pair with no space inside its edges and something only
# mathematics writes ("$5 and $10" is money).
_INLINE_MATHS = re.compile(r"(?<![\\$\w])\$(?=\S)[^$\n]{1,500}?(?<=\S)\$(?![\w$])")
_MATHEMATICAL = re.compile(r"[\\^_{}=<>]|\[|\]")
_CONSOLE_LINE = re.compile(r"^[ \t]{0,8}(?:#>|>>> |\.\.\. |In \[\d{1,4}\]:|Out\[\d{1,4}\]:)[^\n]*$", re.MULTILINE)


class CodeSpans:
    """Sorted, non-overlapping spans of code and maths, asked offset by offset."""

    def __init__(self, text: str) -> None:
        spans = [m.span() for m in _FENCE.finditer(text)]
        spans += [m.span() for m in _INLINE_CODE.finditer(text)]
        spans += [m.span() for m in _DISPLAY_MATHS.finditer(text)]
        spans += [m.span() for m in _INLINE_MATHS.finditer(text) if _MATHEMATICAL.search(m.group(0))]
        spans += [m.span() for m in _CONSOLE_LINE.finditer(text)]
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        self.spans = merged
        self.starts = [start for start, _ in merged]

    def holds(self, offset: int) -> bool:
        index = bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.spans[index][1]


# What stands right before an index or an interval in code or mathematics: a name with "_", "." or
# "$" inside it ("env_weights", "y.val", "df$x"), a closing bracket ("f(x)[1]", "}[0, 1]"; not "]": "[1][2]" is two markers), a call's
# opening bracket or a comma inside it ("binomial(1, 0.5, [100, 10])"), or "=". Not "improved.[3]" nor
# "brain[2]" nor "([2])": markers copied from Wikipedia.
_CODE_BEFORE = re.compile(r"(?:[A-Za-z0-9]+[_.$])+[A-Za-z0-9]+$|[)}]$|\w\((?:[^()\n]{0,80},)?[ \t]{0,2}$|=[ \t]{0,2}$")


def looks_like_code(text: str, start: int, end: int) -> bool:
    """Is the bracketed number text[start:end] an index, interval or output rather than a marker?"""
    before = text[max(0, start - 60):start]
    if _CODE_BEFORE.search(before):
        return True
    # "[1] 0.34 0.56": R prints a vector's first index before its values.
    return bool(re.match(r"[ \t]{1,3}-?\d", text[end:end + 5])) and (start == 0 or text[start - 1] == "\n")
