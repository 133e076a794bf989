"""Find DOIs, PMIDs and PMCIDs in text and in hrefs, with their offsets.

Pure functions over strings. Every pattern is linear: bounded repetitions and
no nested quantifiers, so adversarial input cannot make them backtrack badly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from .records import Identifier


@dataclass(frozen=True)
class Found:
    """One identifier occurrence: text[start:end] is the form as written."""

    identifier: Identifier
    start: int
    end: int
    written: str
    hint: str = ""  # set when the identifier looks malformed


# Crossref's recommended pattern is 10.\d{4,9}/[-._;()/:A-Z0-9]+; real pages
# also carry <, >, [, ] (old Wiley SICI DOIs) and a space after the slash when
# text was copied out of a PDF ("doi: 10.1002/ stem.68").
_DOI_CHAR = r"[^\s\"'<>{}|\\^`\u201c\u201d\u2018\u2019]"
_SICI_BRACKETS = r"<[^\s<>/\"']{1,60}>"
_DOI = re.compile(
    r"(?<![\w.])(?P<label>doi\s*:?\s*)?(?P<prefix>10\.\d{4,9})\s?/(?P<gap> ?)(?P<suffix>(?:" + _DOI_CHAR + "|" + _SICI_BRACKETS + r"){0,300})",
    re.IGNORECASE,
)
_SHORT_DOI = re.compile(r"(?:doi\.org/|doi\s*:\s*)(?P<short>10/[a-z0-9]{3,12})(?![\w/])", re.IGNORECASE)
_TRAILING = ".,;:!?'\"\u2019\u201d*"
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}

# "PMID 123" and "PMID: 123"; "PubMed" only with a colon or "ID" ("PubMed: 123",
# "PubMed ID 123"), because "PubMed" followed by a list number is common in HTML.
_PMID_LABELLED = re.compile(
    r"\b(?:PMID[ \t]{0,3}[:#]?|PubMed[ \t]{0,3}(?:ID[ \t]{0,3}[:#]?|[:#]))[ \t]{0,3}(?P<pmid>\d{1,10})\b", re.IGNORECASE
)
_PMID_URL = re.compile(
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/|europepmc\.org/(?:abstract|article)/MED/)(?P<pmid>\d{1,10})\b",
    re.IGNORECASE,
)
_PMCID = re.compile(r"(?<![\w/])(?P<pmcid>PMC\s?\d{4,9})\b")
_PMCID_URL = re.compile(
    r"(?:pmc\.ncbi\.nlm\.nih\.gov/articles/|ncbi\.nlm\.nih\.gov/pmc/articles/|europepmc\.org/(?:abstract|article)/PMC/)(?P<pmcid>PMC\d{4,9})\b",
    re.IGNORECASE,
)


def normalise_doi(doi: str) -> str:
    """Lower-cased, percent-decoded, no resolver prefix: the cache and lookup key."""
    doi = unquote(doi.strip())
    doi = re.sub(r"^(?:https?://)?(?:dx\.)?doi\.org/", "", doi, flags=re.IGNORECASE)
    doi = re.sub(r"^doi\s*:\s*", "", doi, flags=re.IGNORECASE)
    return doi.lower()


def _trim_doi(suffix: str) -> str:
    """Drop trailing punctuation and closing brackets that the DOI did not open."""
    while suffix:
        last = suffix[-1]
        if last in _TRAILING:
            suffix = suffix[:-1]
        elif last in _PAIRS and suffix.count(last) > suffix.count(_PAIRS[last]):
            suffix = suffix[:-1]
        else:
            break
    return suffix


def find_dois(text: str, *, in_url: bool = False) -> list[Found]:
    found = []
    for match in _DOI.finditer(text):
        suffix = match.group("suffix")
        if in_url:
            suffix = re.split(r"[?#&]", suffix, maxsplit=1)[0]
        suffix = _trim_doi(suffix)
        # "doi: 10.1002/ stem.68" (a PDF line break) is one DOI only after a "doi" label,
        # and only if what follows the space looks like a DOI suffix, not a word.
        if match.group("gap") and (not match.group("label") or not re.search(r"\d", suffix)):
            if not match.group("label"):
                continue
            suffix = ""
        if not suffix:
            found.append(_malformed_doi(match))
            continue
        start = match.start("label") if match.group("label") else match.start("prefix")
        end = match.start("suffix") + len(suffix)
        doi = normalise_doi(f"{match.group('prefix')}/{suffix}")
        found.append(Found(Identifier("doi", doi), start, end, text[start:end]))
    for match in _SHORT_DOI.finditer(text):
        found.append(Found(Identifier("doi", match.group("short").lower()), match.start("short"), match.end("short"), match.group("short")))
    return found


def _malformed_doi(match: re.Match) -> Found:
    written = match.group(0)
    return Found(Identifier("doi", ""), match.start(), match.end(), written, hint=f"DOI {written.strip()!r} has no suffix after the slash")


def find_pmids(text: str) -> list[Found]:
    found = []
    for pattern in (_PMID_LABELLED, _PMID_URL):
        for match in pattern.finditer(text):
            digits = match.group("pmid")
            hint = ""
            if digits.startswith("0"):
                hint = f"PMID {digits} has a leading zero; PubMed IDs never start with 0"
            elif len(digits) > 9:
                hint = f"PMID {digits} is longer than any PubMed ID"
            found.append(Found(Identifier("pmid", "" if hint else digits), match.start(), match.end(), match.group(0), hint))
    return found


def find_pmcids(text: str) -> list[Found]:
    found = []
    for pattern in (_PMCID_URL, _PMCID):
        for match in pattern.finditer(text):
            value = "PMC" + re.sub(r"\D", "", match.group("pmcid"))
            found.append(Found(Identifier("pmcid", value), match.start(), match.end(), match.group(0)))
    return found


def find_identifiers(text: str, *, in_url: bool = False) -> list[Found]:
    """All identifiers in text, overlapping duplicates removed, in text order."""
    candidates = find_dois(text, in_url=in_url) + find_pmids(text) + find_pmcids(text)
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Found] = []
    for item in candidates:
        if any(item.start < k.end and k.start < item.end and item.identifier.scheme == k.identifier.scheme for k in kept):
            continue
        # A PMID inside a DOI ("10.1371/journal.pone.0033693") is not a PMID.
        if item.identifier.scheme != "doi" and any(k.identifier.scheme == "doi" and k.start <= item.start and item.end <= k.end for k in kept):
            continue
        kept.append(item)
    return kept
