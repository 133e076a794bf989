"""Every service answer is read and parsed here, and nowhere else: bounded in bytes, time and shape.

A service answer is untrusted input. Reading it:
- the compressed body is capped (MAX_COMPRESSED) and so is the body after decompression
  (MAX_ANSWER): we decompress ourselves, piece by piece with zlib's max_length, so a gzip bomb is
  refused after MAX_ANSWER bytes of output and never held whole;
- one deadline covers the whole answer, read and parse, so a server dripping bytes or a body that
  parses slowly cannot hold a run.
Parsing:
- JSON: NaN/Infinity refused (Python would accept them), nesting capped (MAX_JSON_DEPTH);
- XML (E-utilities): through Biopython's Entrez parser with three doors shut wherever they appear in
  the body: an entity declared by the document (entity expansion, external entities), a DTD that
  Biopython does not ship (Entrez would download it: parsing never goes online), and an XML Schema
  it does not ship (same).
A refused answer is a ServiceError that is not retried: asking again would fetch the same bomb.
"""
from __future__ import annotations

import io
import json
import os
import time
import zlib

from .failures import ServiceError

MAX_COMPRESSED = 16 * 1024 * 1024  # bytes on the wire
MAX_ANSWER = 32 * 1024 * 1024  # bytes after decompression: 200 PubMed records or 50 Crossref works are far below
MAX_JSON_DEPTH = 64  # a Crossref work list nests about 8 deep
READ_CHUNK = 65536
INFLATE_STEP = 1024 * 1024  # decompressed bytes per zlib call, so one call never jumps far past the cap


class AnswerRefused(ServiceError):
    """An answer refused for what it is (too large, too deep, entities, foreign DTD), not a transient failure."""

    def __init__(self, reason: str):
        super().__init__(reason, retryable=False)


class AnswerTooLarge(AnswerRefused):
    """Over a byte cap (compressed or decompressed)."""


class AnswerTooSlow(ServiceError):
    """Still arriving, or still being parsed, at the deadline."""


class _Inflater:
    """gzip or zlib ("deflate") decompression with a cap on the output; several gzip members in a row are one body."""

    def __init__(self, limit: int):
        self._limit = limit
        self._produced = 0
        self._decompressor = zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header, detected

    def feed(self, data: bytes, pieces: list) -> None:
        try:
            while data:
                piece = self._decompressor.decompress(data, INFLATE_STEP)
                self._take(piece, pieces)
                if self._decompressor.eof:
                    data = self._decompressor.unused_data
                    if data:
                        self._decompressor = zlib.decompressobj(32 + zlib.MAX_WBITS)
                else:
                    data = self._decompressor.unconsumed_tail
        except zlib.error as exc:
            raise ServiceError(f"malformed compressed answer ({exc})") from None

    def finish(self, pieces: list) -> None:
        if not self._decompressor.eof:
            raise ServiceError("truncated compressed answer")

    def _take(self, piece: bytes, pieces: list) -> None:
        self._produced += len(piece)
        if self._produced > self._limit:
            raise AnswerTooLarge(f"answer over {self._limit:,} bytes once decompressed; refused")
        pieces.append(piece)


def read_body(response, deadline: float, *, max_bytes: int = MAX_ANSWER, max_compressed: int = MAX_COMPRESSED) -> bytes:
    """The decoded body of a streamed requests/urllib3 response, within the caps and the deadline.

    The raw stream is read undecoded (urllib3's own decoding has no output cap) and inflated here.
    """
    pieces = iter(lambda: response.raw.read1(READ_CHUNK, decode_content=False), b"")
    return read_capped(pieces, response.headers, deadline, max_bytes=max_bytes, max_compressed=max_compressed)


def read_capped(raw_pieces, headers, deadline: float, *, max_bytes: int = MAX_ANSWER, max_compressed: int = MAX_COMPRESSED) -> bytes:
    """The decoded body from its raw (still compressed) pieces as they arrive, within the caps and
    the deadline; `headers` are the answer's (Content-Encoding, Content-Length). Every HTTP client
    refcheck uses hands its undecoded stream here (read_body for requests, habanero_client for httpx2)."""
    encoding = headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        inflater = None
    elif encoding in ("gzip", "x-gzip", "deflate"):
        inflater = _Inflater(max_bytes)
    else:
        raise ServiceError(f"answer in an encoding we did not ask for ({encoding[:40]!r})", retryable=False)
    declared = headers.get("Content-Length", "").strip()
    if declared and not declared.isdigit():
        # http.client then reads to the end of the connection; a server this broken is not believed.
        raise ServiceError(f"malformed answer (Content-Length {declared[:20]!r})", retryable=False)
    if declared and int(declared) > (max_compressed if inflater else max_bytes):
        raise AnswerTooLarge(f"answer of {int(declared):,} bytes is over the {max_compressed if inflater else max_bytes:,}-byte limit; refused")
    pieces: list[bytes] = []
    received = 0
    for piece in raw_pieces:
        received += len(piece)
        if inflater is None:
            if received > max_bytes:
                raise AnswerTooLarge(f"answer over {max_bytes:,} bytes; refused")
            pieces.append(piece)
        else:
            if received > max_compressed:
                raise AnswerTooLarge(f"compressed answer over {max_compressed:,} bytes; refused")
            inflater.feed(piece, pieces)
        if time.monotonic() > deadline:
            raise AnswerTooSlow("timed out (answer still arriving at the deadline)")
    if declared and received < int(declared):
        raise ServiceError(f"truncated answer ({received} of {declared} bytes)")
    if inflater is not None:
        inflater.finish(pieces)
    return b"".join(pieces)


# -- JSON -------------------------------------------------------------------------------------

def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def parse_json(body: bytes):
    """JSON as Python values; ServiceError for anything but plain, shallow JSON."""
    try:
        document = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        raise AnswerRefused(f"JSON nested deeper than {MAX_JSON_DEPTH} levels; refused") from None
    except ValueError as exc:  # also UnicodeDecodeError and ints past Python's digit limit
        raise ServiceError(f"malformed JSON answer ({str(exc)[:80]})") from None
    if json_depth(document) > MAX_JSON_DEPTH:
        raise AnswerRefused(f"JSON nested deeper than {MAX_JSON_DEPTH} levels; refused")
    return document


def json_depth(value) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


# -- XML (E-utilities) ------------------------------------------------------------------------

class _DeadlineStream(io.RawIOBase):
    """The body as a stream that stops the parse once the deadline has passed."""

    def __init__(self, body: bytes, deadline: float):
        self._body = io.BytesIO(body)
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if time.monotonic() > self._deadline:
            raise AnswerTooSlow("timed out parsing the answer")
        return self._body.readinto(buffer)


def _safe_handler_class():
    """Biopython's Entrez DataHandler with entity declarations, unshipped DTDs and unshipped schemas refused."""
    from Bio.Entrez.Parser import DataHandler

    class OfflineDataHandler(DataHandler):
        def __init__(self, validate, escape, ignore_errors):
            super().__init__(validate, escape, ignore_errors)
            self._dtd_depth = 0
            self.parser.EntityDeclHandler = self._entity_declared

        def _entity_declared(self, name, *args):
            # The shipped DTDs declare their own (parameter) entities; the document may not.
            if not self._dtd_depth:
                raise AnswerRefused(f"XML declares its own entity {name!r}; refused")

        def externalEntityRefHandler(self, context, base, systemId, publicId):
            filename = os.path.basename(str(systemId or ""))
            handle = self.open_dtd_file(filename) if filename else None
            if handle is None:
                raise AnswerRefused(f"XML refers to a DTD that is not shipped ({filename or systemId!r}); refused")
            handle.close()
            self._dtd_depth += 1
            try:
                return super().externalEntityRefHandler(context, base, systemId, publicId)
            finally:
                self._dtd_depth -= 1

        def open_xsd_file(self, filename):
            handle = super().open_xsd_file(filename)
            if handle is None:
                raise AnswerRefused(f"XML refers to a schema that is not shipped ({filename!r}); refused")
            return handle

        def save_dtd_file(self, filename, text):
            raise AnswerRefused(f"XML DTD {filename!r} would be downloaded; refused")

    return OfflineDataHandler


_handler_class = None


def parse_entrez_xml(body: bytes, deadline: float):
    """Entrez.read's result for an E-utilities body, offline and bounded (see the module docstring)."""
    global _handler_class
    if _handler_class is None:
        _handler_class = _safe_handler_class()
    handler = _handler_class(False, False, True)  # validate, escape, ignore_errors: as Entrez.read(validate=False, ignore_errors=True)
    try:
        return handler.read(io.BufferedReader(_DeadlineStream(body, deadline)))
    except ServiceError:
        raise
    except Exception as exc:  # expat and Biopython raise a variety of types on bad XML
        raise ServiceError(f"malformed XML ({type(exc).__name__})") from None
