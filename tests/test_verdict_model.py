"""How the entailment model's reading becomes a verdict, with a scorer whose answers the test sets,
and the verdict cache that spares a warm run the comparison."""
from __future__ import annotations

import sqlite3

import pytest

from refcheck.compare import compare_many
from refcheck.compare.verdict_cache import VERDICT_FILE, VerdictCache
from refcheck.records import CONTRADICTED, NOT_SUPPORTED, PARTIALLY_SUPPORTED, SUPPORTED

ABSTRACT = ("Background: Vitamin D deficiency is common in older adults. "
            "Methods: We randomised 240 adults aged over 65 to vitamin D3 or placebo for one year. "
            "Results: Falls were less frequent in the vitamin D group than in the placebo group. "
            "Bone density did not differ between the groups.")
CLAIM = "In older adults, vitamin D supplements made falls less frequent."
# The falls sentence has 43% of the claim's words ("older adults" is only in the background, which is
# not read together with findings), the bone density sentence none.
THRESHOLDS = {"contradiction": 0.9, "entailment": 0.6, "veto": 0.5, "contradiction_coverage": 0.4, "lexical_floor": 1.01}


class SetScorer:
    """Answers each (passage, claim) pair with what `answer(passage)` says, and counts the pairs."""

    name = "entailment"
    version = "test-1"

    def __init__(self, answer, thresholds=THRESHOLDS):
        self.answer, self.thresholds, self.pairs_scored = answer, dict(thresholds), 0

    def score(self, pairs):
        self.pairs_scored += len(pairs)
        return [self.answer(passage) for passage, _ in pairs]


def probabilities(entailment=0.0, contradiction=0.0):
    return {"entailment": entailment, "contradiction": contradiction, "neutral": 1.0 - entailment - contradiction}


def about_falls(entailment=0.0, contradiction=0.0):
    """The falls sentence reads as given; every other passage as neutral."""
    return lambda passage: probabilities(entailment, contradiction) if "Falls were less" in passage else probabilities()


def reading(*answers):
    """Each passage read as the first (words, probabilities) whose words it contains says; every other
    passage as neutral."""
    return lambda passage: next((given for words, given in answers if words in passage), probabilities())


def judge(scorer, claim=CLAIM, abstract=ABSTRACT, **options):
    return compare_many([(claim, abstract)], scorer=scorer, **options)[0]


def test_a_passage_entailing_the_claim_makes_it_supported_and_is_quoted_first():
    verdict = judge(SetScorer(about_falls(entailment=0.92)))
    assert verdict.verdict == SUPPORTED
    assert "Falls were less" in verdict.evidence[0]
    assert "92%" in verdict.reasons[0]


def test_a_confident_contradiction_from_a_passage_on_the_claim_is_contradicted_with_its_sentence():
    verdict = judge(SetScorer(about_falls(contradiction=0.95)))
    assert verdict.verdict == CONTRADICTED
    assert "Falls were less" in verdict.evidence[0]
    assert "contradicting the claim (95%)" in verdict.reasons[0]


def test_a_contradiction_below_the_stored_threshold_is_only_not_supported():
    verdict = judge(SetScorer(about_falls(contradiction=0.8)))
    assert verdict.verdict == NOT_SUPPORTED
    assert "not clearly enough" in verdict.reasons[0]


def test_a_contradiction_read_from_a_passage_about_something_else_is_no_contradiction():
    # the bone density sentence shares too few of the claim's words to be what the claim says
    scorer = SetScorer(lambda p: probabilities(contradiction=0.99) if p.startswith("Bone density") else probabilities())
    assert judge(scorer).verdict == NOT_SUPPORTED
    assert "contradict" not in " ".join(judge(scorer).reasons)


def test_supported_is_never_shown_over_a_passage_read_as_contradicting_the_claim():
    answer = reading(("Falls were less", probabilities(entailment=0.9)), ("randomised", probabilities(contradiction=0.7)))
    thresholds = dict(THRESHOLDS, contradiction_coverage=0.0)
    verdict = judge(SetScorer(answer, thresholds))
    assert verdict.verdict == NOT_SUPPORTED
    assert "another reads as contradicting it" in verdict.reasons[0]


def test_a_passage_sharing_few_of_the_claim_s_words_still_vetoes_supported():
    # too far from the claim to make it CONTRADICTED, near enough not to show SUPPORTED over it
    answer = reading(("Falls were less", probabilities(entailment=0.9)), ("Bone density", probabilities(contradiction=0.8)))
    # (three sentences, so that the model reads every one)
    abstract = ABSTRACT.split("Methods: ")[1]
    verdict = judge(SetScorer(answer), abstract=abstract)
    assert verdict.verdict == NOT_SUPPORTED
    assert "another reads as contradicting it (80%)" in verdict.reasons[0]
    assert verdict.evidence[:2] == ("Results: Falls were less frequent in the vitamin D group than in the placebo group.",
                                    "Bone density did not differ between the groups.")
    # ... unless the model's thresholds ask a vetoing passage for more of the claim's words than it has
    assert judge(SetScorer(answer, dict(THRESHOLDS, veto_coverage=0.25)), abstract=abstract).verdict == SUPPORTED


def test_supported_is_never_shown_over_a_quoted_sentence_read_as_contradicting_the_claim():
    # The fractures sentence has too few of the claim's words to veto by coverage (38% < 50%), but the
    # verdict quotes it: SUPPORTED over it would show the reader the evidence against the claim.
    abstract = ("Methods: We randomised 240 adults aged over 65 to vitamin D3 or placebo for one year. "
                "Results: Falls were less frequent in the vitamin D group than in the placebo group. "
                "Fractures were as frequent in the vitamin D group as in the placebo group.")
    claim = "In older adults, vitamin D supplements made falls and fractures less frequent."
    answer = reading(("Falls were less", probabilities(entailment=0.9)), ("Fractures were", probabilities(contradiction=0.8)))
    verdict = judge(SetScorer(answer, dict(THRESHOLDS, veto_coverage=0.5)), claim=claim, abstract=abstract)
    assert verdict.verdict == NOT_SUPPORTED, verdict
    assert "another reads as contradicting it (80%)" in verdict.reasons[0]
    assert "Fractures were as frequent in the vitamin D group as in the placebo group." in verdict.evidence
    # the same sentence read as neutral leaves the claim SUPPORTED
    neutral = reading(("Falls were less", probabilities(entailment=0.9)))
    assert judge(SetScorer(neutral, dict(THRESHOLDS, veto_coverage=0.5)), claim=claim, abstract=abstract).verdict == SUPPORTED


def test_a_background_sentence_is_no_finding_to_contradict_the_claim():
    answer = reading(("Falls were less", probabilities(entailment=0.9)), ("Background", probabilities(contradiction=0.99)))
    verdict = judge(SetScorer(answer, dict(THRESHOLDS, contradiction_coverage=0.0)))
    assert verdict.verdict == SUPPORTED, verdict


def test_figures_in_words_reach_the_model_in_digits():
    seen = []

    class Recording(SetScorer):
        def score(self, pairs):
            seen.extend(pairs)
            return super().score(pairs)

    abstract = "One hundred and forty adults were randomised. Falls were less frequent with vitamin D."
    compare_many([("Vitamin D made falls less frequent in the 140 adults randomised.", abstract)],
                 scorer=Recording(lambda passage: probabilities(entailment=0.9)))
    assert any(passage.startswith("140 adults were randomised.") for passage, _ in seen), seen
    assert all("One hundred" not in passage for passage, _ in seen)


def test_a_rule_clash_wins_over_the_model_and_keeps_its_reason():
    verdict = judge(SetScorer(about_falls(entailment=0.99)),
                    claim="Falls were more frequent in the vitamin D group than in the placebo group.")
    assert verdict.verdict == CONTRADICTED
    assert '"less frequent"' in verdict.reasons[0] and "entailment model" not in verdict.reasons[0]


def test_a_missing_figure_keeps_an_entailed_claim_partial():
    verdict = judge(SetScorer(about_falls(entailment=0.9)), claim="In older adults, vitamin D supplements made falls 40% less frequent.")
    assert verdict.verdict == PARTIALLY_SUPPORTED
    assert any("never gives 40%" in r for r in verdict.reasons)


def test_the_lexical_support_stands_above_the_floor_when_the_model_does_not_object():
    floor = dict(THRESHOLDS, lexical_floor=0.1)
    assert judge(SetScorer(about_falls(entailment=0.3), floor)).verdict == SUPPORTED
    assert judge(SetScorer(about_falls(entailment=0.05), floor)).verdict == NOT_SUPPORTED
    assert judge(SetScorer(about_falls(entailment=0.3), THRESHOLDS)).verdict == NOT_SUPPORTED


def test_a_warm_run_does_no_model_work_and_gives_the_same_verdicts(tmp_path):
    cache = VerdictCache(tmp_path)
    scorer = SetScorer(about_falls(entailment=0.92))
    items = [(CLAIM, ABSTRACT), ("Bone density did not change with vitamin D.", ABSTRACT)]
    cold = compare_many(items, scorer=scorer, verdict_cache=cache)
    scored = scorer.pairs_scored
    assert scored > 0
    warm = compare_many(items, scorer=scorer, verdict_cache=cache)
    assert warm == cold and scorer.pairs_scored == scored


def test_another_model_or_threshold_is_another_verdict(tmp_path):
    cache = VerdictCache(tmp_path)
    compare_many([(CLAIM, ABSTRACT)], scorer=SetScorer(about_falls(entailment=0.92)), verdict_cache=cache)
    stricter = SetScorer(about_falls(entailment=0.92), dict(THRESHOLDS, entailment=0.95))
    assert compare_many([(CLAIM, ABSTRACT)], scorer=stricter, verdict_cache=cache)[0].verdict == NOT_SUPPORTED
    assert stricter.pairs_scored > 0


def test_a_damaged_verdict_row_is_a_miss(tmp_path):
    cache = VerdictCache(tmp_path)
    scorer = SetScorer(about_falls(entailment=0.92))
    expected = compare_many([(CLAIM, ABSTRACT)], scorer=scorer, verdict_cache=cache)
    cache.close()
    with sqlite3.connect(tmp_path / VERDICT_FILE) as connection:
        connection.execute("UPDATE verdicts SET verdict = ?", ('{"verdict": "SUPPORTED", "evidence": [1], "reasons": [], "score": 0}',))
    scored = scorer.pairs_scored
    assert compare_many([(CLAIM, ABSTRACT)], scorer=scorer, verdict_cache=VerdictCache(tmp_path)) == expected
    assert scorer.pairs_scored > scored


def test_a_verdict_cache_behind_a_symbolic_link_is_not_used(tmp_path):
    target = tmp_path / "elsewhere.sqlite"
    target.write_bytes(b"")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / VERDICT_FILE).symlink_to(target)
    cache = VerdictCache(tmp_path / "cache")
    compare_many([(CLAIM, ABSTRACT)], scorer=SetScorer(about_falls(entailment=0.92)), verdict_cache=cache)
    assert target.read_bytes() == b""


@pytest.mark.parametrize("scorer", [False])
def test_without_a_model_the_rules_and_lexical_scorer_decide(scorer):
    assert judge(scorer).verdict in (SUPPORTED, PARTIALLY_SUPPORTED)
