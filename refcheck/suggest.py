"""Suggested sources for unsourced claims: PubMed search terms from a claim, and candidates ranked by fit.

Everything here is pure except `find_sources`, which is handed its two lookups (a free-text search
and a record fetch) so the network and the cache stay in the Resolver. A suggestion is a lead for a
person to read, never a verified source: nothing here says the article supports the claim.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from .compare.abstract import analyse_abstract
from .compare.context import claim_context
# compare's tokeniser, stemmer and stop words, so the search and the ranking agree on what a content word is.
from .compare.text import STOPWORDS, stem, words
from .records import ABSENT, FAILED, FOUND, Lookup, SourceSuggestion, UnsourcedClaim, Work

MAX_TERM_WORDS = 8
# Word counts tried in turn: each smaller AND keeps the most informative words of the last one.
TERM_SIZES = (MAX_TERM_WORDS, 5, 3)
MIN_TERM_WORDS = 2  # one word would bring back a random slice of PubMed
MAX_SUGGESTIONS = 3
# Below this share of the claim covered by title and abstract a candidate is noise, not a lead.
MIN_SCORE = 0.3
MIN_WORD_LENGTH = 3

# Words that credit research or hedge rather than say what was found: every unsourced claim has them,
# and in an AND'ed search they only exclude the paper that is the source.
_GENERIC = frozenset(
    """research researcher researchers scientist scientists trial trials clinical evidence review reviews
    experts expert according known claim claims shows finds prove proves proved proven demonstrate demonstrates
    demonstrated reveal reveals revealed observe observes observed confirm confirms confirmed conclude concludes
    concluded indicate indicates indicated suggests percent cent
    people person patient patients participants subjects adults many much often usually every even well
    just like make made makes help helps good better best new year years time times because indeed really
    actually significant effect effects important promising encouraging potential still whether another other
    several various three four five seven eight nine hundred thousand million""".split()
)
# Long adverbs ("additionally", "particularly") comment on a finding; they are not what it is about.
ADVERB_MIN_LENGTH = 7


def _ranked_words(claim: str) -> list[tuple[int, str]]:
    """(position, word) of the claim's distinctive words, most informative first."""
    seen: dict[str, tuple[int, str]] = {}
    for position, word in enumerate(words(claim)):
        word = word.removesuffix("'s")
        adverb = word.endswith("ly") and len(word) >= ADVERB_MIN_LENGTH
        if len(word) < MIN_WORD_LENGTH or word[0].isdigit() or word in STOPWORDS or word in _GENERIC or adverb:
            continue
        seen.setdefault(stem(word), (position, word))
    return sorted(seen.values(), key=lambda item: (-len(item[1]), item[0]))


def search_words(claim: str) -> list[str]:
    """The claim's distinctive words, most informative first (longer words are rarer: "hemochromatosis"
    narrows a search, "risk" hardly does); one word per stem, no numbers."""
    return [word for _, word in _ranked_words(claim)]


def search_terms(claim: str) -> list[str]:
    """PubMed terms to try in order: the most informative words AND'ed, then fewer of them.

    Each term lists its words in the claim's order (easier to read in a report; AND does not care).
    Empty when the claim has too few distinctive words to search on.
    """
    ranked = _ranked_words(claim)
    if len(ranked) < MIN_TERM_WORDS:
        return []
    sizes = dict.fromkeys(min(size, len(ranked)) for size in TERM_SIZES if min(size, len(ranked)) >= MIN_TERM_WORDS)
    return [" AND ".join(word for _, word in sorted(ranked[:size])) for size in sizes]


def suggestion(claim: str, work: Work, term: str) -> SourceSuggestion:
    """How well one candidate's title and abstract cover the claim, with the reason in words.

    The score averages the share of the claim's content words anywhere in the title and abstract with
    compare's own score (the share in the one to three sentences closest to the claim), so a record
    that says the claim in one place beats one that scatters its words.
    """
    text = f"{work.title}. {work.abstract or ''}".strip()
    context = claim_context(claim, analyse_abstract(text))
    anywhere = context.coverage_abstract
    score = round((anywhere + context.score) / 2, 3)
    where = "title and abstract contain" if work.abstract else "title (no abstract) contains"
    reason = f"found by the PubMed search {term!r}; its {where} {anywhere:.0%} of the claim's content words"
    if context.missing_words:
        reason += ", not " + ", ".join(f'"{word}"' for word in context.missing_words[:4])
    return SourceSuggestion(pmid=work.pmid or "", doi=work.doi, title=work.title, year=work.year, score=score, reason=reason)


def rank(claim: str, works: list[Work], term: str, limit: int = MAX_SUGGESTIONS) -> tuple[SourceSuggestion, ...]:
    """The best `limit` candidates scoring at least MIN_SCORE; ties keep PubMed's order."""
    scored = [suggestion(claim, work, term) for work in works if work.title or work.abstract]
    kept = [s for s in scored if s.score >= MIN_SCORE]
    return tuple(sorted(kept, key=lambda s: -s.score)[:limit])


def suggested(claim: UnsourcedClaim, searches: list[Lookup], records: dict[str, Lookup]) -> UnsourcedClaim:
    """The claim with its suggestions, from the searches tried for it (in order) and the fetched records.

    Fails closed: a search or fetch that failed is "could not search", never an empty list of sources.
    """
    claim = replace(claim, sources_searched=True)
    if not searches:
        return replace(claim, suggestion_error="could not search: the claim has too few distinctive words")
    last = searches[-1]
    if last.outcome == FAILED:
        return replace(claim, suggestion_error=f"could not search: {last.reason}")
    if last.outcome != FOUND:
        return claim  # PubMed's own answer: no article matches even the shortest term
    candidates = [records[identifier.value] for identifier in last.related]
    works = [record.work for record in candidates if record.outcome == FOUND]
    failed = [record for record in candidates if record.outcome == FAILED]
    error = None
    if failed:
        error = (f"could not search fully: {len(failed)} of {len(candidates)} candidate records could not be fetched "
                 f"({failed[0].reason})")
    return replace(claim, suggestions=rank(claim.text, works, last.key), suggestion_error=error)


def find_sources(claims: list[UnsourcedClaim], search: Callable[[list[str]], dict[str, Lookup]],
                 fetch: Callable[[list[str]], dict[str, Lookup]]) -> list[UnsourcedClaim]:
    """Suggested sources for every claim: all claims' searches side by side, a smaller term only for the
    claims PubMed found nothing for, then one fetch for every candidate."""
    terms = [search_terms(claim.text) for claim in claims]
    searches: list[list[Lookup]] = [[] for _ in claims]
    pending = [index for index, claim_terms in enumerate(terms) if claim_terms]
    for attempt in range(len(TERM_SIZES)):
        asked = {index: terms[index][attempt] for index in pending if attempt < len(terms[index])}
        if not asked:
            break
        answers = search(list(dict.fromkeys(asked.values())))
        for index, term in asked.items():
            searches[index].append(answers[term])
        pending = [index for index, term in asked.items() if answers[term].outcome == ABSENT]
    pmids = [i.value for tried in searches if tried and tried[-1].outcome == FOUND for i in tried[-1].related]
    records = fetch(list(dict.fromkeys(pmids))) if pmids else {}
    return [suggested(claim, tried, records) for claim, tried in zip(claims, searches)]
