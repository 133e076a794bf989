"""PubMed IDs: labelled in text ("PMID: 123"), in PubMed and Europe PMC links, and in URL parameters
("?pmid=123", "&pubmedid=123", "list_uids=123"); the normal form and hints for impossible ones."""
from __future__ import annotations

import re

from ..records import Identifier
from .found import Found, regions

SCHEME = "pmid"

# "PMID 123" and "PMID: 123"; "PubMed" only with a colon or "ID" ("PubMed: 123",
# "PubMed ID 123"), because "PubMed" followed by a list number is common in HTML.
LABELLED = re.compile(
    r"(?<![A-Za-z])(?:PMID[ \t]{0,3}[:#]?|PubMed[ \t]{0,3}(?:ID[ \t]{0,3}[:#]?|[:#]))[ \t]{0,3}(?P<pmid>\d{1,15})(?![\d.,]\d)\b", re.IGNORECASE
)
URL = re.compile(
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/(?:\?term=)?|ncbi\.nlm\.nih\.gov/pubmed/(?:\?term=)?"
    r"|europepmc\.org/(?:abstract|article|api/fulltextRepo\?pprId=)/?MED/)(?P<pmid>\d{1,15})(?![\w+])",
    re.IGNORECASE,
)
# A query parameter that names a PubMed ID, in any link: NCBI's old Entrez and PMC article links
# ("query.fcgi?cmd=Retrieve&list_uids=123", "articlerender.fcgi?artid=1&pubmedid=123"), publishers' "?pmid=".
PARAMETER = re.compile(r"[?&;](?:pmid|pubmedid|pubmed_id|list_uids|uid)=(?P<pmid>\d{1,15})(?![\w+])", re.IGNORECASE)
# A parameter "uid" is PubMed's only on NCBI's own pages.
_NCBI_HOST = re.compile(r"ncbi\.nlm\.nih\.gov|pubmedcentral\.nih\.gov", re.IGNORECASE)
MAX_PMID = 99_999_999
# Every match contains one of these near its start (the patterns scan only near them).
TRIGGER = re.compile(r"[pP][mM][iI][dD]|[pP][uU][bB][mM][eE][dD]|[nN][cC][bB][iI]|[eE][uU][rR][oO][pP][eE][pP][mM][cC]|[uU][iI][dD]")


def normalise(value: str) -> str:
    return re.sub(r"\D", "", value)


def hint(digits: str) -> str:
    """Why a number given as a PMID cannot be one ("" when it can)."""
    if digits.startswith("0"):
        return f"PMID {digits} has a leading zero; PubMed IDs never start with 0"
    if len(digits) > 8 and int(digits) > MAX_PMID:
        return f"PMID {digits} is longer than any PubMed ID"
    return ""


def find(text: str, *, in_url: bool = False) -> list[Found]:
    found = []
    stretches = regions(text, TRIGGER)
    for pattern in (LABELLED, URL, PARAMETER):
        for match in (m for start, end in stretches for m in pattern.finditer(text, start, end)):
            if pattern is PARAMETER and match.group(0)[1:4].lower() == "uid" and not _on_ncbi_page(text, match.start(), in_url):
                continue
            digits = normalise(match.group("pmid"))
            why = hint(digits)
            found.append(Found(Identifier(SCHEME, "" if why else digits), match.start(), match.end(), match.group(0), why))
    return found


def _on_ncbi_page(text: str, at: int, in_url: bool) -> bool:
    """Is the URL holding the parameter at ``at`` one of NCBI's? (the URL runs back to the last space)"""
    window = max(0, at - 300)
    url_start = max(text.rfind(" ", window, at), text.rfind("\n", window, at), window - 1) + 1
    return bool(_NCBI_HOST.search(text, 0 if in_url else url_start, at))
