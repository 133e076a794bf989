"""Every identifier in a text or an href, whatever its scheme (doi, pmid, pmcid: one module each).

Pure functions over strings, linear in the text: each scheme's patterns have bounded repetition, and
overlapping finds are settled in one pass over them sorted by position.
"""
from __future__ import annotations

import re

from . import doi, pmcid, pmid
from .found import Found

SCHEMES = (doi, pmid, pmcid)

# An image's address is no citation: a Markdown image ("[![DOI](https://img.shields.io/badge/10.1111/2041-green.svg)](...)",
# a badge whose picture spells a DOI) or an HTML <img src>. Identifiers starting inside one are dropped.
_IMAGE_ADDRESS = re.compile(r"!\[[^\[\]\n]{0,500}\]\((?P<md>[^()\s]{1,2000})\)|<img\b[^>]{0,500}?\bsrc=[\"']?(?P<html>[^\"'\s>]{1,2000})", re.IGNORECASE)


def find_identifiers(text: str, *, in_url: bool = False) -> list[Found]:
    """All identifiers in text, overlapping duplicates removed, in text order."""
    candidates = [found for scheme in SCHEMES for found in scheme.find(text, in_url=in_url)]
    if not in_url:
        images = [m.span("md") if m.group("md") else m.span("html") for m in _IMAGE_ADDRESS.finditer(text)]
        if images:
            candidates = _outside(candidates, images)
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Found] = []
    # Candidates come by start, so one overlaps an earlier kept one of its scheme exactly when it starts
    # before the furthest end kept for that scheme, and sits inside a kept DOI when it ends by the furthest DOI end.
    furthest_end: dict[str, int] = {}
    for item in candidates:
        scheme = item.identifier.scheme
        if item.start < furthest_end.get(scheme, -1):
            continue
        # A PMID inside a DOI ("10.1371/journal.pone.0033693") is not a PMID.
        if scheme != doi.SCHEME and item.end <= furthest_end.get(doi.SCHEME, -1):
            continue
        kept.append(item)
        furthest_end[scheme] = max(furthest_end.get(scheme, -1), item.end)
    return kept


def _outside(candidates: list[Found], spans: list[tuple[int, int]]) -> list[Found]:
    from bisect import bisect_right

    starts = [start for start, _ in spans]
    kept = []
    for item in candidates:
        index = bisect_right(starts, item.start) - 1
        if index >= 0 and item.start < spans[index][1]:
            continue
        kept.append(item)
    return kept
