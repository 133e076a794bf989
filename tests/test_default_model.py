"""Which entailment model an unset --nli-model means: refcheck's own, unless $REFCHECK_NLI_MODEL says
otherwise; a value given beats both, and refcheck.compare follows the same choice as a whole run."""
from __future__ import annotations

from refcheck.compare import BUILTIN_MODEL, NO_MODEL, entailment_scorer
from refcheck.compare.model_choice import chosen_model


def test_unset_means_refcheck_s_own_model(monkeypatch):
    monkeypatch.delenv("REFCHECK_NLI_MODEL", raising=False)
    assert chosen_model(None) == BUILTIN_MODEL
    assert entailment_scorer(None) is entailment_scorer(BUILTIN_MODEL) is not None


def test_the_environment_chooses_when_nothing_is_given(monkeypatch):
    monkeypatch.setenv("REFCHECK_NLI_MODEL", NO_MODEL)
    assert chosen_model(None) == NO_MODEL
    assert entailment_scorer(None) is None


def test_a_value_given_beats_the_environment(monkeypatch):
    monkeypatch.setenv("REFCHECK_NLI_MODEL", NO_MODEL)
    assert chosen_model(BUILTIN_MODEL) == BUILTIN_MODEL
    assert entailment_scorer(BUILTIN_MODEL) is not None
