"""Comparisons in batches: each distinct comparison judged once (judge.py), verdicts remembered in a
VerdictCache. `refcheck.compare` exposes compare and compare_many from here. Light on purpose: a warm
run whose verdicts all come from the cache never imports the rules (judge.py and what it reads)."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..records import ClaimVerdict
from .comparison import Comparison
from .model_choice import entailment_scorer
from .verdict_cache import VerdictCache, rules_version, verdict_key


def comparer_version(scorer) -> str:
    """What a verdict depends on besides its inputs: the rules' code (with the lexical scorer's stumps,
    which rules_version digests too) and the model with its thresholds."""
    if scorer is None:
        return rules_version()
    thresholds = ",".join(f"{k}={v}" for k, v in sorted(scorer.thresholds.items()))
    return f"{rules_version()}+{scorer.version}+{thresholds}"


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
    if distinct:
        from .judge import verdicts_for

        decided = verdicts_for(distinct, scorer, progress)
    else:
        decided = {}
    if verdict_cache is not None:
        verdict_cache.put_many({keys[c]: decided[c] for c in distinct})
    decided.update(cached)
    return [decided[c] for c in comparisons]
