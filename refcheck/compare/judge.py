"""Judging distinct comparisons: quoted passages first, then the rules per abstract (each distinct
abstract analysed once), then one batch for the lexical scorer and the entailment model's reading of
each claim's candidate passages."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from ..records import ClaimVerdict
from . import rules, verdict
from .abstract import analyse_abstract
from .comparison import Comparison
from .context import ClaimContext, claim_context
from .quantities import in_digits
from .rules.clash import Clash
from .scorers import Scorer
from .scorers.lexical import LexicalScorer

_LEXICAL: Scorer[tuple[ClaimContext, Sequence[Clash]]] = LexicalScorer()


def verdicts_for(distinct: list[Comparison], scorer, progress: Callable[[int, int], None] | None) -> dict[Comparison, ClaimVerdict]:
    """The verdict on each of the distinct comparisons. `progress(done, total)` is told how many are
    judged: at the start, then as each is read."""
    passages = {c: [Comparison(words, c.abstract, c.title, True) for words in verdict.quoted_passages(c.claim)]
                if not c.quotation and verdict.without_reading(c.claim, c.abstract, c.title) is None else []
                for c in distinct}
    as_quoted = _judge(list(dict.fromkeys(p for found in passages.values() for p in found)), scorer)
    decided = {c: verdict.from_quoted_passages(as_quoted[p] for p in passages[c]) for c in distinct}
    undecided = [c for c in distinct if decided[c] is None]
    already = len(distinct) - len(undecided)

    def read_so_far(count: int) -> None:
        progress(already + count, len(distinct))

    if progress and distinct:
        progress(already, len(distinct))
    decided.update(_judge(undecided, scorer, read_so_far if progress else None))
    return decided


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
    """The entailment model's reading of each claim against its candidate passages: one call to the scorer
    for all of them (which reads each pair alone)."""
    if scorer is None:
        return [None] * len(contexts)
    probabilities = iter(scorer.score([pair for context in contexts for pair in model_pairs(context)]))
    thresholds = scorer.thresholds
    readings = []
    for context in contexts:
        passages = tuple((passage, next(probabilities)) for passage in context.candidates)
        readings.append(verdict.reading_of(context, passages, thresholds) if passages else None)
    return readings
