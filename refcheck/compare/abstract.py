"""What compare learns from an abstract alone, once: every claim citing the abstract reads the same
sentences, stems, figures, stated group sizes, retrieval statistics and per-sentence flags.

`analyse_abstract(abstract, title)` is memoised (a bounded cache), so single calls of
refcheck.compare on the same abstract share it too; compare_many reads each distinct abstract once
per batch whatever the cache holds.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..extract.sentences import split_sentences
from .findings import NULL_FINDING
from .people import SPELLED_SIZE, population, recipients, stated_sizes
from .quantities import Quantity, quantities_in
from .statements import HEDGE, in_background, not_a_finding
from .text import abbreviations, content_stems, expanded, words

# Abstracts kept between calls: a document cites a few hundred works at most, each read once per run.
ANALYSES_KEPT = 512
# BM25's usual constants: term-frequency saturation and length normalisation.
_K1, _B = 1.2, 0.75


@dataclass(frozen=True)
class Bm25:
    """BM25 statistics of the abstract's sentences, each sentence a document."""

    document_frequency: dict[str, int]
    idf: dict[str, float]  # BM25's idf of each term
    counts: tuple[Counter, ...]  # term counts per sentence
    length_norms: tuple[float, ...]  # k1 * (1 - b + b * length / average length) per sentence

    @classmethod
    def of(cls, documents: tuple[tuple[str, ...], ...]) -> Bm25:
        n = len(documents)
        average_length = sum(len(d) for d in documents) / n or 1.0
        document_frequency: dict[str, int] = {}
        for document in documents:
            for term in set(document):
                document_frequency[term] = document_frequency.get(term, 0) + 1
        idf = {term: math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in document_frequency.items()}
        return cls(document_frequency, idf, tuple(Counter(d) for d in documents),
                   tuple(_K1 * (1 - _B + _B * len(d) / average_length) for d in documents))

    def scores(self, query: list[str] | tuple[str, ...]) -> list[float]:
        """The BM25 score of each sentence for the query."""
        terms = set(query)
        scores = []
        for counts, length_norm in zip(self.counts, self.length_norms):
            score = 0.0
            for term in terms:
                tf = counts.get(term, 0)
                if tf:
                    score += self.idf[term] * tf * (_K1 + 1) / (tf + length_norm)
            scores.append(score)
        return scores


@dataclass(frozen=True)
class TfIdf:
    """TF-IDF weights of each sentence and of the whole abstract, idf smoothed over its own sentences."""

    idf: dict[str, float]
    unseen_weight: float  # a claim word absent from the abstract gets the highest idf
    sentence_weights: tuple[dict[str, float], ...]
    sentence_squares: tuple[float, ...]  # each sentence's squared norm
    abstract_weights: dict[str, float]
    abstract_square: float

    @classmethod
    def of(cls, documents: tuple[tuple[str, ...], ...], document_frequency: dict[str, int]) -> TfIdf:
        idf = {term: math.log((1 + len(documents)) / (1 + df)) + 1 for term, df in document_frequency.items()}

        def weights(document) -> dict[str, float]:
            return {t: c * idf[t] for t, c in Counter(document).items()}

        sentence_weights = tuple(weights(d) for d in documents)
        abstract_weights = weights([s for d in documents for s in d])
        return cls(idf, max(idf.values(), default=1.0) + 1, sentence_weights,
                   tuple(sum(w * w for w in ws.values()) for ws in sentence_weights),
                   abstract_weights, sum(w * w for w in abstract_weights.values()))

    def cosines(self, query: list[str] | tuple[str, ...]) -> tuple[list[float], float]:
        """Cosine of the query's TF-IDF vector with each sentence's, and with the whole abstract's."""
        query_weights = {t: c * self.idf.get(t, self.unseen_weight) for t, c in Counter(query).items()}
        query_square = sum(w * w for w in query_weights.values())

        def cosine(document_weights: dict[str, float], document_square: float) -> float:
            dot = sum(w * document_weights.get(t, 0.0) for t, w in query_weights.items())
            norm = math.sqrt(query_square * document_square)
            return dot / norm if norm else 0.0

        return ([cosine(ws, square) for ws, square in zip(self.sentence_weights, self.sentence_squares)],
                cosine(self.abstract_weights, self.abstract_square))


@dataclass(frozen=True)
class AbstractAnalysis:
    text: str  # the abstract as given
    expansions: dict[str, tuple[str, ...]]  # abbreviation stem -> its long form's stems, as the abstract defines them
    sentences: tuple[str, ...]
    # The sentences and the title: who or what was studied, and how ("... in mice and humans" is no
    # study of mice only).
    study: tuple[str, ...]
    sentence_stems: tuple[tuple[str, ...], ...]  # content stems of each sentence, in order
    sentence_stem_sets: tuple[frozenset[str], ...]
    stems: frozenset[str]  # every content stem of the abstract
    bigrams: frozenset[tuple[str, str]]  # every pair of adjacent stems within a sentence
    word_grams: frozenset[tuple[str, ...]]  # every run of four words, for telling a quotation
    sentence_quantities: tuple[tuple[Quantity, ...], ...]
    quantities: tuple[Quantity, ...]  # every figure of the abstract, in order
    # The group sizes stated ("n = 30", "53 patients were enrolled"), their total and the first
    # sentence stating one; and whether a size is written in words ("Six hundred patients").
    stated_sizes: tuple[str, ...]
    stated_total: float
    stated_size_sentence: str
    size_in_words: bool
    states_finding: tuple[bool, ...]  # per sentence: not earlier work, the aim or a definition
    background: tuple[bool, ...]  # per sentence: in a structured abstract's background or objective part
    finding_sentences: tuple[str, ...]  # the sentences stating this study's findings, in order
    population: str | None  # of the study: "human", "nonhuman" or None (both, or neither said)
    recipients: tuple[str | None, str, str]  # who received the intervention (see people.recipients)
    hedged: bool  # some sentence hedges
    reports_null: bool  # some sentence reports a null finding
    bm25: Bm25
    tfidf: TfIdf


@lru_cache(maxsize=ANALYSES_KEPT)
def analyse_abstract(abstract: str, title: str | None = None) -> AbstractAnalysis:
    """The analysis of a non-empty abstract, with the work's title if it has one."""
    sentences = tuple(split_sentences(abstract) or [abstract.strip()])
    study = sentences + (title.strip(),) if title and title.strip() else sentences
    expansions = abbreviations(abstract if not title else f"{title} {abstract}")
    sentence_stems = tuple(tuple(expanded(content_stems(s), expansions)) for s in sentences)
    sentence_quantities = tuple(tuple(quantities_in(s)) for s in sentences)
    found, total, first = stated_sizes(sentences)
    states_finding = tuple(not not_a_finding(s) for s in sentences)
    abstract_words = words(abstract)
    bm25 = Bm25.of(sentence_stems)
    return AbstractAnalysis(
        text=abstract,
        expansions=expansions,
        sentences=sentences,
        study=study,
        sentence_stems=sentence_stems,
        sentence_stem_sets=tuple(frozenset(stems) for stems in sentence_stems),
        stems=frozenset(s for stems in sentence_stems for s in stems),
        bigrams=frozenset(b for stems in sentence_stems for b in zip(stems, stems[1:])),
        word_grams=frozenset(zip(*(abstract_words[i:] for i in range(4)))),
        sentence_quantities=sentence_quantities,
        quantities=tuple(q for qs in sentence_quantities for q in qs),
        stated_sizes=tuple(found),
        stated_total=total,
        stated_size_sentence=first,
        size_in_words=any(SPELLED_SIZE.search(s) for s in sentences),
        states_finding=states_finding,
        background=in_background(sentences),
        finding_sentences=tuple(s for s, finding in zip(sentences, states_finding) if finding),
        population=population(study),
        recipients=recipients(study),
        hedged=any(HEDGE.search(s) for s in sentences),
        reports_null=any(NULL_FINDING.search(s) for s in sentences),
        bm25=bm25,
        tfidf=TfIdf.of(sentence_stems, bm25.document_frequency),
    )
