"""Figures as a text writes them: each number with what it counts (a percentage, a duration, people,
a measure with its unit, a ratio, a p-value ...), whether it is a bound rather than a value, and the
words around it that say what it is a figure of."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import STOPWORDS, content_stems, stem

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "dozen": 12}
# The Lancet writes decimals with a middle dot ("68·5%").
NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:[.·]\d+)?|\.\d+)"
_NUMBER_WORD = rf"(?:{'|'.join([*_NUMBER_WORDS, *_SCALES])})"
# "One hundred and forty", "twenty-four", "three thousand": a figure written in words, "and" only after a
# scale word ("two and three" are two figures)
_WORD_FIGURE = rf"\b{_NUMBER_WORD}(?:(?:[\s-]+|(?:(?<=hundred)|(?<=thousand))\s+and\s+){_NUMBER_WORD})*\b"
_NUM_OR_WORD = rf"(?:{NUM}|{_WORD_FIGURE})"
_QUANTITY = re.compile(
    rf"(?<![\w.,/])(?<![A-Za-z]-)(?P<low>{_NUM_OR_WORD})(?P<pct1>\s*%)?"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<high>{NUM}))?"
    rf"(?P<pct2>\s*(?:%|percent\b|per\s?cent\b))?",
    re.IGNORECASE,
)
_WORD_FIGURE_RE = re.compile(_WORD_FIGURE, re.IGNORECASE)


def in_digits(text: str) -> str:
    """The text with its larger figures in words written in digits ("One hundred and forty patients"
    -> "140 patients"), for a reader that knows figures only as digits; "one of", "two groups" stay."""
    def digits(match: re.Match[str]) -> str:
        try:
            value = _words_to_number(match.group(0).lower())
        except ValueError:
            return match.group(0)
        return f"{value:g}" if value >= 20 or len(match.group(0).split()) > 1 else match.group(0)

    return _WORD_FIGURE_RE.sub(digits, text)


_DURATION_UNITS = {
    "second": "second", "seconds": "second", "minute": "minute", "minutes": "minute",
    "min": "minute", "hour": "hour", "hours": "hour", "h": "hour", "day": "day",
    "days": "day", "week": "week", "weeks": "week", "month": "month",
    "months": "month", "year": "year", "years": "year", "yr": "year", "yrs": "year",
}
MEASURE_UNITS = frozenset(
    "mg g kg µg mcg ug ng ml l dl mmol µmol umol mol iu u mmhg cm mm m km kcal cal bpm".split()
)
PERSON_NOUNS = frozenset(
    "patient participant subject individual person adult child woman man infant "
    "case volunteer respondent student case donor recipient adolescent teenager youth girl boy pupil newborn "
    "toddler".split()
)

_APPROXIMATE = re.compile(
    r"(?:\b(?:approximately|approx|about|around|nearly|almost|roughly|up to|over|under|more than|"
    r"less than|at least|at most|as (?:much|many|high|low) as|ranging from|range of|between|from|"
    r"exceed(?:ed|s|ing)?|above|below|greater than|higher than|lower than|fewer than|close to|in excess of|"
    r"upwards of|one in|\d+ in|(?:one|two|three|four|five|six|seven|eight|nine) in)|[<>≤≥~±])\s*$",
    re.I,
)
# After a figure, words that make it no value to compare: a bound ("aged 70 years or older",
# "50% or more", "10+ years") or a difference ("2 days sooner").
_NOT_A_VALUE_AFTER = re.compile(
    r"\s*(?:\+|(?:[A-Za-zµ%]+\s+)?(?:or|and) (?:older|more|above|over|greater|higher|younger|less|fewer|lower|below|under)\b"
    r"|(?:[A-Za-zµ%]+\s+)?(?:sooner|earlier|later|faster|slower|longer|shorter|more|less|fewer)\b)",
    re.I)
# "4 in 5 cases": a proportion in words (but "30% in 500 patients" is a value).
_N_IN_M = re.compile(r"\s+in\s+\d")
# The far end of a range written apart: "varied from 2.2% (Japan) to 8.3% (USA)".
_RANGE_END = re.compile(r"\b(?:from|between|rang\w*|vari\w*)\b[^;]{1,40}?\b(?:to|and)\s*$", re.I)
_PRECEDING_KIND = (
    (re.compile(r"\bp\s*[<=>≤≥]\s*$", re.I), "pvalue"),
    (re.compile(r"(?:\bCI|confidence interval)[\s:,]*[(\[]?\s*(?:{n}\s*[-–,]\s*|to\s*)?$".format(n=NUM), re.I), "ci"),
    (re.compile(r"\b(?:a?[HOR]R|IRR|ratio)\s*(?:of|was|=|:|,)?\s*$", re.I), "ratio"),
    (re.compile(r"\b(?:fig(?:ure)?s?|tables?|refs?|n[o°]s?)\.?\s*$", re.I), "label"),
    # "type 2 diabetes", "stage III", "phase 3 trial": the number names a kind, it measures nothing.
    (re.compile(r"\b(?:type|stage|grade|phase|class|category|serotype|genotype)\s*$", re.I), "label"),
    # "(n = 30)" is how abstracts state a group's size.
    (re.compile(r"(?<![\w.])n\s*=\s*$"), "count:person"),
)


@dataclass(frozen=True)
class Quantity:
    """A number as written, what kind of thing it counts, and nearby words."""

    text: str
    low: float
    high: float | None  # set for ranges ("12-18 months")
    kind: str  # "percent", "duration:month", "count:person", "ratio", "pvalue", ...
    decimals: int
    context: frozenset[str]  # content stems near the number in its sentence
    approximate: bool  # "about 20%", "up to 45%", ">90%": a bound, not a value
    sentence: str
    clause: int  # which clause of the sentence (see _CLAUSE_BREAK)
    start: int  # where the number begins in the sentence


def _words_to_number(text: str) -> float:
    """The value of a figure in words; ValueError for words that are no one figure ("two three")."""
    total, current, last = 0, 0, ""
    for word in re.split(r"[\s-]+", text):
        if word == "and":
            continue
        if word in _NUMBER_WORDS:
            value = _NUMBER_WORDS[word]
            if last in _NUMBER_WORDS and (value >= 10 or _NUMBER_WORDS[last] < 20 or _NUMBER_WORDS[last] % 10):
                raise ValueError(text)
            current += value
        elif word == "thousand":
            total, current = total + (current or 1) * 1000, 0
        elif word in _SCALES:
            current = (current or 1) * _SCALES[word]
        else:
            # a number word matched case-insensitively through another script's letter ("fıve")
            raise ValueError(text)
        last = word
    return float(total + current)


def to_number(token: str) -> tuple[float, int]:
    token = token.lower().replace(",", "").replace("·", ".")
    if token[:1].isalpha():
        return _words_to_number(token), 0
    decimals = len(token.split(".")[1]) if "." in token else 0
    return float(token), decimals


# "reduced mortality by 70%", "a 34% increase": a relative change, which is no rival for a share
# ("83% were not receiving oxygen") even when it sits among the same words.
_CHANGE_WORDS = r"(?:increas|decreas|reduc|rais|ris|rose|fell|fall|drop|declin|lower|cut|improv|grew|grow)\w*"
_RELATIVE_BEFORE = re.compile(rf"\b{_CHANGE_WORDS}\b(?:\s+[\w.-]+){{0,8}}?\s+by\s*$|\b{_CHANGE_WORDS}\s+of\s*$", re.I)
_RELATIVE_AFTER = re.compile(
    r"\s*(?:relative\s+)?(?:increase|decrease|reduction|rise|drop|decline|fall|gain|loss|improvement|"
    r"(?:higher|lower|more|less|fewer|greater|smaller)\b)", re.I)


_YEAR_BEFORE = re.compile(r"\b(?:in|during|since|from|by|until|before|after|between|of|to)\s*$", re.I)
# "on day 15", "at week 12": a time point, the same time as "15 days", "12 weeks".
_TIME_POINT = re.compile(r"\b(day|week|month|year|hour)\s*$", re.I)


def _quantity_kind(before: str, after: str, percent: bool) -> str | None:
    """Classify a number by the words around it; None means ignore it."""
    for pattern, kind in _PRECEDING_KIND:
        if pattern.search(before[-40:]):
            return None if kind == "label" else kind
    if percent:
        # "95% CI" states the interval's level, not a finding.
        if re.match(r"\s*(?:CI\b|confidence)", after, re.I):
            return None
        return "percent:change" if _RELATIVE_BEFORE.search(before[-40:]) or _RELATIVE_AFTER.match(after) else "percent"
    time_point = _TIME_POINT.search(before[-8:])
    if time_point:
        return "duration:" + _DURATION_UNITS[time_point.group(1).lower()]
    following = re.findall(r"[A-Za-zµ]+", after[:40])
    if following and re.match(r"\s*(?:-?\s*fold\b|times\b)", after, re.I):
        return "ratio"
    if following and re.match(r"\s*-?\s*[A-Za-zµ]", after):
        first = following[0].lower()
        if first in _DURATION_UNITS:
            return "duration:" + _DURATION_UNITS[first]
        if first == "mm" and [w.lower() for w in following[1:2]] == ["hg"]:
            return "unit:mmhg"  # "mm Hg" is "mmHg"
        if first in MEASURE_UNITS:
            return "unit:" + first
        for word in following[:3]:
            if stem(word.lower()) in PERSON_NOUNS:
                return "count:person"
        if first not in STOPWORDS:
            return "count:" + stem(first)
    return "plain"


# One sentence may report two comparisons: "(34% vs. 17%; p = 0.03), and the latter study ...
# (30% vs. 20%)". A figure's counterpart is looked for in its own clause.
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|whereas|while)\b|\bwhereas\b")


# (each number atomic: "111,111,111" read as one number and as a list every way round is exponential)
_LIST_ENDING_IN_PERCENT = re.compile(rf"(?:\s*,\s*(?>{NUM}))*,?\s*(?:,|and|or)\s*{NUM}\s*%")


def _clause_breaks(sentence: str) -> list[int]:
    """Where clauses start; a semicolon inside brackets ("(95% CI 0.55 to 0.89; p = 0.003)") ties
    statistics to their estimate rather than separating them."""
    breaks, depth, last = [], 0, 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        between = sentence[last:match.start()]
        depth = max(0, depth + between.count("(") + between.count("[") - between.count(")") - between.count("]"))
        last = match.start()
        if depth == 0:
            breaks.append(match.start())
    return breaks


FIGURE_WINDOW = 300


def quantities_in(sentence: str) -> list[Quantity]:
    found: list[Quantity] = []
    breaks = _clause_breaks(sentence)
    for match in _QUANTITY.finditer(sentence):
        low_text, high_text = match.group("low"), match.group("high")
        is_word = low_text[:1].isalpha()
        if low_text.lower() == "one":
            # "one of the", "one study": rarely a count; "one hundred" is
            continue
        # "97.8, 88.8 and 84.7% relative survival": the list's last number lends its % to the others.
        # (what decides a figure's kind and context lies within a few words of it: windows of 300
        # characters, not the whole sentence, keep a sentence of thousands of figures linear)
        percent = bool(match.group("pct1") or match.group("pct2")
                       or _LIST_ENDING_IN_PERCENT.match(sentence, match.end(), match.end() + FIGURE_WINDOW))
        before = sentence[max(0, match.start() - FIGURE_WINDOW): match.start()]
        after = sentence[match.end(): match.end() + FIGURE_WINDOW]
        if re.match(r"[A-Za-z]+\d", after):
            # A name with digits in it ("53BP1", "5HT2A"), not a figure.
            continue
        kind = _quantity_kind(before, after, percent)
        if kind is None or (is_word and not kind.startswith(("count:", "duration:"))):
            continue
        try:
            low, decimals = to_number(low_text)
            high, high_decimals = to_number(high_text) if high_text else (None, decimals)
        except ValueError:
            # A number word matched case-insensitively through another script's letter ("fıve").
            continue
        decimals = min(decimals, high_decimals)
        # Bare years ("in 2019") date the study, they are not findings, even before people
        # ("20% in 2019 among adults").
        if high is None and decimals == 0 and 1900 <= low <= 2099 and not kind.startswith(("percent", "duration:")) \
                and (kind != "count:person" or _YEAR_BEFORE.search(before[-12:])):
            continue
        start, text = match.start(), match.group(0).strip()
        if high is not None and decimals == 0 and 1900 <= low <= 2099 and high < 1900:
            # "from 15% in 1990 to 31% in 2010": a year, then the range's far end, not a range.
            start, low, high = match.start("high"), high, None
            text, before = sentence[start: match.end()].strip(), sentence[max(0, start - FIGURE_WINDOW): start]
            kind = _quantity_kind(before, after, percent)
            if kind is None:
                continue
        context = frozenset(content_stems(before)[-6:] + content_stems(after)[:6])
        approximate = bool(_APPROXIMATE.search(before[-25:]) or _RANGE_END.search(before[-50:])
                           or _NOT_A_VALUE_AFTER.match(after) or (not percent and _N_IN_M.match(after)))
        if kind == "pvalue":
            # Keep the comparator: "p < 0.05" and "p = 0.05" say different things.
            text = re.search(r"p\s*[<=>≤≥]\s*$", before, re.I).group(0) + text  # (_quantity_kind found it there)
        time_point = _TIME_POINT.search(before[-8:])
        if time_point:
            # "day 15": quoted with its unit, as written, and found where the unit starts.
            text = time_point.group(0) + text
            start -= len(time_point.group(0))
        elif kind.startswith(("duration:", "unit:")):
            # Keep the unit in the quoted text: "12-18 months", not "12-18".
            unit = re.match(r"\s*-?\s*[A-Za-zµ]+(?:\s+Hg\b)?", after)
            text += unit.group(0) if unit else ""
        clause = sum(1 for position in breaks if position < start)
        found.append(Quantity(text, low, high, kind, decimals, context, approximate, sentence, clause, start))
    return found
