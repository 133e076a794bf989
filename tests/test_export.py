"""--export bibtex|csljson|ris: the verified records, readable by the tools that read those formats."""
import json

import bibtexparser

from refcheck.bib import _parse_ris
from refcheck.cli import main
from refcheck.report.export import ExportEntry, export
from refcheck.records import RETRACTED, Author, Work
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

WORKS = [
    Work(title="Methylphenidate Exposure Induces {Dopamine} Neuron Loss", authors=(Author("Sadasivan", "Shankar"), Author("Pond", "Brooks B.")),
         year=2012, journal="PLoS ONE", volume="7", issue="3", page="e33693", doi="10.1371/journal.pone.0033693"),
    Work(title="Second paper", authors=(Author("Sadasivan", "S"),), year=2012, journal="J", page="1280\u20131287", pmid="1", flags=(RETRACTED,)),
]
ENTRIES = [ExportEntry(work) for work in WORKS]


def test_bibtex_round_trips_through_bibtexparser():
    text = export(ENTRIES, "bibtex")
    database = bibtexparser.loads(text)
    first, second = database.entries
    assert first["ID"] == "sadasivan2012methylphenidate" and second["ID"] == "sadasivan2012second"
    assert first["author"] == "Sadasivan, Shankar and Pond, Brooks B."
    assert (first["doi"], first["volume"], first["number"]) == ("10.1371/journal.pone.0033693", "7", "3")
    assert second["pages"] == "1280--1287" and second["note"] == "RETRACTED"
    assert bibtexparser.loads(bibtexparser.dumps(database)).entries == database.entries  # written and read again: the same


def test_csljson_comes_straight_from_the_record():
    first, second = json.loads(export(ENTRIES, "csljson"))
    assert first["author"] == [{"family": "Sadasivan", "given": "Shankar"}, {"family": "Pond", "given": "Brooks B."}]
    assert (first["issued"], first["container-title"], first["DOI"]) == ({"date-parts": [[2012]]}, "PLoS ONE", "10.1371/journal.pone.0033693")
    assert second["note"] == "RETRACTED" and second["PMID"] == "1"


def test_ris_reads_back():
    text = export(ENTRIES, "ris")
    entries = _parse_ris(text)
    assert [e.key for e in entries] == ["sadasivan2012methylphenidate", "sadasivan2012second"]
    assert entries[1].fields["pages"] == "1280-1287" and entries[1].fields["pmid"] == "1"


def test_check_exports_only_records_the_citations_really_point_to(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", "Vitamin D3 lowered anti-EBNA-1 antibodies in MS [PMID: 28731372].\n\nSee also doi:10.1371/notarealdoi.\n")
    target = tmp_path / "verified.bib"
    main(["check", source, "--export", "bibtex", str(target)])
    (entry,) = bibtexparser.loads(target.read_text()).entries
    assert entry["pmid"] == "28731372" and entry["year"] == "2018"
    assert main(["check", source, "--export", "docx", str(target)]) == 2
    assert main(["check", source, "--export", "ris", source]) == 2  # never over an input


def test_citation_keys_stay_ascii_for_works_in_other_scripts():
    from refcheck.report.export import citation_key
    from refcheck.records import Author, Work

    russian = Work(title="Влияние витамина D на артериальное давление", authors=(Author("Иванов", "И."),), year=2010)
    mixed = Work(title="Dépistage du cancer", authors=(Author("Łukasiewicz", "J."),), year=2001)
    taken: set[str] = set()
    assert citation_key(russian, taken) == "2010"
    assert citation_key(mixed, taken) == "lukasiewicz2001depistage"
    assert citation_key(russian, taken) == "2010a"


def test_bibtex_escapes_latex_specials_but_not_in_the_doi():
    work = Work(title="50% of $x$ in #1 a_b {c} ~ ^ \\ x", authors=(Author("O'Brien & Sons", "A"),), year=2020,
                journal="Journal of environmental & analytical toxicology", doi="10.1002/(SICI)1097-4636_a{b}")
    (entry,) = bibtexparser.loads(export([ExportEntry(work)], "bibtex")).entries
    assert entry["journal"] == r"Journal of environmental \& analytical toxicology"
    assert entry["title"] == r"50\% of \$x\$ in \#1 a\_b \textbraceleft{}c\textbraceright{} \textasciitilde{} \textasciicircum{} \textbackslash{} x"
    assert entry["author"] == r"O'Brien \& Sons, A"
    assert entry["doi"] == "10.1002/(SICI)1097-4636_a%7Bb%7D"  # read verbatim by biblatex: raw, but braces kept balanced


def test_ris_values_stay_on_their_line():
    work = Work(title="First line\nER  - second line", authors=(Author("Smith", "J"),), year=2020, journal="J\r\nThings")
    text = export([ExportEntry(work)], "ris")
    (entry,) = _parse_ris(text)
    assert entry.fields["title"] == "First line ER - second line" and entry.fields["journal"] == "J Things"
    assert "TI  - First line ER - second line\n" in text


def test_check_exports_a_journal_with_an_ampersand_escaped(env, tmp_path):
    source = write(tmp_path, "a.md", "Titanium dioxide nanoparticles are not cytotoxic in human skin cells [PMID: 26568896].\n")
    target = tmp_path / "verified.bib"
    main(["check", source, "--export", "bibtex", str(target)])
    assert "journal = {Journal of environmental \\& analytical toxicology}," in target.read_text()


def test_a_correction_is_exported_with_the_notice_that_makes_it(env, tmp_path, capsys):
    """Crossref names the correction notice of 10.1371/journal.pone.0033693 by DOI (updated-by), PubMed that of
    PMID 38147649 by PMID (CommentsCorrections ErratumIn): RIS, CSL-JSON and the HTML report carry the identifier."""
    source = write(tmp_path, "a.md", "Methylphenidate caused dopamine neuron loss in mice (doi:10.1371/journal.pone.0033693).\n\n"
                                     "Gut bacteria from people with social anxiety made mice more fearful (PMID: 38147649).\n")
    ris, csl = tmp_path / "refs.ris", tmp_path / "refs.json"
    main(["check", source, "--export", "ris", str(ris), "--export", "csljson", str(csl), "-f", "html", "-o", str(tmp_path / "r.html")])
    notes = [line for line in ris.read_text().splitlines() if line.startswith("N1")]
    assert notes == ["N1  - CORRECTED: correction notice doi:10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda",
                     "N1  - CORRECTED: correction notice pmid:39705317"]
    assert [item["note"] for item in json.loads(csl.read_text())] == [note[6:] for note in notes]
    page = (tmp_path / "r.html").read_text()
    assert 'href="https://doi.org/10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda"' in page
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/39705317/"' in page
