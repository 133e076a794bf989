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
    r"(?<![\w.])(?P<label>doi[ \t]{0,3}:?[ \t]{0,3})?(?P<prefix>10\.\d{4,9})(?:[ \t]?/|%2[Ff])(?P<gap> ?)(?P<suffix>(?:" + _DOI_CHAR + "|" + _SICI_BRACKETS + r"){0,300})",
    re.IGNORECASE,
)
# A "doi" label followed by something that is not a DOI ("doi: 10.100/x", "doi:10.1002stem.68").
_DOI_LABELLED = re.compile(r"(?<![\w.])doi[ \t]{0,3}:[ \t]{0,3}(?P<value>[^\s\u201c\u201d\"'<>]{1,120})", re.IGNORECASE)
# Where a DOI runs into the next identifier or link without a space ("10.1186/scrt2PMID: 1").
_DOI_RUN_ON = re.compile(r"(?:PMID|PMCID|PubMed|https?:|www\.)", re.IGNORECASE)
# Publisher URLs put a page name after the DOI: /doi/full/10.1002/stem.68/abstract.
_URL_PAGE_SUFFIX = re.compile(r"/(?:full|abstract|pdf|epdf|pdfdirect|fulltext|html|summary|meta|references|figures|full/html|suppl_file|citedby|tables?)/?$", re.IGNORECASE)
# The first token of the next line, when a line break cut a DOI (text copied out of a PDF).
_NEXT_LINE_TOKEN = re.compile(r"\n[ \t]{0,8}(?P<token>[A-Za-z0-9]" + _DOI_CHAR + "{0,200})")
_SHORT_DOI = re.compile(r"(?:doi\.org/|doi\s*:\s*)(?P<short>10/[a-z0-9]{3,12})(?![\w/])", re.IGNORECASE)
# A trailing "/" ends a link (https://doi.org/10.1371/journal.pone.0033693/), not the DOI.
_TRAILING = ".,;:!?'\"\u2019\u201d*/"
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}

# "PMID 123" and "PMID: 123"; "PubMed" only with a colon or "ID" ("PubMed: 123",
# "PubMed ID 123"), because "PubMed" followed by a list number is common in HTML.
_PMID_LABELLED = re.compile(
    r"(?<![A-Za-z])(?:PMID[ \t]{0,3}[:#]?|PubMed[ \t]{0,3}(?:ID[ \t]{0,3}[:#]?|[:#]))[ \t]{0,3}(?P<pmid>\d{1,15})(?![\d.,]\d)\b", re.IGNORECASE
)
_PMID_URL = re.compile(
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/(?:\?term=)?|ncbi\.nlm\.nih\.gov/pubmed/(?:\?term=)?|ncbi\.nlm\.nih\.gov/entrez/query\.fcgi\?[^\s\"'<>]{0,80}?list_uids="
    r"|europepmc\.org/(?:abstract|article|api/fulltextRepo\?pprId=)/?MED/)(?P<pmid>\d{1,15})(?![\w+])",
    re.IGNORECASE,
)
_PMCID = re.compile(r"(?<![\w/])(?P<pmcid>PMC[ \t]?\d{4,9})\b")
_PMCID_LABELLED = re.compile(r"\bPMCID[ \t]{0,3}:?[ \t]{0,3}(?P<pmcid>\d{4,9})\b", re.IGNORECASE)
_PMCID_URL = re.compile(
    r"(?:pmc\.ncbi\.nlm\.nih\.gov/articles/|ncbi\.nlm\.nih\.gov/pmc/articles/|europepmc\.org/(?:abstract|articles?)/(?:PMC/)?)(?P<pmcid>PMC\d{4,9})\b"
    r"|pubmedcentral\.nih\.gov/articlerender\.fcgi\?(?:[^\s\"'<>]{0,80}?&)?artid=(?P<artid>\d{4,9})\b",
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
        url_context = in_url or text[max(0, match.start() - 1):match.start()] in ("/", "=")
        if url_context:
            suffix = re.split(r"[?#&]", suffix, maxsplit=1)[0]
            suffix = _URL_PAGE_SUFFIX.sub("", suffix)
        head = suffix
        continued = _continuation(text, match.end(), suffix) if suffix == match.group("suffix") else None
        if continued:
            suffix += continued.group("token")
        run_on = _DOI_RUN_ON.search(suffix)
        if run_on and run_on.start() > 0:
            suffix = suffix[:run_on.start()]
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
        if continued and len(suffix) > len(head):
            end = continued.start("token") + len(suffix) - len(head)
        else:
            end = match.start("suffix") + len(suffix)
        doi = normalise_doi(f"{match.group('prefix')}/{suffix}")
        found.append(Found(Identifier("doi", doi), start, end, text[start:end]))
    for match in _SHORT_DOI.finditer(text):
        found.append(Found(Identifier("doi", match.group("short").lower()), match.start("short"), match.end("short"), match.group("short")))
    if not in_url:
        found.extend(_malformed_labelled_dois(text, found))
    return found


def _continuation(text: str, end: int, suffix: str) -> re.Match | None:
    """The next line's first token when it is the rest of a DOI that a line break cut.

    Only where typesetters cut (right after the slash, or after . - _) and only a
    token that looks like a DOI suffix: it holds a digit, and is neither a list
    number ("2."), a label, nor a plain word ("and", "Next")."""
    if not (suffix == "" or suffix[-1] in "./-_"):
        return None
    continued = _NEXT_LINE_TOKEN.match(text, end)
    if continued is None:
        return None
    token = _trim_doi(continued.group("token"))
    if (
        not re.search(r"\d", token)
        or re.fullmatch(r"\d{1,4}[.)]?", token)
        or re.match(r"(?:PMID|PMCID|PubMed|doi|https?:|www\.)", token, re.IGNORECASE)
    ):
        return None
    return continued


def _malformed_labelled_dois(text: str, found: list[Found]) -> list[Found]:
    """'doi:' followed by something that is not a DOI: reported with a hint, never dropped."""
    malformed = []
    for match in _DOI_LABELLED.finditer(text):
        if any(f.start <= match.start("value") < f.end or match.start() <= f.start < match.end() for f in found):
            continue
        value = _trim_doi(match.group("value"))
        if not value or not re.match(r"10\b|10\.|\d", value):
            continue  # "doi: see below" is prose, not an attempt at a DOI
        if re.match(r"10\.\d{1,3}(?!\d)", value):
            why = "its prefix needs 4 to 9 digits after '10.'"
        elif "/" not in value:
            why = "it has no '/' between prefix and suffix"
        else:
            why = "it does not start with '10.' and a registrant code"
        end = match.start("value") + len(value)
        malformed.append(Found(Identifier("doi", ""), match.start(), end, text[match.start():end], hint=f"DOI {value!r} is malformed: {why}"))
    return malformed


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
            elif len(digits) > 8 and int(digits) > 99_999_999:
                hint = f"PMID {digits} is longer than any PubMed ID"
            found.append(Found(Identifier("pmid", "" if hint else digits), match.start(), match.end(), match.group(0), hint))
    return found


def find_pmcids(text: str) -> list[Found]:
    found = []
    for pattern in (_PMCID_URL, _PMCID, _PMCID_LABELLED):
        for match in pattern.finditer(text):
            written = match.group("pmcid") or match.groupdict().get("artid") or ""
            value = "PMC" + re.sub(r"\D", "", written)
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
