"""From what was read to a ClaimVerdict: pure, and the one place that decides.

A quotation is held to the abstract's wording; a rule's clash wins over any model (it comes with a
checkable reason). Where no rule clashes, the entailment model decides: its reading of the claim
against each candidate passage (`ModelReading`) makes a claim CONTRADICTED only above the
contradiction threshold stored with the model (chosen on dev data for precision), SUPPORTED only
when a passage entails it above the entailment threshold and no passage stating a finding reads as
contradicting it above the veto threshold; partial support stays with the checks that can say why (a figure
missing, words the abstract never uses, "caused" for an association). Without a model reading the
lexical scorer decides supported against not supported, and its own "contradicted" is never enough
for CONTRADICTED.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..records import CANNOT_CHECK, CONTRADICTED, NOT_SUPPORTED, PARTIALLY_SUPPORTED, SUPPORTED, ClaimVerdict
from .context import ClaimContext
from .figures import as_given, is_given
from .quantities import quantities_in
from .rules import causal, title as title_rule
from .rules.clash import Clash
from .statements import WHAT_WAS_DONE, is_question
from .text import CITATION_BRACKETS

# Share of a claim's word 4-grams found in the abstract above which the claim
# is a quotation (allowing for a dropped bracket or a changed typographic quote).
QUOTATION_SHARE = 0.9
# A quotation long enough to be someone's words, not a scare-quoted term.
_QUOTED_WORDS = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{40,}?)[\"\u201d]")
# (the first few: each is a whole comparison of its own)
MAX_QUOTED_PASSAGES = 3


def without_reading(claim: str, abstract: str | None, title: str | None) -> ClaimVerdict | None:
    """The verdict when there is nothing to read: no claim, a question, or no abstract (though the
    title alone may show a clash); None when the claim is to be read beside the abstract."""
    if not CITATION_BRACKETS.sub(" ", claim).strip():
        return ClaimVerdict(CANNOT_CHECK, (), ("no claim text to check",), 0.0)
    if is_question(claim):
        return ClaimVerdict(CANNOT_CHECK, (), ("the claim is a question: it asserts nothing to check",), 0.0)
    if not abstract or not abstract.strip():
        if title and title.strip():
            clash = title_rule.check(CITATION_BRACKETS.sub(" ", claim), title.strip())
            if clash:
                return ClaimVerdict(CONTRADICTED, (clash.sentence,),
                                    (f"{clash.reason} (from the title; no abstract available)",), 0.0)
        return ClaimVerdict(CANNOT_CHECK, (), ("no abstract available",), 0.0)
    return None


def quoted_passages(claim: str) -> list[str]:
    """Words the page puts in quotation marks ('the authors concluded that "..."'): each is held to the
    abstract's wording like a copied abstract, before the claim is judged as a whole."""
    return _QUOTED_WORDS.findall(claim)[:MAX_QUOTED_PASSAGES]


def from_quoted_passages(passage_verdicts: Iterable[ClaimVerdict]) -> ClaimVerdict | None:
    """The first quoted passage the abstract does not bear out decides the claim; None if all hold."""
    for as_quoted in passage_verdicts:
        if as_quoted.verdict in (NOT_SUPPORTED, CONTRADICTED):
            return replace(as_quoted, reasons=tuple(f"in quotation marks: {r}" for r in as_quoted.reasons))
    return None


def scores_needed(context: ClaimContext, clashes: Sequence[Clash]) -> bool:
    """Whether `verdict` reads the scorer's probabilities: only where no rule clashed and the claim is
    not held to a quotation's wording."""
    return not clashes and not context.quotation and context.quoted_share < QUOTATION_SHARE


@dataclass(frozen=True)
class ModelReading:
    """An entailment model's probabilities for the claim against each candidate passage, and the
    thresholds stored with that model."""

    passages: tuple[tuple[str, Mapping[str, float]], ...]  # (passage, {"entailment": p, ...}), best match first
    coverages: tuple[float, ...]  # share of the claim's content stems in each passage
    # whether each passage states a finding: an aim or the background ("The study investigated the
    # safety of ...") is no finding for a claim to contradict, whatever the model reads into it
    findings: tuple[bool, ...]
    contradiction_threshold: float  # a model-only CONTRADICTED needs this much
    # ... from a passage with at least this share of the claim's words: a sentence about something
    # else (another figure of the study, another group) is no contradiction of the claim
    contradiction_coverage: float
    entailment_threshold: float  # SUPPORTED needs a passage entailing the claim this much
    veto_threshold: float  # no SUPPORTED over a passage read as contradicting the claim this much
    # ... that has at least this share of the claim's words (the model reads contradictions into
    # sentences about something else: "The study recruited 140 patients" against its conclusion)
    veto_coverage: float
    # the lexical scorer's "supported" stands when the model gives the claim at least this much
    # entailment (a paraphrase the model misses) and does not read it as contradicted
    lexical_floor: float

    def most(self, label: str, min_coverage: float = 0.0, findings_only: bool = False,
             shown: Collection[str] = ()) -> tuple[str, Mapping[str, float]]:
        """The passage read most as `label` among those with `min_coverage` of the claim's words (and
        those `shown`, whatever their coverage) that state a finding if `findings_only`."""
        eligible = [item for item, share, finding in zip(self.passages, self.coverages, self.findings)
                    if (share >= min_coverage or item[0] in shown) and (finding or not findings_only)]
        return max(eligible, key=lambda item: item[1][label], default=("", {"contradiction": 0.0, "entailment": 0.0}))


def reading_of(context: ClaimContext, passages, thresholds: Mapping[str, float]) -> ModelReading:
    """The model's reading of the claim of `context` against its candidate passages (in order)."""
    return ModelReading(tuple(passages), context.candidate_coverages, context.candidate_findings,
                        contradiction_threshold=thresholds["contradiction"],
                        contradiction_coverage=thresholds.get("contradiction_coverage", 0.0),
                        entailment_threshold=thresholds["entailment"], veto_threshold=thresholds["veto"],
                        veto_coverage=thresholds.get("veto_coverage", 0.0),
                        lexical_floor=thresholds.get("lexical_floor", 1.01))


def _model_verdict(context: ClaimContext, reading: ModelReading, reasons: list[str],
                   lexical_supported: bool) -> ClaimVerdict:
    score = context.score
    contradicting, against = reading.most("contradiction", reading.contradiction_coverage, findings_only=True)
    # As with the rules above, an aim or background sentence is no finding to bear out a claim of one
    # ("investigated its impact on quality of life" read as 22% entailing "quality of life dropped").
    entailing, towards = reading.most("entailment", findings_only=not WHAT_WAS_DONE.search(context.claim))
    reads_against = against["contradiction"] > against["entailment"]
    if reads_against and against["contradiction"] >= reading.contradiction_threshold:
        return ClaimVerdict(CONTRADICTED, _first(contradicting, context.evidence), (
            f"the abstract says otherwise: the entailment model reads this sentence as contradicting the claim "
            f"({against['contradiction']:.0%})", *reasons), score)
    # A sentence too far from the claim to accuse it (contradiction_coverage) can still be too near
    # to show SUPPORTED over (veto_coverage).
    # ... and a sentence the verdict quotes is near enough whatever its share of the claim's words:
    # SUPPORTED is never shown over a quoted sentence the model reads as contradicting the claim.
    vetoing, veto = reading.most("contradiction", reading.veto_coverage, findings_only=True,
                                 shown=(entailing, *context.evidence))
    vetoes = veto["contradiction"] > veto["entailment"] and veto["contradiction"] >= reading.veto_threshold
    if towards["entailment"] >= reading.entailment_threshold or (
            lexical_supported and towards["entailment"] >= reading.lexical_floor and not vetoes):
        if vetoes and vetoing != entailing:
            return ClaimVerdict(NOT_SUPPORTED, _first(entailing, (vetoing,)), (
                "one sentence of the abstract bears the claim out but another reads as contradicting it "
                f"({veto['contradiction']:.0%})", *reasons), score)
        overreach = causal.check(context)
        if overreach:
            return ClaimVerdict(PARTIALLY_SUPPORTED, _first(overreach.sentence, (entailing, *context.evidence)),
                                (overreach.reason, *reasons), score)
        if context.numbers.missing:
            return ClaimVerdict(PARTIALLY_SUPPORTED, _first(entailing, context.evidence),
                                ("parts of the claim match the abstract", *reasons), score)
        given = context.numbers.given
        agreement = "abstract agrees" + (" and gives " + ", ".join(as_given(q, context.numbers) for q in given) if given else "")
        return ClaimVerdict(SUPPORTED, _first(entailing, context.evidence),
                            (f"{agreement} (the entailment model reads this sentence as saying it, {towards['entailment']:.0%})",),
                            score)
    if reads_against and against["contradiction"] >= reading.veto_threshold:
        reasons.insert(0, "the closest sentence of the abstract seems to say otherwise, though not clearly enough to call "
                          f"the claim contradicted ({against['contradiction']:.0%})")
        return ClaimVerdict(NOT_SUPPORTED, _first(contradicting, context.evidence), tuple(reasons), score)
    return ClaimVerdict(NOT_SUPPORTED, _first(entailing, context.evidence),
                        tuple(reasons) or ("no sentence of the abstract says what the claim says",), score)


def _first(sentence: str, others: Iterable[str]) -> tuple[str, ...]:
    """The sentence a verdict rests on, then the other evidence, each once, at most three."""
    return tuple(dict.fromkeys([sentence, *others]))[:3]


def _quote(words: tuple[str, ...]) -> str:
    return ", ".join(f'"{w}"' for w in words[:4])


def _altered_quotation(context: ClaimContext) -> ClaimVerdict:
    """The abstract's wording with a figure of its own: the quoted sentence's figure that the claim
    dropped, when there is just one of the changed figure's kind, is what the claim replaced."""
    numbers, quoted = context.numbers, context.quoted_share
    claimed = numbers.given + numbers.missing
    sentence = max(context.evidence, key=lambda s: sum(q.text in s for q in numbers.given), default="")
    dropped = [a for a in quantities_in(sentence) if not any(is_given(c, [a]) for c in claimed)]
    changed = numbers.missing
    replaced = [a for a in dropped if a.kind == changed[0].kind]
    if len(changed) == 1 and len(replaced) == 1:
        return ClaimVerdict(CONTRADICTED, (sentence,), (
            f"the claim quotes the abstract ({quoted:.0%} of its wording) but says {changed[0].text} "
            f"where the abstract gives {replaced[0].text}",), context.score)
    return ClaimVerdict(NOT_SUPPORTED, context.evidence, (
        f"the claim quotes the abstract ({quoted:.0%} of its wording) but the abstract never gives "
        + ", ".join(q.text for q in changed),), context.score)


def verdict(context: ClaimContext, clashes: Sequence[Clash], probabilities: Mapping[str, float] | None,
            reading: ModelReading | None = None) -> ClaimVerdict:
    """The verdict on a claim read beside its abstract. `probabilities` (the lexical scorer's, by
    class) and `reading` (the entailment model's) are read only where `scores_needed` says so, and
    may be None elsewhere; with a reading the entailment model decides."""
    quoted, numbers, score = context.quoted_share, context.numbers, context.score
    if quoted >= QUOTATION_SHARE and not clashes:
        if numbers.missing:
            return _altered_quotation(context)
        return ClaimVerdict(SUPPORTED, context.evidence,
                            (f"the claim quotes the abstract ({quoted:.0%} of its wording is the abstract's)",), score)
    if context.quotation and not clashes:
        return ClaimVerdict(NOT_SUPPORTED, context.evidence,
                            (f"presented as the work's own words, but only {quoted:.0%} of its wording is in the abstract",),
                            score)
    if clashes:
        # Quote the sentences that show each clash first, then the rest of the evidence.
        evidence = tuple(dict.fromkeys([c.sentence for c in clashes] + list(context.evidence)))
        reasons = [c.reason for c in clashes]
        unmatched = [q.text for q in numbers.missing if not any(q.text in r for r in reasons)]
        if unmatched:
            reasons.append("the abstract never gives " + ", ".join(unmatched))
        return ClaimVerdict(CONTRADICTED, evidence[:3], tuple(reasons), score)

    if not context.evidence_states_finding and context.evidence and not WHAT_WAS_DONE.search(context.claim):
        # "Most patients died" beside "We aimed to describe the outcomes of ...": the words are the
        # study's, the finding is not
        return ClaimVerdict(NOT_SUPPORTED, context.evidence, (
            "the abstract's closest sentences give its background or aims, not a finding that says this",), score)
    if context.substitution:
        said, written, sentence = context.substitution
        return ClaimVerdict(NOT_SUPPORTED, _first(sentence, context.evidence), (
            f'the claim follows the abstract\'s wording but says "{said}" where the abstract says "{written}"',), score)
    reasons = []
    if numbers.missing:
        reasons.append("the abstract never gives " + ", ".join(q.text for q in numbers.missing))
    if context.missing_words:
        reasons.append("abstract does not mention " + _quote(context.missing_words))
    lexical_supported = probabilities["supported"] > probabilities["not_supported"]
    # Where the rules found each of the claim's figures in the abstract, with no clash, they speak for
    # the claim: the model, which reads figures poorly ("One hundred and forty patients" against "140
    # patients"; "1 in 543" against "1:543"), does not overrule them.
    figures_found = bool(numbers.given) and not numbers.missing
    if reading is not None and not (figures_found and lexical_supported):
        return _model_verdict(context, reading, reasons, lexical_supported)

    if lexical_supported:
        overreach = causal.check(context)
        if overreach:
            return ClaimVerdict(PARTIALLY_SUPPORTED, (overreach.sentence,) + tuple(e for e in context.evidence if e != overreach.sentence),
                                (overreach.reason, *reasons), score)
        if numbers.missing or context.coverage_abstract < 0.6:
            return ClaimVerdict(PARTIALLY_SUPPORTED, context.evidence,
                                ("parts of the claim match the abstract", *reasons), score)
        given = numbers.given
        agreement = "abstract agrees" + (" and gives " + ", ".join(as_given(q, numbers) for q in given) if given else "")
        return ClaimVerdict(SUPPORTED, context.evidence, (agreement,), score)
    if probabilities["contradicted"] > probabilities["not_supported"]:
        # The lexical model never reaches the precision CONTRADICTED needs: on
        # held-out training folds its confident contradictions were right no
        # more often than the base rate (about 1 in 3), so without a rule-based
        # clash its suspicion is reported as "not supported", with why.
        departure = ("the closest abstract sentences do not say what the claim says"
                     + (" (one is negated where the other is not)" if context.negation_mismatch else ""))
        reasons.insert(0, departure)
    return ClaimVerdict(NOT_SUPPORTED, context.evidence,
                        tuple(reasons) or ("abstract does not address the claim",), score)
