"""Words, light stems and stop words: what compare counts as a content word, shared by every part of
it (and by refcheck.suggest, so a source search and compare agree on what a claim is about)."""
from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into onto than
    then that this these those there their its it is are was were be been being
    has have had do does did not no nor so such can could may might will would
    shall should must also both either each all any some more most less least
    very which who whom whose what when where while how why we our us they them
    he she his her i you your one two however although though thus therefore
    after before during between among about over under up down out off per via
    within without among using used non use based et al study studies result results
    showed show shown found find report reported reports suggest suggested
    including include included""".split()
)
_IRREGULAR = {
    "mice": "mouse", "children": "child", "women": "woman", "men": "man",
    "people": "person", "persons": "person", "feet": "foot", "teeth": "tooth",
    "analyses": "analysis", "criteria": "criterion", "data": "data",
}
_BRITISH_IS = re.compile(r"is(e|ed|es|ing|ation|ations)$")
_WORD = re.compile(r"[a-z][a-z0-9]*(?:'[a-z]+)?|\d+(?:\.\d+)?")
# Square-bracketed reference numbers and <|cit|> markers in a claim are no words of it.
CITATION_BRACKETS = re.compile(r"\[[\d\s,–\-]*\]|<\|[a-z_]+\|>")


# (a document's claims and abstracts share most of their words: each is stemmed once per run)
@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately light stemmer: enough to match plurals, tenses and
    British/American spellings, without Porter's aggressive conflations."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    word = _BRITISH_IS.sub(r"iz\1", word)
    if len(word) <= 3 or word[0].isdigit():
        return word
    for suffix, replacement, min_len in (
        ("ies", "y", 5), ("sses", "ss", 5), ("ness", "", 7), ("ment", "", 8),
        ("ing", "", 6), ("ed", "", 5), ("ly", "", 6), ("es", "e", 5), ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= min_len and not word.endswith(("ss", "us", "is")):
            word = word[: len(word) - len(suffix)] + replacement
            break
    # "improve"/"improved", "recovery"/"recovered", "therapy"/"therapies" meet here.
    if len(word) >= 5 and word.endswith("e") or len(word) >= 6 and word.endswith("y"):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if len(w) > 1 and w not in STOPWORDS and not w[0].isdigit()]


_PARENTHESISED = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9-]{1,11}?)s?\s*[;,)]")


def _long_form(short: str, before: str) -> str | None:
    """The words before "(short)" that it abbreviates, found as Schwartz and Hearst (2003) do: each of
    its letters, from the last, found in turn further back, the first one starting a word."""
    letters = [c.lower() for c in short if c.isalnum()]
    position = len(before) - 1
    for index in range(len(letters) - 1, -1, -1):
        letter = letters[index]
        while position >= 0 and (before[position].lower() != letter
                                 or (index == 0 and position > 0 and before[position - 1].isalnum())):
            position -= 1
        if position < 0:
            return None
        position -= 1
    start = before.rfind(" ", 0, position + 1) + 1
    long_form = before[start:].strip()
    # a long form of more words than letters (plus a few) is a sentence, not a name
    return long_form if 0 < len(long_form.split()) <= len(letters) + 3 and len(long_form) > len(short) else None


def abbreviations(text: str) -> dict[str, tuple[str, ...]]:
    """What the text's own definitions ("health-related quality of life (HRQoL)") say each
    abbreviation stands for: its stem -> the long form's content stems."""
    found: dict[str, tuple[str, ...]] = {}
    for match in _PARENTHESISED.finditer(text):
        short = match.group(1)
        if sum(c.isupper() for c in short) < 2:
            continue
        long_form = _long_form(short, text[max(0, match.start() - 120): match.start()])
        if long_form:
            stems = tuple(s for s in content_stems(long_form) if s != stem(short.lower()))
            if stems:
                found.setdefault(stem(short.lower()), stems)
    return found


def expanded(stems: list[str], expansions: dict[str, tuple[str, ...]]) -> list[str]:
    """Stems with each defined abbreviation followed by its long form's stems: "HRQoL" is about
    quality of life wherever the abstract uses it."""
    if not expansions:
        return stems
    out = []
    for s in stems:
        out.append(s)
        out.extend(expansions.get(s, ()))
    return out


# Words too generic to show that two numbers (or two findings) describe the same thing.
GENERIC_CONTEXT = frozenset(
    stem(w) for w in "patient group total overall rate respectively compared versus vs cohort case "
    "significant significantly higher lower increase decrease".split()
)


def first_match(pattern: re.Pattern[str], sentences) -> tuple[str, str]:
    """(matched text, sentence) for the first sentence matching, else ("", "")."""
    for sentence in sentences:
        match = pattern.search(sentence)
        if match:
            return match.group(0), sentence
    return "", ""
