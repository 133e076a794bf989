"""What a record must be before refcheck believes it: the fields refcheck uses, of the right types and
in range, and about the work that was asked for.

The same checks apply to a record fresh from a service and to one read back from the cache, so a
tampered cache row is no more trusted than a hostile answer. A record that fails is no record:
the lookup is FAILED ("could not check"), never FOUND and never NOT_FOUND.
"""
from __future__ import annotations

import re

from ..records import ABSENT, CORRECTED, EXPRESSION_OF_CONCERN, FAILED, FOUND, RETRACTED, Author, Identifier, Lookup, Notice, Work

MIN_YEAR, MAX_YEAR = 1000, 2999
MAX_TEXT = {"title": 4000, "journal": 1000, "journal_abbreviation": 1000, "volume": 100, "issue": 100, "page": 100, "type": 100, "source": 100}
MAX_ABSTRACT = 200_000  # characters; real abstracts are a few thousand
MAX_AUTHORS = 10_000  # physics collaborations list thousands
MAX_NAME = 1000
MAX_ITEMS = 100  # publication types, flags, notes, related identifiers
# Characters that start terminal control sequences (ESC, CSI, OSC, DCS, PM, APC) or ring the bell:
# no bibliographic field holds them, and a record that does is built to attack a reader.
_TERMINAL_CONTROLS = re.compile("[\x07\x1b\x90\x9b\x9d\x9e\x9f]")
_IDENTIFIER_VALUES = {"doi": re.compile(r"10\.[^\x00-\x1f]{1,300}"), "pmid": re.compile(r"[1-9]\d{0,9}"), "pmcid": re.compile(r"PMC\d{1,10}")}


NOTICE_KINDS = (RETRACTED, CORRECTED, EXPRESSION_OF_CONCERN)


class InvalidRecord(ValueError):
    """A record of the wrong shape, out of range, or about another work."""


def _text(name: str, value, limit: int) -> None:
    if not isinstance(value, str):
        raise InvalidRecord(f"{name} is {type(value).__name__}, not text")
    if len(value) > limit:
        raise InvalidRecord(f"{name} is {len(value):,} characters long")
    if _TERMINAL_CONTROLS.search(value):
        raise InvalidRecord(f"{name} holds terminal control characters")


def _optional_text(name: str, value, limit: int) -> None:
    if value is not None:
        _text(name, value, limit)


def _texts(name: str, values) -> None:
    if not isinstance(values, tuple) or len(values) > MAX_ITEMS:
        raise InvalidRecord(f"{name} is not a short list")
    for value in values:
        _text(name, value, MAX_TEXT["title"])


def check_work(work: Work) -> Work:
    """The work itself when every field refcheck uses has the right type and range; InvalidRecord otherwise."""
    if not isinstance(work, Work):
        raise InvalidRecord("not a work record")
    for name, limit in MAX_TEXT.items():
        _text(name, getattr(work, name), limit)
    _optional_text("abstract", work.abstract, MAX_ABSTRACT)
    for name in ("doi", "pmid", "pmcid"):
        value = getattr(work, name)
        if value is not None and not (isinstance(value, str) and _IDENTIFIER_VALUES[name].fullmatch(value)):
            raise InvalidRecord(f"{name} {str(value)[:40]!r} is not a {name.upper()}")
    if work.year is not None and (type(work.year) is not int or not MIN_YEAR <= work.year <= MAX_YEAR):
        raise InvalidRecord(f"year {str(work.year)[:20]!r} is not a year")
    if not isinstance(work.authors, tuple) or len(work.authors) > MAX_AUTHORS:
        raise InvalidRecord(f"authors is not a list of at most {MAX_AUTHORS:,}")
    for author in work.authors:
        if not isinstance(author, Author):
            raise InvalidRecord("an author is not a name")
        _text("author family name", author.family, MAX_NAME)
        _text("author given name", author.given, MAX_NAME)
    for name in ("publication_types", "flags", "notes"):
        _texts(name, getattr(work, name))
    if not isinstance(work.notices, tuple) or len(work.notices) > MAX_ITEMS:
        raise InvalidRecord("notices is not a short list")
    for notice in work.notices:
        if not (isinstance(notice, Notice) and notice.kind in NOTICE_KINDS and _is_identifier(notice.identifier)):
            raise InvalidRecord("a notice is not a flag and an identifier")
    return work


def _is_identifier(identifier) -> bool:
    return (isinstance(identifier, Identifier) and identifier.scheme in _IDENTIFIER_VALUES
            and isinstance(identifier.value, str) and bool(_IDENTIFIER_VALUES[identifier.scheme].fullmatch(identifier.value)))


def check_identity(work: Work, scheme: str, value: str) -> None:
    """InvalidRecord unless the record carries the identifier it was asked for: a record about
    another work is no answer about this one."""
    carried = getattr(work, scheme)
    if (carried or "").lower() != value.lower():
        raise InvalidRecord(f"the record is for {scheme.upper()} {str(carried)[:60]!r}, not the one asked for")


# Which identifier a FOUND lookup's work must carry, by the service name the cache stores it under.
_IDENTITY = {"crossref": "doi", "pubmed": "pmid"}
# Lookups whose FOUND answer is a list of PMIDs (links, searches, citation matches).
_PMID_LISTS = {"pubmed-doi", "pubmed-pmcid", "pubmed-citmatch", "pubmed-text"}


def check_lookup(lookup: Lookup) -> Lookup:
    """A lookup as the cache holds it: its outcome, its work (checked, and about its key), its related ids."""
    if lookup.outcome not in (FOUND, ABSENT, FAILED):
        raise InvalidRecord(f"unknown outcome {str(lookup.outcome)[:20]!r}")
    _text("reason", lookup.reason, MAX_TEXT["title"])
    if not isinstance(lookup.related, tuple) or len(lookup.related) > MAX_ITEMS:
        raise InvalidRecord("related is not a short list")
    if not all(_is_identifier(identifier) for identifier in lookup.related):
        raise InvalidRecord("a related identifier is not one")
    if lookup.outcome != FOUND:
        if lookup.work is not None or lookup.related:
            raise InvalidRecord(f"a {lookup.outcome} answer carries a record")
        return lookup
    if lookup.service in _PMID_LISTS:
        if lookup.work is not None or not lookup.related or any(i.scheme != "pmid" for i in lookup.related):
            raise InvalidRecord(f"a {lookup.service} answer is not a list of PMIDs")
        return lookup
    if lookup.work is None:
        raise InvalidRecord("a found answer without a record")
    check_work(lookup.work)
    if lookup.service in _IDENTITY:
        check_identity(lookup.work, _IDENTITY[lookup.service], lookup.key)
    return lookup
