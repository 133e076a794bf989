"""Command-line edges: usage errors in one line before any work, outputs that never land on inputs,
the configuration never read for --help, cache commands that do not invent caches."""
import io
import json
import os
import sys

import pytest

import refcheck
from refcheck.cli import main
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

PMID = "28731372"
VERIFIED = f"High-dose vitamin D3 reduced anti-EBNA-1 antibody levels in RRMS patients [PMID: {PMID}]."
MISSING = "A follow-up was reported too (doi:10.1371/notarealdoi)."


def usage_error(argv, capsys) -> str:
    """The one stderr line of an argparse error (which exits 2 through SystemExit)."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and captured.err.startswith("refcheck: error: ")
    return captured.err


def refused(argv, capsys, replay_server) -> str:
    """The one stderr line of a refusal that came before any work: no report, no lookup."""
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "internal error" not in captured.err
    assert replay_server.requests == []
    return captured.err


# --- 1. a configured baseline and --write-baseline -----------------------------------------------

def test_write_baseline_does_not_need_or_apply_the_configured_baseline(env, tmp_path, capsys):
    (tmp_path / "refcheck.toml").write_text('baseline = "refcheck-baseline.json"\n')
    source = write(tmp_path, "a.md", f"{VERIFIED}\n\n{MISSING}\n")
    baseline = tmp_path / "refcheck-baseline.json"

    assert main(["check", source, "--write-baseline", "refcheck-baseline.json"]) == 1  # was 2: "no such baseline file"
    recorded = baseline.read_text()
    assert "not-found" in recorded
    assert main(["check", source]) == 0  # the configured baseline now excuses the finding

    # Rewriting it reports and records every finding: the old file neither filters nor empties the new one.
    assert main(["check", source, "--write-baseline", "refcheck-baseline.json"]) == 1
    assert baseline.read_text() == recorded


def test_a_baseline_given_on_the_command_line_still_applies_while_writing(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", f"{MISSING}\n")
    baseline = str(tmp_path / "bl.json")
    assert main(["check", source, "--write-baseline", baseline]) == 1
    recorded = open(baseline).read()
    assert main(["check", source, "--baseline", baseline, "--write-baseline", baseline]) == 0
    assert open(baseline).read() == recorded
    assert main(["check", source, "--baseline", str(tmp_path / "none.json"), "--write-baseline", baseline]) == 2


# --- 2. outputs never over inputs, the baseline or each other ------------------------------------

def test_report_never_overwrites_the_baseline(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", f"{MISSING}\n")
    baseline = tmp_path / "bl.json"
    assert main(["check", source, "--write-baseline", str(baseline)]) == 1
    recorded = baseline.read_text()
    replay_server = env
    replay_server.reset()
    capsys.readouterr()
    err = refused(["check", source, "--baseline", str(baseline), "-o", str(baseline)], capsys, replay_server)
    assert "refusing to overwrite the --baseline file (-o)" in err
    assert baseline.read_text() == recorded


def test_a_configured_baseline_is_protected_too(env, tmp_path, capsys):
    (tmp_path / "refcheck.toml").write_text('baseline = "bl.json"\n')
    (tmp_path / "bl.json").write_text('{"baseline_version": 1, "findings": []}\n')
    source = write(tmp_path, "a.md", f"{MISSING}\n")
    assert "--baseline file" in refused(["check", source, "-o", "bl.json"], capsys, env)


@pytest.mark.parametrize("flags", [["--write-baseline", "out.json", "-o", "out.json"],
                                   ["--export", "bibtex", "out.json", "-o", "out.json"],
                                   ["--export", "ris", "out.json", "--write-baseline", "out.json"]])
def test_two_outputs_on_one_path_are_refused(env, tmp_path, capsys, flags):
    source = write(tmp_path, "a.md", f"{MISSING}\n")
    assert "would write the same file" in refused(["check", source, *flags], capsys, env)
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("link", [os.symlink, os.link])
def test_a_link_to_an_input_is_the_input(env, tmp_path, capsys, link):
    source = write(tmp_path, "a.md", f"{MISSING}\n")
    link(source, tmp_path / "report.txt")
    assert "refusing to overwrite an input document (-o)" in refused(["check", source, "-o", "report.txt"], capsys, env)
    assert open(source).read() == f"{MISSING}\n"


def test_export_is_checked_before_the_run(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", f"{MISSING}\n")
    assert "--export: unknown format 'pdf'" in refused(["check", source, "--export", "pdf", "x.pdf"], capsys, env)
    assert "input document (--export)" in refused(["check", source, "--export", "bibtex", source], capsys, env)
    assert open(source).read() == f"{MISSING}\n"


def test_bib_report_and_corrected_file_never_share_a_path(env, tmp_path, capsys):
    bib = write(tmp_path, "refs.bib", "@article{fake, title = {Probiotics and mood}, year = {2021}, doi = {10.1371/notarealdoi}}\n")
    err = refused(["bib", bib, "--fix", "-o", str(tmp_path / "refs.fixed.bib")], capsys, env)
    assert "-o and --fix would write the same file" in err
    assert not (tmp_path / "refs.fixed.bib").exists()


# --- 3. bad values: one line, exit 2, before any work -------------------------------------------

@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf", "1e308", "abc"])
def test_timeout_must_be_a_sane_number_of_seconds(env, tmp_path, capsys, value):
    source = write(tmp_path, "a.md", VERIFIED)
    assert "argument --timeout" in usage_error(["check", source, "--timeout", value], capsys)


@pytest.mark.parametrize("value", ["0", "-1", "1.5"])
def test_max_bytes_must_be_a_positive_whole_number(env, tmp_path, capsys, value):
    source = write(tmp_path, "a.md", VERIFIED)
    assert "argument --max-bytes" in usage_error(["check", source, "--max-bytes", value], capsys)


@pytest.mark.parametrize("setting", ["timeout = 0", "timeout = -5", "timeout = nan", "timeout = inf", "timeout = 1e308",
                                     "max-bytes = 0", "max-bytes = -1"])
def test_configured_values_are_held_to_the_same_rules(env, tmp_path, capsys, setting):
    (tmp_path / "refcheck.toml").write_text(setting + "\n")
    source = write(tmp_path, "a.md", VERIFIED)
    err = refused(["check", source], capsys, env)
    assert f"setting '{setting.split(' ')[0]}'" in err


def test_a_sane_timeout_is_used(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", VERIFIED)
    assert main(["check", source, "--timeout", "600", "--max-bytes", "1000"]) == 0


# --- 4. an unparsable URL is one bad input among others -----------------------------------------

def test_unparsable_url_is_a_per_input_error(env, tmp_path, capsys):
    good = write(tmp_path, "um2.md", VERIFIED)
    report = refcheck.check(["http://[::1", good], cache_dir=str(tmp_path / "cache"))
    assert "not a valid URL" in report.documents[0].error
    assert report.documents[1].error is None and report.documents[1].citations
    assert refcheck.check("http://[::1", cache_dir=str(tmp_path / "cache")).documents[0].error

    assert main(["check", "http://[::1", good, "-f", "json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["documents"][1]["citations"][0]["status"] == "VERIFIED"
    assert captured.err == "refcheck: http://[::1: not a valid URL (Invalid IPv6 URL)\n"


# --- 5. argparse errors in one line -------------------------------------------------------------

def test_argparse_errors_are_one_line(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", VERIFIED)
    err = usage_error(["check", source, "--format", "xml"], capsys)
    assert "invalid choice: 'xml'" in err and err.endswith("(see refcheck check --help)\n")
    assert "see refcheck --help" in usage_error([], capsys)
    assert "unrecognized arguments" in usage_error(["check", source, "--no-such-flag"], capsys)


def test_options_may_come_between_sources(env, tmp_path, capsys):
    first, second = write(tmp_path, "a.md", VERIFIED), write(tmp_path, "b.md", VERIFIED)
    assert main(["check", first, "--format", "json", second]) == 0
    assert [d["source"] for d in json.loads(capsys.readouterr().out)["documents"]] == [first, second]


# --- 6. --help and --version never read the configuration ---------------------------------------

@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["check", "--help"], ["bib", "--help"]])
def test_help_and_version_ignore_a_broken_configuration(env, tmp_path, capsys, argv):
    (tmp_path / "refcheck.toml").write_text("x = [\n")
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 0
    assert "refcheck" in capsys.readouterr().out
    assert main(["check", write(tmp_path, "a.md", VERIFIED)]) == 2  # a run still refuses the broken file


# --- 7. cache commands ---------------------------------------------------------------------------

def test_cache_import_takes_files_after_its_options(shared_dir, tmp_path, capsys):
    record = shared_dir / "fixtures/metapub/pmid_xml/35649368.xml"
    assert main(["cache", "import", "--cache-dir", str(tmp_path / "c3"), str(record)]) == 0
    assert "imported" in capsys.readouterr().out


@pytest.mark.parametrize("action", ["stats", "export", "clear"])
def test_cache_commands_need_an_existing_cache(tmp_path, capsys, action):
    typo = tmp_path / "typo"
    assert main(["cache", action, "--cache-dir", str(typo)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"refcheck: {typo}: no refcheck cache there (no refcheck.sqlite)\n"
    assert not typo.exists()


def test_cache_clear_of_a_file_is_an_error(tmp_path, capsys):
    not_a_directory = tmp_path / "notes.txt"
    not_a_directory.write_text("notes")
    assert main(["cache", "clear", "--cache-dir", str(not_a_directory)]) == 2
    assert "removed" not in capsys.readouterr().out


# --- 8. the module's names, and standard input's ------------------------------------------------

def test_dir_lists_the_public_names():
    assert {"check", "check_documents", "compare", "Report", "Settings"} <= set(dir(refcheck))


def test_empty_stdin_has_one_name(env, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert main(["check", "-", "-f", "json"]) == 2
    captured = capsys.readouterr()
    document = json.loads(captured.out)["documents"][0]
    assert document["source"] == "<stdin>" and document["error"].startswith("<stdin>: ")
    assert captured.err == "refcheck: <stdin>: empty document\n"


def test_cache_export_never_writes_over_the_cache_itself(tmp_path, capsys):
    from refcheck.resolve.cache import CACHE_FILE, Cache

    Cache(tmp_path).close()
    database = tmp_path / CACHE_FILE
    before = database.read_bytes()
    assert main(["cache", "export", "--cache-dir", str(tmp_path), "-o", str(database)]) == 2
    assert "refusing to overwrite the cache" in capsys.readouterr().err
    assert database.read_bytes() == before
