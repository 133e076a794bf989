"""Write resolved records (Work) as BibTeX (through bibtexparser), CSL-JSON or RIS. Pure.

Work's field names follow CSL-JSON, so CSL-JSON is a direct mapping. FIELD_NAMES says which
fields of each format hold each bibliographic field; bib.py uses it to correct entries in place.
"""
from __future__ import annotations

import json
import re
from dataclasses import field, dataclass

from ..errors import InputError
from ..metadata import fold
from ..records import METADATA_MISMATCH, RETRACTED, VERIFIED, WRONG_WORK, Work
from .model import Report
from .names import EXPORT_FORMATS, JOURNAL_STYLES
from .output import write_output
from .text import notice_text

# bibliographic field -> the names it goes by in each format
FIELD_NAMES = {
    "bibtex": {"title": ("title",), "authors": ("author",), "year": ("year",), "journal": ("journal",), "volume": ("volume",),
               "issue": ("number",), "pages": ("pages",), "doi": ("doi",), "pmid": ("pmid",)},
    "csljson": {"title": ("title",), "authors": ("author",), "year": ("issued",), "journal": ("container-title",), "volume": ("volume",),
                "issue": ("issue",), "pages": ("page",), "doi": ("DOI",), "pmid": ("PMID",)},
    "ris": {"title": ("TI", "T1"), "authors": ("AU", "A1"), "year": ("PY", "Y1", "DA"), "journal": ("T2", "JO", "JF", "JA"),
            "volume": ("VL",), "issue": ("IS",), "pages": ("SP", "EP"), "doi": ("DO",), "pmid": ("AN",)},
}
BIBTEX_TYPES = {"article-journal": "article", "book": "book", "chapter": "incollection", "paper-conference": "inproceedings"}
RIS_TYPES = {"article-journal": "JOUR", "book": "BOOK", "chapter": "CHAP", "paper-conference": "CONF"}


@dataclass(frozen=True)
class ExportEntry:
    """One record to export, and what of the user's own entry the export keeps."""

    work: Work
    key: str | None = None  # the user's citation key (a bibliography's entry); None: made from the record
    journal: str = ""  # the journal name to write ("": the record's)
    protected: tuple[str, ...] = ()  # words and phrases the user's title protected from case changes ({FRET})
    bibtex_kept: dict = field(default_factory=dict)  # BibTeX field -> the user's value as written (LaTeX, braces), kept as is


def journal_name(work: Work, cited: str, style: str) -> str:
    """The journal to export: as cited (else as the record gives it), or with style "iso" the record's ISO 4
    abbreviation where it has one."""
    if style == "iso" and work.journal_abbreviation:
        return work.journal_abbreviation
    return cited or work.journal


def exportable(status: str, work: Work | None) -> bool:
    """A record worth exporting: the work the citation really points to (VERIFIED, or with minor metadata
    differences). Not a WRONG_WORK record, which is not what the author meant, and not a citation with no record."""
    return work is not None and status in (VERIFIED, METADATA_MISMATCH)


def left_out_note(source: str, label: str, status: str) -> str:
    why = "the identifier leads to another work than the one cited" if status == WRONG_WORK else "no record was found for it"
    return f"{source}: {label}: {status}, {why}"


def document_entries(report: Report, journal_style: str = JOURNAL_STYLES[0]) -> tuple[list[ExportEntry], list[str]]:
    """(the records the documents' citations point to, each once, keys to be made; what was left out and why)."""
    entries: dict[str, ExportEntry] = {}
    left_out = []
    for document in report.documents:
        for number, item in enumerate(document.citations, 1):
            work, status = item.resolution.work, item.resolution.status
            if exportable(status, work):
                cited = (item.citation.cited.journal if item.citation.cited else None) or ""
                entries.setdefault(work.doi or work.pmid or fold(work.title), ExportEntry(work, journal=journal_name(work, cited, journal_style)))
            else:
                left_out.append(left_out_note(document.source, f"C{number} {item.citation.id or ' '.join(item.citation.text.split())[:80]}", status))
    return list(entries.values()), left_out


def citation_key(work: Work, taken: set[str]) -> str:
    """author + year + first title word, e.g. sadasivan2012methylphenidate; a, b, ... on collisions.
    ASCII only (classic BibTeX rejects other letters in keys): a Cyrillic name leaves just the year."""
    def ascii_words(text: str) -> list[str]:
        return re.sub(r"[^a-z0-9 ]", "", fold(text)).split()

    first_word = next((w for w in ascii_words(work.title) if len(w) > 3), "")
    base = f"{''.join(ascii_words(work.first_author()))}{work.year or ''}{first_word}" or "ref"
    key, suffix = base, 0
    while key in taken:
        key = f"{base}{chr(ord('a') + suffix)}" if suffix < 26 else f"{base}{suffix}"
        suffix += 1
    taken.add(key)
    return key


PAGE_DASH = re.compile(r"\s*[-\u2013]+\s*")


def _page_range(page: str) -> tuple[str, str]:
    parts = PAGE_DASH.split(page, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


# Record values are plain text, so LaTeX's special characters are written as text commands. Braces
# become \textbraceleft{}/\textbraceright{}, not \{ \}: BibTeX counts every brace, escaped or not, so
# a lone "\{" would still unbalance the entry.
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
}
LATEX_SPECIAL = re.compile("|".join(re.escape(character) for character in LATEX_SPECIALS))
# biblatex reads these verbatim (and hyperref's \url / \doi take them raw): escaping would put the
# backslashes into the link. Only braces, which BibTeX itself must balance, are percent-encoded.
VERBATIM_FIELDS = {"doi", "url", "eprint"}


def notes_of(work: Work, kinds: tuple[str, ...] | None = None) -> list[str]:
    """The record's flags as notes, each with the notices behind it: "CORRECTED: correction notice
    doi:10.1371/annotation/..."; only the flags in `kinds` when given."""
    notes = []
    for flag in work.flags:
        if kinds is not None and flag not in kinds:
            continue
        behind = [notice_text(notice) for notice in work.notices if notice.kind == flag]
        notes.append(f"{flag}: {', '.join(behind)}" if behind else flag)
    return notes


def bibtex_value(name: str, value: str) -> str:
    """A record's plain-text value as it must stand between the braces of a BibTeX field."""
    if name in VERBATIM_FIELDS:
        return value.replace("{", "%7B").replace("}", "%7D")
    return LATEX_SPECIAL.sub(lambda match: LATEX_SPECIALS[match.group(0)], value)


# A word BibTeX styles must not lower-case: a capital after its first letter (FRET, mRNA, EBNA-1, COVID-19), or a
# capital and a digit (D3).
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def _keeps_case(word: str) -> bool:
    return any(c.isupper() for c in word[1:]) or (word[0].isupper() and any(c.isdigit() for c in word))


def _sentence_case(words: list[str]) -> bool:
    """Whether a title capitalises only its first word (and names): then a capital later marks a name."""
    later = [w for w in words[1:] if len(w) > 3]
    return bool(later) and sum(w[0].isupper() for w in later) * 2 < len(later)


def protected_spans(title: str, protected: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Where to put braces in a plain-text title: each word or phrase the user protected, wherever it stands in
    this title; each word with capitals after its first letter or with digits; and in a sentence-case title every
    capitalised word after the first (a name: Parkinson's, Crohn). Sorted, not overlapping."""
    spans = []
    for phrase in protected:
        spans += [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", title)]
    words = list(_WORD.finditer(title))
    names = _sentence_case([w.group() for w in words])
    spans += [(w.start(), w.end()) for index, w in enumerate(words)
              if _keeps_case(w.group()) or (names and index > 0 and w.group()[0].isupper())]
    kept, reached = [], -1
    for start, end in sorted(spans):
        if start >= reached:
            kept.append((start, end))
            reached = end
    return kept


def bibtex_title(title: str, protected: tuple[str, ...] = ()) -> str:
    """A plain-text title for BibTeX: special characters escaped, words whose case matters in braces."""
    pieces, position = [], 0
    for start, end in protected_spans(title, protected):
        pieces += [bibtex_value("title", title[position:start]), "{", bibtex_value("title", title[start:end]), "}"]
        position = end
    return "".join(pieces) + bibtex_value("title", title[position:])


def bibtex_fields(work: Work, protected: tuple[str, ...] = (), journal: str = "") -> dict[str, str]:
    """A record as BibTeX fields, each value ready to stand between braces; the title with its case protected
    (bibtex_title), the journal as given or the record's."""
    fields = {
        "author": " and ".join(f"{a.family}, {a.given}" if a.given else a.family for a in work.authors),
        "year": str(work.year or ""),
        "journal": journal or work.journal,
        "volume": work.volume,
        "number": work.issue,
        "pages": PAGE_DASH.sub("--", work.page),
        "doi": work.doi or "",
        "pmid": work.pmid or "",
        "note": "; ".join(notes_of(work, (RETRACTED,))),
    }
    title = {"title": bibtex_title(work.title, protected)} if work.title else {}
    return title | {name: bibtex_value(name, value) for name, value in fields.items() if value}


def csl_item(work: Work, key: str = "", journal: str = "") -> dict:
    item = {"id": key, "type": work.type or "article-journal", "title": work.title,
            "author": [{"family": a.family, "given": a.given} if a.given else {"family": a.family} for a in work.authors]}
    if work.year:
        item["issued"] = {"date-parts": [[work.year]]}
    for name, value in (("container-title", journal or work.journal), ("container-title-short", work.journal_abbreviation), ("volume", work.volume), ("issue", work.issue), ("page", work.page),
                        ("DOI", work.doi), ("PMID", work.pmid), ("PMCID", work.pmcid)):
        if value:
            item[name] = value
    if work.flags:
        item["note"] = "; ".join(notes_of(work))
    return {name: value for name, value in item.items() if value or name == "id"}


def ris_tags(work: Work, journal: str = "") -> list[tuple[str, str]]:
    first_page, last_page = _page_range(work.page) if work.page else ("", "")
    tags = [("TY", RIS_TYPES.get(work.type, "GEN")), ("TI", work.title)]
    tags += [("AU", f"{a.family}, {a.given}" if a.given else a.family) for a in work.authors]
    tags += [("PY", str(work.year or "")), ("T2", journal or work.journal), ("J2", work.journal_abbreviation), ("VL", work.volume), ("IS", work.issue),
             ("SP", first_page), ("EP", last_page), ("DO", work.doi or ""), ("AN", work.pmid or "")]
    tags += [("N1", note) for note in notes_of(work)]
    return [(tag, value) for tag, value in tags if value]


def dump_bibtex(entries: list[dict]) -> str:
    """bibtexparser's writer, entries in the order given (not re-sorted)."""
    from bibtexparser.bibdatabase import BibDatabase
    from bibtexparser.bwriter import BibTexWriter

    database = BibDatabase()
    database.entries = entries
    writer = BibTexWriter()
    writer.order_entries_by = None
    writer.indent = "  "
    return writer.write(database)


def ris_line(tag: str, value: str) -> str:
    """One RIS tag line. A line break inside the value would start a line RIS reads as garbage (or as
    another tag), so whitespace runs become one space."""
    return f"{tag}  - {' '.join(value.split())}"


def dump_ris(records: list[list[tuple[str, str]]]) -> str:
    lines = []
    for record in records:
        body = [(tag, value) for tag, value in record if tag != "ER"]
        lines += [ris_line(tag, value) for tag, value in body] + ["ER  - ", ""]
    return "\n".join(lines)


def dump_csljson(items: list[dict]) -> str:
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def export(entries: list[ExportEntry], fmt: str) -> str:
    """The entries in an export format, in the order given; a user's key is kept, the others made from the record
    (citation_key) without clashing with any kept key."""
    taken = {entry.key for entry in entries if entry.key}
    keys = [entry.key or citation_key(entry.work, taken) for entry in entries]
    if fmt == "bibtex":
        return dump_bibtex([
            {"ENTRYTYPE": BIBTEX_TYPES.get(entry.work.type, "misc"), "ID": key,
             **(bibtex_fields(entry.work, entry.protected, entry.journal) | entry.bibtex_kept)}
            for entry, key in zip(entries, keys)
        ])
    if fmt == "csljson":
        return dump_csljson([csl_item(entry.work, key, entry.journal) for entry, key in zip(entries, keys)])
    if fmt == "ris":
        return dump_ris([ris_tags(entry.work, entry.journal) + [("ID", key)] for entry, key in zip(entries, keys)])
    raise ValueError(f"unknown export format {fmt!r}")


def check_export_formats(exports: list[tuple[str, str]]) -> None:
    """InputError for a (format, path) whose format refcheck does not write, before any work."""
    for fmt, _ in exports:
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"--export: unknown format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")


def write_exports(entries: list[ExportEntry], left_out: list[str], exports: list[tuple[str, str]]) -> list[str]:
    """Write the entries as each (format, path) asks; returns what the user should be told: each citation left out
    and why, and each file left as it was because there was nothing to export (an export never empties a file)."""
    notes = [f"--export: left out {note}" for note in left_out]
    for fmt, path in exports:
        if entries:
            write_output(path, export(entries, fmt))
        else:
            notes.append(f"--export {fmt} {path}: nothing to export (no citation resolved to a record); the file was not written")
    return notes
