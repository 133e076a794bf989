"""Compare what a document says a study found with what the study's abstract says.

``compare(claim, abstract, title=None, quotation=False)`` returns a ClaimVerdict whose reasons a
fact-checker can read and whose evidence sentences are quoted verbatim from the abstract;
``compare_many`` does the same for a batch (a document's claims), reading each distinct abstract
once and each distinct comparison once. The package is also callable: ``refcheck.compare(claim,
abstract)`` is ``compare``.

How a claim is judged:

1. the abstract is analysed once (abstract.py: sentences, stems, figures, stated group sizes,
   retrieval statistics, which sentences state findings);
2. the claim is read beside it (context.py): the 1-3 sentences that bear on it (BM25 over the
   abstract's own sentences plus a bonus for shared figures), the sentences it paraphrases, which of
   its figures the abstract gives;
3. the rules (rules/) look for a mismatch they can prove: figures, sample size, who was studied,
   design, direction of effect, certainty, significance, groups ...;
4. where no rule clashes, a scorer (scorers/) weighs supported against not supported;
5. verdict.py turns all of it into the verdict. A rule's clash always wins over a model, because it
   comes with a checkable reason.

Everything here is pure and deterministic; the only I/O is reading the model file once, lazily.
Standard library only, so the runtime stays light.
"""
from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ..records import ClaimVerdict
from . import rules, verdict
from .abstract import analyse_abstract
from .context import ClaimContext, claim_context
from .rules.clash import Clash
from .scorers import Scorer
from .scorers.lexical import LexicalScorer

_LEXICAL: Scorer[tuple[ClaimContext, Sequence[Clash]]] = LexicalScorer()


class Comparison(NamedTuple):
    """One claim to judge against one abstract. A plain (claim, abstract, title, quotation) tuple
    is the same comparison."""

    claim: str
    abstract: str | None
    title: str | None = None
    # The page presents the claim as the work's own words (a copied abstract under its reference):
    # it is held to the abstract's wording, not its gist.
    quotation: bool = False


def compare(claim: str, abstract: str | None, title: str | None = None, quotation: bool = False) -> ClaimVerdict:
    """Judge whether the abstract (or failing that the title) supports the claim.

    `quotation`: the page presents the claim as the work's own words. A quotation is held to its
    wording, not its gist: one the abstract does not contain is not supported, however close its topic.
    """
    return compare_many([Comparison(claim, abstract, title, quotation)])[0]


def compare_many(items: Iterable[tuple], progress: Callable[[int, int], None] | None = None) -> list[ClaimVerdict]:
    """The verdict on each comparison, in order: Comparison or (claim, abstract[, title[, quotation]])
    tuples. Each distinct comparison is judged once, each distinct (abstract, title) analysed once.
    `progress(done, total)` is told how many distinct comparisons are judged: at the start, then as
    each is read."""
    comparisons = [Comparison(*item) for item in items]
    distinct = list(dict.fromkeys(comparisons))
    passages = {c: [Comparison(words, c.abstract, c.title, True) for words in verdict.quoted_passages(c.claim)]
                if not c.quotation and verdict.without_reading(c.claim, c.abstract, c.title) is None else []
                for c in distinct}
    as_quoted = _judge(list(dict.fromkeys(p for found in passages.values() for p in found)))
    decided = {c: verdict.from_quoted_passages(as_quoted[p] for p in passages[c]) for c in distinct}
    undecided = [c for c in distinct if decided[c] is None]
    already = len(distinct) - len(undecided)

    def judged(count: int) -> None:
        progress(already + count, len(distinct))

    if progress and distinct:
        progress(already, len(distinct))
    decided.update(_judge(undecided, judged if progress else None))
    return [decided[c] for c in comparisons]


def _judge(comparisons: list[Comparison], judged: Callable[[int], None] | None = None) -> dict[Comparison, ClaimVerdict]:
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
    scores = iter(_LEXICAL.score([(context, clashes) for _, context, clashes in read
                                  if verdict.scores_needed(context, clashes)]))
    for c, context, clashes in read:
        verdicts[c] = verdict.verdict(context, clashes, next(scores) if verdict.scores_needed(context, clashes) else None)
    return verdicts


class _CallableModule(types.ModuleType):
    """Importing this package (as the pipeline does) sets the attribute refcheck.compare to the
    package, where users call the function refcheck.compare(claim, abstract): the package calls it."""

    def __call__(self, claim: str, abstract: str | None, title: str | None = None, quotation: bool = False) -> ClaimVerdict:
        return compare(claim, abstract, title, quotation)


sys.modules[__name__].__class__ = _CallableModule
