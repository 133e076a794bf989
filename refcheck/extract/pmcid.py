"""PubMed Central IDs: "PMC1234567" in text, "PMCID: 1234567", PMC and Europe PMC links, and the
old PMC article links' parameters ("articlerender.fcgi?artid=1234567", "?pmcid=PMC1234567")."""
from __future__ import annotations

import re

from ..records import Identifier
from .found import Found, regions

SCHEME = "pmcid"

PATTERN = re.compile(r"(?<![\w/])(?P<pmcid>PMC[ \t]?\d{4,9})\b")
LABELLED = re.compile(r"\bPMCID[ \t]{0,3}:?[ \t]{0,3}(?P<pmcid>\d{4,9})\b", re.IGNORECASE)
URL = re.compile(
    r"(?:pmc\.ncbi\.nlm\.nih\.gov/articles/|ncbi\.nlm\.nih\.gov/pmc/articles/|europepmc\.org/(?:abstract|articles?)/(?:PMC/)?)(?P<pmcid>PMC\d{4,9})\b"
    r"|pubmedcentral(?:\.nih)?\.gov/(?:articlerender|picrender|pagerender)\.fcgi\?(?:[^\s\"'<>]{0,80}?&)?artid=(?P<artid>\d{4,9})\b"
    r"|[?&;]pmcid=(?P<parameter>(?:PMC)?\d{4,9})\b",
    re.IGNORECASE,
)

# A PMC page links the articles it cites by a relative address ("/articles/PMC6528438/", on older pages
# "/pmc/articles/PMC6528438/"): read in a link's address only.
RELATIVE = re.compile(r"^/(?:pmc/)?articles/(?P<pmcid>PMC\d{4,9})\b")

# Every match contains one of these near its start (the patterns scan only near them).
TRIGGER = re.compile(r"[pP][mM][cC]|[nN][cC][bB][iI]|[pP]ub[mM]ed[cC]entral")


def normalise(value: str) -> str:
    """"PMC 1234567", "pmc1234567" and "1234567" (after a PMCID label) are all "PMC1234567"."""
    return "PMC" + re.sub(r"\D", "", value)


def find(text: str, *, in_url: bool = False) -> list[Found]:
    found = []
    stretches = regions(text, TRIGGER)
    patterns = (URL, PATTERN, LABELLED, RELATIVE) if in_url else (URL, PATTERN, LABELLED)
    for pattern in patterns:
        for match in (m for start, end in stretches for m in pattern.finditer(text, start, end)):
            written = next(value for value in match.groupdict().values() if value)
            found.append(Found(Identifier(SCHEME, normalise(written)), match.start(), match.end(), match.group(0)))
    return found
