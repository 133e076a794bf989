"""Wording every format shares: shortened lines, tones of the labels, the reasons for a status in plain words,
notices, what an unmatched marker or a suggested source is, and the lines that explain a citation. Depends on
nothing but the records."""
from __future__ import annotations

from ..records import (
    CANNOT_CHECK, CONTRADICTED, CORRECTED, EXPRESSION_OF_CONCERN, FAILED, METADATA_MISMATCH, NOT_FOUND, NOT_SUPPORTED,
    PARTIALLY_SUPPORTED, RETRACTED, SUPPORTED, UNRESOLVED, VERIFIED, WRONG_WORK, CheckedCitation, Notice, OwnIdentifier, Resolution,
    UnmatchedMarker, UnsourcedClaim,
)


def shorten(text: str | None, width: int | None) -> str:
    """One line of at most `width` characters (None: the whole text on one line)."""
    text = " ".join((text or "").split())
    return text if width is None or len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def resolved_to(item: CheckedCitation) -> str:
    """The record a citation resolved to in one line: "Rolf 2018. Title. Journal"; "" when there is none."""
    work = item.resolution.work
    if work is None:
        return ""
    return " ".join(f"{work.first_author() or '?'} {work.year or 'n.d.'}. {work.title}. {work.journal}".split())


def evidence_text(evidence: tuple[str, ...]) -> str:
    """Evidence sentences quoted one after another, " […] " marking what lies between them in the source."""
    return " [\u2026] ".join(" ".join(sentence.split()) for sentence in evidence)


PARTLY_CHECKED = "partly checked"
SERVICE_NAMES = {"crossref": "Crossref", "pubmed": "PubMed"}


def partly_checked(item: CheckedCitation) -> bool:
    """Whether some lookup for the citation failed: UNRESOLVED, or resolved with a service unanswered."""
    return item.resolution.status == UNRESOLVED or any(r.startswith(PARTLY_CHECKED) for r in item.resolution.reasons)


def status_reasons(resolution: Resolution) -> list[str]:
    """Why the citation has its status, each reason whole. Lookups that failed are said once, in plain words
    (which service did not answer and what is therefore not known), the services' own answers after them."""
    failed = [lookup for lookup in resolution.lookups if lookup.outcome == FAILED]
    answers = list(dict.fromkeys(lookup.reason for lookup in failed))
    partly = [r for r in resolution.reasons if r.startswith(PARTLY_CHECKED)]
    technical = [r for r in resolution.reasons if not r.startswith(PARTLY_CHECKED) and r not in answers]
    if not failed and not partly:
        return technical
    services = list(dict.fromkeys(SERVICE_NAMES.get(lookup.service.split("-")[0], lookup.service) for lookup in failed))
    who = " and ".join(services) if services else "a service"
    said = "; ".join(answers or partly)
    if resolution.status == UNRESOLVED:
        return [f"Not checked: {who} could not be asked or did not answer, so whether this work exists is not known; this is "
                f"no finding against the citation, and a later run asks again ({said})"] + technical
    if resolution.work is None:
        return technical + [f"{who} did not answer as well ({said})"]
    return technical + [f"Only partly checked: {who} did not answer, so a retraction or correction notice it may hold is not "
                        f"known; a later run asks again ({said})"]


# Each label's tone, shared by the terminal colours and the HTML report.
TONES = {
    VERIFIED: "good", SUPPORTED: "good",
    METADATA_MISMATCH: "warn", PARTIALLY_SUPPORTED: "warn", CORRECTED: "warn",
    WRONG_WORK: "bad", NOT_FOUND: "bad", RETRACTED: "bad", EXPRESSION_OF_CONCERN: "bad", CONTRADICTED: "bad", NOT_SUPPORTED: "bad",
    UNRESOLVED: "grey", CANNOT_CHECK: "grey",
}


def marker_problem(marker: UnmatchedMarker) -> str:
    """What is wrong with an unmatched marker, in words: "[7] cites no entry in the reference list"."""
    written = shorten(marker.marker, 40)
    if all(isinstance(label, str) for label in marker.labels):
        return f"{written} has no footnote definition"
    if len(marker.labels) > 1:
        return f"{written} cites at least one number with no entry in the reference list"
    return f"{written} cites no entry in the reference list"


# How a document's own identifier is known (OwnIdentifier.evidence), in words.
IDENTITY_EVIDENCE = {"meta": "its HTML head", "url": "the address it was loaded from", "stamp": "its citation stamp",
                     "header": "its header"}


def identity_note(identity: tuple[OwnIdentifier, ...]) -> str:
    """A document's own identifiers in one line ("" when none is known): what it is, so not among what it cites."""
    named = "; ".join(f"{own.identifier} (from {IDENTITY_EVIDENCE.get(own.evidence, own.evidence)})" for own in identity)
    return f"{named}: the document itself, not checked as a citation" if named else ""


NOT_VERIFIED = "suggestion, not verified"


def suggestion_notes(claim: UnsourcedClaim, title_width: int | None) -> list[str]:
    """One line per suggested source of an unsourced claim, each marked as not verified, or why there is none."""
    notes = [
        f"{NOT_VERIFIED}: PMID {s.pmid} ({s.year or 'n.d.'}) {shorten(s.title, title_width)} (match {s.score:.2f})"
        for s in claim.suggestions
    ]
    if claim.suggestion_error:
        notes.append(f"suggested sources: {claim.suggestion_error}")
    elif not claim.suggestions:
        notes.append("suggested sources: a PubMed search found no candidate that matches the claim")
    return notes


def summary_line(summary: dict) -> str:
    """A Report.summary in one line."""
    found = ", ".join(f"{n} {k}" for k, n in summary["status"].items() if n) or "none"
    verdicts = ", ".join(f"{n} {k}" for k, n in summary["verdicts"].items() if n) or "none"
    flags = "".join(f", {n} {k}" for k, n in summary["flags"].items())
    markers = f"; {summary['unmatched_markers']} unmatched marker(s)" if summary["unmatched_markers"] else ""
    failed = f"; {summary['documents_failed']} document(s) could not be read" if summary["documents_failed"] else ""
    return (
        f"{summary['citations']} citation(s): {found}{flags}; {summary['claims']} claim(s): {verdicts}; "
        f"{summary['unsourced_claims']} unsourced claim(s){markers}{failed}"
    )


NOTICE_WORDS = {RETRACTED: "retraction notice", CORRECTED: "correction notice", EXPRESSION_OF_CONCERN: "expression of concern"}


def notice_text(notice: Notice) -> str:
    """A notice in words: "correction notice doi:10.1371/annotation/..."."""
    return f"{NOTICE_WORDS.get(notice.kind, notice.kind.lower())} {notice.identifier}"


def needs_explaining(item: CheckedCitation) -> bool:
    """Whether the citation gets an entry in the reasons block: anything but a VERIFIED, unflagged citation whose
    claims are all SUPPORTED with nothing more to say."""
    resolution = item.resolution
    return (resolution.status != VERIFIED or bool(resolution.flags) or bool(resolution.reasons)
            or any(c.verdict.verdict != SUPPORTED for c in item.claims))


def explanation(item: CheckedCitation) -> list[tuple[str, str]]:
    """(caption, text) lines that say why a citation has its status and each claim its verdict, every text whole:
    ("status", reason) for each status reason, ("notice", ...) for each retraction or correction notice the record
    names, then for each claim ("claim", its text) and (its verdict, its
    reasons), and for a verdict other than SUPPORTED ("evidence", the quoted sentences)."""
    lines = [("status", reason) for reason in status_reasons(item.resolution)]
    if item.resolution.work is not None:
        lines += [("notice", notice_text(notice)) for notice in item.resolution.work.notices]
    for checked in item.claims:
        verdict = checked.verdict
        lines.append(("claim", " ".join(checked.claim.text.split())))
        lines.append((verdict.verdict, "; ".join(verdict.reasons) or "no reason given"))
        if verdict.evidence and verdict.verdict != SUPPORTED:
            lines.append(("evidence", evidence_text(verdict.evidence)))
    return lines
