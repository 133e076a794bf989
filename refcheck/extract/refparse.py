"""Parse one reference string into the fields a record can be checked against.

Covers the styles health and science pages copy from: Vancouver/NLM/AMA
("Sun L, Akiyama K, et al. Title. Stem Cells. 2009;27(6):1421-32."), APA and
Harvard ("Sun, L., & Zhang, H. (2009). Title. Stem Cells, 27(6), 1421-1432."),
Nature ("Sun, L. et al. Title. Stem Cells 27, 1421-1432 (2009)."), MLA and
Chicago ("Sun, Lingyun, et al. \"Title.\" Stem Cells, vol. 27, no. 6, 2009"),
IEEE ("L. Sun and H. Zhang, \"Title,\" Stem Cells, vol. 27, pp. 1421-32, 2009"),
BioMed Central ("Sun L, Zhang H: Title. Stem Cells 2009, 27:1421.") and the
Wikipedia citation templates.

A field the parser is not sure of is left empty: the metadata comparison calls a
citation WRONG_WORK when the cited title differs from the record, so a journal
name or a sentence taken for the title would accuse a real reference. Every
pattern has bounded repetition and no nested quantifiers (linear time).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import CitedMetadata

# ---------------------------------------------------------------- characters
_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"  # upper-case Latin (Latin Extended-A is mixed)
_LOW = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f"
_LET = _UP + _LOW
_APOS = "'\u2019"
_DASH = "\\-\u2010\u2011\u2012\u2013\u2014"

YEAR_RE = r"(?:1[5-9]\d{2}|20\d{2})"
_YEAR = re.compile(r"(?<![\d/.])(" + YEAR_RE + r")(?:[a-z](?![a-z]))?(?![\d])")

# One family name: "Sun", "Pérez-Higueras", "O'Brien", "McDonald", "de la Macorra", "van der Berg".
_PARTICLE = r"(?:(?:van|von|der|den|de|del|della|di|da|dos|du|la|le|ter|ten|zu|al|el|bin|ibn)\s)"
_FAMILY = r"(?:" + _PARTICLE + r"{0,3}[" + _UP + r"][" + _LET + _APOS + _DASH + r"]{1,40}|[" + _UP + r"][" + _APOS + r"][" + _UP + r"][" + _LET + r"]{1,30})"
_GIVEN = r"[" + _UP + r"][" + _LOW + r"]{1,30}(?:-?[" + _UP + r"][" + _LOW + r"]{1,30}|-[" + _LOW + r"]{1,30})?"
_INITIAL_DOTTED = r"(?:[" + _UP + r"](?:[" + _LOW + r"]{1,2}|[" + _DASH + r"][" + _UP + r"])?\.(?:[ " + _DASH + r"]?[" + _UP + r"]\.){0,3})"
_SUFFIX = r"(?:,? (?:Jr|Sr|II|III|IV)\.?)?"

# Name forms, tried at one position of an author list.
_NAME_FORMS: dict[str, re.Pattern] = {
    # "Sun, L.", "Dressler, B. O.", "Schuraytz,B.C.", "Sun, L.-Y."
    "apa": re.compile(r"(" + _FAMILY + r"(?: " + _FAMILY + r"){0,2}),[ ]?" + _INITIAL_DOTTED + _SUFFIX),
    # "Sun L", "Pérez-Higueras JJ", "de la Macorra JC" (NLM: initials without dots); five only without a vowel,
    # Dutch ones ("Rademakers JJDJM"), not a surname in capitals ("Junguo ZHANG")
    "nlm": re.compile(r"(" + _FAMILY + r"(?: " + _FAMILY + r"){0,2}) (?:[" + _UP + r"]{1,4}|[B-DF-HJ-NP-TV-Z]{5})(?![" + _LET + r"]|\.[" + _UP + r"])" + _SUFFIX),
    # "Roger A.J.," inside an NLM list ("Eme L, Roger A.J., Rokas A"): tried only once the list is NLM
    "nlm_dotted": re.compile(r"(" + _FAMILY + r"(?: " + _FAMILY + r"){0,2}) (?:[" + _UP + r"]\.){1,4}(?=,)"),
    # "L. Sun", "S. E. Han", "J.-P. Martin"
    "initials_first": re.compile(_INITIAL_DOTTED + r" ?(" + _FAMILY + r"(?: " + _FAMILY + r"){0,2})(?![" + _LET + r"])"),
    # "Sun, Lingyun", "Hearn, Lafcadio", "Lakoff, George M." (MLA/Chicago first author)
    # "Tukey, John Wilder." (a second given name, only where the name ends)
    "family_given": re.compile(r"(" + _FAMILY + r"), " + _GIVEN + r"(?: " + _GIVEN + r"(?=[.,]| \(| and | & ))?(?: [" + _UP + r"]\.){0,2}(?![" + _LET + r"])" + _SUFFIX),
    # "Thomas W. Faust", "Danièle Noël", "Mark Johnson" (later Chicago/MLA authors; author lines)
    "given_family": re.compile(_GIVEN + r"(?: [" + _UP + r"]\.| " + _GIVEN + r"){0,1} (" + _FAMILY + r"(?: " + _FAMILY + r"){0,1})(?![" + _LET + r"])"),
}
# After a name: a separator to the next name, "et al.", or the end of the list.
_ROLE = r"(?:\s?\((?:[Ee]ds?\.?|[Ee]ditors?|[Pp]roducers?|[Dd]irectors?|[Tt]rans\.?|[Cc]omp\.?|[Ii]llus\.?)\))?"
_ET_AL = re.compile(_ROLE + r"(?:,? ?|\s)(?:(?:&|and)\s)?(?:et\.? ?al\.?|and others|and colleagues|& al\.?)", re.IGNORECASE)
_SEPARATOR = re.compile(_ROLE + r"(?:\s{0,2}[,;]\s{0,2}(?:and\s|&\s?)?\s{0,2}|\s{1,2}(?:and|&)\s{1,2})")
_TITLE_END_SKIP = {"vs", "e.g", "i.e", "dr", "st", "no", "vol", "sp", "spp", "var", "cf", "ca", "approx", "fig", "mr", "mrs", "ms", "prof", "inc", "ltd", "co", "jr", "sr"}

# ---------------------------------------------------------------- sources
_PAGE = r"[A-Za-z]{0,2}\d{1,7}[A-Za-z]?"
_PAGE_RANGE = r"(?P<page>" + _PAGE + r")(?:\s?[" + _DASH + r"]\s?" + _PAGE + r")?"
_ISSUE = r"\((?P<issue>[A-Za-z]{0,2}\d{1,5}[A-Za-z]?(?:\s?[" + _DASH + r"/]\s?\d{1,5})?|Suppl[^()\n]{0,10}|[A-Za-z]{1,12}\.? ?\d{0,3})\)"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"
_SOURCES: tuple[tuple[str, re.Pattern], ...] = (
    # Vancouver/NLM: "2009 Jun 15;27(6):1421-32", "2009;373:1-5", "2014. PMID" (year alone handled elsewhere)
    ("nlm", re.compile(
        r"(?P<year>" + YEAR_RE + r")[a-z]?(?: " + _MONTH + r"(?:[ " + _DASH + r"](?:" + _MONTH + r"|\d{1,2})){0,2})?\s?;\s?"
        r"(?P<volume>[A-Za-z]?\d{1,6}[A-Za-z]?)?\s?(?:" + _ISSUE + r")?\s?(?::\s?" + _PAGE_RANGE + r")?"
    )),
    # BioMed Central: "Stem Cell Res Ther 2010, 1:2", "Nature 2009, 457(7232):1-5"
    ("bmc", re.compile(
        r"(?P<year>" + YEAR_RE + r")[a-z]?,\s?(?P<volume>\d{1,6})\s?(?:" + _ISSUE + r")?\s?:\s?" + _PAGE_RANGE
    )),
    # Nature / Science: "Stem Cells 27, 1421-1432 (2009)", "Science 320, 1001 (2008)"
    ("nature", re.compile(
        r"(?<![\w.])(?P<volume>\d{1,6})\s?(?:" + _ISSUE + r")?,\s?(?:pp?\.\s?)?" + _PAGE_RANGE + r"\s?\((?:" + _MONTH + r"\s)?(?P<year>" + YEAR_RE + r")\)"
    )),
    # MLA / IEEE: "vol. 27, no. 6, pp. 1421-32", "Vol. 9, pp. 1477-81"
    ("vol", re.compile(
        r"\b[Vv]ol(?:ume)?\.?\s?(?P<volume>[A-Za-z]?\d{1,6}[A-Za-z]?)(?:,?\s?(?:[Nn]o|[Ii]ss(?:ue)?|[Nn]r)\.?\s?(?P<issue>\d{1,6}(?:[" + _DASH + r"/]\d{1,4})?))?"
        r"(?:,?\s?(?:" + _MONTH + r"\s?)?(?:" + YEAR_RE + r")?,?\s?(?:pp?\.|pages)\s?" + _PAGE_RANGE + r")?"
    )),
    # Chicago: "American Literature 20, no. 3 (November 1948): 305-312"
    ("chicago", re.compile(
        r"(?<![\w.])(?P<volume>\d{1,6}),?\s(?:no|nr|issue)\.?\s?(?P<issue>\d{1,6})(?:\s?\([^()\n]{1,30}\))?(?:\s?:\s?" + _PAGE_RANGE + r")?"
    )),
    # APA: "Stem Cells, 27(6), 1421-1432", "Stem Cells, 27, 1421"
    ("apa", re.compile(
        r",\s(?P<volume>\d{1,6})\s?(?:" + _ISSUE + r")?,\s(?:pp?\.\s?)?" + _PAGE_RANGE + r"(?=[.,;\s]|$)"
    )),
    # Chicago / Wikipedia / plain: "27 (6): 1421-32", "44: 58-67", "27(6):1421"
    ("colon", re.compile(
        r"(?<![\w.:/])(?P<volume>\d{1,6})\s?(?:" + _ISSUE + r")?\s?:\s?" + _PAGE_RANGE + r"(?![\w:/])"
    )),
)

_ENTRY_NUMBER = re.compile(r"^\s{0,8}(?:\[\^?\d{1,5}\]:?|\[\^[A-Za-z][\w\-]{0,40}\]:|\(\d{1,4}\)|\d{1,5}[.)](?!\d)|\^(?:\s?[a-z]{1,2}\b){0,8})\s{0,8}")
_BULLET = re.compile(r"^\s{0,8}[-*>\u2022\u25aa\u25cf\u2013]\s{1,4}")
_NOISE = re.compile(
    r"(?:\bdoi\s?:?\s?10\.\S{1,300}|\bdoi\s?:|https?://\S{1,2000}|www\.\S{1,2000}|\b(?:PMID|PMCID|PubMed(?: ID| Central)?)\s?:?\s?(?:PMC)?\d{1,12}\b"
    r"|\bPMC\s?\d{4,9}\b|\b(?:ISSN|ISBN|eISSN)\s?:?\s?[\dXx-]{4,20}|\[(?:PubMed|Google Scholar|CrossRef|Crossref|PMC free article|Free Full Text|Abstract|Full text|PubMed Central|Ref list|Web of Science|Free PMC article|CAS|Article)\]"
    r"|\b(?:Epub|Published online|Available (?:from|at|online)|Accessed|Retrieved|Cited|Last accessed)\b[^.\n]{0,80}\.?"
    r"|\bReview\.\s?$|\bFree PMC article\.?|\bErratum in\b[^.\n]{0,200}\.?)",
    re.IGNORECASE,
)

# "*Sleep Medicine Reviews*, *21*," in a Markdown footnote: the asterisks are layout.
_MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_])[*_]{1,3}(?![\w*])")
# An organisation as author, Harvard/APA style: "World Health Organization (2020) Title."
_ORGANISATION_YEAR = re.compile(
    r"(?P<name>[A-Z][A-Za-z&'\-]{1,30}(?:\s(?:of|for|and|on|the|&|[A-Z][A-Za-z&'\-]{0,30})){1,8})\s\((?P<year>" + YEAR_RE + r")[a-z]?\)[.,]?\s"
)

@dataclass
class ParsedReference:
    """The fields, and how much of a reference the string looks like."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None
    et_al: bool = False
    quoted_title: bool = False
    source_style: str | None = None
    notes: list[str] = field(default_factory=list)

    def metadata(self) -> CitedMetadata:
        return CitedMetadata(
            title=self.title, authors=self.authors[:20], year=self.year, journal=self.journal,
            volume=self.volume, issue=self.issue, first_page=self.first_page,
        )

    def score(self) -> int:
        """0..6: how many kinds of bibliographic detail the string carries."""
        return sum((
            bool(self.authors), bool(self.title), bool(self.year), bool(self.journal),
            bool(self.volume or self.first_page), bool(self.quoted_title or self.et_al),
        ))


def strip_entry_number(entry: str) -> str:
    body = _ENTRY_NUMBER.sub("", entry, count=1)
    return _BULLET.sub("", body, count=1)


def clean(entry: str) -> str:
    """The reference without its list number, identifiers, links and database tags."""
    body = strip_entry_number(entry)
    body = _NOISE.sub(" ", body)
    body = _MARKDOWN_EMPHASIS.sub("", body)
    body = re.sub(r"\s{1,50}", " ", body)
    return body.strip(" ;,")


# ---------------------------------------------------------------- authors
@dataclass
class AuthorScan:
    families: list[str]
    end: int  # offset in the string just after the author list and its punctuation
    style: str | None
    et_al: bool
    clean_end: bool  # the list ended at a clear boundary ("." ":" "(" a quote, "et al.")
    joined_last: bool = False  # the last name came after "and" or "&"


def scan_authors(text: str, start: int = 0, *, allow_given_family: bool = False) -> AuthorScan:
    """Read an author list from text[start:]. Family names only, as written."""
    families: list[str] = []
    style: str | None = None
    position = start
    et_al = False
    joined = False
    for _ in range(60):
        match, form = _match_name(text, position, style, first=not families, allow_given_family=allow_given_family, joined=joined)
        if match is None:
            break
        families.append(re.sub(r"\s{1,5}", " ", match.group(1)).strip())
        style = style or form
        position = match.end()
        tail = _ET_AL.match(text, position)
        if tail:
            et_al = True
            position = tail.end()
            break
        separator = _SEPARATOR.match(text, position)
        if separator is None:
            break
        joined_next = bool(re.search(r"\band\b|&", separator.group(0)))
        nxt, _ = _match_name(text, separator.end(), style, first=False, allow_given_family=allow_given_family, joined=joined_next)
        if nxt is None:
            break
        position = separator.end()
        joined = joined_next
    if not families:
        return AuthorScan([], start, None, False, False)
    rest = text[position:position + 3]
    clean_end = et_al or bool(re.match(r"\s?[.:;(\u201c\"]|\s?,\s?[(\u201c\"\d]|\s?,?\s?\(?" + YEAR_RE, text[position:position + 12])) or position >= len(text.rstrip())
    if not clean_end and style in ("apa", "initials_first") and text[position - 1:position] == ".":
        clean_end = True
    if rest.startswith(".") or rest.startswith(":"):
        position += 1
    return AuthorScan(families, position, style, et_al, clean_end, joined)


# "Sun, Lingyun, and Kentaro Akiyama" (MLA, Chicago); "Lee, L. L., W. E. Howard, and R. E. Marsh" (ecology).
_STYLE_MIXES = {
    ("family_given", "given_family"), ("apa", "initials_first"), ("family_given", "apa"), ("apa", "family_given"), ("apa", "given_family"),
}


def _match_name(text: str, position: int, style: str | None, *, first: bool, allow_given_family: bool, joined: bool = False):
    order = ("apa", "nlm", "initials_first", "family_given", "given_family", "nlm_dotted")
    for form in order:
        if form == "nlm_dotted":
            if style != "nlm":
                continue
            match = _NAME_FORMS[form].match(text, position)
            if match and _plausible_family(match.group(1)):
                return match, "nlm"
            continue
        if style is not None and form != style and (style, form) not in _STYLE_MIXES:
            continue
        if form == "family_given" and not first and style not in ("family_given", "apa"):
            continue
        if form == "given_family" and not (allow_given_family or (style in ("family_given", "apa") and joined)):
            continue
        if form in ("given_family", "family_given") and re.match(r"(?:The|A|An|In|On|Of|For|And|To|With|From)\b", text[position:position + 5]):
            continue
        match = _NAME_FORMS[form].match(text, position)
        if match and form == "nlm" and re.match(r"\. [" + _UP + r"][" + _LOW + r"]{1,30}(?: and [" + _UP + r"]|,|\.)", text[match.end():match.end() + 40]):
            continue  # "Arthur M. Keller and ...": a given name and an initial, not "Family I"
        if match and _plausible_family(match.group(1)):
            if form == "family_given" and _looks_like_source_words(match.group(0)):
                continue
            return match, form
    return None, None


_NOT_NAMES = {
    "the", "and", "for", "with", "from", "study", "journal", "review", "university", "department", "press", "trial",
    "effect", "effects", "use", "role", "new", "anonymous", "editorial", "editor", "editors", "vol", "in", "on", "of",
    "available", "accessed", "retrieved", "proceedings", "conference", "report", "national", "institute", "society",
    "association", "health", "medicine", "clinical", "published", "share", "comment", "copyright", "vitamin",
}


def _plausible_family(name: str) -> bool:
    last = name.split()[-1].strip(_APOS + _DASH)
    if len(last) < 2 or last.lower() in _NOT_NAMES or name.split()[0].lower() in ("the", "a", "an", "in", "on", "of"):
        return False
    if last.isupper() and len(last) > 3 and not name.isupper():
        return False
    return True


def _looks_like_source_words(text: str) -> bool:
    return bool(re.search(r"\b(?:Journal|Press|University|Review|Proceedings|Medicine|Science|Research)\b", text))


def split_glued_tail(name: str) -> str:
    """'HuertaImmunology' (a web page glued the next label on) -> 'Huerta'."""
    match = re.match(r"^([" + _UP + r"][" + _LOW + r"]{3,40})([" + _UP + r"][" + _LOW + r"]{4,40})$", name)
    return match.group(1) if match else name


# ---------------------------------------------------------------- parsing
def parse_reference(entry: str) -> CitedMetadata:
    """Field parsing of one reference string: enough to compare with a record."""
    return parse(entry).metadata()


def parse(entry: str) -> ParsedReference:
    text = clean(entry)
    result = ParsedReference()
    if len(text) < 6:
        return result
    source = find_source(text)
    quoted = _find_quoted_title(text)
    scan = scan_authors(text, 0)
    organisation = _ORGANISATION_YEAR.match(text)
    if organisation and scan.end < organisation.end("name"):
        scan = AuthorScan([organisation.group("name")], organisation.end("name"), "organisation", False, True)
    if len(scan.families) <= 1 and not scan.et_al:
        # "Thomas W. Faust, Eric H. Chang, and Patricio T. Huerta" (given names first): only as a clean list.
        relaxed = scan_authors(text, 0, allow_given_family=True)
        if relaxed.style == "given_family" and (relaxed.clean_end or relaxed.end >= len(text) - 1) and (
            (len(relaxed.families) >= 2 and relaxed.joined_last)
            or (len(relaxed.families) == 1 and re.match(_GIVEN + r" [" + _UP + r"]\. \S{2,40}\.(?:\s|$)", text))
        ):
            scan = relaxed
    if quoted is not None:
        q_start, q_end, title = quoted
        scan = scan_authors(text, 0)
        if not scan.families or scan.end > q_start + 1:
            scan = AuthorScan([], 0, None, False, False)
        if scan.end <= q_start and _author_gap_ok(text[scan.end:q_start]):
            result.title = _tidy_title(title)
            result.quoted_title = True
            after = q_end
        else:
            after = None
        if scan.families:
            result.authors = tuple(scan.families)
            result.et_al = scan.et_al
        if after is not None:
            _fill_source(result, text, after, source)
            result.year = result.year or _year_near(text, scan.end, q_start) or _year_after(text, after)
            return _finish(result)
    if scan.families and (scan.clean_end or len(scan.families) >= 2):
        result.authors = tuple(scan.families)
        result.et_al = scan.et_al
        position = scan.end
    else:
        position = 0
    # A year in parentheses (APA, Harvard) or alone ("2009.") right after the authors.
    year_block = re.compile(
        r"\s?,?\s?\(?(?:(?:" + _MONTH + r"|\d{1,2})\s){0,2}(?P<year>" + YEAR_RE + r")[a-z]?(?:,\s?(?:" + _MONTH + r"|[A-Z][a-z]{2,8})(?:\s\d{1,2})?)?\)?\s?[.,:]?\s?"
    ).match(text, position)
    if year_block and (result.authors or position == 0) and year_block.end() > position:
        if "(" in year_block.group(0) or result.authors:
            result.year = int(year_block.group("year"))
            position = year_block.end()
    position = _skip_space(text, position)
    quoted_here = _find_quoted_title(text[position:])
    if quoted_here is not None and quoted_here[0] <= 1:
        result.title = _tidy_title(quoted_here[2])
        result.quoted_title = True
        _fill_source(result, text, position + quoted_here[1], source)
        return _finish(result)
    title_end = _title_end(text, position, source)
    candidate = text[position:title_end].strip(" .,;:")
    rest_start = title_end
    source_at = source.start() if source else None
    if candidate and source_at is not None and position <= source_at < title_end:
        candidate = ""  # the "title" runs into the volume and pages: no title we can trust
        rest_start = position
    medline_source = source is not None and _style_of(source) in ("nlm", "bmc")
    if candidate and (not result.authors or medline_source) and source_at is not None and _only_journal_between(text, title_end, source_at):
        # "Stem Cells. 2009 Jun;27(6):1421-32." - the only segment is the journal; so it is after the
        # authors in MEDLINE's short form, "Essajee NM, et al. AIDS Res Hum Retroviruses. 2023;39(11):587-592."
        result.journal = _tidy_journal(candidate)
        candidate = ""
    candidate = _cut_at_source_comma(candidate)
    journal_then_source = source_at is not None and _journal_segment(text[title_end:source_at])
    if candidate and (_title_ok(candidate, result) or (journal_then_source and _title_ok(candidate, result, structural=True))):
        result.title = _tidy_title(candidate)
    _fill_source(result, text, rest_start, source)
    return _finish(result)


def _finish(result: ParsedReference) -> ParsedReference:
    if result.authors:
        families = list(result.authors)
        families[-1] = split_glued_tail(families[-1])
        result.authors = tuple(families)
    if result.title and result.journal and result.title.casefold() == result.journal.casefold():
        result.title = None
    return result


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " .,;:":
        position += 1
    return position


def _author_gap_ok(gap: str) -> bool:
    """Between the authors and a quoted title only a year, punctuation or 'In'."""
    gap = re.sub(r"\(?" + YEAR_RE + r"[a-z]?\)?|\(?(?:" + _MONTH + r")\s?\d{0,2},?\s?" + YEAR_RE + r"\)?", "", gap)
    return len(gap.strip(" .,:;()")) <= 2


def _find_quoted_title(text: str) -> tuple[int, int, str] | None:
    for match in re.finditer(r"[\u201c\u201e\"\u00ab]([^\u201c\u201d\"\u00ab\u00bb\n]{8,400})[\u201d\"\u201c\u00bb]|(?:^|(?<=[\s(]))[\u2018']([^\u2018\u2019'\n]{8,400})[\u2019'](?=[\s,.;:]|$)", text):
        inner = match.group(1) or match.group(2)
        if len(inner.split()) >= 2:
            return match.start(), match.end(), inner
    return None


def _title_end(text: str, start: int, source: re.Match | None) -> int:
    """End of the title: the first sentence end that is not an initial or abbreviation."""
    for match in re.finditer(r"[.?!](?=\s|$)|\s(?=In:?\s[A-Z])", text[start:]):
        at = start + match.start()
        char = text[at]
        if char in "?!":
            return at + 1
        if char.isspace():
            return at
        word = re.search(r"([\w.]{1,12})$", text[max(start, at - 12):at])
        token = word.group(1).lower() if word else ""
        if token in _TITLE_END_SKIP or (len(token) == 1 and token.isalpha() and text[at - 1].isupper()):
            continue
        return at
    return len(text)


_SOURCE_WORDS = re.compile(
    r"\b(?:Press|Publishers?|Publishing|Verlag|University|Universit\w{1,4}|Proceedings|Proc\.|Conference|Symposium|Workshop|Journal|"
    r"J\.|Trans\.|Transactions|Letters|Review|Bulletin|Thesis|Dissertation|Report|Vol\.?|pp\.|pages?|Pages|Ed\.|Eds\.|eds?\.|"
    r"editors?|Inc\.|Ltd\.?|Springer|Elsevier|Wiley|ACM|IEEE|LNCS|New York|London|Berlin|Paris|Cambridge|Oxford|Boston|Chicago)"
    r"|\b(?:in|In):?\s|(?<![\w\-])\d",
)


def _cut_at_source_comma(candidate: str) -> str:
    """'Robot Vision, MIT Press' -> 'Robot Vision': a title cannot run on into where it was published."""
    if ", " not in candidate:
        return candidate
    pieces = candidate.split(", ")
    for index in range(1, len(pieces)):
        if _SOURCE_WORDS.search(pieces[index]) and not re.match(r"^[a-z]", pieces[index].replace("in ", "", 1)[:1] or "x"):
            return ", ".join(pieces[:index])
        if _SOURCE_WORDS.search(pieces[index]) and re.match(r"^(?:in|In):?\s", pieces[index]):
            return ", ".join(pieces[:index])
    return candidate


def _only_journal_between(text: str, end: int, source_at: int) -> bool:
    gap = text[end:source_at]
    return len(gap.strip(" .,;:")) == 0


def _journal_segment(gap: str) -> bool:
    """'. Ann Thorac Cardiovasc Surg. ' between a title and '2020;26(2):65-71': a journal name."""
    gap = gap.strip(" .,")
    return 1 <= len(gap.split()) <= 12 and not re.search(r"[.?!]\s[A-Z][a-z]{2,}\s[a-z]", gap) and bool(re.match("[" + _UP + "]", gap))


def _title_ok(candidate: str, result: ParsedReference, structural: bool = False) -> bool:
    words = candidate.split()
    if len(words) < 2 and len(candidate) < 12:
        return False
    if len(words) > 60:
        return False
    if find_source(candidate) is not None:
        return False
    names = scan_authors(candidate, 0, allow_given_family=True)
    if len(names.families) >= 2 or (names.families and names.end >= len(candidate) - 1):
        return False  # a list of names is not a title
    if re.match(r"^(?:In:?|Available|Retrieved|Accessed|Published|Copyright|\u00a9)\b", candidate):
        return False
    # Without authors a lone sentence is as likely to be prose as a title.
    return bool(result.authors) or result.year is not None or structural


def _tidy_title(title: str) -> str:
    title = re.sub(r"\s{1,50}", " ", title).strip(" ,;:\u201c\u201d\"'\u2018\u2019")
    if title.endswith(".") and not re.search(r"\b[A-Z]\.$|\b(?:al|etc|vs)\.$", title):
        title = title[:-1]
    return title.strip()


def _tidy_journal(journal: str) -> str | None:
    journal = re.sub(r"\s{1,50}", " ", journal).strip(" ,;:.\u201e\"")
    journal = re.sub(r"^(?:In:?\s)", "", journal)
    if not journal or len(journal) > 160 or not re.search("[" + _LET + "]{2}", journal):
        return None
    return journal


def find_source(text: str) -> re.Match | None:
    """The earliest volume/issue/pages block (with its style)."""
    best = None
    for _style, pattern in _SOURCES:
        match = pattern.search(text)
        for _ in range(20):
            # A year is not a volume ("Bauzeitung, No. 134, 2000, 20-21"): look further on.
            if match is None or _style in ("nlm", "bmc", "vol"):
                break
            year_like = re.fullmatch(YEAR_RE, match.group("volume") or "") or (
                _style == "apa" and re.fullmatch(YEAR_RE, match.group("page") or "") and not re.match(r"\s?[" + _DASH + r"]", text[match.end():match.end() + 2])
            )
            if not year_like:
                break
            match = pattern.search(text, match.start() + 1)
        if match is None:
            continue
        if not (match.group("volume") if "volume" in pattern.groupindex else None) and not match.groupdict().get("page"):
            if _style == "nlm" and match.group("year"):
                pass
            else:
                continue
        if best is None or match.start() < best.start():
            best = match
    return best


def _style_of(match: re.Match) -> str:
    for style, pattern in _SOURCES:
        if match.re is pattern:
            return style
    return ""


def _fill_source(result: ParsedReference, text: str, start: int, source: re.Match | None) -> None:
    if source is not None and source.start() < start:
        source = find_source(text[start:])
        offset = start
    else:
        offset = 0
    if source is None:
        # No volume/pages: the next segment may still be the journal ("J Clin Invest. 2022.").
        tail = text[start:]
        year = _year_after(text, start)
        result.year = result.year or year
        segment = re.match(r"\s?[.,]?\s?([^.;(\d]{3,120}?)[.,]\s?(?:\(?" + YEAR_RE + r")", tail)
        if segment and not result.journal and result.title:
            result.journal = _tidy_journal(segment.group(1))
        return
    style = _style_of(source)
    result.source_style = style
    groups = source.groupdict()
    result.volume = result.volume or _tidy_number(groups.get("volume"))
    issue = groups.get("issue")
    if issue and re.fullmatch(r"[\w" + _DASH + r"/ ]{1,12}", issue) and not re.fullmatch(YEAR_RE, issue.strip()):
        result.issue = result.issue or issue.strip()
    page = groups.get("page")
    if page:
        result.first_page = result.first_page or page
    if groups.get("year") and not result.year:
        result.year = int(groups["year"])
    source_start = offset + source.start()
    if not result.journal:
        before = text[start:source_start]
        if style in ("nlm", "bmc"):
            journal = before
        else:
            journal = before
        # Drop a trailing year and months ("Mult Scler. 2018" is handled by nlm; "Nature (2009)")
        journal = re.sub(r"[\s.,]{0,3}\(?(?:" + _MONTH + r"\s?)?" + YEAR_RE + r"[a-z]?\)?[\s.,]{0,3}$", "", journal.strip())
        if "." in journal.strip(" .") and result.title is None and not result.authors:
            journal = journal
        tidy = _tidy_journal(journal) if journal.strip() else None
        if tidy and len(tidy.split()) <= 14 and not re.search(r"[.?!]\s[" + _UP + r"][" + _LOW + r"]{2,}\s[" + _LOW + r"]{2,}", tidy):
            result.journal = tidy
    if not result.year:
        result.year = _year_after(text, start)


def _tidy_number(value: str | None) -> str | None:
    if not value:
        return None
    return value.strip()


def _year_after(text: str, start: int) -> int | None:
    """The publication year after start: one in parentheses first, never a page range."""
    plain = None
    for match in _YEAR.finditer(text, start):
        before, after = text[max(0, match.start() - 2):match.start()], text[match.end():match.end() + 2]
        if re.search(r"[" + _DASH + r"]\s?$", before) or re.match(r"\s?[" + _DASH + r"]\s?\d", after + "  "):
            continue  # "1952-1962" pages, "1815-1909" a span in a title
        if before.endswith("(") or after.startswith(")"):
            return int(match.group(1))
        plain = plain or int(match.group(1))
    return plain


def _year_near(text: str, start: int, end: int) -> int | None:
    match = _YEAR.search(text, start, end)
    return int(match.group(1)) if match else None


# ---------------------------------------------------------------- sequence labelling
def labelled(entry: str, labeller=None) -> ParsedReference:
    """The fields as the CRF labels them (refcheck/extract/crf.py): the authors, title, journal,
    volume, pages and date segments, each read with the rules above (names, numbers, years)."""
    from . import crf

    text = clean(entry)
    result = ParsedReference()
    if len(text) < 6:
        return result
    runs = (labeller or crf.segments)(text)
    if runs.get("author"):
        author_text = runs["author"][0]
        scan = scan_authors(author_text, 0, allow_given_family=True)
        if not scan.families and _ORGANISATION_NAME.fullmatch(author_text.strip(" .,;:")):
            scan = AuthorScan([author_text.strip(" .,;:")], len(author_text), "organisation", False, True)
        result.authors, result.et_al = tuple(scan.families), scan.et_al
    if runs.get("title"):
        title = _tidy_title(runs["title"][0])
        result.title = title if len(title) >= 4 else None
    if runs.get("journal"):
        result.journal = _tidy_journal(runs["journal"][0])
    for date in runs.get("date", []):
        year = _YEAR.search(date)
        if year:
            result.year = int(year.group(1))
            break
    if runs.get("volume"):
        volume = re.sub(r"^\s*\(?" + YEAR_RE + r"\)?\s?[;,]\s?", "", runs["volume"][0])  # "2012;30(15):"
        number = re.search(r"[A-Za-z]?\d{1,6}[A-Za-z]?", re.sub(r"\(.*", "", volume) or volume)
        result.volume = number.group(0) if number else None
        issue = re.search(r"\((\w{1,8}(?:[" + _DASH + r"/]\w{1,4})?)\)", volume) or re.search(r"\b(?:no|nr|issue)\.?\s?(\d+)", volume, re.I)
        result.issue = issue.group(1) if issue else None
    if runs.get("pages"):
        page = re.search(_PAGE, runs["pages"][0])
        result.first_page = page.group(0) if page else None
    return _finish(result)


_ORGANISATION_NAME = re.compile(r"[A-Z][A-Za-z&'\-]{1,30}(?:\s(?:of|for|and|on|the|&|[A-Z][A-Za-z&'\-]{0,30})){0,8}")


def fields(entry: str, labeller=None, rules: ParsedReference | None = None) -> CitedMetadata:
    """What the document says about the cited work: the CRF's fields where it gives them, the rules'
    where it does not (and the rules alone when the model is missing). ``rules``: parse(entry), when
    the caller has it already."""
    return combined(entry, labeller, rules).metadata()


def combined(entry: str, labeller=None, rules: ParsedReference | None = None) -> ParsedReference:
    from . import crf

    rules = rules or parse(entry)
    if labeller is None and not crf.available():
        return rules
    if RULES_FIRST and all(getattr(rules, name) for name in _FIELDS if name != "issue"):
        return rules  # nothing left for the CRF to fill
    learned = labelled(entry, labeller)
    first, second = (rules, learned) if RULES_FIRST else (learned, rules)
    return ParsedReference(**{name: getattr(first, name) or getattr(second, name) for name in _FIELDS})


# Which parser's field wins when both give one (measured by scripts/eval_refparse.py, cross-validated).
RULES_FIRST = True


_FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "first_page")
