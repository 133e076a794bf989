"""Which sentences each citation is offered as support for, and which
research-sounding sentences have no citation at all.

A citation supports the sentence it sits in or ends (an identifier or a
"[3]" or "[^3]" marker; "[2, 5]" gives the sentence to both works; every "[3]"
in the body gives its sentence to reference 3).  A sentence that is little more
than its citation ("See doi:...") gives the claim to the sentence before it,
unless that sentence carries a citation or marker of its own.  A citation in a
footnote definition is cited for the sentences carrying its footnote's marker,
wherever the definition stands; the definitions' own text is never a claim.

A reference-list entry followed by commentary ("Stem Cells. 2009 ... doi:...",
then the article's title, affiliation, a copied abstract, a heading and the
page's own summary) is read as: the first long paragraph is a quotation of
the work (``Claim.quotation``), the prose paragraphs after it are the page's
claims about the work.
"""
from __future__ import annotations

import re

from .extract import in_footnote_definition, link_markers, reference_section_start
from .records import Citation, Claim, Document, UnsourcedClaim
from .sentences import sentence_spans

# A sentence that is little more than its citation ("See doi:...", "[3]") supports the one before.
_MIN_CLAIM_WORDS = 4
_MARKER = re.compile(r"\s?\[(?:\d{1,3}(?:\s{0,2}[-\u2013,]\s{0,2}\d{1,3}){0,20}|\^[\w\-]{1,41})\]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# A paragraph of the page's own prose (not a title, byline, heading or affiliation).
_PROSE_MIN_WORDS = 25
# How many short paragraphs (title, authors, affiliation) may sit between a
# reference entry and the abstract it quotes.
_MAX_HEADER_PARAGRAPHS = 4


def _strip_citation(text: str, spans: list[tuple[int, int]], sentence: tuple[int, int]) -> str:
    start, end = sentence
    pieces, cursor = [], start
    for s, e in sorted(spans):
        if s >= cursor and e <= end:
            pieces.append(text[cursor:s])
            cursor = e
    pieces.append(text[cursor:end])
    cleaned = _MARKER.sub("", "".join(pieces))
    cleaned = re.sub(r"\(\s*[;,]?\s*\)|\[\s*\]", "", cleaned)
    cleaned = re.sub(r"\s+([.,;:!?])", r"\1", cleaned)
    return re.sub(r"\s{2,}", " ", cleaned).strip(" ,;")


def _carries_citation(text: str, sentence: tuple[int, int], citation_spans: list[tuple[int, int]]) -> bool:
    start, end = sentence
    return bool(_MARKER.search(text, start, end)) or any(start <= s < end for s, _ in citation_spans)


def _claim_at(text: str, sentences: list[tuple[int, int]], at: int, citation_spans: list[tuple[int, int]]) -> Claim | None:
    index = next((i for i, (s, e) in enumerate(sentences) if s <= at < e), None)
    if index is None:
        return None
    claim_text = _strip_citation(text, citation_spans, sentences[index])
    if len(claim_text.split()) < _MIN_CLAIM_WORDS and index > 0:
        index -= 1
        if _carries_citation(text, sentences[index], citation_spans):
            return None  # that sentence is another citation's
        claim_text = _strip_citation(text, citation_spans, sentences[index])
    if len(claim_text.split()) < _MIN_CLAIM_WORDS:
        return None
    start, end = sentences[index]
    return Claim(text=claim_text, start=start, end=end)


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the non-blank paragraphs of text[start:end]."""
    found, cursor = [], start
    for match in _PARAGRAPH_BREAK.finditer(text, start, end):
        found.append((cursor, match.start()))
        cursor = match.end()
    found.append((cursor, end))
    trimmed = []
    for s, e in found:
        body = text[s:e]
        if body.strip():
            trimmed.append((s + len(body) - len(body.lstrip()), e - len(body) + len(body.rstrip())))
    return trimmed


def _is_prose(text: str, paragraph: tuple[int, int]) -> bool:
    body = text[paragraph[0]:paragraph[1]]
    return len(body.split()) >= _PROSE_MIN_WORDS and len(sentence_spans(body)) >= 2 and body.rstrip()[-1:] in ".!?)\"\u201d"


def _reference_block_claims(text: str, sentences: list[tuple[int, int]], start: int, end: int,
                            citation_spans: list[tuple[int, int]]) -> list[Claim]:
    """Claims from the commentary under a reference-list entry (text[start:end]):
    the quoted abstract as one quotation, then each sentence of the paraphrase."""
    paragraphs = _paragraphs(text, start, end)
    quoted = next((i for i, p in enumerate(paragraphs[:_MAX_HEADER_PARAGRAPHS + 1]) if _is_prose(text, p)), None)
    if quoted is None:
        return []
    q_start, q_end = paragraphs[quoted]
    claims = [Claim(text=re.sub(r"\s+", " ", text[q_start:q_end]).strip(), start=q_start, end=q_end, quotation=True)]
    rest = paragraphs[quoted + 1:]
    first_own = next((i for i, p in enumerate(rest) if _is_prose(text, p)), None)
    if first_own is None:
        return claims
    for p_start, p_end in rest[first_own:]:
        # The page's summary ends where the next item's short title lines begin.
        if not _is_prose(text, (p_start, p_end)):
            break
        for s, e in sentences:
            if p_start <= s < p_end:
                claim_text = _strip_citation(text, citation_spans, (s, min(e, p_end)))
                if len(claim_text.split()) >= _MIN_CLAIM_WORDS:
                    claims.append(Claim(text=claim_text, start=s, end=min(e, p_end)))
    return claims


def attach_claims(document: Document, citations: list[Citation]) -> list[tuple[Claim, ...]]:
    """For each citation (same order), the claims it is cited for."""
    text = document.text
    sentences = sentence_spans(text)
    body_end = reference_section_start(text)
    citation_spans = [(c.start, c.end) for c in citations]
    markers = link_markers(text, citations)
    all_spans = citation_spans + [span for spans in markers.values() for span in spans]
    starts = sorted(c.start for c in citations)
    result = []
    for index, citation in enumerate(citations):
        claims: list[Claim] = []
        in_footnote = in_footnote_definition(text, citation.start)
        in_reference_list = in_footnote or (body_end is not None and citation.start >= body_end)
        anchors = [start for start, _ in markers.get(index, [])]
        if not in_reference_list:
            anchors.insert(0, citation.start)
        for at in anchors:
            claim = _claim_at(text, sentences, at, all_spans)
            if claim and claim not in claims:
                claims.append(claim)
        if in_reference_list and not in_footnote and not claims:
            block_end = next((s for s in starts if s > citation.end), len(text))
            claims = _reference_block_claims(text, sentences, citation.end, block_end, all_spans)
        result.append(tuple(claims))
    return result


# Sentences that credit research with a finding.
_RESEARCH = re.compile(
    r"\b(?:stud(?:y|ies)|trials?|research(?:ers)?|reviews?|meta-analys[ie]s|evidence|data|scientists|"
    r"investigators|experiments?|surveys?|follow-up|cohorts?|registry|literature)\b",
    re.IGNORECASE,
)
_FINDING_VERB = re.compile(
    r"\b(?:shows?|shown|showed|found|demonstrat(?:e|es|ed|ing)|reported|reveal(?:s|ed)|observed|"
    r"confirm(?:s|ed)|prov(?:e|es|ed|en)|indicat(?:e|es|ed)|suggest(?:s|ed)?|conclud(?:e|es|ed)|"
    r"establish(?:es|ed))\b",
    re.IGNORECASE,
)
# Research still to be done is not a finding.
_FUTURE_RESEARCH = re.compile(
    r"\b(?:(?:is|are) (?:still )?(?:needed|required|warranted)|need(?:s)? (?:further )?investigation|"
    r"being (?:researched|investigated|explored|studied|gathered|evaluated)|ongoing|continue to|"
    r"will (?:refine|determine|show)|(?:is|are) essential to)\b",
    re.IGNORECASE,
)
_NUMBER_WORD = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d[\d,.]*)"
# Findings' figures: percentages and counts of people; a duration alone ("for
# up to 20 years", "two weeks after") is not a finding.
_FINDING_FIGURE = re.compile(
    rf"\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)"
    rf"|\b{_NUMBER_WORD}\s+(?:\w+\s+)?(?:patients|people|subjects|participants|adults|children|women|men)\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(rf"{_FINDING_FIGURE.pattern}|\b{_NUMBER_WORD}\s+(?:years|months|weeks|days)\b", re.IGNORECASE)
_MIN_UNSOURCED_WORDS = 7


def _unsourced_figures(sentence: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(0) for m in _FIGURE.finditer(sentence)))


def _credits_research(sentence: str) -> bool:
    if sentence.rstrip()[-1:] not in ".!\"\u201d)" or len(sentence.split()) < _MIN_UNSOURCED_WORDS:
        return False  # headings, questions, list lead-ins
    research = _RESEARCH.search(sentence)
    # "is also found in many treatments" says where something occurs, not what research found.
    finding = _FINDING_VERB.search(re.sub(r"\b(?:is|are)\s+(?:also\s+)?found\s+in\b", "", sentence))
    if finding:
        return bool(research or _FINDING_FIGURE.search(sentence))
    return bool(research and _FINDING_FIGURE.search(sentence) and not _FUTURE_RESEARCH.search(sentence))


def unsourced_claims(document: Document, citations: list[Citation], claimed: list[tuple[Claim, ...]]) -> list[UnsourcedClaim]:
    """Sentences that attribute a finding to research but cite nothing resolvable.

    A sentence with figures right after an unsourced claim, in the same
    paragraph, continues it ("Moreover, overall survival was 92.5% ...").
    """
    text = document.text
    body_end = reference_section_start(text) or len(text)
    covered = [(c.start, c.end) for claims in claimed for c in claims] + [(c.start, c.end) for c in citations]
    found: list[UnsourcedClaim] = []
    for start, end in sentence_spans(text[:body_end]):
        if any(s < end and start < e for s, e in covered) or in_footnote_definition(text, start):
            continue
        sentence = text[start:end]
        figures = _unsourced_figures(sentence)
        continues = bool(_FINDING_FIGURE.search(sentence) and found and "\n" not in text[found[-1].end:start]
                         and len(text[found[-1].end:start].strip()) == 0)
        if continues or _credits_research(sentence):
            found.append(UnsourcedClaim(text=sentence, start=start, end=end, figures=figures))
    return found
