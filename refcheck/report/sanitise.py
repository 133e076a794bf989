"""The output sanitiser: every piece of text refcheck did not write itself (the document's, a service's,
the cache's) passes through here before it reaches a terminal, a spreadsheet, a browser or an XML parser.

visible() is the one rule for all of them: C0 and C1 control characters (but tab, line feed and carriage
return) become visible symbols, and what UTF-8 or XML 1.0 cannot carry (lone surrogates, U+FFFE, U+FFFF)
becomes U+FFFD. Each character is replaced by exactly one, so offsets into a document's text stay valid.
On top of it, each format escapes what is special to it: csv_cell() (formula injection), markdown_text()
(HTML and Markdown syntax), escape_workflow_data() (GitHub workflow commands); the HTML report escapes
every field with html.escape, JSON with its own string escapes plus json_text().
"""
from __future__ import annotations

import re

# Tab, line feed and carriage return are whitespace every format handles; every other C0 character, DEL and
# the C1 range (U+0080-U+009F: U+009B is a one-character CSI to many terminals) can drive a terminal.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SYMBOL_FOR = {**{chr(code): chr(0x2400 + code) for code in range(0x20)}, "\x7f": "\u2421"}  # U+2400 block: ␀ ... ␟, ␡
REPLACEMENT = "\ufffd"


def visible(text: str) -> str:
    """The text with control characters shown as symbols (ESC as ␛) and what cannot be encoded as U+FFFD."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda match: _SYMBOL_FOR.get(match.group(), REPLACEMENT), text)


def sanitised(value):
    """A copy of a record (a Report, a dataclass, a tuple, list or dict of them) with visible() applied to every
    string in it, whatever field it sits in and whatever type the field should have had. What holds nothing to
    change is returned as it is, and a record met twice (one Work behind several citations) is done once."""
    import dataclasses  # here, not at the top: visible() alone serves the command line's usage errors

    done: dict[int, tuple[object, object]] = {}  # id -> (the record, its sanitised copy); the record kept alive so its id stays its own

    def clean(item):
        if isinstance(item, str):
            return visible(item)
        if isinstance(item, (tuple, list)):
            cleaned = [clean(element) for element in item]
            return item if all(a is b for a, b in zip(cleaned, item)) else type(item)(cleaned)
        if isinstance(item, dict):
            return {clean(key): clean(element) for key, element in item.items()}
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            if id(item) not in done:
                changes = {}
                for field in dataclasses.fields(item):
                    if field.init:
                        current = getattr(item, field.name)
                        cleaned = clean(current)
                        if cleaned is not current:
                            changes[field.name] = cleaned
                done[id(item)] = (item, dataclasses.replace(item, **changes) if changes else item)
            return done[id(item)][1]
        return item

    return clean(value)


# A spreadsheet reads a cell that starts with one of these as a formula (OWASP, "CSV Injection"); the full-width
# forms are read as the same by some spreadsheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text: a cell that would start a formula gets a leading apostrophe."""
    text = visible(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


# Characters that make Markdown (GitHub's included) build HTML, links, emphasis or code, or end a table cell.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")
_MARKDOWN_ENTITY = re.compile("&")


def markdown_text(text: str) -> str:
    """Text shown as itself in rendered Markdown: no HTML, no links, no emphasis, no cell breaks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _MARKDOWN_ENTITY.sub("&amp;", visible(text)))


_JSON_RAW = re.compile("[\x7f-\x9f\ud800-\udfff]")


def json_text(rendered: str) -> str:
    """JSON text with what json.dumps(ensure_ascii=False) leaves raw but a terminal or UTF-8 cannot take (DEL, C1
    controls, lone surrogates) written as \\u escapes: the same data, safe to print."""
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", rendered)
