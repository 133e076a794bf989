"""refcheck bib --fix / --diff edit the user's own text: changed values replaced where they stand, missing fields
added to their entry, every other byte kept, so `patch` applies the diff; and bibliographies are read like documents
(size limit, encoding fallback)."""
import json
import shutil
import subprocess

import pytest

from refcheck.bib import read_bibliography
from refcheck.cli import main
from refcheck.errors import InputError
from refcheck.load import MAX_BYTES, decode
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

# A layout bibtexparser's writer would never produce: a comment, an @string, quoted and bare values, a
# concatenation, aligned "=", an entry on one line, and no newline at the end of the file.
ROLF_BODY = """    Title   = "Exploring the effect of vitamin {D3} supplementation on the anti-EBV antibody response in relapsing-remitting multiple sclerosis",
    author  = {Rolf, Linda and Muris, Anne-Hilde},
    journal = ms,
    year    = 2018,
    volume  = {4} # {2},
    pmid    = {28731372}
}"""
BIBTEX = f"""% my references, as I wrote them
@string{{ms = "Mult Scler"}}

@Article{{rolf2018,
{ROLF_BODY}

@article{{browning2014, title = {{Titanium Dioxide Nanoparticles are not Cytotoxic or Clastogenic in Human Skin Cells}}, author = {{Browning, C. L.}}, year = {{2014}}, pmid = {{26568896}}}}"""


def _run(*args):
    return main(["bib", *args, "-q"])


def test_fix_changes_only_the_corrected_values_and_adds_missing_fields(env, tmp_path):
    source = write(tmp_path, "refs.bib", BIBTEX)
    assert _run(source, "--fix") == 1
    fixed = (tmp_path / "refs.fixed.bib").read_text()
    expected_rolf = ROLF_BODY.replace("{4} # {2}", "{24}").replace(
        "{28731372}\n}", "{28731372},\n    number = {10},\n    pages = {1280--1287},\n    doi = {10.1177/1352458517722646}\n}")
    expected_browning = BIBTEX.rsplit("\n", 1)[1][:-1] + (
        ", journal = {Journal of environmental \\& analytical toxicology}, volume = {4}, number = {6}, doi = {10.4172/2161-0525.1000239}}")
    assert fixed == BIBTEX.replace(ROLF_BODY, expected_rolf).rsplit("\n", 1)[0] + "\n" + expected_browning


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs the patch program")
def test_diff_applies_to_the_file_with_patch(env, tmp_path, capsys):
    source = write(tmp_path, "refs.bib", BIBTEX)
    _run(source, "--fix")
    capsys.readouterr()
    assert _run(source, "--diff") == 1
    diff = capsys.readouterr().out
    assert diff.startswith(f"--- {source}\n+++ {tmp_path / 'refs.fixed.bib'}\n")
    assert "\\ No newline at end of file" in diff
    patched = tmp_path / "patched.bib"
    patched.write_text(BIBTEX)
    subprocess.run(["patch", "--quiet", str(patched)], input=diff, text=True, check=True)
    assert patched.read_text() == (tmp_path / "refs.fixed.bib").read_text()


def test_year_one_off_the_record_is_neither_a_mismatch_nor_corrected(env, tmp_path, capsys):
    one_off = write(tmp_path, "one.bib", BIBTEX.replace("year    = 2018", "year    = 2017").replace("{4} # {2}", "{24}"))
    assert _run(one_off, "-f", "json") == 0
    rolf = json.loads(capsys.readouterr().out)["documents"][0]["citations"][0]
    # The fix fills in what the entry lacks, and the report says so; the year is not among them.
    fill_ins = "suggested from the record: issue (missing), pages (missing), doi (missing)"
    assert (rolf["status"], rolf["reasons"]) == ("VERIFIED", [fill_ins])
    _run(one_off, "--diff")
    assert not [line for line in capsys.readouterr().out.splitlines() if line.startswith(("-    year", "+    year"))]

    two_off = write(tmp_path, "two.bib", BIBTEX.replace("year    = 2018", "year    = 2016").replace("{4} # {2}", "{24}"))
    assert _run(two_off, "-f", "json") == 1
    rolf = json.loads(capsys.readouterr().out)["documents"][0]["citations"][0]
    assert (rolf["status"], rolf["reasons"]) == ("METADATA_MISMATCH", ["year differs: cited 2016, recorded 2018",
                                                                      fill_ins.replace(": ", ": year (differs), ", 1)])
    _run(two_off, "--diff")
    assert "-    year    = 2016,\n+    year    = {2018},\n" in capsys.readouterr().out


RIS = (
    "TY  - JOUR\r\nTI  - Exploring the effect of vitamin D3 supplementation on the anti-EBV antibody response in relapsing-remitting"
    " multiple sclerosis\r\nAU  - Rolf, Linda\r\nAU  - Smith, Q\r\nPY  - 2018\r\nVL  - 42\r\nN1  - my note\r\nAN  - 28731372\r\nER  - \r\n"
)


def test_ris_fix_replaces_tag_lines_in_place_and_keeps_crlf(env, tmp_path):
    source = tmp_path / "refs.ris"
    source.write_bytes(RIS.encode())
    _run(str(source), "--fix")
    fixed = (tmp_path / "refs.fixed.ris").read_bytes().decode()
    lines = fixed.split("\r\n")
    assert "\n" not in fixed.replace("\r\n", "")
    assert lines[:3] == RIS.split("\r\n")[:2] + ["AU  - Rolf, Linda"]
    assert lines.index("AU  - Hupperts, Raymond") < lines.index("PY  - 2018") < lines.index("VL  - 24") < lines.index("N1  - my note")
    assert "AU  - Smith, Q" not in lines  # the author list is replaced as one block where it stood
    assert lines[-7:] == ["T2  - Multiple sclerosis (Houndmills, Basingstoke, England)", "IS  - 10", "SP  - 1280", "EP  - 1287",
                          "DO  - 10.1177/1352458517722646", "ER  - ", ""]


CSL = """[
    {
        "id": "browning",   "type": "article-journal",
        "title": "Titanium Dioxide Nanoparticles are not Cytotoxic or Clastogenic in Human Skin Cells",
        "author": [ {"family": "Browning"} ],
        "issued": {"date-parts": [[2011]]},
        "PMID": "26568896"
    }
]
"""


def test_csljson_fix_replaces_values_in_place_and_stays_valid_json(env, tmp_path):
    source = write(tmp_path, "refs.json", CSL)
    _run(source, "--fix")
    fixed = (tmp_path / "refs.fixed.json").read_text()
    assert fixed == CSL.replace("[[2011]]", "[[2014]]").replace('"PMID": "26568896"\n', (
        '"PMID": "26568896",\n        "container-title": "Journal of environmental & analytical toxicology",\n'
        '        "volume": "4",\n        "issue": "6",\n        "DOI": "10.4172/2161-0525.1000239"\n'))
    assert json.loads(fixed)[0]["issued"] == {"date-parts": [[2014]]}


def test_latin1_bibliography_is_decoded_like_a_document(env, tmp_path, capsys):
    data = "@article{mueller,\n  title = {Vitamin D und Knochen},\n  author = {Müller, Jörg},\n  year = {2001}\n}\n".encode("latin-1")
    source = tmp_path / "refs.bib"
    source.write_bytes(data)
    entry = read_bibliography(str(source)).entries[0]
    assert (entry.fields["authors"][0].family, read_bibliography(str(source)).text) == ("Müller", decode(data))
    assert _run(str(source), "--offline", "-f", "json") == 3  # nothing cached: unresolved, but read
    assert "cannot read" not in capsys.readouterr().err


def test_oversized_bibliography_is_refused_like_a_document(env, tmp_path, capsys):
    big = tmp_path / "big.bib"
    with open(big, "wb") as stream:
        stream.truncate(MAX_BYTES + 1)  # sparse: nothing past the limit is read
    assert _run(str(big)) == 2
    assert capsys.readouterr().err == f"refcheck: {big}: {MAX_BYTES + 1:,} bytes is over the {MAX_BYTES:,}-byte input limit (--max-bytes)\n"
    with pytest.raises(InputError, match="over the 100-byte input limit"):
        read_bibliography(write(tmp_path, "small.bib", BIBTEX), max_bytes=100)
