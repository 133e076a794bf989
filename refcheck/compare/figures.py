"""Which of a claim's figures the abstract gives, which it gives differently, and which it never gives.

A figure is given when the abstract writes it (or a rounding of it, or a bound its own figure bears
out); it clashes only with the abstract's figure for the same thing: the same kind, shared words,
the same clause as the claim's other figures, and no other figure just as close.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from .quantities import FIGURE_WINDOW, Quantity
from .text import GENERIC_CONTEXT, content_stems

def same_value(a: float, a_decimals: int, b: float, b_decimals: int) -> bool:
    # Allow for rounding to the less precise of the two ("32%" vs "32.4%").
    tolerance = 0.5 * 10 ** -min(a_decimals, b_decimals) + 1e-9
    return abs(a - b) <= tolerance


def _values(q: Quantity) -> list[float]:
    return [q.low] if q.high is None else [q.low, q.high]


def _significance_met(q: Quantity, anchor_quantities: Sequence[Quantity]) -> bool:
    """A claimed "p < 0.05" holds when a sentence the claim paraphrases gives a p-value below it."""
    if q.kind != "pvalue" or not re.search(r"[<≤]\s*$", q.sentence[:q.start]):
        return False
    return any(a.kind == "pvalue" and a.low < q.low and not a.approximate for a in anchor_quantities) or any(
        a.kind == "pvalue" and a.low <= q.low and re.search(r"[<≤]\s*$", a.sentence[:a.start]) for a in anchor_quantities)


def restates(claimed: float, claimed_decimals: int, given: float, given_decimals: int) -> bool:
    """The claim's figure is the abstract's, or the abstract's rounded ("32%" for "32.4%"); a claim more
    precise than the abstract ("2.9" against "3") is not restating it."""
    if claimed_decimals > given_decimals:
        return abs(claimed - given) <= 1e-9
    # A whole number ending in zeros may round the abstract's: "25,000 adults" for 25,871.
    digits = f"{claimed:.0f}" if 10000 <= claimed < 1e15 and claimed == int(claimed) else ""
    trailing_zeros = min(len(digits) - len(digits.rstrip("0")), len(digits) - 2) if digits else 0
    # ("about 25,000" is read down as often as rounded: the tolerance is the whole last unit.)
    tolerance = 10 ** trailing_zeros if trailing_zeros else 0.5 * 10 ** -claimed_decimals
    return abs(claimed - given) <= tolerance + 1e-9


def _reversed_range(q: Quantity, abstract_quantities: Sequence[Quantity]) -> Quantity | None:
    """The abstract's "from 64% to 73%" when the claim says "from 73% to 64%": a change turned around."""
    if q.high is None or restates(q.low, q.decimals, q.high, q.decimals):
        return None
    return next((a for a in abstract_quantities if a.high is not None
                 and restates(q.low, q.decimals, a.high, a.decimals) and restates(q.high, q.decimals, a.low, a.decimals)), None)


@lru_cache(maxsize=1024)
def _reads_as_reduction(sentence: str, start: int, end: int) -> bool:
    """A change figure said of a fall: "cut the risk by 39%", "a 39% reduction"."""
    return bool(REDUCTION_BEFORE.search(sentence, max(0, start - FIGURE_WINDOW), start)
                or re.match(r"\s*(?:relative\s+)?(?:reduction|decrease|lower|fewer|less)", sentence[end:], re.I))


def is_given(q: Quantity, abstract_quantities: Sequence[Quantity]) -> bool:
    """True if every value of q appears somewhere in the abstract: of any kind, except that a
    percentage is only given by a percentage ("73%" is not "73 patients"), and a range only in its
    own order."""
    if _reversed_range(q, abstract_quantities):
        return False
    percent = q.kind.startswith("percent")
    # A duration, a measure with its unit or a ratio is only given as the same: "6 weeks" is not
    # "6.3 points", nor "HR 0.81" a rate of 0.81 per 100 person-years.
    own_kind = q.kind.startswith(("duration:", "unit:")) or q.kind == "ratio"

    def counts(a: Quantity) -> bool:
        # (a bare number may be the same figure written without its unit: "the hazard ratio
        # for death was 0.70"; units are spelled many ways: "500 milligrams", "500 mg")
        if own_kind:
            return a.kind in (q.kind, "plain") or (q.kind.startswith("unit:") and a.kind.startswith("unit:"))
        return a.kind.startswith("percent") == percent

    same_kind = [a for a in abstract_quantities if counts(a)]
    if q.kind == "percent:change":
        # "a 39% reduction" (or "a 28% increase") restates a hazard ratio of 0.61 (or 1.28).
        reduction = _reads_as_reduction(q.sentence, q.start, q.start + len(q.text))
        same_kind += [replace(a, low=abs(1 - a.low) * 100, high=None, decimals=max(0, a.decimals - 2))
                      for a in abstract_quantities if effect_ratio(a) and (a.low < 1) == reduction and 0 < a.low < 10]
    return all(
        any(restates(value, q.decimals, other, a.decimals) for a in same_kind for other in _values(a))
        for value in _values(q)
    )


# A claimed bound and which side of it the abstract's figure must lie on.
_LOWER_BOUND = re.compile(r"(?:\b(?:more than|over|exceed(?:ed|s|ing)?|above|greater than|higher than|in excess of|"
                          r"upwards of|at least)|[>≥])\s*$", re.I)
_UPPER_BOUND = re.compile(r"(?:\b(?:less than|under|below|fewer than|lower than|at most|up to|nearly|almost)|[<≤])\s*$", re.I)
_ABOUT = re.compile(r"\b(?:approximately|approx|about|around|roughly|close to)\s*$|~\s*$", re.I)


def _bound(q: Quantity) -> tuple[str, str]:
    """The bound put on a figure as written ("more than") and which side of it the true figure lies
    on ("lower", "upper", "about"), or ("", "") for none."""
    before = q.sentence[max(0, q.start - 25): q.start]
    for pattern, side in ((_LOWER_BOUND, "lower"), (_UPPER_BOUND, "upper"), (_ABOUT, "about")):
        match = pattern.search(before)
        if match:
            return match.group(0).strip(), side
    return "", ""


def as_given(q: Quantity, numbers: NumberCheck) -> str:
    """How the abstract gives the claim's figure: as written, or as the figure bearing out its
    bound ('94.1% for "more than 90%"')."""
    figure = next((a for b, a in numbers.bounds_met if b is q), None)
    if figure is None:
        return q.text
    word = _bound(q)[0]
    return f'{figure.text} for "{word.lower()} {q.text}"' if word[-1].isalpha() else f'{figure.text} for "{word}{q.text}"'


def _bound_met(q: Quantity, abstract_quantities: Sequence[Quantity]) -> Quantity | None:
    """A bound or round figure the abstract's own figure for the same thing bears out: "more than 90%
    of patients" for 94.1%, "nearly half" for 48%, "about 30%" for 27.6%. Only a near figure counts
    ("more than 10%" is no fair report of 94%), and only one sharing words with the claim's."""
    if not q.approximate or q.high is not None:
        return None
    word, side = _bound(q)
    # Within 10 points of a percentage, within a fifth of any other figure.
    margin = 10.0 if q.kind.startswith("percent") else 0.2 * q.low
    if side == "lower":
        low, high = q.low, q.low + margin
    elif side == "upper":
        low, high = q.low - margin, q.low
    elif side == "about":
        low, high = q.low - margin / 2, q.low + margin / 2
    else:
        return None
    return next((a for a in abstract_quantities
                 if a.kind == q.kind and a.high is None and not a.approximate and low <= a.low <= high
                 and (q.context & a.context) - GENERIC_CONTEXT), None)


# Kinds that can clash: a p-value or CI bound differing is not a contradiction.
_CLASHABLE = ("percent", "duration:", "count:", "unit:", "ratio")


MAX_CLASHING_CLAIM_NUMBERS = 3
MAX_CLAIM_FIGURES = 40


@dataclass(frozen=True)
class NumberCheck:
    given: tuple[Quantity, ...]
    missing: tuple[Quantity, ...]
    clashes: tuple[tuple[Quantity, Quantity], ...]  # (claim's, abstract's)
    # (claimed bound or round figure, the abstract's figure that bears it out)
    bounds_met: tuple[tuple[Quantity, Quantity], ...] = ()


_EFFECT_RATIO_BEFORE = re.compile(r"(?:\b(?:a?HR|RR|IRR|OR)|(?i:\b(?:hazard|risk|rate|odds) ratio))[\s,:=]*(?:of\s+|was\s+)?$")


def effect_ratio(a: Quantity) -> bool:
    """A hazard, risk, rate or odds ratio: "HR 0.61", "risk ratio, 0.61" (not "albumin-to-creatinine ratio")."""
    return a.kind == "ratio" and a.high is None and bool(_EFFECT_RATIO_BEFORE.search(a.sentence[max(0, a.start - 30): a.start]))


REDUCTION_BEFORE = re.compile(r"\b(?:reduc|decreas|lower|cut|drop|fell|fall|declin|slash)\w*\b[^;]*$", re.I)


def check_numbers(claim_quantities: Sequence[Quantity], abstract_quantities: Sequence[Quantity],
                  anchor_quantities: Sequence[Quantity]) -> NumberCheck:
    """Sort the claim's numbers into given / missing / clashing.

    Only numbers in anchor sentences (those the claim closely paraphrases) can
    clash: elsewhere a different number is usually about something else.
    """
    bounds_met = tuple((q, a) for q in claim_quantities if not is_given(q, abstract_quantities)
                       for a in [_bound_met(q, abstract_quantities)] if a)
    given = [q for q in claim_quantities if is_given(q, abstract_quantities) or _significance_met(q, anchor_quantities)
             or any(q is b for b, _ in bounds_met)]
    # When the claim's other figures are found, only the clause giving them
    # can show that this one is wrong ("34% vs 18%" against "34% vs 17%").
    # (a bound met by a near figure places nothing: "more than 90%" says little of which clause
    # the claim follows; the figure that met it is no rival)
    met = [a for _, a in bounds_met]
    exactly_given = [g for g in given if not any(g is b for b, _ in bounds_met)]
    anchor_quantities = [a for a in anchor_quantities if a not in met]
    if exactly_given:
        by_clause: dict[tuple[str, int], list[Quantity]] = {}
        for a in anchor_quantities:
            by_clause.setdefault((a.sentence, a.clause), []).append(a)
        clauses_giving = {key for key, figures in by_clause.items() if any(is_given(g, figures) for g in exactly_given)}
        anchor_quantities = [a for a in anchor_quantities if (a.sentence, a.clause) in clauses_giving]
        # A figure the claim itself repeats is nobody's rival ("30% versus 40%" against "30% vs. 20%").
        anchor_quantities = [a for a in anchor_quantities if not any(is_given(g, [a]) for g in exactly_given)]
    # A claim listing many figures is usually a summary of several sources.
    can_clash = len(claim_quantities) <= MAX_CLASHING_CLAIM_NUMBERS
    missing, clashes = [], []
    for q in claim_quantities:
        if q in given:
            continue
        if not can_clash:
            rival = None
        elif reversed_range := _reversed_range(q, anchor_quantities):
            rival = reversed_range
        elif q.kind in _STATISTICS:
            rival = _tied_statistic(q, anchor_quantities) if given else None
        else:
            rival = _clashing_quantity(q, anchor_quantities)
        if rival is not None:
            clashes.append((q, rival))
        else:
            missing.append(q)
    return NumberCheck(tuple(given), tuple(missing), tuple(clashes), bounds_met)


# A p-value or confidence interval has no words of its own to pair it by; it is checked only
# beside the estimate it belongs to: "HR 0.70, 95% CI 0.55-0.89, p=0.03" against "HR 0.70
# (95% CI 0.55 to 0.89; p = 0.003)", once the claim's other figures are found in that clause.
_STATISTICS = ("pvalue", "ci")


def _tied_statistic(q: Quantity, clause_quantities: Sequence[Quantity]) -> Quantity | None:
    """The one statistic of q's kind in the clauses that give the claim's other figures."""
    if q.approximate:
        return None
    rivals = [a for a in clause_quantities if a.kind == q.kind and not a.approximate and (a.high is None) == (q.high is None)]
    if len({(a.low, a.high) for a in rivals}) != 1:
        return None
    return rivals[0]


# "lifetime prevalence of 14.6%" and "12-month prevalence ... (5.5%)" measure different things.
_TIME_FRAME = re.compile(r"\b(?:(?:lifetime|annual|past|point|\d+|one|two|three|five|ten)[- ](?:month|year|day|week)s?|lifetime|annual)\b", re.I)


def _time_frame(q: Quantity) -> str:
    """The time frame named in the 150 characters before the figure ("12 month"); "" when none."""
    frames = list(_TIME_FRAME.finditer(q.sentence[max(0, q.start - 150):q.start]))
    return re.sub(r"[- ]+", " ", frames[-1].group(0).lower()).rstrip("s") if frames else ""


def _sum_of_two(q: Quantity, abstract_quantities: Sequence[Quantity]) -> bool:
    """q may add up two figures of one sentence: "60% responded" for "32.5% complete and 27.5%
    partial responses", 2,388 patients for cohorts of "n = 1,402" and "n = 986". Not proof
    enough to call the figure given, but enough not to call it wrong."""
    by_sentence: dict[str, list[Quantity]] = {}
    for a in abstract_quantities:
        if a.kind == q.kind and a.high is None:
            by_sentence.setdefault(a.sentence, []).append(a)
    return any(restates(q.low, q.decimals, a.low + b.low, max(a.decimals, b.decimals))
               for figures in by_sentence.values() if len(figures) <= 8
               for i, a in enumerate(figures) for b in figures[i + 1:])


def _clashing_quantity(q: Quantity, abstract_quantities: Sequence[Quantity]) -> Quantity | None:
    """The abstract's number for the same thing, if it clearly is the same thing."""
    if q.approximate or not q.kind.startswith(_CLASHABLE) or _sum_of_two(q, abstract_quantities):
        return None
    # Percentage ranges in claims ("4.8% to 34.6%") summarise several studies;
    # ranges of time or dose ("12-18 months") are checkable.
    if q.high is not None and not q.kind.startswith(("duration:", "unit:")):
        return None
    # A specific unit (months, mg) already ties two numbers together; percentages
    # and counts need two shared words.
    needed = 1 if q.kind.startswith(("duration:", "unit:")) else 2
    claimed_frame = _time_frame(q)

    def other_time_frame(a: Quantity) -> bool:
        frame = _time_frame(a) if claimed_frame else ""
        return bool(frame) and frame != claimed_frame

    candidates = [
        (len((q.context & a.context) - GENERIC_CONTEXT), -abs(a.low - q.low), i, a)
        for i, a in enumerate(abstract_quantities)
        if a.kind == q.kind and not a.approximate and (a.high is None) == (q.high is None) and not other_time_frame(a)
    ]
    if not candidates:
        return None
    best_shared = max(c[0] for c in candidates)
    if best_shared < needed:
        return None
    best = [a for shared, _, _, a in candidates if shared == best_shared]
    if len({(a.low, a.high) for a in best}) > 1:
        # Figures equally close in wording: what each is a figure of, the words right after it,
        # may still single one out ("61% of the exercise group" against "41% of the exercise
        # group and 22% of controls").
        claimed_of = _figure_of(q)
        by_object = {}
        for a in best:
            by_object.setdefault(len(claimed_of & _figure_of(a)), []).append(a)
        closest = by_object[max(by_object)]
        # Otherwise ("from 3.8% (China) to 10.4% (Brazil)") which one the claim restates is a
        # guess, and a guess never makes a contradiction.
        if not max(by_object) or len({(a.low, a.high) for a in closest}) > 1:
            return None
        best = closest
    if q.kind.startswith("duration:") and any(
            shared >= needed and (a.sentence, a.clause) == (best[0].sentence, best[0].clause) and a.low != best[0].low
            for shared, _, _, a in candidates):
        # "5 days ... was non-inferior to 10 days": a clause comparing two durations is about
        # both; "three days" is a rival of neither in particular.
        return None
    return best[0]


def _figure_of(q: Quantity) -> frozenset[str]:
    """The first content words after a figure: what it is a figure of."""
    return frozenset(content_stems(q.sentence[q.start + len(q.text): q.start + len(q.text) + 40])[:3]) - GENERIC_CONTEXT
