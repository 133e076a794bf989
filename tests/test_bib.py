"""refcheck bib: BibTeX, RIS and CSL-JSON bibliographies resolved, compared and corrected (never in place)."""
import json

import bibtexparser

from refcheck.bib import corrections, read_bibliography
from refcheck.cli import main
from refcheck.records import Author, Work
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

BIBTEX = """% my references
@article{rolf2018,
  title = {Exploring the effect of vitamin D3 supplementation on the anti-EBV antibody response in relapsing-remitting multiple sclerosis},
  author = {Rolf, Linda and Muris, Anne-Hilde},
  journal = {Mult Scler},
  year = {2018},
  volume = {42},
  pmid = {28731372},
  note = {keep me}
}

@article{fake,
  title = {Probiotics and mood},
  author = {Okafor, A.},
  year = {2021},
  doi = {10.1371/notarealdoi}
}
"""
RIS = """TY  - JOUR
TI  - Exploring the effect of vitamin D3 supplementation on the anti-EBV antibody response in relapsing-remitting multiple sclerosis
AU  - Rolf, Linda
PY  - 2018
AN  - 28731372
ER  - 

TY  - JOUR
TI  - Probiotics and mood
AU  - Okafor, A.
DO  - 10.1371/notarealdoi
ER  - 
"""
CSL = [
    {"id": "sadasivan", "type": "article-journal", "title": "Methylphenidate exposure induces dopamine neuron loss",
     "author": [{"family": "Sadasivan", "given": "Shankar"}], "issued": {"date-parts": [[2012]]}, "DOI": "10.1371/journal.pone.0033693"},
]


def test_bibtex_entries_are_checked_and_corrections_shown_as_a_diff(env, tmp_path, capsys):
    source = write(tmp_path, "refs.bib", BIBTEX)
    assert main(["bib", source, "-f", "json"]) == 1
    citations = json.loads(capsys.readouterr().out)["documents"][0]["citations"]
    assert [(c["text"], c["status"]) for c in citations] == [("rolf2018", "METADATA_MISMATCH"), ("fake", "NOT_FOUND")]
    assert main(["bib", source, "--diff"]) == 1
    diff = capsys.readouterr().out
    assert "-  volume = {42}," in diff and "+  volume = {24}," in diff
    assert "-  note = {keep me}\n+  note = {keep me},\n" in diff  # missing fields are added after the entry's last one
    assert "+  doi = {10.1177/1352458517722646}\n" in diff
    assert not any(line.startswith(("-  author", "+  author")) for line in diff.splitlines())  # a shortened list is kept
    assert "Probiotics" not in diff and "notarealdoi" not in diff  # nothing to take from a record that does not exist


def test_fix_writes_a_new_file_and_never_touches_the_original(env, tmp_path, capsys):
    source = write(tmp_path, "refs.bib", BIBTEX)
    main(["bib", source, "--fix", "-q"])
    assert (tmp_path / "refs.bib").read_text() == BIBTEX
    fixed = bibtexparser.loads((tmp_path / "refs.fixed.bib").read_text())
    entry = fixed.entries_dict["rolf2018"]
    assert (entry["volume"], entry["note"], entry["doi"]) == ("24", "keep me", "10.1177/1352458517722646")
    assert fixed.entries_dict["fake"]["doi"] == "10.1371/notarealdoi"


def test_github_annotation_points_at_the_entry_line(env, tmp_path, capsys):
    source = write(tmp_path, "refs.bib", BIBTEX)
    main(["bib", source, "-f", "github"])
    errors = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::error")]
    assert any(",line=2," in e and "metadata-mismatch" in e for e in errors)
    assert any(",line=12," in e and "not-found" in e for e in errors)


def test_ris_and_csl_json_are_read(env, tmp_path, capsys):
    ris = read_bibliography(write(tmp_path, "refs.ris", RIS))
    assert [e.fields["pmid"] or e.fields["doi"] for e in ris.entries] == ["28731372", "10.1371/notarealdoi"]
    assert ris.entries[1].start == RIS.index("TY  - JOUR\nTI  - Probiotics")
    assert main(["bib", str(tmp_path / "refs.ris"), "-f", "csv"]) == 1
    csl = write(tmp_path, "refs.json", json.dumps(CSL, indent=2))
    assert main(["bib", csl, "--fix", "-q", "-f", "json"]) == 3  # PubMed has no recorded answer for this DOI: partly checked
    fixed = json.loads((tmp_path / "refs.fixed.json").read_text())
    assert fixed[0]["title"].startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation")
    assert fixed[0]["id"] == "sadasivan"


def test_unreadable_bibliography_is_a_usage_error(tmp_path, capsys):
    assert main(["bib", write(tmp_path, "refs.bib", "no entries here"), "--offline"]) == 2
    assert "no entries found" in capsys.readouterr().err


def test_corrections_fill_gaps_but_keep_abbreviations():
    work = Work(title="A Study", authors=(Author("Smith", "J"), Author("Jones", "K")), year=2020, journal="Journal of Things",
                volume="3", page="10-20", doi="10.1/x")
    entry = {"title": "A study", "authors": (Author("Smith"),), "year": 2020, "journal": "J Things", "volume": "3",
             "issue": "", "pages": "10-20", "doi": "", "pmid": ""}
    assert corrections(entry, work) == ("doi",)
    assert corrections(dict(entry, authors=(Author("Brown"),), pages="11"), work) == ("authors", "pages", "doi")
