"""The HTML report: one self-contained page (inline CSS, no scripts, no external assets; the only links leave
for doi.org, PubMed and PMC).

Each document's text is shown with every claim and citation highlighted in the colour of its verdict or status,
and every citation marker that points at no reference entry outlined; a Markdown document is shown rendered
(headings, no front matter or syntax marks: markdown_source). Beside it, one card per citation (C1, C2, ...: not
the document's own reference numbers) with the resolved record, links to it at doi.org, PubMed and PMC (or, when
nothing was found, links to look the cited identifiers up) and to the retraction or correction notices it names,
the reasons in plain words, each claim's verdict,
reasons and evidence sentences, and the full abstract one click away with the evidence highlighted. Each
highlight links to its card. The document's own identifiers (its DOI as a journal page prints it: DocumentReport.
identity) stand under its name. A summary sits at the top. Pure: Report -> str.

Every value goes through escape(str(...)) (_h) wherever it lands, text or attribute, whatever type it has: a
record from a tampered cache may carry a string where a number belongs. The report is sanitised before it
gets here (render.render), so no control character reaches the page either.
"""
from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

from ..records import (
    CANNOT_CHECK, CONTRADICTED, NOT_SUPPORTED, PARTIALLY_SUPPORTED, SUPPORTED, CheckedCitation, DocumentReport, Identifier,
    SourceSuggestion, UnsourcedClaim, Work,
)
from .markdown_source import markdown_layout
from .model import Report
from .options import RenderOptions
from .text import IDENTITY_EVIDENCE, NOT_VERIFIED, NOTICE_WORDS, TONES, marker_problem, status_reasons


def _h(value) -> str:
    """Any value as HTML text or attribute value."""
    return escape(str(value))


def anchor(page: int, kind: str, number: int) -> str:
    """An element id: the document's number first, since cards and highlights are numbered per document
    and a report may hold several. kind: c card, t citation in the text, u unsourced card, v its claim."""
    return f"d{page}-{kind}{number}"


def card_label(number: int, unsourced: bool = False) -> str:
    """The name of a card: "C1", "C2", ... for citations, "U1", ... for unsourced claims. Never a bare number,
    which a reader would take for the document's own reference number (cards follow the citations' order in the
    extracted text, not the reference list)."""
    return f"{'U' if unsourced else 'C'}{number}"


# --- links to the works --------------------------------------------------------------------------

DOI_SHAPE = re.compile(r"10\.\d{4,9}/\S+")
PMID_SHAPE = re.compile(r"[1-9]\d{0,8}")
PMCID_SHAPE = re.compile(r"PMC\d{1,9}")


def identifier_link(scheme: str, value) -> str:
    """A link to the page of a DOI (doi.org), PMID (PubMed) or PMCID (PMC); "" for a value of the wrong shape."""
    value = str(value or "")
    if scheme == "doi" and DOI_SHAPE.fullmatch(value):
        href, label = "https://doi.org/" + quote(value, safe="/:;()._-"), f"doi.org/{value}"
    elif scheme == "pmid" and PMID_SHAPE.fullmatch(value):
        href, label = f"https://pubmed.ncbi.nlm.nih.gov/{value}/", f"PubMed {value}"
    elif scheme == "pmcid" and PMCID_SHAPE.fullmatch(value.upper()):
        href, label = f"https://pmc.ncbi.nlm.nih.gov/articles/{value.upper()}/", value.upper()
    else:
        return ""
    return f'<a href="{_h(href)}" rel="noopener noreferrer" target="_blank">{_h(label)}</a>'


def _work_links(work: Work) -> str:
    links = [identifier_link(scheme, value) for scheme, value in (("doi", work.doi), ("pmid", work.pmid), ("pmcid", work.pmcid)) if value]
    return " · ".join(link for link in links if link)


def _lookup_links(identifiers: tuple[Identifier, ...]) -> str:
    links = [identifier_link(identifier.scheme, identifier.value) for identifier in identifiers]
    return " · ".join(link for link in links if link)


# When one sentence is the claim of several citations, it takes the colour of its worst verdict.
SEVERITY = {SUPPORTED: 0, CANNOT_CHECK: 1, PARTIALLY_SUPPORTED: 2, NOT_SUPPORTED: 3, CONTRADICTED: 4}

CSS = """
:root { --good:#2e7d32; --good-bg:#dcf1de; --warn:#a15c00; --warn-bg:#fff0c2; --bad:#c62828; --bad-bg:#fbd6d6;
  --grey:#616161; --grey-bg:#e6e6e6; --unsourced:#6a1b9a; --unsourced-bg:#eee0f8; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1d; margin: 0 auto;
  max-width: 1400px; padding: 1.5rem; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; } h2 { font-size: 1.2rem; border-bottom: 2px solid #ccc; padding-bottom: .2rem; }
.meta { color: #555; margin: 0 0 1rem; }
.summary { display: flex; flex-wrap: wrap; gap: 1rem 2rem; background: #f6f6f6; border: 1px solid #ddd;
  border-radius: 6px; padding: .8rem 1rem; }
.summary h3 { margin: 0 0 .3rem; font-size: .85rem; text-transform: uppercase; color: #555; letter-spacing: .04em; }
.summary ul { list-style: none; margin: 0; padding: 0; }
.summary li { margin: .15rem 0; }
.badge { display: inline-block; font: 600 .72rem/1.4 ui-monospace, monospace; padding: .05rem .4rem; border-radius: 4px;
  border: 1px solid; white-space: nowrap; }
.tone-good { --c: var(--good); --bg: var(--good-bg); } .tone-warn { --c: var(--warn); --bg: var(--warn-bg); }
.tone-bad { --c: var(--bad); --bg: var(--bad-bg); } .tone-grey { --c: var(--grey); --bg: var(--grey-bg); }
.tone-unsourced { --c: var(--unsourced); --bg: var(--unsourced-bg); }
.badge, .card { color: var(--c); background: var(--bg); border-color: var(--c); }
.columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem; align-items: start; }
.text { white-space: pre-wrap; font-family: Georgia, "Times New Roman", serif; font-size: 1.05rem; line-height: 1.65; }
mark.claim { background: var(--bg); border-bottom: 2px solid var(--c); color: inherit; padding: 0 .1em; }
mark.claim.tone-unsourced { border-bottom-style: dashed; }
a.cite { color: var(--c); background: var(--bg); border: 1.5px solid var(--c); border-radius: 3px; padding: 0 .15em;
  font-weight: 600; text-decoration: none; }
a.cite.flagged { outline: 2px dashed var(--bad); outline-offset: 1px; }
a.cite::after { content: attr(data-card); font: 600 .62em ui-monospace, monospace; vertical-align: super; margin-left: .15em; }
a.cardref { color: var(--c); font: 600 .68em ui-monospace, monospace; vertical-align: super; margin-left: .1em;
  text-decoration: none; }
.unmatched-marker { color: var(--warn); background: var(--warn-bg); border: 1.5px dashed var(--warn); border-radius: 3px;
  padding: 0 .15em; font-weight: 600; cursor: help; }
.records { display: flex; flex-direction: column; gap: .8rem; }
.card { border: 1px solid var(--c); border-left-width: 5px; border-radius: 6px; padding: .6rem .8rem; background: #fff; color: #1d1d1d; }
.card header { display: flex; flex-wrap: wrap; gap: .35rem; align-items: center; margin-bottom: .3rem; }
.card .num { font-weight: 700; color: var(--c); }
.card .written { font-family: ui-monospace, monospace; font-size: .82rem; color: #444; word-break: break-all; }
.card .record { margin: .3rem 0; } .card .record .title { font-weight: 600; }
.card ul { margin: .25rem 0; padding-left: 1.2rem; } .card li { margin: .1rem 0; }
.check { border-top: 1px solid #ddd; margin-top: .45rem; padding-top: .4rem; }
.check .claimtext { font-style: italic; }
blockquote { margin: .3rem 0; padding: .2rem .6rem; border-left: 3px solid #999; background: #fafafa; font-size: .92rem; }
.muted { color: #666; font-size: .88rem; }
.error { color: var(--bad); font-weight: 600; }
.legend { font-size: .85rem; }
.card .links { margin: .2rem 0; font-size: .88rem; } .card .links a { color: #0b57d0; }
details.abstract { margin-top: .45rem; font-size: .92rem; } details.abstract summary { cursor: pointer; color: #0b57d0; }
details.abstract p { margin: .3rem 0; }
mark.evidence { background: var(--bg); border-bottom: 2px solid var(--c); color: inherit; }
.md-front, .md-hidden { display: none; }
.md-h1, .md-h2, .md-h3, .md-h4, .md-h5, .md-h6 { font-family: system-ui, sans-serif; font-weight: 700; }
.md-h1 { font-size: 1.5rem; } .md-h2 { font-size: 1.3rem; } .md-h3 { font-size: 1.15rem; }
.md-bullet { font-size: 0; } .md-bullet::before { content: "\\2022\\00a0"; font-size: 1.05rem; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  .columns { grid-template-columns: 3fr 2fr; gap: 1rem; }
  .card, .summary, blockquote { break-inside: avoid; }
  section.document { break-before: page; } section.document:first-of-type { break-before: auto; }
  a { color: inherit; }
}
"""


def _badge(label) -> str:
    return f'<span class="badge tone-{TONES.get(label, "grey")}">{_h(label)}</span>'


def _summary(report: Report, failing_count: int) -> str:
    s = report.summary

    def counts(title: str, values: dict) -> str:
        items = "".join(f"<li>{_badge(label)} {_h(n)}</li>" for label, n in values.items() if n) or "<li>none</li>"
        return f"<div><h3>{_h(title)}</h3><ul>{items}</ul></div>"

    totals = (
        f"<div><h3>Totals</h3><ul><li>{s['documents']} document(s), {s['documents_failed']} unreadable</li>"
        f"<li>{s['citations']} citation(s), {s['claims']} claim(s)</li>"
        f'<li><span class="badge tone-unsourced">UNSOURCED</span> {s["unsourced_claims"]} claim(s) without a source</li>'
        + (f'<li><span class="badge tone-warn">UNMATCHED MARKER</span> {s["unmatched_markers"]} marker(s) citing no reference entry</li>'
           if s["unmatched_markers"] else "")
        + f"<li>{s['incomplete']} citation(s) not fully checked (a service did not answer)</li>"
        f"<li><strong>{failing_count}</strong> finding(s) fail the run</li></ul></div>"
    )
    return (
        '<section class="summary" id="summary">' + totals + counts("Citations", s["status"]) + counts("Flags", s["flags"])
        + counts("Claims", s["verdicts"]) + "</section>"
    )


# --- the document text ---------------------------------------------------------------------------

class _Span:
    """A stretch of the text rendered as one element: `opening` and `closing` tags, and `after` written once
    the element's true end is reached (a claim's links to its cards)."""

    __slots__ = ("start", "end", "opening", "closing", "after")

    def __init__(self, start: int, end: int, opening: str, closing: str, after: str = "") -> None:
        self.start, self.end, self.opening, self.closing, self.after = start, end, opening, closing, after


def _claim_spans(document: DocumentReport, page: int) -> list[_Span]:
    verdicts: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for number, item in enumerate(document.citations, 1):
        for checked in item.claims:
            verdicts.setdefault((checked.claim.start, checked.claim.end), []).append((number, checked.verdict.verdict))
    spans = []
    for (start, end), judged in verdicts.items():
        worst = max((v for _, v in judged), key=lambda v: SEVERITY.get(v, 0))
        title = "; ".join(f"{card_label(n)} {v}" for n, v in judged)
        links = "".join(
            f'<a class="cardref tone-{TONES.get(v, "grey")}" href="#{anchor(page, "c", n)}" title="{card_label(n)}: {_h(v)}">{card_label(n)}</a>'
            for n, v in judged
        )
        spans.append(_Span(start, end, f'<mark class="claim tone-{TONES.get(worst, "grey")}" data-verdict="{_h(worst)}" title="{_h(title)}">',
                           "</mark>", links))
    for number, claim in enumerate(document.unsourced_claims, 1):
        # Only a claim whose sources were searched has a card (_unsourced_card) to link to.
        link = (f'<a class="cardref tone-unsourced" href="#{anchor(page, "u", number)}" id="{anchor(page, "v", number)}" title="suggested sources">'
                f'{card_label(number, unsourced=True)}</a>') if claim.sources_searched else ""
        spans.append(_Span(claim.start, claim.end, '<mark class="claim tone-unsourced" data-verdict="UNSOURCED" title="claim without a source">',
                           "</mark>", link))
    return sorted(spans, key=lambda span: (span.start, span.end))


def _inline_spans(document: DocumentReport, page: int) -> list[_Span]:
    spans = []
    for number, item in enumerate(document.citations, 1):
        status = item.resolution.status
        flagged = " flagged" if any(TONES.get(f) == "bad" for f in item.resolution.flags) else ""
        labels = " ".join((status,) + item.resolution.flags)
        spans.append(_Span(item.citation.start, item.citation.end,
                           f'<a class="cite tone-{TONES.get(status, "grey")}{flagged}" href="#{anchor(page, "c", number)}" id="{anchor(page, "t", number)}" '
                           f'data-status="{_h(status)}" data-card="{card_label(number)}" title="{card_label(number)}: {_h(labels)}">', "</a>"))
    spans += [_Span(m.start, m.end, f'<span class="unmatched-marker" title="{_h(marker_problem(m))}">', "</span>") for m in document.unmatched_markers]
    return sorted(spans, key=lambda span: (span.start, span.end))


def _markdown_spans(document: DocumentReport) -> tuple[list[_Span], list[_Span]]:
    if document.format != "markdown":
        return [], []
    blocks, syntax = markdown_layout(document.text)
    return ([_Span(start, end, f'<span class="{css}">', "</span>") for start, end, css in blocks],
            [_Span(start, end, f'<span class="{css}">', "</span>") for start, end, css in syntax])


def _covering_at(spans: list[_Span]):
    """A function (start, end) -> the first span covering that stretch, for stretches asked in text order."""
    position = 0

    def covering(start: int, end: int):
        nonlocal position
        while position < len(spans) and spans[position].end <= start:
            position += 1
        span = spans[position] if position < len(spans) else None
        return span if span is not None and span.start <= start and end <= span.end else None

    return covering


def highlighted_text(document: DocumentReport, page: int = 1) -> str:
    """The document text as HTML: Markdown blocks outermost, then claims as <mark>, citations as <a> and
    unmatched markers as <span>, then hidden Markdown syntax, properly nested (an element crossing an outer
    one's boundary is closed and reopened); after each claim, a link to each card that judges it."""
    text = document.text
    blocks, syntax = _markdown_spans(document)
    levels = [blocks, _claim_spans(document, page), _inline_spans(document, page), syntax]
    cuts = sorted({0, len(text)} | {p for spans in levels for span in spans for p in (span.start, span.end) if 0 <= p <= len(text)})
    finders = [_covering_at(spans) for spans in levels]
    opened: list[_Span | None] = [None] * len(levels)
    out: list[str] = []

    def close_from(level: int, position: int) -> None:
        for inner in range(len(levels) - 1, level - 1, -1):
            span = opened[inner]
            if span is not None:
                out.append(span.closing + (span.after if position >= span.end else ""))
                opened[inner] = None

    for start, end in zip(cuts, cuts[1:]):
        wanted = [find(start, end) for find in finders]
        changed = next((level for level in range(len(levels)) if wanted[level] is not opened[level]), None)
        if changed is not None:
            close_from(changed, start)
            for level in range(changed, len(levels)):
                if wanted[level] is not None:
                    out.append(wanted[level].opening)
                    opened[level] = wanted[level]
        out.append(escape(text[start:end]))
    close_from(0, len(text))
    return "".join(out)


# --- the cards -----------------------------------------------------------------------------------

def _record(item: CheckedCitation) -> str:
    work = item.resolution.work
    if work is None:
        links = _lookup_links(item.citation.identifiers)
        look_up = f'<p class="links">Look it up yourself: {links}</p>' if links else ""
        return '<p class="record muted">No record: nothing to compare with.</p>' + look_up
    authors = ", ".join(a.display() for a in work.authors[:6]) + (" et al." if len(work.authors) > 6 else "")
    volume = f"{work.volume}" + (f"({work.issue})" if work.issue else "") if work.volume else ""
    where = " ".join(str(part) for part in (work.journal, volume, work.page) if part)
    ids = " · ".join(f"{label} {_h(value)}" for label, value in (("DOI", work.doi), ("PMID", work.pmid), ("PMCID", work.pmcid)) if value)
    links = _work_links(work)
    notices = "".join(
        f'<p class="links notice">{_badge(notice.kind)} {_h(NOTICE_WORDS.get(notice.kind, notice.kind.lower()))}: '
        f'{identifier_link(notice.identifier.scheme, notice.identifier.value) or _h(notice.identifier)}</p>'
        for notice in work.notices
    )
    return (
        f'<p class="record">{_h(authors)} ({_h(work.year or "n.d.")}). <span class="title">{_h(work.title)}</span>. '
        f'<em>{_h(where)}</em><br><span class="muted">{ids} · from {_h(work.source)}</span></p>'
        + (f'<p class="links">{links}</p>' if links else "") + notices
    )


def _evidence(item: CheckedCitation, sentences: tuple[str, ...]) -> str:
    """The evidence sentences under the heading of where they come from. Without an abstract, compare() judges
    the claim against the title alone, and even with one a clash may be found in the title."""
    work = item.resolution.work
    title = " ".join(str(work.title).split()) if work else ""
    # A title the abstract repeats word for word is quoted as the abstract's.
    title_only = bool(title) and title not in " ".join(str(work.abstract or "").split())
    from_title = [s for s in sentences if title_only and " ".join(s.split()) == title]
    from_abstract = [s for s in sentences if s not in from_title]
    return "".join(
        f'<div class="muted">Evidence from the {where}:</div>' + "".join(f"<blockquote>{_h(s)}</blockquote>" for s in quoted)
        for where, quoted in (("abstract", from_abstract), ("title", from_title)) if quoted
    )


def _abstract(item: CheckedCitation) -> str:
    """The whole abstract, folded away, each evidence sentence in it marked in the colour of its claim's verdict."""
    work = item.resolution.work
    if work is None or not work.abstract:
        return ""
    abstract = " ".join(str(work.abstract).split())
    marks = []
    for checked in item.claims:
        for sentence in checked.verdict.evidence:
            start = abstract.find(" ".join(sentence.split()))
            if start >= 0 and sentence.strip():
                marks.append((start, start + len(" ".join(sentence.split())), checked.verdict.verdict))
    out, position = [], 0
    for start, end, verdict in sorted(marks):
        if start < position:  # the same sentence as evidence of two claims: marked once
            continue
        out += [_h(abstract[position:start]), f'<mark class="evidence tone-{TONES.get(verdict, "grey")}">{_h(abstract[start:end])}</mark>']
        position = end
    out.append(_h(abstract[position:]))
    summary = "Abstract, evidence highlighted" if marks else "Abstract"
    return f'<details class="abstract"><summary>{summary}</summary><p>{"".join(out)}</p></details>'


def _card(number: int, item: CheckedCitation, page: int) -> str:
    resolution = item.resolution
    tone = TONES.get(resolution.status, "grey")
    parts = [
        f'<div class="card tone-{tone}" id="{anchor(page, "c", number)}" data-status="{_h(resolution.status)}"><header>'
        f'<a class="num" href="#{anchor(page, "t", number)}" title="back to the citation in the text">{card_label(number)}</a> {_badge(resolution.status)} '
        + "".join(_badge(f) + " " for f in resolution.flags)
        + f'<span class="written">{_h(item.citation.text)}</span></header>',
        _record(item),
    ]
    reasons = status_reasons(resolution)
    if reasons:
        parts.append("<ul>" + "".join(f"<li>{_h(r)}</li>" for r in reasons) + "</ul>")
    for checked in item.claims:
        verdict = checked.verdict
        why = "".join(f"<li>{_h(r)}</li>" for r in verdict.reasons)
        parts.append(
            f'<div class="check" data-verdict="{_h(verdict.verdict)}">{_badge(verdict.verdict)} '
            f'<span class="claimtext">{_h(checked.claim.text)}</span>'
            + _evidence(item, verdict.evidence)
            + (f"<ul>{why}</ul>" if why else "") + "</div>"
        )
    parts.append(_abstract(item) + "</div>")
    return "".join(parts)


def _suggestion(suggestion: SourceSuggestion) -> str:
    ids = identifier_link("pmid", suggestion.pmid) or f"PMID {_h(suggestion.pmid)}"
    ids += f" · {identifier_link('doi', suggestion.doi) or 'DOI ' + _h(suggestion.doi)}" if suggestion.doi else ""
    score = f"{suggestion.score:.2f}" if isinstance(suggestion.score, (int, float)) else _h(suggestion.score)
    return (
        f'<li class="suggestion" data-verified="false" data-pmid="{_h(suggestion.pmid)}">'
        f'<span class="badge tone-grey">{NOT_VERIFIED}</span> <span class="title">{_h(suggestion.title)}</span> '
        f'({_h(suggestion.year or "n.d.")}) <span class="muted">{ids} · match {score}. '
        f"{_h(suggestion.reason)}</span></li>"
    )


def _unsourced_card(number: int, claim: UnsourcedClaim, page: int) -> str:
    """An unsourced claim with the PubMed articles suggested as its source (only after --suggest-sources)."""
    if claim.suggestions:
        found = '<div class="muted">Suggested sources from a PubMed search:</div><ul>' + "".join(map(_suggestion, claim.suggestions)) + "</ul>"
    else:
        found = ""
    if claim.suggestion_error:
        found += f'<p class="muted" data-suggestion-error="true">{_h(claim.suggestion_error)}</p>'
    elif not claim.suggestions:
        found += '<p class="muted">A PubMed search found no candidate that matches the claim.</p>'
    return (
        f'<div class="card tone-unsourced" id="{anchor(page, "u", number)}" data-verdict="UNSOURCED"><header>'
        f'<a class="num" href="#{anchor(page, "v", number)}" title="back to the claim in the text">{card_label(number, unsourced=True)}</a> '
        f'<span class="badge tone-unsourced">UNSOURCED</span></header>'
        f'<span class="claimtext">{_h(claim.text)}</span>{found}</div>'
    )


def _identity(document: DocumentReport) -> str:
    """The document's own identifiers under its name, linked: what it is, so not among its citations."""
    named = " · ".join(
        f"{identifier_link(own.identifier.scheme, own.identifier.value) or _h(own.identifier)} "
        f"(from {_h(IDENTITY_EVIDENCE.get(own.evidence, own.evidence))})"
        for own in document.identity
    )
    return f'<p class="muted identity">This document itself: {named}. Not checked as a citation.</p>' if named else ""


def _document(index: int, document: DocumentReport) -> str:
    head = f'<section class="document" id="d{index}"><h2>{_h(document.source)}</h2>{_identity(document)}'
    if document.error:
        return head + f'<p class="error">Could not read this document: {_h(document.error)}</p></section>'
    cards = "".join(_card(n, item, index) for n, item in enumerate(document.citations, 1)) or '<p class="muted">No citations found.</p>'
    cards += "".join(_unsourced_card(n, claim, index) for n, claim in enumerate(document.unsourced_claims, 1) if claim.sources_searched)
    return head + f'<div class="columns"><div class="text">{highlighted_text(document, index)}</div><aside class="records">{cards}</aside></div></section>'


LEGEND = (
    '<p class="legend">Citations: <a class="cite tone-good">verified</a> <a class="cite tone-warn">metadata mismatch</a> '
    '<a class="cite tone-bad">not found / wrong work</a> <a class="cite tone-grey">could not check</a> '
    '<a class="cite tone-bad flagged">retracted / concern</a>. Claims: <mark class="claim tone-good">supported</mark> '
    '<mark class="claim tone-warn">partly supported</mark> <mark class="claim tone-bad">not supported / contradicted</mark> '
    '<mark class="claim tone-grey">cannot check</mark> <mark class="claim tone-unsourced">no source given</mark>. '
    'Markers: <span class="unmatched-marker">[7]</span> points at no entry in the reference list. '
    'C1, C2, ... name refcheck\'s cards, in the order the citations appear; they are not the document\'s reference numbers.</p>'
)


def render_html(report: Report, options: RenderOptions) -> str:
    documents = "".join(_document(i, d) for i, d in enumerate(report.documents, 1))
    names = ", ".join(str(d.source) for d in report.documents)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>refcheck report: {_h(names)}</title><style>{CSS}</style></head><body>"
        f'<header><h1>refcheck report</h1><p class="meta">{_h(names)} · refcheck {_h(report.version)}</p>'
        f"{_summary(report, len(report.failing(options.fail_on, options.baseline)))}{LEGEND}</header>{documents}</body></html>\n"
    )
