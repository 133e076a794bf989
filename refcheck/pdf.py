"""PDF to text, with the line breaks repaired so that identifiers and
reference entries split across lines come back together.

Uses pypdf (pure Python, maintained, BSD): an optional extra, installed with
``pip install 'refcheck[pdf]'``.

What the repair does, in order:

* pages are joined with a blank line; a running header or footer line that
  repeats on most pages (or a bare page number) is dropped;
* a word hyphenated at a line end is joined ("transplan-\\ntation");
* an identifier broken at a line end is joined without a space
  ("doi:10.1016/j.cell.\\n2009.01.042", "https://doi.org/10.1002/\\nstem.68",
  "PMID:\\n19489103");
* lines of one paragraph are kept as lines (the reference-list reader joins
  wrapped entries itself), and a vertical gap between text blocks becomes a
  blank line, so a heading or a new entry starts where the reader sees one.
"""
from __future__ import annotations

import io
import re
from collections import Counter

from .errors import InputError

MAX_PAGES = 2000


def pdf_to_text(data: bytes, source: str) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise InputError(f"{source}: reading PDF needs the pdf extra: pip install 'refcheck[pdf]'") from None
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise InputError(f"{source}: the PDF is encrypted and needs a password")
            except (NotImplementedError, DependencyError_types()) as exc:
                raise InputError(f"{source}: the PDF is encrypted ({exc})") from None
        pages = []
        for number, page in enumerate(reader.pages):
            if number >= MAX_PAGES:
                break
            pages.append(_page_lines(page))
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise InputError(f"{source}: not a readable PDF ({type(exc).__name__})") from None
    text = repair("\n\n".join("\n".join(lines) for lines in _drop_running_lines(pages)))
    if not text.strip():
        raise InputError(f"{source}: the PDF has no text layer (a scanned image?); run OCR first")
    return text


def DependencyError_types():  # noqa: N802 - a tuple of exception classes
    try:
        from pypdf.errors import DependencyError

        return DependencyError
    except ImportError:  # pragma: no cover
        return RuntimeError


def _page_lines(page) -> list[str]:
    """The page's lines, with a blank line where the vertical gap is larger than
    the usual line spacing (a new paragraph, heading or list entry)."""
    pieces: list[tuple[float, float, str]] = []  # (y, font size, text)

    def visit(text, cm, tm, _font_dict, font_size):  # pypdf passes all five
        if text:
            y = tm[5] * cm[3] + cm[5] if cm else tm[5]
            size = abs(font_size * (tm[3] or 1) * (cm[3] if cm else 1)) or 10.0
            pieces.append((y, size, text))

    raw = page.extract_text(visitor_text=visit) or ""
    lines = [line.rstrip() for line in raw.replace("\r", "\n").split("\n")]
    gaps = _line_gaps(pieces)
    if not gaps:
        return lines
    out: list[str] = []
    for line in lines:
        if line.strip() and out and out[-1].strip() and gaps and _starts_block(line, gaps):
            out.append("")
        out.append(line)
    return out


def _line_gaps(pieces: list[tuple[float, float, str]]) -> dict[str, bool]:
    """Line text -> "a larger gap than usual comes before it"."""
    rows: list[tuple[float, float, str]] = []
    for y, size, text in pieces:
        if rows and abs(rows[-1][0] - y) < 0.5:
            rows[-1] = (rows[-1][0], max(rows[-1][1], size), rows[-1][2] + text)
        else:
            rows.append((y, size, text))
    rows = [(y, size, text.strip()) for y, size, text in rows if text.strip()]
    if len(rows) < 3:
        return {}
    steps = [round(rows[i - 1][0] - rows[i][0], 1) for i in range(1, len(rows))]
    positive = sorted(step for step in steps if step > 0)
    if not positive:
        return {}
    usual = positive[len(positive) // 2]
    result: dict[str, bool] = {}
    for i in range(1, len(rows)):
        key = rows[i][2].split("\n")[0].strip()
        if key:
            result[key] = result.get(key, False) or steps[i - 1] > usual * 1.45
    return result


def _starts_block(line: str, gaps: dict[str, bool]) -> bool:
    return gaps.get(line.strip(), False)


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Headers, footers and page numbers repeated on most pages are not content."""
    if len(pages) < 3:
        return [[line for line in lines if not re.fullmatch(r"\s*(?:page\s)?\d{1,4}(?:\s(?:of|/)\s\d{1,4})?\s*", line, re.I)] for lines in pages]
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_normal(line) for line in lines[:2] + lines[-2:] if line.strip()}
        counts.update(edge)
    running = {line for line, n in counts.items() if n >= max(3, len(pages) * 0.6)}
    cleaned = []
    for lines in pages:
        keep = []
        for index, line in enumerate(lines):
            at_edge = index < 2 or index >= len(lines) - 2
            if at_edge and (_normal(line) in running or re.fullmatch(r"\s*(?:page\s)?\d{1,4}(?:\s(?:of|/)\s\d{1,4})?\s*", line, re.I)):
                continue
            keep.append(line)
        cleaned.append(keep)
    return cleaned


def _normal(line: str) -> str:
    return re.sub(r"\d{1,4}", "#", line.strip().lower())


# An identifier (or URL) that a line break cut: the last token of a line ...
_OPEN_IDENTIFIER = re.compile(
    r"(?:(?<![\w.])(?:doi[ \t]{0,3}:?[ \t]{0,3})?10\.\d{4,9}/[^\s]{0,200}|https?://[^\s]{1,300}|doi[ \t]{0,3}:[ \t]{0,3}10\.[\d.]{0,10}/?|"
    r"(?:PMID|PMCID|PubMed ID)[ \t]{0,3}:?)$",
    re.IGNORECASE,
)
_LABEL_ONLY = re.compile(r"(?:PMID|PMCID|PubMed ID|doi)[ \t]{0,3}:?$", re.IGNORECASE)


def repair(text: str) -> str:
    """Join words and identifiers that a line break split."""
    lines = text.split("\n")
    out: list[str] = []
    last_number = 0
    for line in lines:
        number = _ENTRY_NUMBER.match(line)
        number_value = int(number.group(1) or number.group(2)) if number else 0
        # "2646. PMID: 1" after a cut DOI is no entry 2646: entries count up one by one.
        starts_entry = bool(number) and number_value in (last_number + 1, 1)
        if starts_entry:
            last_number = number_value
        if out and out[-1] and line.strip() and not starts_entry:
            previous = out[-1]
            joined = _join(previous, line.lstrip())
            if joined is not None:
                out[-1] = joined
                continue
        out.append(line)
    return "\n".join(out)


_ENTRY_NUMBER = re.compile(r"^[ \t]{0,3}(?:\[(\d{1,4})\]|(\d{1,4})[.)])[ \t]")


def _join(previous: str, line: str) -> str | None:
    tail = _OPEN_IDENTIFIER.search(previous)
    if tail:
        token = tail.group(0)
        if _LABEL_ONLY.fullmatch(token.strip()):
            return previous.rstrip() + " " + line
        first = line.split(" ", 1)[0]
        # The DOI or URL goes on if the next line starts with what a DOI suffix holds,
        # and the cut came where typesetters cut (after / . - _ or inside a run of digits).
        if re.fullmatch(r"[\w./;:()\-<>\[\]#%=?&+~]{1,200}", first) and (
            re.search(r"[/.\-_]$", token) or (re.search(r"\d$", token) and first[:1].isdigit())
            or (first[:1].islower() and not re.fullmatch(r"[a-z]{2,}[.,;:]?", first))
        ):
            if not re.match(r"(?:PMID|PMCID|doi|https?:)", first, re.IGNORECASE) and not re.fullmatch(r"[A-Z][a-z]+[.,]?", first):
                return previous.rstrip() + line
    # A word hyphenated across the break: "transplan-" + "tation".
    match = re.search(r"([A-Za-z\u00c0-\u017f]{2,})[-\u00ad]$", previous)
    if match and re.match(r"[a-z\u00df-\u00ff]{2,}", line):
        return previous[: match.end(1)] + line
    return None
