"""One claim read beside one abstract's analysis: what every rule, the scorers and the verdict share.

The claim's stems and figures, the one to three sentences that best match it (BM25 over the
abstract's own sentences plus a bonus for shared figures), the anchor sentences it closely
paraphrases (only those can contradict it), the sentences on its topic, and which of its figures the
abstract gives.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

from .abstract import AbstractAnalysis
from .figures import MAX_CLAIM_FIGURES, NumberCheck, check_numbers, is_given
from .findings import CHANGE_WORDS, NEGATION
from .people import HUMAN
from .quantities import MEASURE_UNITS, Quantity, quantities_in
from .text import CITATION_BRACKETS, STOPWORDS, content_stems, stem, words

# A sentence covering this share of the claim's content words is taken to be
# what the claim paraphrases; only such sentences can contradict it.
ANCHOR_COVERAGE = 0.5
# Fewer words than this are too few to tell a quotation from a shared phrase.
MIN_QUOTATION_WORDS = 8
# How many of the best-matching sentences an entailment model reads the claim against: enough to
# find the one that says it in a long abstract, few enough to stay fast (three scored as four did on
# every dev set, two lost 0.006 on Citation-Integrity dev).
MAX_CANDIDATES = 3


@dataclass(frozen=True)
class ClaimContext:
    written_claim: str  # as the page wrote it
    claim: str  # without citation markers: what the rules read
    quotation: bool  # the page presents the claim as the work's own words
    abstract: AbstractAnalysis
    stems: tuple[str, ...]  # the claim's content stems, in order
    # (a claim of hundreds of figures is a table: its first ones are checked, each against every
    # figure of the abstract)
    quantities: tuple[Quantity, ...]
    bm25: tuple[float, ...]  # each abstract sentence's BM25 score for the claim
    evidence: tuple[str, ...]  # the 1-3 sentences that best match the claim, in abstract order
    # what an entailment model reads the claim against: the best-matching sentences, best first, and
    # the evidence sentences together when the claim may condense them
    candidates: tuple[str, ...]
    candidate_coverages: tuple[float, ...]  # share of the claim's stems each candidate has
    candidate_findings: tuple[bool, ...]  # whether each candidate states a finding (not only background or aims)
    anchors: tuple[str, ...]  # the sentences the claim closely paraphrases
    finding_anchors: tuple[str, ...]  # those of them that state this study's findings
    on_topic: tuple[str, ...]  # the sentences who was studied is checked on
    numbers: NumberCheck
    coverage_best: float  # share of the claim's stems in the evidence sentence covering most of them
    coverage_evidence: float  # ... in the evidence sentences together
    coverage_abstract: float  # ... anywhere in the abstract
    missing_words: tuple[str, ...]  # the claim's content words the abstract never uses
    negated: bool  # the claim has a negation
    evidence_negated: bool  # some evidence sentence has one
    quoted_share: float  # share of the claim's word 4-grams found in the abstract
    # the claim follows a sentence's wording with a word of it replaced by one the abstract never uses:
    # (claim's words, sentence's words, sentence), or None
    substitution: tuple[str, str, str] | None = None
    # some evidence sentence states a finding of the study (not its background, aim or earlier work)
    evidence_states_finding: bool = True

    @property
    def negation_mismatch(self) -> bool:
        """One of the claim and its evidence is negated, the other not."""
        return self.negated != self.evidence_negated

    @property
    def score(self) -> float:
        """How closely the evidence says what the claim says: the mean of the best sentence's and the
        evidence's coverage of the claim."""
        return round(0.5 * self.coverage_best + 0.5 * self.coverage_evidence, 3)


def coverage(claim_stems, other: set[str] | frozenset[str]) -> float:
    unique = set(claim_stems)
    return len(unique & other) / len(unique) if unique else 0.0


def _match_scores(claim_stems: tuple[str, ...], claim_quantities: tuple[Quantity, ...], bm25: tuple[float, ...],
                  abstract: AbstractAnalysis) -> list[float]:
    """How well each abstract sentence matches the claim."""
    scores = list(bm25)
    claim_set = set(claim_stems)
    for i, stems in enumerate(abstract.sentence_stem_sets):
        # Coverage keeps short, on-topic sentences competitive with long ones,
        # and a shared number is strong evidence the sentence is the source.
        scores[i] += 2.0 * len(claim_set & stems) / (len(claim_set) or 1)
        scores[i] += sum(1.0 for q in claim_quantities if is_given(q, abstract.sentence_quantities[i]))
    return scores


def _retrieve(scores: list[float]) -> list[int]:
    """Indices (in abstract order) of the 1-3 sentences that best match the claim."""
    best = max(scores, default=0.0)
    if best <= 0:
        return []
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    chosen = [i for i in ranked[:3] if scores[i] >= 0.6 * best]
    return sorted(chosen)


def _candidates(scores: list[float], chosen: list[int], stems: tuple[str, ...],
                abstract: AbstractAnalysis) -> tuple[tuple[str, ...], tuple[float, ...], tuple[bool, ...]]:
    """The passages an entailment model reads the claim against, how much of the claim each has, and
    whether each states a finding."""
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:MAX_CANDIDATES]
    # Read together, an aim or background sentence lends its words to a finding that never says them
    # ("investigated its impact on quality of life" beside "unlikely to impact their HRQoL" read as
    # entailing "quality of life dropped significantly", 62%): where the best sentences mix findings
    # with background, only the findings are read together.
    states_finding = [i for i in chosen if abstract.states_finding[i] and not abstract.background[i]]
    together = states_finding if states_finding else chosen
    groups = [[i] for i in ranked] + ([together] if len(together) > 1 else [])
    passages = tuple(" ".join(abstract.sentences[i] for i in group) for group in groups)
    coverages = tuple(coverage(stems, frozenset().union(*(abstract.sentence_stem_sets[i] for i in group))) for group in groups)
    findings = tuple(any(abstract.states_finding[i] and not abstract.background[i] for i in group) for group in groups)
    return passages, coverages, findings


def _quoted_share(claim: str, abstract: AbstractAnalysis) -> float:
    claim_words = words(claim)
    if len(claim_words) < MIN_QUOTATION_WORDS:
        return 0.0
    claim_grams = list(zip(*(claim_words[i:] for i in range(4))))
    return sum(g in abstract.word_grams for g in claim_grams) / len(claim_grams)


# A claim that follows a sentence word for word this far, but for a word or two the abstract never
# uses, has changed what the sentence says ("deletions ... prevent antibody escape" from "deletions
# ... drive antibody escape"), unless the words are the same word's forms.
SUBSTITUTION_FOLLOWED = 0.6
SUBSTITUTION_MIN_WORDS = 5
# (word alignment costs the product of the lengths: a table-sized claim or sentence is no restatement)
SUBSTITUTION_MAX_WORDS = 120


def _substitution(claim: str, evidence: tuple[str, ...], missing_stems: set[str]) -> tuple[str, str, str] | None:
    """The replaced words of the evidence sentence the claim follows most closely, if it follows one."""
    claim_words = words(claim)
    if not SUBSTITUTION_MIN_WORDS <= len(claim_words) <= SUBSTITUTION_MAX_WORDS or not missing_stems:
        return None
    for sentence in evidence:
        sentence_words = words(sentence)
        if len(sentence_words) > SUBSTITUTION_MAX_WORDS:
            continue
        matcher = difflib.SequenceMatcher(None, claim_words, sentence_words, autojunk=False)
        followed = sum(block.size for block in matcher.get_matching_blocks())
        if followed < SUBSTITUTION_MIN_WORDS or followed < SUBSTITUTION_FOLLOWED * len(claim_words):
            continue
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            # (one word for one, two for two: "affected" for "prevalence was" rephrases the sentence)
            if tag != "replace" or i2 - i1 > 2 or i2 - i1 != j2 - j1 or i1 == 0 or i2 == len(claim_words):
                continue
            said, written = claim_words[i1:i2], sentence_words[j1:j2]
            content = [w for w in said if w not in STOPWORDS and not w[0].isdigit()]
            replaced = [w for w in written if w not in STOPWORDS and not w[0].isdigit()]
            if not content or not replaced or not all(stem(w) in missing_stems for w in content):
                continue
            if _rewording(" ".join(content), " ".join(replaced)):
                continue
            return " ".join(said), " ".join(written), sentence
    return None


# Words for a change ("lowered" for "reduced", "rose" for "increased") are the direction rule's to
# compare, and two words for people ("infants", "babies") the population rule's.
_CHANGE_WORD = re.compile(rf"(?:{CHANGE_WORDS}|rose|fell|cut|slowed|lengthened|shortened|prolonged|delayed|relieved?|"
                          r"eased|lessened|raised|boosted|halved|doubled)$", re.I)


def _rewording(said: str, written: str) -> bool:
    """The same word misspelt or in another form, two words for a change, or two for people."""
    if difflib.SequenceMatcher(None, said, written).ratio() >= 0.75 or said[:5] == written[:5]:
        return True
    if _CHANGE_WORD.match(said) and _CHANGE_WORD.match(written):
        return True
    return bool(HUMAN.fullmatch(said) and HUMAN.fullmatch(written))


def claim_context(written_claim: str, abstract: AbstractAnalysis, quotation: bool = False) -> ClaimContext:
    """Read a non-empty claim beside the abstract."""
    claim = CITATION_BRACKETS.sub(" ", written_claim)
    # (the abstract's sentences carry the long forms of the abbreviations they use, so a claim written
    # either way meets them; the claim's own stems stay as written, or the long forms would dilute
    # its coverage of a sentence that uses the short form)
    stems = tuple(content_stems(claim))
    quantities = tuple(quantities_in(claim)[:MAX_CLAIM_FIGURES])
    bm25 = tuple(abstract.bm25.scores(stems))
    scores = _match_scores(stems, quantities, bm25, abstract)
    chosen = _retrieve(scores)
    candidates, candidate_coverages, candidate_findings = _candidates(scores, chosen, stems, abstract)
    evidence = tuple(abstract.sentences[i] for i in chosen)
    sentence_stems = abstract.sentence_stem_sets

    coverage_evidence = coverage(stems, {s for i in chosen for s in sentence_stems[i]})
    best_stems = max((sentence_stems[i] for i in chosen), key=lambda s: coverage(stems, s)) if chosen else frozenset()
    anchor_indices = [i for i, sentence in enumerate(sentence_stems) if coverage(stems, sentence) >= ANCHOR_COVERAGE]
    if coverage_evidence >= ANCHOR_COVERAGE:
        # A claim may condense two sentences ("279 patients ... survival 53%").
        anchor_indices = sorted(set(anchor_indices) | set(chosen))
    anchors = tuple(abstract.sentences[i] for i in anchor_indices)
    numbers = check_numbers(quantities, abstract.quantities,
                            [q for i in anchor_indices for q in abstract.sentence_quantities[i]])
    # "53 patients" restates groups of 30 and 23 ("(n = 30)", "(n = 23)") though no sentence writes 53.
    stated_total = abstract.stated_total
    totals = [q for q in numbers.missing if q.kind == "count:person" and q.high is None and stated_total and q.low == stated_total]
    if totals:
        numbers = replace(numbers, given=numbers.given + tuple(totals), missing=tuple(q for q in numbers.missing if q not in totals))

    coverage_abstract = coverage(stems, abstract.stems)
    # Who was studied is checked on the claim's topic: the sentences it paraphrases, or failing
    # those, the sentences giving its figures ("people lost 25% more weight" against mice that did).
    on_topic = anchors or tuple(sorted({q.sentence for q in abstract.quantities if any(is_given(g, [q]) for g in numbers.given)}))
    if not on_topic and coverage_abstract >= ANCHOR_COVERAGE:
        # A claim that condenses the whole abstract ("cuts amyloid plaques by a third") is on its
        # topic though no one sentence says most of it.
        on_topic = evidence

    missing: dict[str, str] = {}
    for word in words(claim):
        word_stem = stem(word)
        if word not in STOPWORDS and not word[0].isdigit() and len(word) > 3 and word_stem not in abstract.stems \
                and word not in MEASURE_UNITS:
            missing.setdefault(word_stem, word)
    return ClaimContext(
        written_claim=written_claim,
        claim=claim,
        quotation=quotation,
        abstract=abstract,
        stems=stems,
        quantities=quantities,
        bm25=bm25,
        evidence=evidence,
        candidates=candidates,
        candidate_coverages=candidate_coverages,
        candidate_findings=candidate_findings,
        anchors=anchors,
        finding_anchors=tuple(abstract.sentences[i] for i in anchor_indices if abstract.states_finding[i]),
        on_topic=on_topic,
        numbers=numbers,
        coverage_best=coverage(stems, best_stems),
        coverage_evidence=coverage_evidence,
        coverage_abstract=coverage_abstract,
        missing_words=tuple(missing.values()),
        negated=bool(NEGATION.search(claim)),
        evidence_negated=any(NEGATION.search(s) for s in evidence),
        quoted_share=_quoted_share(written_claim, abstract),
        substitution=_substitution(claim, evidence, set(missing)),
        evidence_states_finding=any(abstract.states_finding[i] and not abstract.background[i] for i in chosen),
    )
