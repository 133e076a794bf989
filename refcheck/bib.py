"""Verified bibliographies: read BibTeX, RIS or CSL-JSON, resolve every entry, suggest corrections.

Each entry becomes a Citation (identifiers from its DOI/PMID fields, CitedMetadata from the rest)
and goes through the same Resolver as a document's citations, so the same statuses apply
(VERIFIED / METADATA_MISMATCH / WRONG_WORK / NOT_FOUND / UNRESOLVED, plus RETRACTED and other flags).
Corrections are computed per field from the resolved record and made as minimal edits of the file's
own text: a changed field's value is replaced where it stands, a missing field is added at the end of
its entry, and every other byte stays as it was, so the unified diff applies to the file with `patch`.
The user's file is never rewritten: --fix writes a new file beside it.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
from .extract.doi import normalise as normalise_doi
from .load import MAX_BYTES, decode, read_input_file
from .metadata import different_scripts, field_agreement, fold
from .progress import Progress, no_progress
from .records import (
    METADATA_MISMATCH, VERIFIED, Author, CheckedCitation, Citation, CitedMetadata, DocumentReport, Identifier, Resolution, Work,
)
from .report.export import (
    FIELD_NAMES, ExportEntry, bibtex_fields, csl_item, exportable, journal_name, left_out_note, ris_line, ris_tags,
)
from .report.model import Report
from .report.names import JOURNAL_STYLES
from .version import __version__

BIB_FORMATS = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".json": "csljson", ".csl": "csljson"}


@dataclass(frozen=True)
class FieldSpan:
    """Where one field stands in the file text: its value (BibTeX, CSL-JSON) or its whole line (RIS)."""

    name: str  # BibTeX names lower-cased; CSL-JSON keys and RIS tags as written
    start: int
    end: int


@dataclass(frozen=True)
class BibEntry:
    key: str
    start: int  # the span in the file text that names the entry (for line numbers)
    end: int
    fields: dict  # title, authors (tuple of Author), year, journal, volume, issue, pages, doi, pmid
    spans: tuple[FieldSpan, ...] = ()  # the entry's fields in file order
    append_at: int | None = None  # where a field the entry lacks is added; None: the entry could not be located
    separator: str = ""  # written before each added field, in the entry's own layout
    raw: tuple[tuple[str, str], ...] = ()  # BibTeX: (field, value as written, outer braces or quotes off) for simple values

    @property
    def raw_title(self) -> str:
        return dict(self.raw).get("title", "")


@dataclass(frozen=True)
class Bibliography:
    path: str
    format: str
    text: str
    entries: tuple[BibEntry, ...]


# --- reading ---------------------------------------------------------------------------------------

def _clean(value) -> str:
    return " ".join(re.sub(r"[{}]", "", str(value or "")).split())


def latex_text(value) -> str:
    """A BibTeX value as plain text: LaTeX accents and symbols decoded (Gonz\\'alez -> González, \\& -> &),
    braces dropped, whitespace folded."""
    from bibtexparser.latexenc import latex_to_unicode

    return _clean(latex_to_unicode(str(value or "")))


# "and others" ends a shortened author list in BibTeX (styles print "et al."): it names no one.
MORE_AUTHORS = {"others", "et al.", "et al"}
NAME_SEPARATOR = re.compile(r"[{}]|\s+and\s+", re.I)


def bibtex_authors(value: str) -> list[Author]:
    """The authors of a BibTeX author field, split at each "and" outside braces, names decoded; a name wholly in
    braces ({World Health Organization}) is one family name, as BibTeX reads it; "and others" names no one."""
    names, depth, start = [], 0, 0
    for match in NAME_SEPARATOR.finditer(value):
        token = match.group()
        if token in "{}":
            depth += 1 if token == "{" else -1
        elif depth == 0:
            names.append(value[start:match.start()])
            start = match.end()
    names.append(value[start:])
    authors = []
    for name in (name.strip() for name in names):
        decoded = latex_text(name)
        if not decoded or decoded.lower() in MORE_AUTHORS:
            continue
        whole = name.startswith("{") and name.endswith("}") and _delimited_end(name, 0) == len(name)
        authors.append(Author(decoded) if whole else _person(decoded))
    return authors


def _person(name: str) -> Author:
    """'Family, Given' or 'Given Family'."""
    name = _clean(name)
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return Author(family, given)
    words = name.split()
    return Author(words[-1], " ".join(words[:-1])) if words else Author("")


def _year(value) -> int | None:
    match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", str(value or ""))
    return int(match.group(1)) if match else None


def _doi_in(value: str) -> str:
    match = re.search(r"10\.\d{4,9}/\S+", value or "")
    return match.group(0).rstrip(".,;") if match else ""


def _fields(title, authors, year, journal, volume, issue, pages, doi, pmid) -> dict:
    return {
        "title": _clean(title), "authors": tuple(a for a in authors if a.family), "year": _year(year), "journal": _clean(journal),
        "volume": _clean(volume), "issue": _clean(issue), "pages": _clean(pages).replace("--", "-"),
        "doi": _doi_in(_clean(doi)), "pmid": _clean(pmid) if _clean(pmid).isdigit() else "",
    }


def _parse_bibtex(text: str) -> list[BibEntry]:
    import bibtexparser
    from bibtexparser.bparser import BibTexParser

    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False, interpolate_strings=True)
    database = bibtexparser.loads(text, parser=parser)
    entries, searched_from = [], 0
    for raw in database.entries:
        # Entries come in file order: each is searched for after the previous one, so a repeated key finds its own entry.
        found = re.compile(r"@\w+\s*[{(]\s*" + re.escape(raw["ID"]) + r"\s*,").search(text, searched_from)
        eprint_pmid = raw.get("eprint", "") if raw.get("eprinttype", "").lower() == "pubmed" else ""
        fields = _fields(
            latex_text(raw.get("title")), bibtex_authors(raw.get("author", "")),
            raw.get("year") or raw.get("date"), latex_text(raw.get("journal") or raw.get("journaltitle") or raw.get("booktitle")),
            raw.get("volume"), raw.get("number") or raw.get("issue"), raw.get("pages"),
            raw.get("doi") or _doi_in(raw.get("url", "")), raw.get("pmid") or eprint_pmid,
        )
        if not found:
            entries.append(BibEntry(raw["ID"], 0, 0, fields))
            continue
        searched_from = found.end()
        spans, append_at, separator = _bibtex_layout(text, found.end())
        entries.append(BibEntry(raw["ID"], found.start(), found.end(), fields, spans, append_at, separator, _raw_values(text, spans)))
    return entries


def _raw_values(text: str, spans: tuple[FieldSpan, ...]) -> tuple[tuple[str, str], ...]:
    """Each field's value as the file writes it, one pair of outer braces or quotes off; a value joined with #
    (or left bare, a macro) is not simple and left out."""
    values = []
    for span in spans:
        value = text[span.start:span.end]
        if len(value) >= 2 and value[0] + value[-1] in ("{}", '""') and _delimited_end(text, span.start) == span.end:
            values.append((span.name, value[1:-1]))
        elif value.isdigit():
            values.append((span.name, value))
    return tuple(values)


def protected_words(raw_title: str) -> tuple[str, ...]:
    """The words and phrases a BibTeX title protects with braces ("{FRET}", "{Parkinson's}"), as plain text."""
    return tuple(dict.fromkeys(latex_text(group) for group in re.findall(r"\{([^{}]+)\}", raw_title) if latex_text(group)))


BIBTEX_FIELD_NAME = re.compile(r"\s*([^\s=,{}()\"#]+)\s*=\s*")
BIBTEX_BARE_VALUE = re.compile(r"[^\s,#{}()\"]+")
BIBTEX_CONCATENATION = re.compile(r"\s*#\s*")
BIBTEX_FIELD_END = re.compile(r"\s*,")


def _bibtex_layout(text: str, body: int) -> tuple[tuple[FieldSpan, ...], int | None, str]:
    """The fields of the entry whose body starts at `body` (just after "key,"): their value spans,
    the end of the last value (where added fields go) and the separator before an added field.
    (spans so far, None, "") when a value cannot be delimited: such an entry gets no edits."""
    spans, position, separator = [], body, ""
    while (name := BIBTEX_FIELD_NAME.match(text, position)):
        end = _bibtex_value_end(text, name.end())
        if end is None:
            return tuple(spans), None, ""
        spans.append(FieldSpan(name.group(1).lower(), name.end(), end))
        separator = _separator(text, name.start(1))
        comma = BIBTEX_FIELD_END.match(text, end)
        if not comma:
            break
        position = comma.end()
    return tuple(spans), (spans[-1].end if spans else None), separator


def _bibtex_value_end(text: str, position: int) -> int | None:
    """The end of a BibTeX value starting at `position`: {braced}, "quoted", a bare number or @string
    name, or several of these joined by #."""
    while True:
        if text.startswith(("{", '"'), position):
            position = _delimited_end(text, position)
        else:
            bare = BIBTEX_BARE_VALUE.match(text, position)
            position = bare.end() if bare else None
        if position is None:
            return None
        joined = BIBTEX_CONCATENATION.match(text, position)
        if not joined:
            return position
        position = joined.end()


def _delimited_end(text: str, position: int) -> int | None:
    """Just past the {braced} or "quoted" value at `position`: braces nest, and a quote closes only outside them."""
    closing, depth = ('"' if text[position] == '"' else "}"), 0
    for index in range(position, len(text)):
        character = text[index]
        depth += (character == "{") - (character == "}")
        if index > position and depth == 0 and character == closing:
            return index + 1
    return None


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _separator(text: str, name_start: int) -> str:
    """What goes before a field added after the one named at `name_start`: a new line indented as
    that one when it starts its line, else a space."""
    line_start = text.rfind("\n", 0, name_start) + 1
    indent = text[line_start:name_start]
    return "," + _newline(text) + indent if not indent.strip() else ", "


RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _parse_ris(text: str) -> list[BibEntry]:
    entries, tags, spans, start, offset = [], [], [], 0, 0
    for line in text.splitlines(keepends=True):
        match = RIS_LINE.match(line.rstrip("\r\n"))
        if match:
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "TY":
                tags, spans, start = [], [], offset
            if tag == "ER":
                entries.append(_ris_entry(tags, tuple(spans), start, offset + len(line.rstrip("\r\n")), offset, len(entries)))
                tags, spans = [], []
            else:
                tags.append((tag, value))
                spans.append(FieldSpan(tag, offset, offset + len(line)))
        offset += len(line)
    return entries


def _ris_entry(tags: list, spans: tuple[FieldSpan, ...], start: int, end: int, append_at: int, index: int) -> BibEntry:
    def first(*names):
        return next((value for tag, value in tags if tag in names), "")

    names = FIELD_NAMES["ris"]
    pages = "-".join(p for p in (first("SP"), first("EP")) if p)
    fields = _fields(first(*names["title"]), [_person(v) for t, v in tags if t in names["authors"]], first(*names["year"]),
                     first(*names["journal"]), first("VL"), first("IS"), pages, first("DO"), first("AN"))
    key = first("ID") or f"entry{index + 1}"
    return BibEntry(key, start, end, fields, spans, append_at)  # added tag lines go before ER


def _parse_csljson(text: str) -> list[BibEntry]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid CSL-JSON ({exc})") from None
    single = isinstance(items, dict)
    items = [items] if single else items
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InputError("CSL-JSON must be a list of objects")
    entries = []
    for index, (item, (spans, key_start)) in enumerate(zip(items, _csljson_layout(text, single))):
        key = str(item.get("id") or f"entry{index + 1}")
        people = [Author(p.get("family") or p.get("literal", ""), p.get("given", "")) for p in item.get("author", []) if isinstance(p, dict)]
        issued = (item.get("issued") or {}).get("date-parts") or [[None]]
        container = item.get("container-title")
        fields = _fields(item.get("title"), people, issued[0][0] if issued and issued[0] else None,
                         container[0] if isinstance(container, list) and container else container,
                         item.get("volume"), item.get("issue"), item.get("page"), item.get("DOI"), item.get("PMID"))
        id_value = next((span for span in spans if span.name == "id"), None)
        start, end = (key_start["id"], id_value.end) if id_value else (0, 0)
        append_at, separator = (spans[-1].end, _separator(text, key_start[spans[-1].name])) if spans else (None, "")
        entries.append(BibEntry(key, start, end, fields, spans, append_at, separator))
    return entries


JSON_SPACE = re.compile(r"\s*")


def _csljson_layout(text: str, single: bool) -> list[tuple[tuple[FieldSpan, ...], dict]]:
    """For each item of valid CSL-JSON text: its values' spans and where each key starts. The standard
    decoder reads every key and value, from a position, so the spans are exact."""
    decoder = json.JSONDecoder()

    def skip(position: int) -> int:
        return JSON_SPACE.match(text, position).end()

    def item_at(position: int) -> tuple[tuple[FieldSpan, ...], dict, int]:
        spans, key_start, position = [], {}, skip(position + 1)  # just past "{"
        while text[position] != "}":
            key, after_key = decoder.raw_decode(text, position)
            key_start[key] = position
            value_start = skip(skip(after_key) + 1)  # past ":"
            _, value_end = decoder.raw_decode(text, value_start)
            spans.append(FieldSpan(key, value_start, value_end))
            position = skip(value_end)
            position = skip(position + 1) if text[position] == "," else position
        return tuple(spans), key_start, position + 1

    position = skip(0)
    if single:
        spans, key_start, _ = item_at(position)
        return [(spans, key_start)]
    layout, position = [], skip(position + 1)  # just past "["
    while text[position] != "]":
        spans, key_start, position = item_at(position)
        layout.append((spans, key_start))
        position = skip(position)
        position = skip(position + 1) if text[position] == "," else position
    return layout


PARSERS = {"bibtex": _parse_bibtex, "ris": _parse_ris, "csljson": _parse_csljson}


def sniff_format(path: str, text: str) -> str:
    by_extension = BIB_FORMATS.get(Path(path).suffix.lower())
    if by_extension:
        return by_extension
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return "csljson"
    if re.search(r"^TY  - ", text, re.M):
        return "ris"
    if re.search(r"^\s*@\w+\s*[{(]", text, re.M):
        return "bibtex"
    raise InputError(f"{path}: not a BibTeX, RIS or CSL-JSON file (use .bib, .ris or .json)")


def read_bibliography(path: str, max_bytes: int = MAX_BYTES) -> Bibliography:
    """Read and parse a bibliography, under the same size limit and with the same decoding as a document."""
    text = decode(read_input_file(Path(path), max_bytes, kind="bibliography"))
    fmt = sniff_format(path, text)
    try:
        entries = PARSERS[fmt](text)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    if not entries:
        raise InputError(f"{path}: no entries found in this {fmt} file")
    return Bibliography(path, fmt, text, tuple(entries))


# --- checking --------------------------------------------------------------------------------------

def entry_citation(entry: BibEntry) -> Citation:
    fields = entry.fields
    identifiers = tuple(
        Identifier(scheme, value) for scheme, value in (("doi", normalise_doi(fields["doi"]) if fields["doi"] else ""), ("pmid", fields["pmid"])) if value
    )
    cited = CitedMetadata(
        title=fields["title"] or None, authors=tuple(a.family for a in fields["authors"]), year=fields["year"],
        journal=fields["journal"] or None, volume=fields["volume"] or None, issue=fields["issue"] or None,
        first_page=re.split(r"[-\u2013]", fields["pages"])[0] or None,
    )
    primary = identifiers[0] if identifiers else None
    return Citation(primary.scheme if primary else "reference", primary.value if primary else None, entry.key,
                    entry.start, entry.end, identifiers, cited)


def resolve_bibliography(bibliography: Bibliography, resolver, progress: Progress = no_progress) -> Report:
    """Every entry resolved as one citation (its text is the entry's key); `progress` as in refcheck.check. An
    entry --fix would edit says so in its reasons, whatever its status: the report and the fix never disagree."""
    citations = [entry_citation(entry) for entry in bibliography.entries]
    resolutions = resolver.resolve(citations, progress)
    checked = tuple(CheckedCitation(citation, with_suggestions(entry, resolution))
                    for entry, citation, resolution in zip(bibliography.entries, citations, resolutions))
    return Report((DocumentReport(bibliography.path, checked, text=bibliography.text, format=bibliography.format),), version=__version__)


# --- corrections -----------------------------------------------------------------------------------

def corrections(fields: dict, work: Work) -> tuple[str, ...]:
    """The bibliographic fields the entry should take from the record: those that are wrong, and
    fill-ins: identifiers and details the entry lacks, a title the record's completes (its subtitle).
    Styles are kept: an abbreviated journal (the journal is only filled in, never replaced), a
    shortened author list, a year one off, a title or names in another script."""
    recorded_first_page = re.split(r"[-\u2013]", work.page)[0] if work.page else ""
    changed = []
    # A title translated or a name transliterated into the entry's script is a style, not an error.
    if work.title and fold(fields["title"]) != fold(work.title) and not different_scripts(fields["title"], work.title):
        changed.append("title")
    if work.authors and not _shortened_author_list(fields["authors"], work.authors):
        changed.append("authors")
    # A year one off the record's is no error to the comparison (online-first vs print year), so not to the fix either.
    if work.year and fields["year"] != work.year and not field_agreement(CitedMetadata(year=fields["year"]), work).get("year"):
        changed.append("year")
    if work.journal and not fields["journal"]:
        changed.append("journal")
    for name, recorded in (("volume", work.volume), ("issue", work.issue)):
        if recorded and fields[name].lstrip("0") != recorded.lstrip("0"):
            changed.append(name)
    if recorded_first_page and re.split(r"[-\u2013]", fields["pages"])[0].lower() != recorded_first_page.lower():
        changed.append("pages")
    if work.doi and fields["doi"].lower() != work.doi.lower():
        changed.append("doi")
    if work.pmid and fields["pmid"] != work.pmid:
        changed.append("pmid")
    return tuple(changed)


def _shortened_author_list(cited: tuple[Author, ...], recorded: tuple[Author, ...]) -> bool:
    """The cited family names are the record's, or some of them in the record's order: the first few,
    or the first and the last. Which authors a list names is a style; a name the record lacks, or
    names out of order, is not."""
    remaining = iter(fold(author.family) for author in recorded)
    # any() over the one shared iterator consumes it up to the match: each cited name is sought after the previous one's.
    return bool(cited) and all(
        any(name == recorded_name or different_scripts(name, recorded_name) for recorded_name in remaining)
        for name in (fold(author.family) for author in cited))


def suggested_fields(entry: BibEntry, resolution: Resolution) -> tuple[str, ...]:
    """The fields --fix takes from the record for this entry: only where the record is the work the
    entry means (VERIFIED or METADATA_MISMATCH) and the entry's text could be located to edit."""
    if resolution.work is None or resolution.status not in (VERIFIED, METADATA_MISMATCH) or entry.append_at is None:
        return ()
    return corrections(entry.fields, resolution.work)


def _suggestion_note(field: str, fields: dict, work: Work) -> str:
    if not fields[field]:
        return f"{field} (missing)"
    if field == "title" and fold(work.title).startswith(fold(fields["title"])):
        return "title (the record's is longer)"
    return f"{field} (differs)"


def with_suggestions(entry: BibEntry, resolution: Resolution) -> Resolution:
    """The resolution with one reason naming what --fix would change in the entry, and why, if anything."""
    fields = suggested_fields(entry, resolution)
    if not fields:
        return resolution
    notes = ", ".join(_suggestion_note(field, entry.fields, resolution.work) for field in fields)
    return replace(resolution, reasons=resolution.reasons + (f"suggested from the record: {notes}",))


def _record_pairs(fmt: str, work: Work, protected: tuple[str, ...] = ()) -> list[tuple[str, object]]:
    if fmt == "bibtex":
        return list(bibtex_fields(work, protected).items())
    if fmt == "csljson":
        return list(csl_item(work).items())
    return ris_tags(work)


def _written(fmt: str, value) -> str:
    """A record's value as the format writes it: between braces (BibTeX, already escaped) or as JSON."""
    return f"{{{value}}}" if fmt == "bibtex" else json.dumps(value, ensure_ascii=False)


def _written_field(fmt: str, name: str, value) -> str:
    return f"{name} = {_written(fmt, value)}" if fmt == "bibtex" else f"{json.dumps(name)}: {_written(fmt, value)}"


def _entry_edits(fmt: str, newline: str, entry: BibEntry, resolution: Resolution) -> list[tuple[int, int, str]]:
    """(start, end, replacement) edits of the file text that give the entry the record's values for the
    fields suggested_fields() names: a value replaced where it stands, a field the entry lacks added at its end.
    RIS fields may span several lines (one AU per author, SP and EP): their lines are replaced as a block
    where the first stood."""
    edits, added = [], []
    fields = suggested_fields(entry, resolution)
    record = _record_pairs(fmt, resolution.work, protected_words(entry.raw_title)) if fields else []
    for field in fields:
        names = FIELD_NAMES[fmt][field]
        present = [span for span in entry.spans if span.name in names]
        if fmt == "ris":
            lines = "".join(ris_line(tag, value) + newline for tag, value in record if tag in names)
            if present:
                edits += [(present[0].start, present[0].end, lines)] + [(span.start, span.end, "") for span in present[1:]]
            else:
                added.append(lines)
            continue
        for name, value in record:
            span = next((span for span in present if span.name == name), None)
            if span:
                edits.append((span.start, span.end, _written(fmt, value)))
            elif name in names:
                added.append(entry.separator + _written_field(fmt, name, value))
    if added:
        edits.append((entry.append_at, entry.append_at, "".join(added)))
    return edits


def fixed_text(bibliography: Bibliography, report: Report) -> str:
    """The file's text with every entry corrected as its report suggests (see suggested_fields);
    everything else byte for byte as read."""
    newline = _newline(bibliography.text)
    edits = []
    for entry, item in zip(bibliography.entries, report.documents[0].citations):
        edits += _entry_edits(bibliography.format, newline, entry, item.resolution)
    pieces, position = [], 0
    for start, end, replacement in sorted(edits, key=lambda edit: edit[0]):  # stable: additions at one place keep their order
        pieces += [bibliography.text[position:start], replacement]
        position = end
    return "".join(pieces) + bibliography.text[position:]


def fixed_path(path: str) -> Path:
    """refs.bib -> refs.fixed.bib, beside the original."""
    original = Path(path)
    return original.with_name(f"{original.stem}.fixed{original.suffix or '.txt'}")


NO_NEWLINE = "\n\\ No newline at end of file\n"


def suggestion_diff(bibliography: Bibliography, report: Report) -> str:
    """A unified diff from the file to its corrected text, for `patch FILE`."""
    lines = difflib.unified_diff(
        bibliography.text.splitlines(keepends=True), fixed_text(bibliography, report).splitlines(keepends=True),
        fromfile=bibliography.path, tofile=str(fixed_path(bibliography.path)),
    )
    # difflib leaves a last line without its newline glued to the next; patch expects this marker instead.
    return "".join(line if line.endswith("\n") else line + NO_NEWLINE for line in lines)


# --- export ----------------------------------------------------------------------------------------

def bibliography_entries(bibliography: Bibliography, report: Report, journal_style: str = JOURNAL_STYLES[0]) -> tuple[list[ExportEntry], list[str]]:
    """(the verified entries to export, what was left out and why). Each keeps its key; from a BibTeX file each
    field --fix would not change stays as written (braces, LaTeX, "and others", the journal as cited), and a
    title it does change takes the words the user protected with braces."""
    entries, left_out = [], []
    for entry, item in zip(bibliography.entries, report.documents[0].citations):
        resolution = item.resolution
        if not exportable(resolution.status, resolution.work):
            left_out.append(left_out_note(bibliography.path, entry.key, resolution.status))
            continue
        changed = suggested_fields(entry, resolution)
        raw = dict(entry.raw)
        kept = {}
        for field, names in FIELD_NAMES["bibtex"].items():
            if field in changed or (field == "journal" and journal_style != JOURNAL_STYLES[0]):
                continue
            kept |= {name: raw[name] for name in names if name in raw}
        entries.append(ExportEntry(resolution.work, key=entry.key, journal=journal_name(resolution.work, entry.fields["journal"], journal_style),
                                   protected=protected_words(entry.raw_title), bibtex_kept=kept))
    return entries, left_out
