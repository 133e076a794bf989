"""Options every command shares, and the library calls the command line is made of."""
import json
import subprocess
import sys

import pytest

import refcheck
from refcheck.cli import main
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

VERIFIED = "High-dose vitamin D3 reduced anti-EBNA-1 antibody levels in RRMS patients [PMID: 28731372]."
OUTAGE = "A newer trial agreed (doi:10.5555/never-recorded-options-1)."
BIB = r"""@article{rolf2018ebv,
  title = {Exploring the effect of vitamin D3 supplementation on the anti-EBV antibody response in multiple sclerosis},
  author = {Rolf, Linda and Gonz{\'a}lez, Maria},
  year = {2018},
  pmid = {28731372}
}
"""


@pytest.mark.parametrize("argv_tail, config", [(["--fail-on", ""], None), (["--fail-on", " , "], None), ([], "fail-on = []\n")])
def test_an_empty_fail_on_is_refused(env, tmp_path, capsys, argv_tail, config):
    if config:
        (tmp_path / "refcheck.toml").write_text(config)
    assert main(["check", write(tmp_path, "a.md", VERIFIED), *argv_tail]) == 2
    assert "--fail-on: no kind given" in capsys.readouterr().err
    assert env.requests == []


def test_unresolved_warn_turns_an_outage_into_a_warning(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", f"{VERIFIED}\n\n{OUTAGE}\n")
    assert main(["check", source]) == 3
    assert main(["check", source, "--unresolved", "warn"]) == 0
    assert "1 citation(s) could not be fully checked" in capsys.readouterr().err
    (tmp_path / "refcheck.toml").write_text('unresolved = "warn"\n')
    assert main(["check", source, "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["exit_code"] == 0
    (tmp_path / "refcheck.toml").write_text('unresolved = "ignore"\n')
    assert main(["check", source]) == 2
    assert "setting 'unresolved': 'ignore' is not one of fail, warn" in capsys.readouterr().err


def test_cache_commands_use_the_configured_cache(env, tmp_path, capsys):
    (tmp_path / "refcheck.toml").write_text('cache-dir = "project-cache"\n')
    assert main(["check", write(tmp_path, "a.md", VERIFIED)]) == 0
    capsys.readouterr()
    assert main(["cache", "stats"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(str(tmp_path / "project-cache" / "refcheck.sqlite")) and "pubmed" in out
    assert main(["cache", "clear"]) == 0
    assert str(tmp_path / "project-cache") in capsys.readouterr().out


def test_help_says_what_each_format_is_the_exit_codes_and_gives_examples():
    result = subprocess.run([sys.executable, "-m", "refcheck", "check", "--help"], capture_output=True, text=True, check=True)
    help_text = result.stdout
    for line in ("formats (--format):", "  junit     JUnit XML", "exit codes:", "  3  nothing wrong was found", "examples:",
                 "--unresolved=warn"):
        assert line in help_text
    assert "not-\n" not in help_text and "mis-\n" not in help_text  # kinds are never split at their hyphens
    cache_help = subprocess.run([sys.executable, "-m", "refcheck", "cache", "--help"], capture_output=True, text=True, check=True).stdout
    assert "see README" not in cache_help and "~/.cache/refcheck" in cache_help and "--json" in cache_help


def test_the_library_is_what_the_command_line_calls(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", f"{VERIFIED}\n\n{OUTAGE}\n")
    report = refcheck.check(source)
    assert report.summary["status"]["VERIFIED"] == 1 and report.summary["incomplete"] == 1
    assert (report.exit_code(), report.exit_code(unresolved="warn")) == (3, 0)
    main(["check", source, "-f", "markdown"])
    assert capsys.readouterr().out == refcheck.render(report, "markdown")
    bibliography = refcheck.check_bibliography(write(tmp_path, "refs.bib", BIB))
    assert [c.citation.text for c in bibliography.documents[0].citations] == ["rolf2018ebv"]
    with pytest.raises(ValueError, match="unknown format"):
        refcheck.render(report, "docx")


def test_the_bib_table_fills_its_columns_and_says_why(env, tmp_path, capsys):
    source = write(tmp_path, "refs.bib", BIB)
    main(["bib", source])
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("#"))
    assert header.split() == ["#", "Key", "Identifier", "Status", "Resolved", "to"]  # no empty claim and verdict columns
    assert "rolf2018ebv" in out and "Rolf 2018. Exploring the effect" in out
    assert "Reasons:\nC1  28731372  VERIFIED\n    status: suggested from the record: title (differs), authors (differs)" in out
    main(["bib", source, "-f", "json"])
    cited = json.loads(capsys.readouterr().out)["documents"][0]["citations"][0]["cited"]
    assert cited["authors"] == ["Rolf", "González"]  # LaTeX accents decoded
