"""Judging comparisons in batches: each distinct abstract analysed once, each distinct comparison
judged once, the rules first, then one batch for the lexical scorer and one for the entailment model;
verdicts remembered in a VerdictCache. `refcheck.compare` exposes compare and compare_many from here."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ..records import ClaimVerdict
from . import rules, verdict
from .abstract import analyse_abstract
from .context import ClaimContext, claim_context
from .model_choice import entailment_scorer
from .quantities import in_digits
from .rules.clash import Clash
from .scorers import Scorer
from .scorers.lexical import LexicalScorer
from .verdict_cache import VerdictCache, rules_version, verdict_key

_LEXICAL: Scorer[tuple[ClaimContext, Sequence[Clash]]] = LexicalScorer()


def comparer_version(scorer) -> str:
    """What a verdict depends on besides its inputs: the rules' code and the model with its thresholds."""
    if scorer is None:
        return f"{rules_version()}+{_LEXICAL.version}"
    thresholds = ",".join(f"{k}={v}" for k, v in sorted(scorer.thresholds.items()))
    return f"{rules_version()}+{scorer.version}+{thresholds}"


class Comparison(NamedTuple):
    """One claim to judge against one abstract. A plain (claim, abstract, title, quotation) tuple
    is the same comparison."""

    claim: str
    abstract: str | None
    title: str | None = None
    # The page presents the claim as the work's own words (a copied abstract under its reference):
    # it is held to the abstract's wording, not its gist.
    quotation: bool = False


def compare(claim: str, abstract: str | None, title: str | None = None, quotation: bool = False, *,
            nli_model: str | None = None) -> ClaimVerdict:
    """Judge whether the abstract (or failing that the title) supports the claim.

    `quotation`: the page presents the claim as the work's own words. A quotation is held to its
    wording, not its gist: one the abstract does not contain is not supported, however close its topic.
    `nli_model`: "builtin" for refcheck's own entailment model, a model directory or Hugging Face id,
    or "none" for the rules and the lexical scorer alone; None for the default (DEFAULT_MODEL).
    """
    return compare_many([Comparison(claim, abstract, title, quotation)], nli_model=nli_model)[0]


def compare_many(items: Iterable[tuple], progress: Callable[[int, int], None] | None = None, *,
                 nli_model: str | None = None, scorer=None, verdict_cache: VerdictCache | None = None) -> list[ClaimVerdict]:
    """The verdict on each comparison, in order: Comparison or (claim, abstract[, title[, quotation]])
    tuples. Each distinct comparison is judged once, each distinct (abstract, title) analysed once.
    `progress(done, total)` is told how many distinct comparisons are judged: at the start, then as
    each is read. `scorer` (an entailment scorer already made, or False for none) overrides
    `nli_model`; verdicts found in `verdict_cache` are not judged again, and the new ones are stored there."""
    comparisons = [Comparison(*item) for item in items]
    if scorer is None:
        scorer = entailment_scorer(nli_model)
    scorer = scorer or None
    distinct = list(dict.fromkeys(comparisons))
    keys, cached = {}, {}
    if verdict_cache is not None:
        version = comparer_version(scorer)
        keys = {c: verdict_key(c.claim, c.abstract, c.title, c.quotation, version) for c in distinct}
        stored = verdict_cache.get_many(keys.values())
        cached = {c: stored[keys[c]] for c in distinct if keys[c] in stored}
        distinct = [c for c in distinct if c not in cached]
    passages = {c: [Comparison(words, c.abstract, c.title, True) for words in verdict.quoted_passages(c.claim)]
                if not c.quotation and verdict.without_reading(c.claim, c.abstract, c.title) is None else []
                for c in distinct}
    as_quoted = _judge(list(dict.fromkeys(p for found in passages.values() for p in found)), scorer)
    decided = {c: verdict.from_quoted_passages(as_quoted[p] for p in passages[c]) for c in distinct}
    undecided = [c for c in distinct if decided[c] is None]
    already = len(distinct) - len(undecided)

    def judged(count: int) -> None:
        progress(already + count, len(distinct))

    if progress and distinct:
        progress(already, len(distinct))
    decided.update(_judge(undecided, scorer, judged if progress else None))
    if verdict_cache is not None:
        verdict_cache.put_many({keys[c]: decided[c] for c in distinct})
    decided.update(cached)
    return [decided[c] for c in comparisons]


def _judge(comparisons: list[Comparison], scorer=None, judged: Callable[[int], None] | None = None) -> dict[Comparison, ClaimVerdict]:
    """Each comparison's verdict, quoted passages aside: the rules first, then one batch for the
    scorer. `judged(count)` is told how many comparisons are through the rules so far."""
    verdicts: dict[Comparison, ClaimVerdict] = {}
    by_abstract: dict[tuple[str, str | None], list[Comparison]] = {}
    for c in comparisons:
        unread = verdict.without_reading(c.claim, c.abstract, c.title)
        if unread is None:
            by_abstract.setdefault((c.abstract, c.title), []).append(c)
        else:
            verdicts[c] = unread
    if judged and verdicts:
        judged(len(verdicts))
    read = []
    # (an abstract's claims together, so its sentences' cached findings are still there for the next)
    for (abstract, title), group in by_abstract.items():
        analysis = analyse_abstract(abstract, title)
        for c in group:
            context = claim_context(c.claim, analysis, c.quotation)
            read.append((c, context, rules.clashes(context)))
            if judged:
                judged(len(verdicts) + len(read))
    needing = [(context, clashes) for _, context, clashes in read if verdict.scores_needed(context, clashes)]
    scores = iter(_LEXICAL.score(needing))
    readings = iter(_model_readings(scorer, [context for context, _ in needing]))
    for c, context, clashes in read:
        if verdict.scores_needed(context, clashes):
            verdicts[c] = verdict.verdict(context, clashes, next(scores), next(readings))
        else:
            verdicts[c] = verdict.verdict(context, clashes, None)
    return verdicts


def model_pairs(context: ClaimContext) -> list[tuple[str, str]]:
    """The (passage, claim) pairs the entailment model reads for a claim: one per candidate passage,
    figures in words written in digits on both sides (the model reads "One hundred and forty
    patients" against "140 patients" as a contradiction)."""
    claim = in_digits(context.claim)
    return [(in_digits(passage), claim) for passage in context.candidates]


def _model_readings(scorer, contexts: Sequence[ClaimContext]) -> list[verdict.ModelReading | None]:
    """The entailment model's reading of each claim against its candidate passages, all in one batch."""
    if scorer is None:
        return [None] * len(contexts)
    probabilities = iter(scorer.score([pair for context in contexts for pair in model_pairs(context)]))
    thresholds = scorer.thresholds
    readings = []
    for context in contexts:
        passages = tuple((passage, next(probabilities)) for passage in context.candidates)
        readings.append(verdict.reading_of(context, passages, thresholds) if passages else None)
    return readings
