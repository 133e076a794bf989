"""Does the record the identifier points to match what the document says about it?

Keeps "the real work with slightly wrong metadata" (METADATA_MISMATCH) apart
from "a different work" (WRONG_WORK, the signature of a fabricated reference).
Pure functions.
"""
from __future__ import annotations

import re
import unicodedata

from .records import METADATA_MISMATCH, VERIFIED, WRONG_WORK, CitedMetadata, Work

TITLE_AGREES = 85  # rapidfuzz score (0-100) at or above which two titles are the same title
TITLE_DIFFERENT = 50  # below this the titles name different works


def fold(text: str) -> str:
    """Lower-case ASCII words only: accents, punctuation and markup do not count."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def title_similarity(cited: str, recorded: str) -> float:
    from rapidfuzz import fuzz

    a, b = fold(cited), fold(recorded)
    if not a or not b:
        return 0.0
    # token_sort for reordered words; partial for a title given without its subtitle. A partial
    # score counts only when the part matches nearly whole: any two long titles share some
    # half-matching stretch (~50), which must not lift unrelated titles out of "different work".
    partial = fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 25 else 0.0
    return partial if partial >= TITLE_AGREES else fuzz.token_sort_ratio(a, b)


def authors_agree(cited: tuple[str, ...], work: Work) -> bool:
    recorded = {fold(a.family) for a in work.authors if a.family}
    return any(fold(name) in recorded for name in cited)


def compare_metadata(cited: CitedMetadata | None, work: Work) -> tuple[str, tuple[str, ...]]:
    """(status, reasons) for the cited fields against the record."""
    if cited is None:
        return VERIFIED, ()
    reasons: list[str] = []
    mismatched: list[str] = []
    title_score = title_similarity(cited.title, work.title) if cited.title and work.title else None
    author_match = authors_agree(cited.authors, work) if cited.authors and work.authors else None

    if title_score is not None and title_score < TITLE_DIFFERENT and author_match is not True:
        reasons.append(f"the document gives the title {cited.title!r} but the identifier points to {work.title!r}")
        if author_match is False:
            reasons.append(f"none of the cited authors ({', '.join(cited.authors)}) is an author of that work")
        return WRONG_WORK, tuple(reasons)
    if title_score is not None and title_score < TITLE_AGREES:
        mismatched.append("title")
        reasons.append(f"title differs: cited {cited.title!r}, recorded {work.title!r}")
    if author_match is False:
        mismatched.append("authors")
        reasons.append(f"cited author(s) {', '.join(cited.authors)} not among the recorded authors ({work.first_author()} ...)")
    if cited.year and work.year and abs(cited.year - work.year) > 1:
        mismatched.append("year")
        reasons.append(f"year differs: cited {cited.year}, recorded {work.year}")
    if cited.volume and work.volume and cited.volume.lstrip("0") != work.volume.lstrip("0"):
        mismatched.append("volume")
        reasons.append(f"volume differs: cited {cited.volume}, recorded {work.volume}")
    recorded_first_page = re.split(r"[-\u2013]", work.page)[0] if work.page else ""
    if cited.first_page and recorded_first_page and cited.first_page.lower() != recorded_first_page.lower():
        mismatched.append("pages")
        reasons.append(f"first page differs: cited {cited.first_page}, recorded {recorded_first_page}")
    if mismatched:
        return METADATA_MISMATCH, tuple(reasons)
    return VERIFIED, ()


# A search candidate is accepted only when this many fields agree, the title among them,
# and none clearly contradicts: "no match" is a valid answer, a wrong match is an accusation.
MIN_AGREEING_FIELDS = 3


def _first_page(page: str) -> str:
    return re.split(r"[-\u2013]", page)[0].strip().lower() if page else ""


def field_agreement(cited: CitedMetadata, work: Work) -> dict[str, bool]:
    """For each field both sides give: do they agree? Year tolerates one (online vs print)."""
    checks: dict[str, bool] = {}
    if cited.title and work.title:
        checks["title"] = title_similarity(cited.title, work.title) >= TITLE_AGREES
    if cited.authors and work.authors:
        checks["first author"] = fold(cited.authors[0]) == fold(work.first_author())
    if cited.year and work.year:
        checks["year"] = abs(cited.year - work.year) <= 1
    if cited.volume and work.volume:
        checks["volume"] = cited.volume.lstrip("0") == work.volume.lstrip("0")
    if cited.issue and work.issue:
        checks["issue"] = cited.issue.lstrip("0") == work.issue.lstrip("0")
    if cited.first_page and work.page:
        checks["pages"] = cited.first_page.strip().lower() == _first_page(work.page)
    return checks


def validate_candidate(cited: CitedMetadata, work: Work) -> tuple[bool, float, tuple[str, ...]]:
    """(accepted, share of compared fields that agree, the agreeing fields) for one candidate."""
    checks = field_agreement(cited, work)
    agreeing = tuple(name for name, agrees in checks.items() if agrees)
    score = len(agreeing) / len(checks) if checks else 0.0
    contradicted = checks.get("title") is False or checks.get("year") is False
    accepted = len(agreeing) >= MIN_AGREEING_FIELDS and "title" in agreeing and not contradicted
    return accepted, score, agreeing


def best_candidate(cited: CitedMetadata, candidates: list[Work]) -> tuple[Work | None, float, tuple[str, ...]]:
    """The accepted candidate with most agreeing fields, or (None, best score seen, ())."""
    best: tuple[Work | None, float, tuple[str, ...]] = (None, 0.0, ())
    for work in candidates:
        accepted, score, agreeing = validate_candidate(cited, work)
        if accepted and (best[0] is None or len(agreeing) > len(best[2])):
            best = (work, score, agreeing)
        elif best[0] is None:
            best = (None, max(best[1], score), ())
    return best
