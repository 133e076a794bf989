"""Does the record the identifier points to match what the document says about it?

Keeps "the real work with slightly wrong metadata" (METADATA_MISMATCH) apart
from "a different work" (WRONG_WORK, the signature of a fabricated reference).
Pure functions.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from .records import METADATA_MISMATCH, VERIFIED, WRONG_WORK, CitedMetadata, Work

TITLE_AGREES = 85  # rapidfuzz score (0-100) at or above which two titles are the same title
TITLE_DIFFERENT = 50  # below this the titles name different works
# The shortest real titles are one word ("Obesity", "AIDS"). Fewer letters than this is what is
# left when a title was lost to parsing or markup (a lone "D", a year), and on so few letters one
# letter moves the score by a third or more: nearly the whole band between TITLE_DIFFERENT and TITLE_AGREES.
MIN_TITLE_LETTERS = 4

# Latin letters that NFKD leaves whole, written without their stroke or as two letters in
# transliterated references ("Lukasz" for "Łukasz"), as accents are dropped.
_LATIN_BASE_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
# Japanese writes one title in kanji and kana together: one writing system, not three.
_HAN_SCRIPTS = {"CJK", "IDEOGRAPHIC", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"}


def fold(text: str) -> str:
    """Lower-case words of letters and digits in any script: accents, marks, punctuation and markup do not count."""
    text = unicodedata.normalize("NFKD", text)
    # Every mark, not only the combining accents: a vowel sign (Devanagari, Thai) is part of its word, never a break.
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))
    text = text.casefold().translate(_LATIN_BASE_LETTERS)
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _script(folded: str) -> str | None:
    """The script most of the letters are written in (Unicode's name for it), None without letters."""
    scripts = Counter(unicodedata.name(ch, "").split(" ")[0] for ch in folded if ch.isalpha())
    if not scripts:
        return None
    script = scripts.most_common(1)[0][0]
    return "CJK" if script in _HAN_SCRIPTS else script


def different_scripts(a: str, b: str) -> bool:
    """Both written, in different scripts: a transliterated name or a translated title, which
    letter-by-letter comparison cannot tell from another name or title."""
    return _different_folded_scripts(fold(a), fold(b))


def _different_folded_scripts(a: str, b: str) -> bool:
    script_a, script_b = _script(a), _script(b)
    return script_a is not None and script_b is not None and script_a != script_b


def _folded_similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    if not a or not b:
        return 0.0
    # token_sort for reordered words; partial for a title given without its subtitle. A partial
    # score counts only when the part matches nearly whole: any two long titles share some
    # half-matching stretch (~50), which must not lift unrelated titles out of "different work".
    partial = fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 25 else 0.0
    return partial if partial >= TITLE_AGREES else fuzz.token_sort_ratio(a, b)


def title_similarity(cited: str, recorded: str) -> float:
    return _folded_similarity(fold(cited), fold(recorded))


def title_score(cited: str, recorded: str) -> float | None:
    """title_similarity, or None when the titles cannot be compared: either is missing or too short
    to name a work, or they are written in different scripts (a translated title is not another work)."""
    a, b = fold(cited), fold(recorded)
    too_short = min(sum(ch.isalpha() for ch in a), sum(ch.isalpha() for ch in b)) < MIN_TITLE_LETTERS
    if too_short or _different_folded_scripts(a, b):
        return None
    return _folded_similarity(a, b)


def _names_agree(cited: Iterable[str], recorded: Iterable[str]) -> bool | None:
    """True when a cited family name is one of the recorded ones; False when none is and every name
    is written in one script; None when they cannot be compared (a transliteration against the
    original script, or names without letters)."""
    cited_names = {fold(name) for name in cited} - {""}
    recorded_names = {fold(name) for name in recorded} - {""}
    if not cited_names or not recorded_names:
        return None
    if cited_names & recorded_names:
        return True
    return False if len({_script(name) for name in cited_names | recorded_names}) == 1 else None


def authors_agree(cited: tuple[str, ...], work: Work) -> bool | None:
    return _names_agree(cited, [a.family for a in work.authors])


# Words a journal's name may carry or drop without naming another journal.
_JOURNAL_FILLER = frozenset("the of and for in on de des der und la le".split())


def journals_agree(cited: str | None, recorded: str | None) -> bool | None:
    """Do the cited and the recorded journal name the same journal? Abbreviations count as the name
    they shorten: each cited word opens a recorded word, in order ("N Engl J Med", "Lancet" against
    "New England Journal of Medicine", "The Lancet"). False when no cited word opens any recorded
    word nor the reverse; None when either is missing, in another script, or the names half agree."""
    if not cited or not recorded or different_scripts(cited, recorded):
        return None
    cited_words = [w for w in fold(cited).split() if w not in _JOURNAL_FILLER]
    recorded_words = [w for w in fold(recorded).split() if w not in _JOURNAL_FILLER]
    if not cited_words or not recorded_words:
        return None
    if _abbreviates(cited_words, recorded_words) or _abbreviates(recorded_words, cited_words):
        return True
    if any(r.startswith(c) or c.startswith(r) for c in cited_words for r in recorded_words if min(len(c), len(r)) >= 3):
        return None
    return False


def _abbreviates(short: list[str], full: list[str]) -> bool:
    """Each word of ``short`` opens a word of ``full``, in order (words of ``full`` may be skipped)."""
    position = 0
    for word in short:
        while position < len(full) and not full[position].startswith(word):
            position += 1
        if position == len(full):
            return False
        position += 1
    return True


def _agreement_summary(checks: dict[str, bool]) -> str:
    agree = [name for name, agrees in checks.items() if agrees]
    differ = [name for name, agrees in checks.items() if not agrees]
    return f"fields that differ: {', '.join(differ) or 'none'}; fields that agree: {', '.join(agree) or 'none'}"


def compare_metadata(cited: CitedMetadata | None, work: Work) -> tuple[str, tuple[str, ...]]:
    """(status, reasons) for the cited fields against the record.

    WRONG_WORK is weighed by field: a title that names another work, with either no cited author
    among the record's, or the journal or year differing too and nothing else agreeing but a surname
    that one of many authors happens to share. The reasons then say which fields agree and which not."""
    if cited is None:
        return VERIFIED, ()
    reasons: list[str] = []
    mismatched: list[str] = []
    score = title_score(cited.title or "", work.title)
    author_match = authors_agree(cited.authors, work)

    if score is not None and score < TITLE_DIFFERENT:
        checks = {"title": False, **_identity_checks(cited, work)}
        if "authors" in checks:
            checks["authors"] = author_match
        sources_differ = checks.get("journal") is False or checks.get("year") is False
        sources_agree = checks.get("journal") is True or checks.get("year") is True
        if author_match is not True or (sources_differ and not sources_agree and checks.get("first author") is not True):
            reasons.append(f"the document gives the title {cited.title!r} but the identifier points to {work.title!r}")
            if author_match is False:
                reasons.append(f"none of the cited authors ({', '.join(cited.authors)}) is an author of that work")
            elif author_match is True:
                shared = [a.family for a in work.authors if fold(a.family) in {fold(name) for name in cited.authors}]
                reasons.append(f"only the surname {', '.join(shared)} is shared, with {len(work.authors)} recorded authors")
            reasons.append(_agreement_summary(checks))
            return WRONG_WORK, tuple(reasons)
    if score is not None and score < TITLE_AGREES:
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


def _identity_checks(cited: CitedMetadata, work: Work) -> dict[str, bool]:
    """Agreement of the fields that say which work it is, where both sides give them."""
    checks: dict[str, bool] = {}
    first_author = _names_agree(cited.authors[:1], [work.first_author()])
    if first_author is not None:
        checks["first author"] = first_author
        checks["authors"] = bool(authors_agree(cited.authors, work))
    journal = journals_agree(cited.journal, work.journal)
    if journal is not None:
        checks["journal"] = journal
    if cited.year and work.year:
        checks["year"] = abs(cited.year - work.year) <= 1
    if cited.volume and work.volume:
        checks["volume"] = cited.volume.lstrip("0") == work.volume.lstrip("0")
    if cited.first_page and work.page:
        checks["pages"] = cited.first_page.strip().lower() == _first_page(work.page)
    return checks


# A search candidate is accepted only when this many fields agree, the title among them,
# and none clearly contradicts: "no match" is a valid answer, a wrong match is an accusation.
MIN_AGREEING_FIELDS = 3


def _first_page(page: str) -> str:
    return re.split(r"[-\u2013]", page)[0].strip().lower() if page else ""


def field_agreement(cited: CitedMetadata, work: Work) -> dict[str, bool]:
    """For each field both sides give: do they agree? Year tolerates one (online vs print)."""
    checks: dict[str, bool] = {}
    score = title_score(cited.title or "", work.title)
    if score is not None:
        checks["title"] = score >= TITLE_AGREES
    first_author = _names_agree(cited.authors[:1], [work.first_author()])
    if first_author is not None:
        checks["first author"] = first_author
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
