"""Which entailment scorer a --nli-model value means ("none", "builtin", a directory, a Hugging Face
id), made once per model and process. Light on purpose: the pipeline asks before any lookup."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

# --nli-model's values for the rules and the lexical scorer alone, and for refcheck's own model
NO_MODEL = "none"
BUILTIN_MODEL = "builtin"
# What an unset --nli-model (and an unset REFCHECK_NLI_MODEL) means. refcheck's own model: its
# thresholds are chosen so that fewer misrepresented claims pass as SUPPORTED than under the rules
# alone, for about the same macro-F1 (README, "The entailment model").
DEFAULT_MODEL = BUILTIN_MODEL
MODEL_ENVIRONMENT_VARIABLE = "REFCHECK_NLI_MODEL"


def chosen_model(nli_model: str | None = None) -> str:
    """The --nli-model value in force: the one given, else $REFCHECK_NLI_MODEL, else DEFAULT_MODEL; the
    same for refcheck.compare as for a whole run, so both give one verdict."""
    return nli_model or os.environ.get(MODEL_ENVIRONMENT_VARIABLE) or DEFAULT_MODEL


def entailment_scorer(nli_model: str | None = None, cache_dir: str | None = None, offline: bool = False):
    """The entailment scorer for `nli_model` (None: `chosen_model`'s; "builtin": refcheck's own; "none":
    no model, None returned), one per model and process, so a model loads once however many runs use
    it. `cache_dir` and `offline` matter only for a hub id (where it is downloaded, whether it may be)."""
    nli_model = chosen_model(nli_model)
    if nli_model == NO_MODEL:
        return None
    if nli_model == BUILTIN_MODEL or Path(nli_model).expanduser().is_dir():
        return _scorer(nli_model, None, False)
    return _scorer(nli_model, cache_dir, offline)


@lru_cache(maxsize=4)
def _scorer(nli_model: str, cache_dir: str | None, offline: bool):
    from .scorers.entailment import EntailmentScorer

    return EntailmentScorer(None if nli_model == BUILTIN_MODEL else nli_model, Path(cache_dir) if cache_dir else None, offline)
