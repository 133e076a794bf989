"""The HTML report: one self-contained page (inline CSS, no scripts, no external assets).

Each document's text is shown with every claim and citation highlighted in the colour of its
verdict or status, and every citation marker that points at no reference entry outlined; beside
it, one card per citation (C1, C2, ...: not the document's own reference numbers) with the resolved
record, the evidence sentences from the abstract (or the title) and the reasons; each highlight links
to its card. A summary sits at the top. Pure: Report -> str.
"""
from __future__ import annotations

from html import escape

from ..records import (
    CANNOT_CHECK, CONTRADICTED, NOT_SUPPORTED, PARTIALLY_SUPPORTED, SUPPORTED, CheckedCitation, DocumentReport,
    SourceSuggestion, UnsourcedClaim,
)
from .model import Report
from .options import RenderOptions
from .text import NOT_VERIFIED, TONES, marker_problem


def anchor(page: int, kind: str, number: int) -> str:
    """An element id: the document's number first, since cards and highlights are numbered per document
    and a report may hold several. kind: c card, t citation in the text, u unsourced card, v its claim."""
    return f"d{page}-{kind}{number}"


def card_label(number: int, unsourced: bool = False) -> str:
    """The name of a card: "C1", "C2", ... for citations, "U1", ... for unsourced claims. Never a bare number,
    which a reader would take for the document's own reference number (cards follow the citations' order in the
    extracted text, not the reference list)."""
    return f"{'U' if unsourced else 'C'}{number}"


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
.card { border: 1px solid; border-left-width: 5px; border-radius: 6px; padding: .6rem .8rem; background: #fff; color: #1d1d1d; }
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
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  .columns { grid-template-columns: 3fr 2fr; gap: 1rem; }
  .card, .summary, blockquote { break-inside: avoid; }
  section.document { break-before: page; } section.document:first-of-type { break-before: auto; }
  a { color: inherit; }
}
"""


def _badge(label: str) -> str:
    return f'<span class="badge tone-{TONES.get(label, "grey")}">{escape(label)}</span>'


def _summary(report: Report, failing_count: int) -> str:
    s = report.summary

    def counts(title: str, values: dict) -> str:
        items = "".join(f"<li>{_badge(label)} {n}</li>" for label, n in values.items() if n) or "<li>none</li>"
        return f"<div><h3>{escape(title)}</h3><ul>{items}</ul></div>"

    totals = (
        f"<div><h3>Totals</h3><ul><li>{s['documents']} document(s), {s['documents_failed']} unreadable</li>"
        f"<li>{s['citations']} citation(s), {s['claims']} claim(s)</li>"
        f'<li><span class="badge tone-unsourced">UNSOURCED</span> {s["unsourced_claims"]} claim(s) without a source</li>'
        + (f'<li><span class="badge tone-warn">UNMATCHED MARKER</span> {s["unmatched_markers"]} marker(s) citing no reference entry</li>'
           if s["unmatched_markers"] else "")
        + f"<li>{s['incomplete']} citation(s) not fully checked</li>"
        f"<li><strong>{failing_count}</strong> finding(s) fail the run</li></ul></div>"
    )
    return (
        '<section class="summary" id="summary">' + totals + counts("Citations", s["status"]) + counts("Flags", s["flags"])
        + counts("Claims", s["verdicts"]) + "</section>"
    )


def _spans(document: DocumentReport, page: int) -> tuple[list, list]:
    """(claim spans as (start, end, tone, attributes, links to their cards), inline spans of citations and
    unmatched markers as (start, end, element, attributes)), each sorted by position."""
    verdicts: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for number, item in enumerate(document.citations, 1):
        for checked in item.claims:
            verdicts.setdefault((checked.claim.start, checked.claim.end), []).append((number, checked.verdict.verdict))
    claims = []
    for (start, end), judged in verdicts.items():
        worst = max((v for _, v in judged), key=lambda v: SEVERITY.get(v, 0))
        title = "; ".join(f"{card_label(n)} {v}" for n, v in judged)
        links = "".join(
            f'<a class="cardref tone-{TONES.get(v, "grey")}" href="#{anchor(page, "c", n)}" title="{card_label(n)}: {v}">{card_label(n)}</a>'
            for n, v in judged
        )
        claims.append((start, end, TONES.get(worst, "grey"), f'data-verdict="{worst}" title="{escape(title)}"', links))
    for number, claim in enumerate(document.unsourced_claims, 1):
        # Only a claim whose sources were searched has a card (_unsourced_card) to link to.
        link = (f'<a class="cardref tone-unsourced" href="#{anchor(page, "u", number)}" id="{anchor(page, "v", number)}" title="suggested sources">'
                f'{card_label(number, unsourced=True)}</a>') if claim.sources_searched else ""
        claims.append((claim.start, claim.end, "unsourced", 'data-verdict="UNSOURCED" title="claim without a source"', link))
    inline = []
    for number, item in enumerate(document.citations, 1):
        status = item.resolution.status
        flagged = " flagged" if any(TONES.get(f) == "bad" for f in item.resolution.flags) else ""
        labels = " ".join((status,) + item.resolution.flags)
        inline.append((item.citation.start, item.citation.end, "a",
                       f'class="cite tone-{TONES.get(status, "grey")}{flagged}" href="#{anchor(page, "c", number)}" id="{anchor(page, "t", number)}" '
                       f'data-status="{status}" data-card="{card_label(number)}" title="{card_label(number)}: {escape(labels)}"'))
    inline += [(m.start, m.end, "span", f'class="unmatched-marker" title="{escape(marker_problem(m))}"') for m in document.unmatched_markers]
    return sorted(claims), sorted(inline)


def _covering(spans: list, start: int, end: int):
    return next((span for span in spans if span[0] <= start and end <= span[1]), None)


def highlighted_text(document: DocumentReport, page: int = 1) -> str:
    """The document text as HTML, claims as <mark>, citations as <a> and unmatched markers as <span> inside
    them, properly nested; after each claim, a link to each card that judges it."""
    text = document.text
    claims, inline = _spans(document, page)
    cuts = sorted({0, len(text)} | {p for s in claims + inline for p in s[:2] if 0 <= p <= len(text)})
    out: list[str] = []
    open_claim = open_inline = None
    for start, end in zip(cuts, cuts[1:]):
        claim, covering = _covering(claims, start, end), _covering(inline, start, end)
        if covering is not open_inline or claim is not open_claim:
            if open_inline is not None:
                out.append(f"</{open_inline[2]}>")
                open_inline = None
        if claim is not open_claim:
            if open_claim is not None:
                out.append("</mark>" + open_claim[4])
            if claim is not None:
                out.append(f'<mark class="claim tone-{claim[2]}" {claim[3]}>')
            open_claim = claim
        if covering is not None and open_inline is None:
            out.append(f"<{covering[2]} {covering[3]}>")
            open_inline = covering
        out.append(escape(text[start:end]))
    out.append(f"</{open_inline[2]}>" if open_inline is not None else "")
    out.append("</mark>" + open_claim[4] if open_claim is not None else "")
    return "".join(out)


def _record(item: CheckedCitation) -> str:
    work = item.resolution.work
    if work is None:
        return '<p class="record muted">No record: nothing to compare with.</p>'
    authors = ", ".join(a.display() for a in work.authors[:6]) + (" et al." if len(work.authors) > 6 else "")
    where = " ".join(part for part in (work.journal, work.volume and f"{work.volume}" + (f"({work.issue})" if work.issue else ""), work.page) if part)
    ids = " · ".join(f"{label} {escape(value)}" for label, value in (("DOI", work.doi), ("PMID", work.pmid), ("PMCID", work.pmcid)) if value)
    return (
        f'<p class="record">{escape(authors)} ({work.year or "n.d."}). <span class="title">{escape(work.title)}</span>. '
        f'<em>{escape(where)}</em><br><span class="muted">{ids} · from {escape(work.source)}</span></p>'
    )


def _evidence(item: CheckedCitation, sentences: tuple[str, ...]) -> str:
    """The evidence sentences under the heading of where they come from. Without an abstract, compare() judges
    the claim against the title alone, and even with one a clash may be found in the title."""
    work = item.resolution.work
    title = " ".join(work.title.split()) if work else ""
    # A title the abstract repeats word for word is quoted as the abstract's.
    title_only = bool(title) and title not in " ".join((work.abstract or "").split())
    from_title = [s for s in sentences if title_only and " ".join(s.split()) == title]
    from_abstract = [s for s in sentences if s not in from_title]
    return "".join(
        f'<div class="muted">Evidence from the {where}:</div>' + "".join(f"<blockquote>{escape(s)}</blockquote>" for s in quoted)
        for where, quoted in (("abstract", from_abstract), ("title", from_title)) if quoted
    )


def _card(number: int, item: CheckedCitation, page: int) -> str:
    resolution = item.resolution
    tone = TONES.get(resolution.status, "grey")
    parts = [
        f'<div class="card tone-{tone}" id="{anchor(page, "c", number)}" data-status="{resolution.status}"><header>'
        f'<a class="num" href="#{anchor(page, "t", number)}" title="back to the citation in the text">{card_label(number)}</a> {_badge(resolution.status)} '
        + "".join(_badge(f) + " " for f in resolution.flags)
        + f'<span class="written">{escape(item.citation.text)}</span></header>',
        _record(item),
    ]
    if resolution.reasons:
        parts.append("<ul>" + "".join(f"<li>{escape(r)}</li>" for r in resolution.reasons) + "</ul>")
    for checked in item.claims:
        verdict = checked.verdict
        reasons = "".join(f"<li>{escape(r)}</li>" for r in verdict.reasons)
        parts.append(
            f'<div class="check" data-verdict="{verdict.verdict}">{_badge(verdict.verdict)} '
            f'<span class="claimtext">{escape(checked.claim.text)}</span>'
            + _evidence(item, verdict.evidence)
            + (f"<ul>{reasons}</ul>" if reasons else "") + "</div>"
        )
    parts.append("</div>")
    return "".join(parts)


def _suggestion(suggestion: SourceSuggestion) -> str:
    ids = f"PMID {escape(suggestion.pmid)}" + (f" · DOI {escape(suggestion.doi)}" if suggestion.doi else "")
    return (
        f'<li class="suggestion" data-verified="false" data-pmid="{escape(suggestion.pmid)}">'
        f'<span class="badge tone-grey">{NOT_VERIFIED}</span> <span class="title">{escape(suggestion.title)}</span> '
        f'({suggestion.year or "n.d."}) <span class="muted">{ids} · match {suggestion.score:.2f}. '
        f"{escape(suggestion.reason)}</span></li>"
    )


def _unsourced_card(number: int, claim: UnsourcedClaim, page: int) -> str:
    """An unsourced claim with the PubMed articles suggested as its source (only after --suggest-sources)."""
    if claim.suggestions:
        found = '<div class="muted">Suggested sources from a PubMed search:</div><ul>' + "".join(map(_suggestion, claim.suggestions)) + "</ul>"
    else:
        found = ""
    if claim.suggestion_error:
        found += f'<p class="muted" data-suggestion-error="true">{escape(claim.suggestion_error)}</p>'
    elif not claim.suggestions:
        found += '<p class="muted">A PubMed search found no candidate that matches the claim.</p>'
    return (
        f'<div class="card tone-unsourced" id="{anchor(page, "u", number)}" data-verdict="UNSOURCED"><header>'
        f'<a class="num" href="#{anchor(page, "v", number)}" title="back to the claim in the text">{card_label(number, unsourced=True)}</a> '
        f'<span class="badge tone-unsourced">UNSOURCED</span></header>'
        f'<span class="claimtext">{escape(claim.text)}</span>{found}</div>'
    )


def _document(index: int, document: DocumentReport) -> str:
    head = f'<section class="document" id="d{index}"><h2>{escape(document.source)}</h2>'
    if document.error:
        return head + f'<p class="error">Could not read this document: {escape(document.error)}</p></section>'
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
    names = ", ".join(d.source for d in report.documents)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>refcheck report: {escape(names)}</title><style>{CSS}</style></head><body>"
        f'<header><h1>refcheck report</h1><p class="meta">{escape(names)} · refcheck {escape(report.version)}</p>'
        f"{_summary(report, len(report.failing(options.fail_on, options.baseline)))}{LEGEND}</header>{documents}</body></html>\n"
    )
