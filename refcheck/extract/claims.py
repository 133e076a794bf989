"""Which sentences each citation is offered as support for, and which
research-sounding sentences have no citation at all.

A citation supports the sentence it sits in or ends (an identifier or a
"[3]" or "[^3]" marker; "[2, 5]" gives the sentence to both works; every "[3]"
in the body gives its sentence to reference 3).  A sentence that is little more
than its citation ("See doi:...") gives the claim to the sentence before it,
unless that sentence carries a citation or marker of its own.  A citation in a
footnote definition is cited for the sentences carrying its footnote's marker,
wherever the definition stands; the definitions' own text is never a claim.

A claim is its sentence without the citation labels: identifiers as written,
"doi:..."/"PMID: ..." and URLs, "[3]" and "[^3]", "(Smith et al., 2012)", and
the year of "Smith and Jones (2009)" (the names are the sentence's words).
Link text stays - "A [study in mice](https://doi.org/...) found ..." - unless
it is itself such a label or the only thing in its brackets ("([source](...))").

A sentence with citations at several places, each but the last followed by a
clause break ("; " or ", and/but/while/whereas ..."), gives each citation its
clause: "X reduced A [1], and Y increased B [2]." gives "X reduced A" to 1 and
"Y increased B." to 2. Otherwise - markers together at the end ("... [1, 2]."),
a citation inside a clause, a clause under four words - each citation gets the
whole sentence.

A reference-list entry followed by commentary ("Stem Cells. 2009 ... doi:...",
then the article's title, affiliation, a copied abstract, a heading and the
page's own summary) is read as: the first long paragraph is a quotation of
the work (``Claim.quotation``), the prose paragraphs after it are the page's
claims about the work.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right

from ..records import Citation, Claim, Document, UnsourcedClaim
from .markers import is_author_year, link_markers
from .references import footnote_definitions, reference_entries, reference_lists, reference_section_start
from .identifiers import find_identifiers
from .sentences import FOOTNOTE_LABEL, NUMBERED_LABELS, sentence_bounds, sentence_spans

# A sentence that is little more than its citation ("See doi:...", "[3]") supports the one before.
_MIN_CLAIM_WORDS = 4
_MARKER = re.compile(rf"\s?\[(?:{NUMBERED_LABELS}|\^(?:{FOOTNOTE_LABEL}))\]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# What cutting labels out of a sentence leaves to tidy.
_EMPTY_BRACKETS = re.compile(r"\(\s*[;,]?\s*\)|\[\s*\]")
# A pandoc (Manubot, R Markdown, Quarto) citation: "[@doi:10.1/x; @pmid:123; @url:https://...]", "[see @smith2020]".
# Once its identifiers are cut, "[@; @url:...]" is left: the whole bracket is the label, not the sentence's words.
_PANDOC_CITATION = re.compile(r"\s?\[[^\[\]\n@]{0,30}-?@[^\[\]\n]{0,3000}\]")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
_REPEATED_SEPARATOR = re.compile(r"([,;])[,;]+")
_SPACES = re.compile(r"\s{2,}")
# A paragraph of the page's own prose (not a title, byline, heading or affiliation).
_PROSE_MIN_WORDS = 25
# How many short paragraphs (title, authors, affiliation) may sit between a
# reference entry and the abstract it quotes.
_MAX_HEADER_PARAGRAPHS = 4


class Spans:
    """(start, end) spans sorted once, so the ones starting in a range are found by bisection; kept
    as two arrays (a long document has a sentence every hundred characters)."""

    def __init__(self, spans=(), *, bounds: tuple[array, array] | None = None) -> None:
        if bounds is None:
            ordered = sorted(spans)
            bounds = array("q", (s for s, _ in ordered)), array("q", (e for _, e in ordered))
        self.starts, self.ends = bounds

    def __getitem__(self, index: int) -> tuple[int, int]:
        return self.starts[index], self.ends[index]

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self):
        return zip(self.starts, self.ends)

    def starting_in(self, start: int, end: int) -> list[tuple[int, int]]:
        first, last = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return list(zip(self.starts[first:last], self.ends[first:last]))


def _strip_citation(text: str, labels: Spans, bounds: tuple[int, int]) -> str:
    """text[bounds] without its citation labels, markers and the brackets they leave empty."""
    start, end = bounds
    pieces, cursor = [], start
    for s, e in labels.starting_in(start, end):
        if s >= cursor and e <= end:
            pieces.append(text[cursor:s])
            cursor = e
    pieces.append(text[cursor:end])
    cleaned = "".join(pieces)
    if "[" in cleaned or "(" in cleaned:
        if "@" in cleaned:
            cleaned = _PANDOC_CITATION.sub("", cleaned)
        cleaned = _EMPTY_BRACKETS.sub("", _MARKER.sub("", cleaned))
    cleaned = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", cleaned)
    if ",," in cleaned or ";" in cleaned:
        cleaned = _REPEATED_SEPARATOR.sub(r"\1", cleaned)
    return _SPACES.sub(" ", cleaned).strip(" ,;")


def _carries_citation(text: str, sentence: tuple[int, int], places: Spans) -> bool:
    start, end = sentence
    return bool(_MARKER.search(text, start, end)) or bool(places.starting_in(start, end))


def _claim_at(text: str, sentences: Spans, at: int, places: Spans, labels: Spans) -> Claim | None:
    """The claim for the citation or marker at ``at``: its clause or sentence with the labels cut.
    Whether a sentence is "little more than its citation" is judged without its link texts too,
    so "Read the study | Share" stays a link, not a claim."""
    index = bisect_right(sentences.starts, at) - 1
    if index < 0 or at >= sentences.ends[index]:
        return None
    if len(_strip_citation(text, places, sentences[index]).split()) >= _MIN_CLAIM_WORDS:
        clause = _clause(text, sentences[index], at, places, labels)
        if clause is not None:
            return Claim(text=_strip_citation(text, labels, clause), start=clause[0], end=clause[1])
    else:
        if index == 0 or _opens_block(text, sentences.ends[index - 1], sentences.starts[index]):
            return None
        index -= 1
        if _carries_citation(text, sentences[index], places):
            return None  # that sentence is another citation's
        if len(_strip_citation(text, places, sentences[index]).split()) < _MIN_CLAIM_WORDS:
            return None
    start, end = sentences[index]
    return Claim(text=_strip_citation(text, labels, (start, end)), start=start, end=end)


# A list item's or a heading's mark at the start of a line.
_BLOCK_MARK = re.compile(r"(?:[-*+\u2022]|\d{1,3}[.)]|#{1,6})[ \t]")


def _opens_block(text: str, previous_end: int, start: int) -> bool:
    """Does the sentence at ``start`` open a paragraph, list item or heading of its own? Then the sentence
    before is another block's ("- [Title](https://...)" under the last item's commentary), not what it cites."""
    return "\n" in text[previous_end:start] and ("\n\n" in text[previous_end:start].replace(" ", "").replace("\t", "")
                                                  or bool(_BLOCK_MARK.match(text, start)))


# What follows a citation that ends a clause: "X reduced A [1], and Y increased B [2]."
_CLAUSE_BREAK = re.compile(r"[)\]]{0,2}\s{0,3}(?:;|,\s{0,3}(?:and|but|while|whereas|whilst|yet|although|though)\b)\s*")


def _clause(text: str, sentence: tuple[int, int], at: int, places: Spans, labels: Spans) -> tuple[int, int] | None:
    """The clause of a sentence that the citation at ``at`` belongs to, when citations stand at
    several places and every one but the last closes a clause ("A [1], and B [2]": "A" to the
    first, "B" to the second, the sentence's end with the last). None - the whole sentence goes
    to each - when the citations sit together ("A and B [1, 2].") or one stands inside a clause
    ("A, PMID: 1, is kept; B doi:..."), or a clause would be too short to be a claim."""
    start, end = sentence
    grouped: list[tuple[int, int]] = []
    for s, e in (p for p in places.starting_in(start, end) if p[1] <= end):
        if grouped and not re.search(r"\w", text[grouped[-1][1]:s]):
            grouped[-1] = (grouped[-1][0], max(e, grouped[-1][1]))  # "[1][2]", "(Lee 2010; Kim 2012)"
        else:
            grouped.append((s, e))
    if len(grouped) < 2:
        return None
    clauses, clause_start = [], start
    for s, e in grouped[:-1]:
        closing = _CLAUSE_BREAK.match(text, e)
        if closing is None:
            return None
        clauses.append((clause_start, e))
        clause_start = closing.end()
    clauses.append((clause_start, end))
    if any(len(_strip_citation(text, places, clause).split()) < _MIN_CLAIM_WORDS for clause in clauses):
        return None
    return next(((s, e) for s, e in clauses if s <= at < e), None)


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


def _reference_block_claims(text: str, sentences: Spans, start: int, end: int, labels: Spans) -> list[Claim]:
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
        for s, e in sentences.starting_in(p_start, p_end):
            claim_text = _strip_citation(text, labels, (s, min(e, p_end)))
            if len(claim_text.split()) >= _MIN_CLAIM_WORDS:
                claims.append(Claim(text=claim_text, start=s, end=min(e, p_end)))
    return claims


# What a label may hold besides its identifiers: "doi:", "PMID", brackets, separators.
_IDENTIFIER_LABEL_REST = re.compile(r"(?:[\s()\[\].,;:#]|\b(?:doi|pmid|pmcid|pubmed|id)\b)*", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+")
_NUMBER_LABEL = re.compile(rf"\[?\^?{NUMBERED_LABELS}\]?")
# "Nakanishi and Ueda (2022)": the names are the sentence's words, the year in brackets the label.
_NARRATIVE_YEAR = re.compile(r"\s?\((?:19|20)\d{2}[a-z]?\)$")


def _is_citation_label(label: str) -> bool:
    """Is this text only a citation label (an identifier, "doi:..."/"PMID: ...", a URL, "[3]", "Smith et al., 2012")?"""
    label = label.strip()
    if _URL.fullmatch(label) or _NUMBER_LABEL.fullmatch(label) or is_author_year(label):
        return True
    found = find_identifiers(label)
    rest, cursor = [], 0
    for item in found:
        rest.append(label[cursor:item.start])
        cursor = item.end
    rest.append(label[cursor:])
    return bool(found) and bool(_IDENTIFIER_LABEL_REST.fullmatch("".join(rest)))


def _label_span(text: str, span: tuple[int, int], link_bounds: tuple[set[int], set[int]]) -> tuple[int, int] | None:
    """The part of a citation's or marker's span to cut from its claim; None keeps it all.
    Link text is the sentence's own words ("A [study in mice](https://doi.org/...) found ...")
    unless it is a label itself or the only thing in its brackets ("... ([source](...))")."""
    start, end = span
    written = text[start:end]
    if start in link_bounds[0] and end in link_bounds[1]:
        alone_in_brackets = text[start - 1:start] in ("(", "[") and text[end:end + 1] in (")", "]")
        return span if alone_in_brackets or _is_citation_label(written) else None
    narrative = _NARRATIVE_YEAR.search(written)
    if narrative is not None and not written.startswith("(") and is_author_year(written):
        return start + narrative.start(), end
    return span


def attach_claims(document: Document, citations: list[Citation]) -> list[tuple[Claim, ...]]:
    """For each citation (same order), the claims it is cited for."""
    text = document.text
    sentences = Spans(bounds=sentence_bounds(text))
    citation_spans = [(c.start, c.end) for c in citations]
    markers = link_markers(text, citations)
    all_spans = Spans(citation_spans + [span for spans in markers.values() for span in spans])
    link_bounds = ({link.start for link in document.links}, {link.end for link in document.links})
    labels = Spans(label for label in (_label_span(text, span, link_bounds) for span in all_spans) if label is not None)
    starts = sorted(c.start for c in citations)
    # Commentary under an entry ends where the next entry begins, cited or not: an entry whose identifier
    # stands on the line below it ("...Stat Med. 2012;31:1307-22.\n DOI: 10...") is no quotation of the one above.
    entry_starts = sorted(entry.start for entry in reference_entries(text))
    footnotes = footnote_definitions(text)
    lists = reference_lists(text)
    result = []
    for index, citation in enumerate(citations):
        claims: list[Claim] = []
        in_footnote = footnotes.holds(citation.start)
        in_reference_list = in_footnote or lists.holds(citation.start)
        anchors = [start for start, _ in markers.get(index, [])]
        if not in_reference_list:
            anchors.insert(0, citation.start)
        for at in anchors:
            claim = _claim_at(text, sentences, at, all_spans, labels)
            if claim and claim not in claims:
                claims.append(claim)
        if in_reference_list and not in_footnote and not claims:
            following = bisect_right(starts, citation.end)
            next_entry = bisect_left(entry_starts, citation.end)
            block_end = min(starts[following] if following < len(starts) else len(text),
                            entry_starts[next_entry] if next_entry < len(entry_starts) else len(text))
            claims = _reference_block_claims(text, sentences, citation.end, block_end, labels)
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
_FOUND_IN = re.compile(r"\b(?:is|are)\s+(?:also\s+)?found\s+in\b")


def _unsourced_figures(sentence: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(0) for m in _FIGURE.finditer(sentence)))


def _credits_research(sentence: str) -> bool:
    if sentence.rstrip()[-1:] not in ".!\"\u201d)" or len(sentence.split()) < _MIN_UNSOURCED_WORDS:
        return False  # headings, questions, list lead-ins
    research = _RESEARCH.search(sentence)
    # "is also found in many treatments" says where something occurs, not what research found.
    finding = _FINDING_VERB.search(_FOUND_IN.sub("", sentence) if "found" in sentence else sentence)
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
    covered = Spans([(c.start, c.end) for claims in claimed for c in claims] + [(c.start, c.end) for c in citations])
    # The furthest end among the covered spans starting before each one: a sentence overlaps a covered
    # span when one starts inside it or the furthest end of those starting before it reaches into it.
    reach, furthest = -1, []
    for e in covered.ends:
        reach = max(reach, e)
        furthest.append(reach)
    footnotes = footnote_definitions(text)
    lists = reference_lists(text)
    found: list[UnsourcedClaim] = []
    for start, end in zip(*sentence_bounds(text, body_end)):
        before = bisect_right(covered.starts, start) - 1
        if (before >= 0 and furthest[before] > start) or covered.starting_in(start, end) or footnotes.holds(start) or lists.holds(start):
            continue
        sentence = text[start:end]
        # (a gap of more than a few hundred spaces is no continuation; looking no further keeps this linear)
        gap = text[found[-1].end:start] if found and start - found[-1].end <= 200 else "x"
        continues = bool(not gap.strip() and "\n" not in gap and _FINDING_FIGURE.search(sentence))
        if continues or _credits_research(sentence):
            found.append(UnsourcedClaim(text=sentence, start=start, end=end, figures=_unsourced_figures(sentence)))
    return found
