"""DOIs: the pattern, finding them in text and hrefs, the normal form, and hints for malformed ones.

Every pattern has bounded repetition and no nested quantifiers, so adversarial input cannot make
it backtrack badly; the whole-text scans are linear.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from urllib.parse import unquote

from ..records import Identifier
from .found import Found, regions

SCHEME = "doi"

# Crossref's recommended pattern is 10.\d{4,9}/[-._;()/:A-Z0-9]+; real pages
# also carry <, >, [, ] (old Wiley SICI DOIs) and a space after the slash when
# text was copied out of a PDF ("doi: 10.1002/ stem.68").
_CHAR = r"[^\s\"'<>{}|\\^`\u201c\u201d\u2018\u2019]"
_SICI_BRACKETS = r"<[^\s<>/\"']{1,60}>"
PATTERN = re.compile(
    r"(?<![\w.])(?P<label>doi[ \t]{0,3}:?[ \t]{0,3})?(?P<prefix>10\.\d{4,9})(?:[ \t]?/|%2[Ff])(?P<gap> ?)(?P<suffix>(?:" + _CHAR + "|" + _SICI_BRACKETS + r"){0,300})",
    re.IGNORECASE,
)
# A "doi" label followed by something that is not a DOI ("doi: 10.100/x", "doi:10.1002stem.68").
_LABELLED = re.compile(r"(?<![\w.])doi[ \t]{0,3}:[ \t]{0,3}(?P<value>[^\s\u201c\u201d\"'<>]{1,120})", re.IGNORECASE)
# Where a DOI runs into the next identifier or link without a space ("10.1186/scrt2PMID: 1"), or into
# Markdown link syntax ("10.1111/x](https://...").
_RUN_ON = re.compile(r"(?:PMID|PMCID|PubMed|https?:|www\.|\]\()", re.IGNORECASE)
# Publisher URLs put a page name after the DOI: /doi/full/10.1002/stem.68/abstract.
# A link to the PDF a publisher names by the DOI ("/counter/pdf/10.1186/1471-2466-12-3.pdf", BMC's "Download PDF").
_URL_FILE_EXTENSION = re.compile(r"\.pdf$", re.IGNORECASE)
_URL_PAGE_SUFFIX = re.compile(r"/(?:full|abstract|pdf|epdf|pdfdirect|fulltext|html|summary|meta|references|figures|full/html|suppl_file|citedby|tables?)/?$", re.IGNORECASE)
# bioRxiv and medRxiv (Cold Spring Harbor's 10.1101) link each version of a preprint as DOI + "v2"
# (and ".full", ".full.pdf", ".abstract" after it); the DOI itself has no version. Their DOIs are six
# digits or a dated number; the journals under 10.1101 have letters ("gr.123.110") and keep theirs.
_PREPRINT_VERSION = re.compile(r"^(?P<doi>10\.1101/(?:\d{6}|\d{4}\.\d{2}\.\d{2}\.\d{6,8}))v\d{1,3}(?:\.[a-z\-]{1,30}){0,3}$", re.IGNORECASE)
# The first token of the next line, when a line break cut a DOI (text copied out of a PDF).
_NEXT_LINE_TOKEN = re.compile(r"\n[ \t]{0,8}(?P<token>[A-Za-z0-9(]" + _CHAR + "{0,200})")
# Elsevier's SICI-style DOIs put the journal's ISSN first ("10.1016/0022-2836(75)90410-6"): a suffix that is
# only an ISSN is unfinished, and a line break after it may fall before "(75)".
_ISSN_ONLY = re.compile(r"\d{4}-\d{3}[\dX]", re.IGNORECASE)
_SICI_REST = re.compile(r"\(\d{2,4}\)[\dA-Z]", re.IGNORECASE)
# A template's stand-in for a DOI to come: "10.5281/zenodo.XXXXXXX", "10.xxxx/xxxxx".
_PLACEHOLDER = re.compile(r"(?:^|[./_-])[xX]{4,}$")
# Publisher addresses that spell a DOI without "10.": Nature's article pages are named by the DOI's suffix
# ("nature.com/articles/s41593-017-0059-4" is 10.1038/s41593-017-0059-4) and The Lancet's by the article's PII,
# which its DOIs are made of ("thelancet.com/journals/lancet/article/PIIS0140-6736(20)30183-5/fulltext" is
# 10.1016/S0140-6736(20)30183-5).
PUBLISHER_URL = re.compile(
    r"(?<![\w.-])(?:www\.)?nature\.com/articles/(?P<nature>[a-z][a-z0-9]{1,20}(?:[.-][a-z0-9]{1,20}){0,5})(?![\w.-]*[\w-])"
    r"|(?<![\w.-])(?:www\.)?thelancet\.com/journals/[a-z]{2,12}/article/PII(?P<lancet>S\d{4}-\d{3}[\dX]\(\d{2}\)\d{5}-[\dX])(?![\w(])",
    re.IGNORECASE,
)
SHORT_PATTERN = re.compile(r"(?:doi\.org/|doi\s*:\s*)(?P<short>10/[a-z0-9]{3,12})(?![\w/])", re.IGNORECASE)
# Every DOI and every "doi" label contains one of these (the patterns scan only near them).
TRIGGER = re.compile(r"10\.\d{4}|10/[a-zA-Z0-9]|[dD][oO][iI]|nature\.com/articles/|thelancet\.com/journals/")
# A trailing "/" ends a link (https://doi.org/10.1371/journal.pone.0033693/), not the DOI.
_TRAILING = ".,;:!?'\"\u2019\u201d*/"
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}


def normalise(doi: str) -> str:
    """Lower-cased, percent-decoded, no resolver prefix and no preprint version: the cache and lookup key."""
    doi = unquote(doi.strip())
    doi = re.sub(r"^(?:https?://)?(?:dx\.)?doi\.org/", "", doi, flags=re.IGNORECASE)
    doi = re.sub(r"^doi\s*:\s*", "", doi, flags=re.IGNORECASE)
    version = _PREPRINT_VERSION.match(doi)
    if version:
        doi = version.group("doi")
    return doi.lower()


def hint(value: str) -> str:
    """Why a value given as a DOI ("doi: 10.100/x") is not one."""
    if re.match(r"10\.\d{1,3}(?!\d)", value):
        return "its prefix needs 4 to 9 digits after '10.'"
    if "/" not in value:
        return "it has no '/' between prefix and suffix"
    return "it does not start with '10.' and a registrant code"


def trim(suffix: str) -> str:
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


def find(text: str, *, in_url: bool = False) -> list[Found]:
    """Every DOI in text (in_url: text is one href), malformed ones with a hint, in no particular order."""
    found: list[Found] = []
    stretches = regions(text, TRIGGER)
    for start, end in stretches:
        _find_in(text, start, end, in_url, found)
    for start, end in stretches:
        for match in SHORT_PATTERN.finditer(text, start, end):
            found.append(Found(Identifier(SCHEME, match.group("short").lower()), match.start("short"), match.end("short"), match.group("short")))
        for match in PUBLISHER_URL.finditer(text, start, end):
            prefix, group = ("10.1038", "nature") if match.group("nature") else ("10.1016", "lancet")
            found.append(Found(Identifier(SCHEME, normalise(f"{prefix}/{match.group(group)}")), match.start(), match.end(), match.group(0)))
    if not in_url:
        found.extend(_malformed_labelled(text, found, stretches))
    return found


def _find_in(text: str, start: int, end: int, in_url: bool, found: list[Found]) -> None:
    position = start
    while (match := PATTERN.search(text, position, end)) is not None:
        # A DOI cut short where it ran into something else is read again from the cut, so the
        # identifier it ran into ("10.1111/x](https://doi.org/10.1111/y)") is not lost.
        position = match.end()
        suffix = match.group("suffix")
        url_context = in_url or text[max(0, match.start() - 1):match.start()] in ("/", "=")
        if url_context:
            suffix = re.split(r"[?#&]", suffix, maxsplit=1)[0]
            suffix = _URL_FILE_EXTENSION.sub("", _URL_PAGE_SUFFIX.sub("", suffix))
        head = suffix
        continued = _continuation(text, match.end(), suffix) if suffix == match.group("suffix") else None
        if continued:
            suffix += continued.group("token")
        run_on = _RUN_ON.search(suffix)
        if run_on and run_on.start() > 0:
            suffix = suffix[:run_on.start()]
            if len(suffix) < len(head):
                position = match.start("suffix") + len(suffix)
        suffix = trim(suffix)
        # "doi: 10.1002/ stem.68" (a PDF line break) is one DOI only after a "doi" label,
        # and only if what follows the space looks like a DOI suffix, not a word.
        if match.group("gap") and (not match.group("label") or not re.search(r"\d", suffix)):
            if not match.group("label"):
                continue
            suffix = ""
        if not suffix:
            written = match.group(0)
            found.append(Found(Identifier(SCHEME, ""), match.start(), match.end(), written, hint=f"DOI {written.strip()!r} has no suffix after the slash"))
            continue
        if _PLACEHOLDER.search(suffix):
            written = match.group(0)
            found.append(Found(Identifier(SCHEME, ""), match.start(), match.end(), written,
                               hint=f"DOI {written.strip()!r} is a placeholder (its suffix ends in x's), not a DOI"))
            continue
        begin = match.start("label") if match.group("label") else match.start("prefix")
        if continued and len(suffix) > len(head):
            finish = continued.start("token") + len(suffix) - len(head)
        else:
            finish = match.start("suffix") + len(suffix)
        found.append(Found(Identifier(SCHEME, normalise(f"{match.group('prefix')}/{suffix}")), begin, finish, text[begin:finish]))


def _continuation(text: str, end: int, suffix: str) -> re.Match | None:
    """The next line's first token when it is the rest of a DOI that a line break cut.

    Only where typesetters cut (right after the slash, or after . - _) and only a
    token that looks like a DOI suffix: it holds a digit, and is neither a list
    number ("2."), a label, nor a plain word ("and", "Next")."""
    issn_only = bool(_ISSN_ONLY.fullmatch(suffix))
    if not (suffix == "" or suffix[-1] in "./-_" or issn_only):
        return None
    continued = _NEXT_LINE_TOKEN.match(text, end)
    if continued is None:
        return None
    token = trim(continued.group("token"))
    if token.startswith("(") != issn_only or (issn_only and not _SICI_REST.match(token)):
        return None
    if (
        not re.search(r"\d", token)
        or re.fullmatch(r"\d{1,4}[.)]?", token)
        or re.match(r"(?:PMID|PMCID|PubMed|doi|https?:|www\.)", token, re.IGNORECASE)
    ):
        return None
    return continued


def _malformed_labelled(text: str, found: list[Found], stretches: list[tuple[int, int]]) -> list[Found]:
    """'doi:' followed by something that is not a DOI: reported with a hint, never dropped.
    A label whose value a DOI already covers is that DOI's (found sorted once, then bisected)."""
    spans = sorted((f.start, f.end) for f in found)
    starts = [start for start, _ in spans]
    furthest_end, reach = [], -1
    for _, end in spans:
        reach = max(reach, end)
        furthest_end.append(reach)
    malformed = []
    for match in (m for start, end in stretches for m in _LABELLED.finditer(text, start, end)):
        value_at = match.start("value")
        before = bisect_right(starts, value_at)
        if before and furthest_end[before - 1] > value_at:
            continue  # a DOI found covers the value
        if bisect_right(starts, match.end() - 1) > bisect_right(starts, match.start() - 1):
            continue  # a DOI found starts inside the label
        value = trim(match.group("value"))
        if not value or not re.match(r"10\b|10\.|\d", value):
            continue  # "doi: see below" is prose, not an attempt at a DOI
        end = value_at + len(value)
        malformed.append(Found(Identifier(SCHEME, ""), match.start(), end, text[match.start():end], hint=f"DOI {value!r} is malformed: {hint(value)}"))
    return malformed
