"""Write resolved records (Work) as BibTeX (through bibtexparser), CSL-JSON or RIS. Pure.

Work's field names follow CSL-JSON, so CSL-JSON is a direct mapping. FIELD_NAMES says which
fields of each format hold each bibliographic field; bib.py uses it to correct entries in place.
"""
from __future__ import annotations

import json
import re

from ..metadata import fold
from ..records import METADATA_MISMATCH, RETRACTED, VERIFIED, Work
from .model import Report

EXPORT_FORMATS = ("bibtex", "csljson", "ris")

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


def exported_works(report: Report) -> list[Work]:
    """The records worth exporting: works the citations really point to (VERIFIED or with minor metadata
    differences), each once. WRONG_WORK records are left out: they are not what the author meant."""
    works: dict[str, Work] = {}
    for document in report.documents:
        for item in document.citations:
            work = item.resolution.work
            if work is not None and item.resolution.status in (VERIFIED, METADATA_MISMATCH):
                works.setdefault(work.doi or work.pmid or fold(work.title), work)
    return list(works.values())


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


def bibtex_value(name: str, value: str) -> str:
    """A record's plain-text value as it must stand between the braces of a BibTeX field."""
    if name in VERBATIM_FIELDS:
        return value.replace("{", "%7B").replace("}", "%7D")
    return LATEX_SPECIAL.sub(lambda match: LATEX_SPECIALS[match.group(0)], value)


def bibtex_fields(work: Work) -> dict[str, str]:
    fields = {
        "title": work.title,
        "author": " and ".join(f"{a.family}, {a.given}" if a.given else a.family for a in work.authors),
        "year": str(work.year or ""),
        "journal": work.journal,
        "volume": work.volume,
        "number": work.issue,
        "pages": PAGE_DASH.sub("--", work.page),
        "doi": work.doi or "",
        "pmid": work.pmid or "",
        "note": "RETRACTED" if RETRACTED in work.flags else "",
    }
    return {name: bibtex_value(name, value) for name, value in fields.items() if value}


def csl_item(work: Work, key: str = "") -> dict:
    item = {"id": key, "type": work.type or "article-journal", "title": work.title,
            "author": [{"family": a.family, "given": a.given} if a.given else {"family": a.family} for a in work.authors]}
    if work.year:
        item["issued"] = {"date-parts": [[work.year]]}
    for name, value in (("container-title", work.journal), ("volume", work.volume), ("issue", work.issue), ("page", work.page),
                        ("DOI", work.doi), ("PMID", work.pmid), ("PMCID", work.pmcid)):
        if value:
            item[name] = value
    if work.flags:
        item["note"] = ", ".join(work.flags)
    return {name: value for name, value in item.items() if value or name == "id"}


def ris_tags(work: Work) -> list[tuple[str, str]]:
    first_page, last_page = _page_range(work.page) if work.page else ("", "")
    tags = [("TY", RIS_TYPES.get(work.type, "GEN")), ("TI", work.title)]
    tags += [("AU", f"{a.family}, {a.given}" if a.given else a.family) for a in work.authors]
    tags += [("PY", str(work.year or "")), ("T2", work.journal), ("VL", work.volume), ("IS", work.issue),
             ("SP", first_page), ("EP", last_page), ("DO", work.doi or ""), ("AN", work.pmid or "")]
    tags += [("N1", flag) for flag in work.flags]
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


def export(works: list[Work], fmt: str) -> str:
    taken: set[str] = set()
    keys = [citation_key(work, taken) for work in works]
    if fmt == "bibtex":
        return dump_bibtex([{"ENTRYTYPE": BIBTEX_TYPES.get(w.type, "misc"), "ID": key, **bibtex_fields(w)} for w, key in zip(works, keys)])
    if fmt == "csljson":
        return dump_csljson([csl_item(w, key) for w, key in zip(works, keys)])
    if fmt == "ris":
        return dump_ris([ris_tags(w) + [("ID", key)] for w, key in zip(works, keys)])
    raise ValueError(f"unknown export format {fmt!r}")
