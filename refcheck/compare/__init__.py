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
4. where no rule clashes, the entailment model (scorers/entailment.py, an ONNX sentence-pair
   classifier refcheck trained and uses by default, or one given with --nli-model) reads the claim
   against the best-matching passages, a pair at a time so that a pair's reading never depends on
   the others; the lexical scorer (scorers/lexical.py) is the fallback when no model is used
   (``nli_model="none"``);
5. verdict.py turns all of it into the verdict. A rule's clash always wins over a model, because it
   comes with a checkable reason.

The rules and verdict are pure and deterministic. The model loads lazily, on the first claim that
needs it, and a VerdictCache (verdict_cache.py) lets a warm run skip the comparison altogether.
"""
from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..records import ClaimVerdict

from .model_choice import BUILTIN_MODEL, DEFAULT_MODEL, NO_MODEL, entailment_scorer  # noqa: F401 (the package's names)

# The rules, the analysis and the scorers load only when something is compared (a run whose citations
# carry no claim, or `refcheck --help`, never needs them).
# names the package gives from modules it loads on first use (a warm run may never load judge.py)
_LOADED_ON_USE = {"compare": "batch", "compare_many": "batch", "comparer_version": "batch", "Comparison": "batch",
                  "_LEXICAL": "judge"}


def __getattr__(name: str):
    if name in _LOADED_ON_USE:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LOADED_ON_USE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallableModule(types.ModuleType):
    """Importing this package (as the pipeline does) sets the attribute refcheck.compare to the
    package, where users call the function refcheck.compare(claim, abstract): the package calls it."""

    def __call__(self, claim: str, abstract: str | None, title: str | None = None, quotation: bool = False, *,
                 nli_model: str | None = None) -> ClaimVerdict:
        from .batch import compare

        return compare(claim, abstract, title, quotation, nli_model=nli_model)


sys.modules[__name__].__class__ = _CallableModule
