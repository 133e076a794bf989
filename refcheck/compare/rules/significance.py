"""Significance: the claim calls a finding significant that the abstract reports as not significant
(a p-value of 0.05 or more, an interval spanning no effect, "did not differ significantly")."""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..context import ClaimContext
from ..findings import NEGATION_BRIDGE, Direction, directions_in, findings_in, same_change
from ..text import GENERIC_CONTEXT, STOPWORDS, content_stems, stem
from .clash import Clash


_CLAIMED_SIGNIFICANCE = re.compile(r"(?<!not )(?<!no )(?<!non-)(?<!non)\b(?<!not statistically )(?<!no statistically )"
                                   r"(?:statistically )?significant(?:ly)?\b", re.I)
_NOT_SIGNIFICANT = re.compile(
    r"\b(?:not (?:statistically )?significant\w*|non-?significant\w*|did not reach (?:statistical )?significance|"
    r"(?:was|were) not significantly)\b", re.I)
# A ratio's confidence interval: "(RR 0.94, 95% CI 0.78-1.10)" includes 1, no significant difference.
# ("HR 0.94 (95% CI 0.78-1.10)", "(HR, 0.94; 95% CI, 0.78 to 1.10)", "hazard ratio 0·94, 95% CI 0·78–1·10")
_RATIO_INTERVAL = re.compile(
    r"(?<![\w.])(?:a?[HOR]R|IRR|(?i:(?:hazard|odds|risk|rate) ratio))\b(?:[^.]|\.(?=\d)){0,30}?\bCI\b[\s:,=]*+"
    r"((?>\d+(?:[.·]\d+)?|[.·]\d+))\s*+(?:-|–|to|,)\s*+((?>\d+(?:[.·]\d+)?|[.·]\d+))")
_P_VALUE = re.compile(r"\bp\s*(=|>=|<=|>|<|≥|≤)\s*(0?\.\d+)", re.I)


# (", although this was not significant" is still about the same finding)
_FINDING_BREAK = re.compile(
    r";|(?<![\s,]),?\s+(?:although|but|whereas|while)\b(?!\s+(?:this|it|that|the (?:difference|effect|change|increase|reduction|"
    r"association) (?:was|were|is|did))\b)|\)\s+and\b", re.I)


def _finding_clause(sentence: str, finding: Direction) -> str:
    """The part of the sentence from the finding's wording to the next finding's."""
    end = _FINDING_BREAK.search(sentence, finding.position)
    part = sentence[finding.position: end.start() if end else len(sentence)]
    if part.count("(") > part.count(")"):
        # A break inside the finding's brackets ("(HR, 0.94; 95% CI, 0.78 to 1.10)") is no break.
        closing = sentence.find(")", finding.position + len(part))
        part = sentence[finding.position: closing + 1 if closing >= 0 else len(sentence)]
    return part


def _number(text: str) -> float:
    return float(text.replace("·", "."))


def _significance_clash(claim: str, sentences: Sequence[str]) -> Clash | None:
    """The claim calls a finding significant that the abstract reports, same way round, as not
    significant ("reduced pain (p = 0.08)"), and no sentence calls it significant."""
    if not _CLAIMED_SIGNIFICANCE.search(claim):
        return None
    for c in (d for d in directions_in(claim) if d.axis != "null"):
        # Each finding with its own part of the sentence: "significantly reduced average pain,
        # although the reduction in burning pain was not significant" holds two findings.
        reported = [(s, _finding_clause(s, d)) for s in sentences for d in directions_in(s)
                    if d.axis == c.axis and d.sign == c.sign and same_change(c, d)]
        if not reported or any(_CLAIMED_SIGNIFICANCE.search(part) and not _NOT_SIGNIFICANT.search(part)
                               for _, part in reported):
            continue
        for sentence, part in reported:
            # The finding's own p-value: the first one after its wording ("reduced pain (p=0.08) and
            # improved function (p=0.01)").
            p_value = _P_VALUE.search(part)
            if p_value and p_value.group(1) in ("=", ">", ">=", "≥") and float(p_value.group(2)) >= 0.05:
                return Clash(f'claim says "{_CLAIMED_SIGNIFICANCE.search(claim).group(0)}"; the abstract gives '
                             f'{p_value.group(0)}', sentence)
            interval = _RATIO_INTERVAL.search(part)
            if interval and not p_value and _number(interval.group(1)) < 1 < _number(interval.group(2)):
                return Clash(f'claim says "{_CLAIMED_SIGNIFICANCE.search(claim).group(0)}"; the abstract gives '
                             f'{interval.group(0).strip()}: the interval includes 1', sentence)
            not_significant = _NOT_SIGNIFICANT.search(part)
            if not_significant and not p_value:
                return Clash(f'claim says "{_CLAIMED_SIGNIFICANCE.search(claim).group(0)}"; the abstract says '
                             f'"{not_significant.group(0)}"', sentence)
    return None


# A difference whose interval spans 0: "between-group difference 7.2; 95% CI -1.9 to 16.3".
# (numbers atomic and spaces possessive: a run of digits or spaces must not be split every way)
_INTERVAL_SPANNING_ZERO = re.compile(
    r"\bCI\b[\s:,=]*+[(\[]?\s*+(-|−|–)\s?(?>\d+(?:[.·]\d+)?|[.·]\d+)\s*+(?:to|,|;)\s*+(?>\d+(?:[.·]\d+)?|[.·]\d+)")
_NOT_SIGNIFICANT_FIGURES = re.compile(rf"{_P_VALUE.pattern}|{_RATIO_INTERVAL.pattern}|{_INTERVAL_SPANNING_ZERO.pattern}", re.I)


_SIGNIFICANCE_WORD = re.compile(r"\b(?:statistically )?(?:significant(?:ly)?|significance)\b", re.I)
_NEGATED_BEFORE = re.compile(r"(?P<negation>\b(?:not|no|non|never|nor|neither|without|fail\w*)|n't)\b(?:[\s-]+[\w-]+){0,4}[\s-]*$", re.I)


_SIGNIFICANCE_BRIDGE = NEGATION_BRIDGE | frozenset(
    "differ differed change changed reach reached achieve achieved play role appear appeared attain statistical "
    "produce produced yield yielded provide provided make made "
    "improve improved reduce reduced increase increased affect affected alter altered lower lowered".split())


def _significance_words(text: str) -> list[tuple[re.Match[str], re.Match[str] | None]]:
    """Each "significant(ly)" in the text with the negation before it, if any ("did not differ
    significantly", "no statistically significant", "non-significant", "did not reach significance")."""
    found = []
    for match in _SIGNIFICANCE_WORD.finditer(text):
        negation = _NEGATED_BEFORE.search(text, max(0, match.start() - 40), match.start())
        # Only words that carry a negation on to "significant" may stand between: "did not differ
        # significantly", "don't appear to play a significant role"; not "non-smokers the drug
        # significantly", "not only significantly".
        between = re.findall(r"[\w']+", text[negation.end("negation"): match.start()].lower()) if negation else []
        if negation and not all(word in _SIGNIFICANCE_BRIDGE for word in between):
            negation = None
        found.append((match, negation))
    return found


def _negated_significance(text: str) -> str:
    """The first negated "significant(ly)" with its negation: "did not differ significantly"."""
    return next((text[negation.start(): match.end()] for match, negation in _significance_words(text) if negation), "")


def _statistical_verdict(sentence: str) -> str | None:
    """'significant' if the sentence reports any finding as significant (p below 0.05, a ratio CI
    clear of 1, "significantly"), 'not significant' if it reports statistics or null findings and all
    of them are not, None if it reports neither."""
    verdicts = [negation is not None for _, negation in _significance_words(sentence)]
    for p_value in _P_VALUE.finditer(sentence):
        below = p_value.group(1) in ("<", "<=", "≤") or float(p_value.group(2)) < 0.05
        verdicts.append(not (below and float(p_value.group(2)) <= 0.05))
    for interval in _RATIO_INTERVAL.finditer(sentence):
        verdicts.append(_number(interval.group(1)) < 1 < _number(interval.group(2)))
    verdicts += [True for _ in _INTERVAL_SPANNING_ZERO.finditer(sentence)]
    findings = findings_in(sentence)
    if findings and all(d.axis == "null" for d in findings):
        # "Rates of preterm birth (9.1% vs 8.4%) were similar": a null finding and nothing else.
        verdicts.append(True)
    if not verdicts:
        return None
    return "not significant" if all(verdicts) else "significant"


_BASELINE = re.compile(r"\bat baseline\b|\bbaseline (?:characteristics|values|scores|levels)\b", re.I)


# Words before a measure that summarise it rather than narrow it: "mean depression scores".
_SUMMARY_WORDS = frozenset("mean median average total overall absolute relative adjusted crude".split())


def _narrower(sentence: str, changed: set[str], claim_stems: set[str]) -> bool:
    """The sentence names what changed with a word in front the claim does not have."""
    # (as written: a measure's abbreviated name, "CDRS-R scores", narrows nothing)
    words = re.findall(r"[A-Za-z][\w'-]*", sentence)
    for i, word in enumerate(words):
        if stem(word.lower()) in changed:
            before = words[i - 1] if i else ""
            plain = before.lower()
            return len(before) >= 4 and before[1:].islower() and plain not in STOPWORDS and plain not in _SUMMARY_WORDS \
                and stem(plain) not in claim_stems and stem(plain) not in changed
    return False


_TIME_POINT_PHRASE = re.compile(
    r"\b(?:at|by|after|within) (?:(?:day|week|month|year)s? \d+|\d+ (?:days?|weeks?|months?|years?))\b|"
    r"\b\d+-(?:day|week|month|year)\b", re.I)


def _other_time_point(sentence: str, claim: str) -> bool:
    """The sentence reports a time point the claim does not name ("At 2 weeks, scores did not
    differ" for a claim about 8 weeks, or about no time at all): it may be another result than the
    claim's."""
    claimed = {m.group(0).lower() for m in _TIME_POINT_PHRASE.finditer(claim)}
    return any(m.group(0).lower() not in claimed for m in _TIME_POINT_PHRASE.finditer(sentence))


def _significance_unborne(claim: str, sentences: Sequence[str]) -> Clash | None:
    """The claim calls a finding significant; the one sentence of the abstract about it reports
    only statistics that are not (p >= 0.05, an interval spanning no effect, "did not differ
    significantly"), and no sentence about it reports one that is. "About it": two words of the
    claim, one of them what the claim says changed."""
    claimed = _CLAIMED_SIGNIFICANCE.search(claim)
    if not claimed or any(negation for _, negation in _significance_words(claim)):
        # ("did not produce significantly greater weight loss" claims no significance)
        return None
    claim_stems = set(content_stems(claim)) - GENERIC_CONTEXT - {stem("significantly"), stem("significant")}
    changed = {s for d in findings_in(claim) if d.axis != "null" for s in d.changed}
    heads = {d.head for d in findings_in(claim) if d.axis != "null" and d.head}
    # (or just what changed, when it is the one word they share: "reduced diarrhoea" against
    # "Diarrhoea was reported by 12% and 18% (p=0.16)")
    about = [s for s in sentences if (shared := claim_stems & set(content_stems(s)))
             and (len(shared) >= 2 and changed & shared or shared <= heads) and not _BASELINE.search(s)]
    verdicts = [(_statistical_verdict(s), s) for s in about]
    if not changed or any(v == "significant" for v, _ in verdicts):
        return None
    # A sentence about a narrower measure ("Diastolic blood pressure" for "blood pressure") is not about it.
    unborne = [s for v, s in verdicts if v == "not significant" and not _narrower(s, changed, claim_stems)
               and not _other_time_point(s, claim)]
    if len(unborne) != 1:
        return None
    figures = _NOT_SIGNIFICANT_FIGURES.search(unborne[0])
    null = next((d.phrase for d in findings_in(unborne[0]) if d.axis == "null"), "")
    shown = figures.group(0).strip() if figures else _negated_significance(unborne[0]) or null
    return Clash(f'claim says "{claimed.group(0)}"; the abstract reports it as not significant ("{shown}")', unborne[0])


def check(context: ClaimContext) -> Clash | None:
    """Read only on the claim's topic, and only from sentences that report this study's findings."""
    if not context.on_topic:
        return None
    findings = context.abstract.finding_sentences
    return _significance_clash(context.claim, findings) or _significance_unborne(context.claim, findings)
