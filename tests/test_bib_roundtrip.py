"""A bibliography's own choices survive refcheck: its citation keys, the words its titles protect with braces, a
shortened author list ("and others") and the journal as cited, through --export and through --fix."""
import bibtexparser

from refcheck.bib import read_bibliography
from refcheck.cli import main
from refcheck.report.export import bibtex_title, protected_spans
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

# Two works recorded in ../shared: PubMed's Rolf 2018 (PMID 28731372) and Crossref's Sadasivan 2012.
BIB = r"""@article{rolf2018ebv,
  title = {Exploring the effect of vitamin {D3} supplementation on the anti-{EBV} antibody response in relapsing-remitting multiple sclerosis},
  author = {Rolf, Linda and Muris, Anne-Hilde and others},
  journal = {Mult. Scler.},
  year = {2018},
  pmid = {28731372}
}

@article{sadasivan-mice,
  title = {{Methylphenidate} Exposure Induces {Dopamine} Neuron Loss and Activation of Microglia in the Basal Ganglia of Mice},
  author = {Sadasiv{\'a}n, Shankar and others},
  journal = {PLoS One},
  year = {2012},
  doi = {10.1371/journal.pone.0033693}
}

@article{no-such-paper,
  title = {A paper that is not there},
  author = {Nobody, N.},
  year = {2021},
  doi = {10.1371/notarealdoi}
}
"""


def test_export_keeps_keys_braces_shortened_authors_and_the_journal_as_cited(env, tmp_path, capsys):
    source = write(tmp_path, "refs.bib", BIB)
    target = tmp_path / "verified.bib"
    main(["bib", source, "--export", "bibtex", str(target)])
    err = capsys.readouterr().err
    assert "left out" in err and "no-such-paper: NOT_FOUND, no record was found for it" in err
    text = target.read_text()
    rolf, sadasivan = bibtexparser.loads(text).entries
    assert (rolf["ID"], sadasivan["ID"]) == ("rolf2018ebv", "sadasivan-mice")
    assert rolf["title"] == ("Exploring the effect of vitamin {D3} supplementation on the anti-{EBV} antibody response in "
                             "relapsing-remitting multiple sclerosis")
    assert sadasivan["title"].startswith("{Methylphenidate} Exposure Induces {Dopamine} Neuron Loss")
    assert rolf["author"] == "Rolf, Linda and Muris, Anne-Hilde and others"
    assert sadasivan["author"] == r"Sadasiv{\'a}n, Shankar and others"
    assert (rolf["journal"], sadasivan["journal"]) == ("Mult. Scler.", "PLoS One")
    assert rolf["doi"] == "10.1177/1352458517722646"  # what the record adds is added
    assert read_bibliography(str(target)).entries[0].key == "rolf2018ebv"  # and refcheck reads its own export back


def test_export_can_give_the_iso_abbreviation_instead(env, tmp_path, capsys):
    source = write(tmp_path, "refs.bib", BIB)
    target = tmp_path / "verified.bib"
    main(["bib", source, "--export", "bibtex", str(target), "--export-journal", "iso"])
    rolf = bibtexparser.loads(target.read_text()).entries[0]
    assert rolf["journal"] == "Mult Scler"  # PubMed's ISOAbbreviation


def test_other_formats_keep_the_keys_too(env, tmp_path, capsys):
    import json

    source = write(tmp_path, "refs.bib", BIB)
    main(["bib", source, "--export", "csljson", str(tmp_path / "refs.json"), "--export", "ris", str(tmp_path / "refs.ris")])
    assert [item["id"] for item in json.loads((tmp_path / "refs.json").read_text())] == ["rolf2018ebv", "sadasivan-mice"]
    assert [e.key for e in read_bibliography(str(tmp_path / "refs.ris")).entries] == ["rolf2018ebv", "sadasivan-mice"]


def test_fix_keeps_the_shortened_author_list_and_the_braces(env, tmp_path, capsys):
    source = write(tmp_path, "refs.bib", BIB)
    main(["bib", source, "--fix"])
    fixed = (tmp_path / "refs.fixed.bib").read_text()
    assert "author = {Rolf, Linda and Muris, Anne-Hilde and others}" in fixed
    assert r"author = {Sadasiv{\'a}n, Shankar and others}" in fixed
    assert "anti-{EBV} antibody" in fixed and "{Methylphenidate} Exposure Induces {Dopamine}" in fixed
    assert "@article{rolf2018ebv," in fixed and "@article{sadasivan-mice," in fixed
    # The fix and the export agree: exporting the fixed file gives the same entries as exporting the original.
    main(["bib", str(tmp_path / "refs.fixed.bib"), "--export", "bibtex", str(tmp_path / "a.bib")])
    main(["bib", source, "--export", "bibtex", str(tmp_path / "b.bib")])
    assert (tmp_path / "a.bib").read_text() == (tmp_path / "b.bib").read_text()


def test_latex_accents_are_read_as_letters(tmp_path):
    path = write(tmp_path, "refs.bib", r"@article{k, author = {Gonz\'alez, Mar{\'\i}a and G{\"o}del, K. and {World Health Organization}}, "
                                       r"title = {Caf\'e \& cr\`eme}, journal = {Rev. Esp.}, year = {2020}}")
    fields = read_bibliography(path).entries[0].fields
    assert [a.family for a in fields["authors"]] == ["González", "Gödel", "World Health Organization"]
    assert fields["title"] == "Café & crème"


def test_a_corrected_title_takes_the_words_the_user_protected():
    title = "Fluorescence resonance energy transfer (FRET) imaging in Parkinson's disease models of mRNA decay"
    assert bibtex_title(title, ("Parkinson's",)) == (
        "Fluorescence resonance energy transfer ({FRET}) imaging in {Parkinson's} disease models of {mRNA} decay")
    sentence_case = "Vitamin D and mood in Norwegian adults"
    assert [sentence_case[s:e] for s, e in protected_spans(sentence_case)] == ["D", "Norwegian"]
    title_case = "Vitamin D And Mood In Norwegian Adults"
    assert protected_spans(title_case) == []
