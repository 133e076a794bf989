"""Load a source (file, URL or stdin) into a Document: text plus hyperlinks.

HTML keeps its paragraph structure and the href of every link, because DOIs and
PubMed links are often only in the href. Ordered-list items keep their number
so that numbered markers like [3] can be linked to reference entries.
"""
from __future__ import annotations

import html
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse, urlsplit, urlunsplit

from .errors import InputError
from .records import IDENTITY_ADDRESS_TAGS, IDENTITY_VALUE_TAGS, Document, Link

MAX_BYTES = 20 * 1024 * 1024  # larger inputs are refused, naming the limit
URL_TIMEOUT = (10, 20)  # connect, read (seconds between bytes)
URL_DEADLINE = 60  # whole download, so a server dripping bytes cannot hang us
MAX_REDIRECTS = 5
STDIN_NAME = "<stdin>"  # standard input ("-") in reports and messages

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
PDF_SUFFIXES = {".pdf"}

_SKIPPED_TAGS = {"script", "style", "noscript", "template", "nav", "svg", "head", "iframe", "button", "form", "select"}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "aside", "header", "footer", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "table", "tr",
    "figure", "figcaption", "hr", "address", "details", "summary", "body", "html",
}
_VOID_TAGS = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "area", "base", "col", "embed", "param", "track"}
# The head's tags that may name the page itself (Document.identity_tags); a page has a handful, of a hostile one no more
# than this many are kept.
_IDENTITY_TAGS = frozenset(IDENTITY_VALUE_TAGS + IDENTITY_ADDRESS_TAGS)
_MAX_IDENTITY_TAGS = 64


def load(source: str, *, max_bytes: int = MAX_BYTES, stdin=None) -> Document:
    """Load one source: a path, an http(s) URL, or "-" for standard input."""
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        _check_size(data, max_bytes, STDIN_NAME)
        return parse_bytes(data, STDIN_NAME, _sniff_format(data))
    try:
        scheme = urlparse(source).scheme.lower()
    except ValueError as exc:  # "http://[::1": urlparse refuses an unclosed IPv6 host
        raise InputError(f"{source}: not a valid URL ({exc})") from None
    if scheme in ("http", "https"):
        data, content_type = _fetch_url(source, max_bytes)
        return parse_bytes(data, public_source(source), _format_from_content_type(content_type, data), content_type)
    if re.match(r"^[a-z][a-z0-9+.-]*://", source, re.I):
        raise InputError(f"{public_source(source)}: unsupported URL scheme {scheme!r} (only http and https)")
    return _load_file(Path(source), max_bytes)


def read_input_file(path: Path, max_bytes: int, kind: str = "document") -> bytes:
    """A local input's bytes, refused with a one-line error when missing, a directory, unreadable or
    over the size limit (documents and bibliographies alike)."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a {kind}")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{path}: {size:,} bytes is over the {max_bytes:,}-byte input limit (--max-bytes)")
    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)  # a file growing while read (or a device) cannot get past the limit
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    _check_size(data, max_bytes, str(path))
    return data


def _load_file(path: Path, max_bytes: int) -> Document:
    data = read_input_file(path, max_bytes)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        return _load_pdf(path, data)
    if suffix in HTML_SUFFIXES:
        fmt = "html"
    elif suffix in MARKDOWN_SUFFIXES:
        fmt = "markdown"
    else:
        fmt = _sniff_format(data)
    return parse_bytes(data, str(path), fmt)


def _load_pdf(path: Path, data: bytes) -> Document:
    from . import pdf

    return Document(source=str(path), text=pdf.pdf_to_text(data, str(path)), format="pdf")


def parse_bytes(data: bytes, source: str, fmt: str, content_type: str = "") -> Document:
    """Decode and parse raw bytes of a known format ("html", "markdown", "text")."""
    if not data.strip():
        raise InputError(f"{source}: empty document")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source}: binary file, not a text, HTML, Markdown or PDF document")
    text = decode(data, content_type)
    if fmt == "html":
        body, links, identity_tags = read_html(text)
        if not body.strip():
            raise InputError(f"{source}: the HTML has no readable text (a page that needs JavaScript?)")
        return Document(source=source, text=body, format="html", links=links, identity_tags=identity_tags)
    if fmt == "markdown":
        body, links = markdown_to_text(text)
        return Document(source=source, text=body, format="markdown", links=links)
    return Document(source=source, text=normalise_text(text), format="text")


def decode(data: bytes, content_type: str = "") -> str:
    """Bytes to str: BOM, then declared charset, then UTF-8, then a best guess."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    declared = _declared_charset(content_type) or _declared_charset(data[:4096].decode("ascii", "ignore"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared, errors="replace")
        except (LookupError, UnicodeError):  # not a text codec; or one that only decodes strictly (idna)
            pass
    # Mixed or unknown encodings: keep every valid UTF-8 run, read the rest as cp1252.
    return _decode_mixed(data)


def _decode_mixed(data: bytes) -> str:
    parts = []
    for chunk in re.split(rb"([\x80-\xff]+)", data):
        if not chunk:
            continue
        try:
            parts.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(chunk.decode("cp1252", errors="replace"))
    return "".join(parts)


def _declared_charset(text: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", text, re.I)
    return match.group(1).lower() if match else None


def _sniff_format(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<p>" in head:
        return "html"
    return "text"


def _format_from_content_type(content_type: str, data: bytes) -> str:
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if ctype == "text/markdown":
        return "markdown"
    if ctype == "application/pdf":
        raise InputError("PDF from a URL: save it and pass the file path")
    if ctype.startswith("text/") or not ctype:
        return _sniff_format(data)
    raise InputError(f"unsupported content type {ctype!r}")


def _check_size(data: bytes, max_bytes: int, what: str) -> None:
    if len(data) > max_bytes:
        raise InputError(f"{what}: over the {max_bytes:,}-byte input limit (--max-bytes)")


def public_source(source: str) -> str:
    """A source as reports and messages show it: a URL without its user name and password."""
    try:
        parts = urlsplit(source)
    except ValueError:
        return source
    if "@" not in parts.netloc:
        return source
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _fetch_url(url: str, max_bytes: int) -> tuple[bytes, str]:
    import requests
    import urllib3

    from .version import __version__

    shown = public_source(url)
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    headers = {"User-Agent": f"refcheck/{__version__} (citation checker)", "Accept-Encoding": "gzip, deflate"}
    try:
        with session.get(url, headers=headers, timeout=URL_TIMEOUT, stream=True) as response:
            return _read_body(shown, response, max_bytes, time.monotonic() + URL_DEADLINE)
    except requests.TooManyRedirects:
        raise InputError(f"{shown}: too many redirects (more than {MAX_REDIRECTS})") from None
    except requests.Timeout:
        raise InputError(f"{shown}: timed out") from None
    except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
        # Reading the raw stream raises urllib3's own errors, not requests'.
        if isinstance(exc, urllib3.exceptions.TimeoutError):
            raise InputError(f"{shown}: timed out") from None
        raise InputError(f"{shown}: cannot fetch ({type(exc).__name__})") from None


def _read_body(url: str, response, max_bytes: int, deadline: float) -> tuple[bytes, str]:
    """The page through the bounded reader the service answers use (caps before and after
    decompression, one deadline), with the messages of an input."""
    from .resolve.services.answers import AnswerTooLarge, AnswerTooSlow, read_body
    from .resolve.services.http import ServiceError

    if response.status_code >= 400:
        raise InputError(f"{url}: HTTP {response.status_code}")
    declared = response.headers.get("Content-Length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(f"{url}: {int(declared):,} bytes is over the {max_bytes:,}-byte input limit (--max-bytes)")
    try:
        body = read_body(response, deadline, max_bytes=max_bytes, max_compressed=max_bytes)
    except AnswerTooLarge:
        raise InputError(f"{url}: over the {max_bytes:,}-byte input limit (--max-bytes)") from None
    except AnswerTooSlow:
        raise InputError(f"{url}: download took longer than {URL_DEADLINE:g} s") from None
    except ServiceError as exc:
        raise InputError(f"{url}: {exc.reason}") from None
    return body, response.headers.get("Content-Type", "")


def normalise_text(text: str) -> str:
    """Unify newlines and drop control characters; keeps offsets meaningful."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text)


class _HtmlText(HTMLParser):
    """Collects visible text with block breaks, and link spans with their href."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.links: list[Link] = []
        self._skip_depth = 0
        self._open_links: list[tuple[int, str]] = []
        self._list_counters: list[int | None] = []  # None for <ul>, next number for <ol>
        self._sup_starts: list[tuple[int, int]] = []  # (offset, index in parts) of open <sup>
        self.identity_tags: list[tuple[str, str]] = []

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def _break(self, newlines: int) -> None:
        tail = "".join(self.parts[-3:])
        have = len(tail) - len(tail.rstrip("\n"))
        if self.length and have < newlines:
            self._emit("\n" * (newlines - have))

    def handle_starttag(self, tag, attrs):
        if tag in ("meta", "link"):  # in the head, which shows nothing
            self._identity_tag(tag, dict(attrs))
            return
        if tag in _SKIPPED_TAGS:
            if tag not in _VOID_TAGS:
                self._skip_depth += 1
            return
        if self._skip_depth:
            return
        attributes = dict(attrs)
        if tag == "br":
            self._emit("\n")
        elif tag == "sup":
            self._sup_starts.append((self.length, len(self.parts)))
        elif tag in ("ol", "ul"):
            start = attributes.get("start") or "1"
            self._list_counters.append(int(start) if tag == "ol" and start.isdigit() else None)
            self._break(2)
        elif tag == "li":
            self._break(1)
            if self._list_counters and self._list_counters[-1] is not None:
                number = self._list_counters[-1]
                self._list_counters[-1] = number + 1
                self._emit(f"{number}. ")
        elif tag in ("td", "th"):
            self._emit(" ")
        elif tag in _BLOCK_TAGS:
            self._break(2)
        if tag == "a" and attributes.get("href"):
            self._open_links.append((self.length, attributes["href"].strip()))
        elif tag in ("img",) and attributes.get("alt"):
            self._emit(attributes["alt"])

    def handle_startendtag(self, tag, attrs):
        if tag in ("meta", "link"):
            self._identity_tag(tag, dict(attrs))
        elif tag == "br" and not self._skip_depth:
            self._emit("\n")

    def _identity_tag(self, tag: str, attributes: dict) -> None:
        """<meta name="citation_doi" content="10.1/x"> as ("citation_doi", "10.1/x"); <link rel="canonical" href="...">
        as ("canonical", href)."""
        if tag == "meta":
            name, value = (attributes.get("name") or attributes.get("property") or "").strip().lower(), attributes.get("content")
        else:
            relations = (attributes.get("rel") or "").lower().split()
            name, value = next((r for r in relations if r in _IDENTITY_TAGS), ""), attributes.get("href")
        if name in _IDENTITY_TAGS and value and value.strip() and len(self.identity_tags) < _MAX_IDENTITY_TAGS:
            self.identity_tags.append((name, value.strip()[:2000]))

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS:
            if tag not in _VOID_TAGS:
                self._skip_depth = max(0, self._skip_depth - 1)
            return
        if self._skip_depth:
            return
        if tag == "a" and self._open_links:
            start, href = self._open_links.pop()
            self.links.append(Link(start=start, end=self.length, href=href))
        elif tag == "sup" and self._sup_starts:
            self._close_sup(*self._sup_starts.pop())
        elif tag in ("ol", "ul"):
            if self._list_counters:
                self._list_counters.pop()
            self._break(2)
        elif tag == "li":
            self._break(1)
        elif tag in _BLOCK_TAGS:
            self._break(2)

    def _close_sup(self, start: int, index: int) -> None:
        """<sup>3</sup> and <sup>1,2</sup> are citation markers: render them "[3]", "[1,2]"
        so they can be seen in text. An exponent (cm<sup>2</sup>, 10<sup>6</sup>) stays as it is."""
        inside = "".join(self.parts[index:])
        if not re.fullmatch(r"\s{0,2}\d{1,3}(?:\s{0,2}[-\u2013,]\s{0,2}\d{1,3}){0,20}\s{0,2}", inside):
            return
        before = "".join(self.parts[max(0, index - 3):index])[-12:]
        if re.search(r"(?:\d|\b(?:[kcmµμn]?m|[km]g|s|ft|in|x|e|cm|mm|km|m|L|mL|dL|kg|mg|µg|μg|ng|mol|mmol|Hz)|\^|\*)\s?$", before):
            return
        if inside.strip().startswith("[") or before.endswith("["):
            return
        stripped = inside.strip()
        lead = len(inside) - len(inside.lstrip())
        self.parts[index:] = ["[" + stripped + "]"]
        self.length = start + len(stripped) + 2

        def moved(offset: int) -> int:  # an offset inside the marker moves past the "["
            return offset if offset < start else min(self.length, offset + 1 - lead)

        self.links = [Link(moved(link.start), moved(link.end) if link.end > start else link.end, link.href) for link in self.links]
        self._open_links = [(moved(offset), href) for offset, href in self._open_links]

    def handle_data(self, data):
        if self._skip_depth:
            return
        # Whitespace inside HTML is layout, not content: collapse it.
        collapsed = re.sub(r"\s+", " ", data)
        if collapsed.strip() == "" and (not self.parts or self.parts[-1].endswith((" ", "\n"))):
            return
        if self.parts and self.parts[-1].endswith("\n"):
            collapsed = collapsed.lstrip()
        self._emit(collapsed)


def html_to_text(markup: str) -> tuple[str, tuple[Link, ...]]:
    body, links, _ = read_html(markup)
    return body, links


def read_html(markup: str) -> tuple[str, tuple[Link, ...], tuple[tuple[str, str], ...]]:
    """The page's text, its links, and the tags of its head that may name it (Document.identity_tags)."""
    parser = _HtmlText()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):
        pass  # HTMLParser gives up on some broken markup; keep what it read
    return "".join(parser.parts), tuple(sorted(parser.links, key=lambda link: (link.start, link.end))), tuple(parser.identity_tags)


_MD_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{0,500})\]\(\s*<?([^()\s<>]{1,2000}(?:\([^()\s]{0,200}\)[^()\s<>]{0,200})?)>?(?:\s+\"[^\"\n]{0,300}\")?\s*\)")
_MD_AUTOLINK = re.compile(r"<(https?://[^>\s]{1,2000})>")
# A reference-style link, "[html format][coo1]" or "[Title][]", and the definition it names, on a line of its own:
# "[coo1]: http://www.pubmedcentral.nih.gov/articlerender.fcgi?tool=pubmed&pubmedid=15514348" (a title may follow).
_MD_REFERENCE_LINK = re.compile(r"(?<![!\]])\[([^\[\]\n]{1,500})\]\[([^\[\]\n^]{0,200})\]")
_MD_DEFINITION = re.compile(
    r"^[ ]{0,3}\[([^\[\]\n^][^\[\]\n]{0,199})\]:[ \t]*<?([^\s<>]{1,2000})>?(?:[ \t]+(?:\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'|\([^()\n]{0,300}\)))?[ \t]*(?:\n|$)",
    re.MULTILINE,
)


def _link_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def markdown_to_text(markup: str) -> tuple[str, tuple[Link, ...]]:
    """Markdown is already text: only inline, reference-style and autolinks are unwrapped. A link definition
    that a reference-style link uses is not shown (as a renderer shows none): its address is the link's."""
    markup = normalise_text(markup)
    definitions = {}
    for match in _MD_DEFINITION.finditer(markup):
        definitions.setdefault(_link_label(match.group(1)), (match.span(), match.group(2)))
    used = set()
    for match in _MD_REFERENCE_LINK.finditer(markup):
        label = _link_label(match.group(2) or match.group(1))
        if label in definitions:
            used.add(label)
    if used:  # the definitions that became links' addresses leave the text
        hidden = sorted(definitions[label][0] for label in used)
        pieces, cursor = [], 0
        for start, end in hidden:
            pieces.append(markup[cursor:start])
            cursor = end
        pieces.append(markup[cursor:])
        markup = "".join(pieces)
    out: list[str] = []
    links: list[Link] = []
    length = 0
    position = 0
    pattern = re.compile(f"{_MD_LINK.pattern}|{_MD_AUTOLINK.pattern}|{_MD_REFERENCE_LINK.pattern}")
    for match in pattern.finditer(markup):
        if match.group(4) is not None:  # a reference-style link
            definition = definitions.get(_link_label(match.group(5) or match.group(4)))
            if definition is None:
                continue  # no definition: the brackets are text
            anchor, href = match.group(4), definition[1]
        elif match.group(1) is not None:
            anchor, href = match.group(1), match.group(2)
        else:
            anchor = href = match.group(3)
        out.append(markup[position:match.start()])
        length += match.start() - position
        anchor = html.unescape(anchor)
        links.append(Link(start=length, end=length + len(anchor), href=href))
        out.append(anchor)
        length += len(anchor)
        position = match.end()
    out.append(markup[position:])
    return "".join(out), tuple(links)
