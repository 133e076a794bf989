"""Which sentences each citation is offered as support for, and which
research-sounding sentences have no citation at all."""
from __future__ import annotations

import re

from .extract import link_markers, reference_section_start
from .records import Citation, Claim, Document, UnsourcedClaim
from .sentences import sentence_spans

# A sentence that is little more than its citation ("See doi:...", "[3]") supports the one before.
_MIN_CLAIM_WORDS = 4
_MARKER = re.compile(r"\s?\[\d{1,3}(?:\s{0,2}[-\u2013,]\s{0,2}\d{1,3}){0,20}\]")
_ATTRIBUTION = re.compile(
    r"\b(?:stud(?:y|ies)|trials?|research(?:ers)?|review|meta-analys[ie]s|evidence|scientists|investigators|"
    r"data|findings|experiments?|reported|shown|found|demonstrated|according to|survey|cohort|patients)\b",
    re.IGNORECASE,
)
_FINDING = re.compile(
    r"\b(?:show(?:s|n|ed)?|found|find|demonstrat\w+|report\w*|prov(?:e|en|es)|suggest\w*|indicat\w+|reveal\w*|"
    r"conclud\w+|improv\w+|reduc\w+|increas\w+|decreas\w+|surviv\w+|effective|rate|%)",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s?(?:%|percent|per cent)|\b\d[\d,.]*\s+(?:patients|people|subjects|participants|years|months|weeks|days)\b", re.IGNORECASE)


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


def _claim_for_span(text: str, spans: list[tuple[int, int]], sentences: list[tuple[int, int]], at: int, citation_spans: list[tuple[int, int]]) -> Claim | None:
    index = next((i for i, (s, e) in enumerate(sentences) if s <= at < e), None)
    if index is None:
        return None
    claim_text = _strip_citation(text, citation_spans, sentences[index])
    if len(claim_text.split()) < _MIN_CLAIM_WORDS and index > 0:
        index -= 1
        claim_text = _strip_citation(text, citation_spans, sentences[index])
    if len(claim_text.split()) < _MIN_CLAIM_WORDS:
        return None
    start, end = sentences[index]
    return Claim(text=claim_text, start=start, end=end)


def attach_claims(document: Document, citations: list[Citation]) -> list[tuple[Claim, ...]]:
    """For each citation (same order), the claims it is cited for."""
    text = document.text
    sentences = sentence_spans(text)
    body_end = reference_section_start(text)
    citation_spans = [(c.start, c.end) for c in citations]
    markers = link_markers(text, citations)
    all_spans = citation_spans + [span for spans in markers.values() for span in spans]
    result = []
    for index, citation in enumerate(citations):
        claims: list[Claim] = []
        in_reference_list = body_end is not None and citation.start >= body_end
        anchors = [start for start, _ in markers.get(index, [])]
        if not in_reference_list:
            anchors.insert(0, citation.start)
        for at in anchors:
            claim = _claim_for_span(text, [], sentences, at, all_spans)
            if claim and claim not in claims:
                claims.append(claim)
        result.append(tuple(claims))
    return result


def unsourced_claims(document: Document, citations: list[Citation], claimed: list[tuple[Claim, ...]]) -> list[UnsourcedClaim]:
    """Sentences that attribute a finding to research but cite nothing resolvable."""
    text = document.text
    body_end = reference_section_start(text) or len(text)
    covered = [(c.start, c.end) for claims in claimed for c in claims] + [(c.start, c.end) for c in citations]
    found = []
    for start, end in sentence_spans(text[:body_end]):
        sentence = text[start:end]
        if len(sentence.split()) < 6 or any(s < end and start < e for s, e in covered):
            continue
        if _ATTRIBUTION.search(sentence) and _FINDING.search(sentence):
            figures = tuple(dict.fromkeys(m.group(0) for m in _FIGURE.finditer(sentence)))
            if figures or re.search(r"\b(?:stud(?:y|ies)|trials?|research)\b[^.]{0,40}\b(?:show|found|prove|demonstrat|report|suggest)", sentence, re.I):
                found.append(UnsourcedClaim(text=sentence, start=start, end=end, figures=figures))
    return found
