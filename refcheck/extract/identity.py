"""The document's own identity: the identifiers that name the document itself, not a work it cites.

A journal page, a preprint or a PMC copy prints its own DOI, PMID and PMCID: in its HTML head (Highwire's
citation_doi, Dublin Core, PRISM, a canonical link to PMC or doi.org), in the address it was loaded from, in
the lines above its body (". 2022 Mar 7;9:806566. doi: 10.3389/..." and "PMCID: PMC8936507  PMID: 35321287"
under a PMC page's title, "Nutrients 2021, 13(9), 3022; https://doi.org/..." under an MDPI title, a JMIR
page's "doi:10.2196/12855" after its abstract) and in stamps wherever they stand ("Cite this article", a
preprint server's line on every page). Read as citations they had the page checked against itself, with
its header's words as the claims.

How the identity is known decides which occurrences it takes from the citations:

* the head's tags (declared): every occurrence - the page says what it is;
* the address, a stamp, the header (the text): the stamp's or header line's own occurrences, and elsewhere
  only those that cite nothing - an identifier on a line of labels ("DOI: https://doi.org/...", a "PDF"
  link). One the document cites in a sentence or in a reference list stays a citation.

The header is read only where the document looks like an article: signs of two kinds above its body
(an abstract, keywords, received/accepted/published dates, a copyright line, an editor, correspondence,
a PMCID or ISSN line), at most one identifier of each scheme on its lines of labels and numbers (more is a
list of works, not a header), and an identifier the document cites anywhere else is not its own.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..records import IDENTITY_ADDRESS_TAGS, IDENTITY_VALUE_TAGS, Document, Identifier, OwnIdentifier
from . import pmid
from .found import Found
from .identifiers import find_identifiers

META, URL, STAMP, HEADER = "meta", "url", "stamp", "header"

_TAG_RANK = {name: rank for rank, name in enumerate(IDENTITY_VALUE_TAGS + IDENTITY_ADDRESS_TAGS)}

# Stamps that give the document's own identifier. Before it on its line: an author manuscript's "Published in
# final edited form as: Int J Med Inform. 2009 ...; doi: 10.1016/..." (the journal's version is the same work)
# and a preprint server's line on every page of its PDF
# ("bioRxiv preprint doi: https://doi.org/10.1101/...; this version posted ..."), which may also follow it
# ("... The copyright holder for this preprint this version posted February 12, 2020. ; https://doi.org/...").
# A "Cite this article" block gives it on the line it ends with, a few lines on ("Cite this article\n\nSmith, J.
# ... BMC Med 18, 12 (2020). https://doi.org/10.1186/..."). ("Now published in Nature, doi: ..." is none: a blog writes it
# of the study it cites.)
_STAMP_BEFORE = re.compile(r"this version posted|copyright holder for this preprint|published in final edited form as", re.IGNORECASE)
_STAMP_AFTER = re.compile(r"this version posted|copyright holder for this preprint", re.IGNORECASE)
_CITE_THIS = re.compile(r"\b(?:(?:how|please|to) )?cite this (?:article|paper)\b|\bto link to this article\b|\bcitation for this article\b",
                        re.IGNORECASE)
_ON_LINE_BEFORE, _ON_LINE_AFTER, _BLOCK_AFTER = 400, 150, 600
# What stops a "Cite this article" block before its identifier: a reference list's heading or numbered entry.
_BLOCK_STOP = re.compile(r"\n[ \t]*(?:\d{1,4}[.)]|\[\d{1,4}\])[ \t]|\n[ \t#*]*(?:references|bibliography)\b", re.IGNORECASE)

# The header ends where the body begins: its first section heading ("Introduction", "1. Introduction"), a
# reference list, the first marker or identifier cited in a sentence - and at most this far in.
_HEADER_LIMIT = 12_000
_BODY_HEADING = re.compile(r"^[ \t#*_]{0,6}(?:(?:\d{1,2}|[IVX]{1,4})\.?[ \t]{1,3})?(?:introduction|main text|main body)[ \t*_:]{0,4}$",
                           re.IGNORECASE | re.MULTILINE)
_MARKER = re.compile(r"\[\d{1,4}(?:[ \t]?[,\u2013-][ \t]?\d{1,4}){0,20}\]")
# Signs that lines above a body are an article's header, by kind (two kinds are needed): each opens its line
# (after a bullet or a stray full stop, as PMC's ". Author manuscript; available in PMC ..." does).
_ARTICLE_SIGN = re.compile(
    r"^[ \t#*_.\u2022-]{0,6}(?:"
    r"(?P<abstract>abstract|resumen|r[ée]sum[ée]|resumo|zusammenfassung)\b"
    r"|(?P<keywords>key ?words|mesh key ?words|palabras clave|palavras-chave|mots[- ]cl[ée]s|schl[üu]sselw[öo]rter)\b"
    r"|(?P<dates>(?:submission |article )?(?:received|accepted|revised|published(?: online)?)|recibido|aceptado|publicado|recebido|aceito|re[çc]u|accept[ée]|publi[ée]|eingegangen|angenommen)\b"
    r"|(?P<copyright>copyright\b|\u00a9|\(c\)[ \t]?\d{4})"
    r"|(?P<editor>(?:academic |handling |section )?editor\b|edited by\b|reviewed by\b)"
    r"|(?P<correspondence>correspondence\b|corresponding author\b|\*?[ \t]?author to whom correspondence\b)"
    r"|(?P<record>pmcid\b|(?:print |online |electronic )?(?:version )?e?issn\b|author manuscript\b|nihms)"
    r")",
    re.IGNORECASE | re.MULTILINE,
)
_ARTICLE_SIGN_KINDS = 2

# A line cites when it is a sentence: so many lower-case words outside the identifiers, addresses and the labels
# of a journal line ("Gac Sanit vol.33 n.4 ...", "Revista Chilena de Anestesia Vol. 49 Núm. 3 pp. 408-415").
_PROSE_WORD = re.compile(r"(?<![\w/.@-])[a-z\u00df-\u00ff][a-z\u00df-\u00ff'\u2019-]{1,}\b")
_LABEL_WORDS = frozenset({"doi", "pmid", "pmcid", "nihmsid", "pp", "vol", "no", "de", "del", "epub", "ecollection", "eissn",
                          "issn", "https", "http", "www", "org"})
_PROSE_WORDS = 4
_ADDRESS = re.compile(r"(?:https?://|www\.)\S{1,2000}|\S{1,200}\.(?:org|com|gov)/\S{0,2000}")
_LINE_WINDOW = 300  # how much of a line either side of an identifier tells whether it is a sentence


@dataclass(frozen=True)
class Identity:
    """What the extract stage learns of the document itself."""

    own: tuple[OwnIdentifier, ...]  # its identifiers, each once, in the order: tags, address, stamps, header
    spans: tuple[tuple[int, int], ...]  # text that gives them (a stamp block, a header line), sorted, apart: no citation
    cited: tuple[Found, ...]  # the occurrences left to cite, in text order

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_right(self.spans, (end, -1)) - 1  # the last span starting before `end`
        return index >= 0 and start < self.spans[index][1]


def identity(document: Document, found: list[Found], lists) -> Identity:
    """The document's own identifiers among `found` (every identifier occurrence, in text order), given
    `lists`, the stretches its reference lists and footnote definitions take (references.Stretches)."""
    text = document.text
    own: dict[Identifier, str] = {}
    for identifier in declared_identity(document.identity_tags):
        own.setdefault(identifier, META)
    for identifier in _address_identity(document.source):
        own.setdefault(identifier, URL)
    stamped, spans = _stamped(found, text)
    for index in stamped:
        if found[index].identifier.value:
            own.setdefault(found[index].identifier, STAMP)
    headed = _headed(found, text, lists, stamped)
    for index in headed:
        own.setdefault(found[index].identifier, HEADER)
        spans.append(_line_span(text, found[index].start, found[index].end))
    if not own and not stamped:
        return Identity((), (), tuple(found))
    declared = {identifier for identifier, evidence in own.items() if evidence == META}
    cited = []
    for index, item in enumerate(found):
        if index in stamped or index in headed:
            continue
        if item.identifier in declared or item.identifier in own and not _cites(text, item, lists):
            spans.append(_line_span(text, item.start, item.end))
            continue
        cited.append(item)
    return Identity(tuple(OwnIdentifier(identifier, evidence) for identifier, evidence in own.items()), _apart(spans), tuple(cited))


def _apart(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The spans sorted, those that overlap or touch merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def declared_identity(tags) -> list[Identifier]:
    """The identifiers an HTML head's tags (Document.identity_tags) give the page, one per scheme, strongest tag first."""
    best: dict[str, tuple[int, Identifier]] = {}
    for name, value in tags:
        rank = _TAG_RANK.get(name)
        if rank is None:
            continue
        for identifier in _tag_identifiers(name, value):
            if identifier.scheme not in best or rank < best[identifier.scheme][0]:
                best[identifier.scheme] = (rank, identifier)
    return [identifier for _, identifier in sorted(best.values(), key=lambda ranked: ranked[0])]


def _tag_identifiers(name: str, value: str) -> list[Identifier]:
    value = value.strip()
    if name.endswith("pmid"):  # a bare number, which text never makes a PMID
        return [Identifier(pmid.SCHEME, value)] if value.isdigit() and not pmid.hint(value) else []
    if name.endswith("pmcid") and value.isdigit():
        return [Identifier("pmcid", "PMC" + value)]
    return [f.identifier for f in find_identifiers(value, in_url=name in IDENTITY_ADDRESS_TAGS) if f.identifier.value]


def _address_identity(source: str) -> list[Identifier]:
    """What the address a page was loaded from names ("https://doi.org/10.1/x", ".../articles/PMC123/")."""
    if not re.match(r"https?://", source, re.IGNORECASE):
        return []
    named: dict[str, Identifier] = {}
    for item in find_identifiers(source, in_url=True):
        if item.identifier.value:
            named.setdefault(item.identifier.scheme, item.identifier)
    return list(named.values())


def _stamped(found: list[Found], text: str) -> tuple[set[int], list[tuple[int, int]]]:
    """The occurrences a stamp gives as the document's own (indexes into `found`), and the stamps' spans."""
    indexes: set[int] = set()
    spans: list[tuple[int, int]] = []
    starts = [item.start for item in found]
    before = [(m.start(), m.end()) for m in _STAMP_BEFORE.finditer(text)]
    after = [m.start() for m in _STAMP_AFTER.finditer(text)]
    ends_before = [end for _, end in before]
    for index, item in enumerate(found if before or after else ()):
        stamp = bisect_right(ends_before, item.start) - 1
        if stamp >= 0 and item.start - ends_before[stamp] <= _ON_LINE_BEFORE and "\n" not in text[ends_before[stamp]:item.start]:
            indexes.add(index)
            spans.append((before[stamp][0], item.end))
            continue
        following = bisect_right(after, item.end - 1)
        if following < len(after) and after[following] - item.end <= _ON_LINE_AFTER and "\n" not in text[item.end:after[following]]:
            indexes.add(index)
            spans.append((item.start, after[following]))
    for match in _CITE_THIS.finditer(text):
        first = bisect_right(starts, match.end() - 1)
        if first == len(found) or found[first].start - match.end() > _BLOCK_AFTER or _BLOCK_STOP.search(text, match.end(), found[first].start):
            continue
        line_end = _line_span(text, found[first].start, found[first].end)[1]
        block = first
        while block < len(found) and found[block].start < line_end:
            indexes.add(block)
            block += 1
        spans.append((match.start(), line_end))
    return indexes, spans


def _headed(found: list[Found], text: str, lists, stamped: set[int]) -> set[int]:
    """The occurrences the document's header gives as its own (indexes into `found`), or none."""
    end = _header_end(found, text, lists, stamped)
    candidates = [index for index, item in enumerate(found)
                  if item.start < end and index not in stamped and item.identifier.value and not lists.holds(item.start)]
    if not candidates:
        return set()
    schemes: dict[str, Identifier] = {}
    for index in candidates:
        held = schemes.setdefault(found[index].identifier.scheme, found[index].identifier)
        if held != found[index].identifier:
            return set()  # two works of a scheme: a list, not the one work a header names
    if len({m.lastgroup for m in _ARTICLE_SIGN.finditer(text, 0, end)}) < _ARTICLE_SIGN_KINDS:
        return set()
    header = set(candidates)
    cited_elsewhere = {item.identifier for index, item in enumerate(found)
                       if index not in header and index not in stamped and item.identifier in schemes.values() and _cites(text, item, lists)}
    return {index for index in candidates if found[index].identifier not in cited_elsewhere}


def _header_end(found: list[Found], text: str, lists, stamped: set[int]) -> int:
    """Where the body begins (see _HEADER_LIMIT)."""
    end = min(len(text), _HEADER_LIMIT, *lists.starts[:1])
    heading = _BODY_HEADING.search(text, 0, end)
    if heading:
        end = heading.start()
    for marker in _MARKER.finditer(text, 0, end):
        if _prose(text, marker.start(), marker.end()):
            end = marker.start()
            break
    for index, item in enumerate(found):
        if item.start >= end:
            break
        if index not in stamped and _cites(text, item, lists):
            end = _line_span(text, item.start, item.end)[0]
            break
    return end


def _cites(text: str, item: Found, lists) -> bool:
    """Does the occurrence stand where a document cites: in a reference list, or in a sentence?"""
    in_address = text[item.start:item.end] != item.written  # a link: its anchor text is words of the line
    return lists.holds(item.start) or _prose(text, item.start, item.end, keep=in_address)


def _prose(text: str, start: int, end: int, *, keep: bool = False) -> bool:
    """Is text[start:end] part of a sentence (see _PROSE_WORDS)? Its own words count only if `keep`."""
    line_start, line_end = _line_span(text, start, end)
    inside = text[start:end] if keep else " "
    around = text[max(line_start, start - _LINE_WINDOW):start] + " " + inside + " " + text[end:min(line_end, end + _LINE_WINDOW)]
    words = [word for word in _PROSE_WORD.findall(_ADDRESS.sub(" ", around)) if word not in _LABEL_WORDS]
    return len(words) >= _PROSE_WORDS


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end
