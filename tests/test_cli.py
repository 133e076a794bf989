"""The command line is a thin layer: flags, outputs, exit codes, one-line errors."""
import json
import os
import subprocess
import sys

import pytest

from refcheck.cli import main


PMID = "28731372"


@pytest.fixture
def env(replay_server, tmp_path, monkeypatch):
    monkeypatch.setenv("REFCHECK_CROSSREF_URL", replay_server.crossref_url)
    monkeypatch.setenv("REFCHECK_EUTILS_URL", replay_server.eutils_url)
    monkeypatch.setenv("REFCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return replay_server


def page(tmp_path, text, name="page.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_help_does_not_import_heavy_libraries():
    code = "import sys, refcheck.cli as c\ntry:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\nprint(sorted(m for m in ('habanero', 'Bio.Entrez', 'requests', 'tabulate', 'rapidfuzz', 'bibtexparser') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("[]")


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["bib", "--help"]])
def test_help_imports_only_the_names_it_shows(argv):
    # --help stays quick by loading no stage: the report's names come from report.names, not the renderers,
    # and no dataclass (records, the report model) is built.
    code = ("import sys, refcheck.cli as c\ntry:\n    c.main(%r)\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('refcheck') or m in ('dataclasses', 'logging', 'json')))") % argv
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == str([
        "refcheck", "refcheck.cli", "refcheck.config", "refcheck.errors", "refcheck.labels", "refcheck.report",
        "refcheck.report.names", "refcheck.report.sanitise", "refcheck.version",
    ])


def test_json_output_and_exit_code_zero(env, tmp_path, capsys):
    source = page(tmp_path, f"In a randomized controlled trial, high-dose vitamin D3 reduced anti-EBNA-1 antibody levels in RRMS patients [PMID: {PMID}].")
    code = main(["check", source, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["documents"][0]["citations"][0]["status"] == "VERIFIED"
    assert code == data["exit_code"]


def test_not_found_exits_one(env, tmp_path, capsys):
    assert main(["check", page(tmp_path, "See doi:10.1371/notarealdoi for the details of this claim.")]) == 1
    assert "NOT_FOUND" in capsys.readouterr().out


def test_unresolved_exits_three(env, tmp_path, capsys):
    assert main(["check", page(tmp_path, "See doi:10.5555/not-recorded.1 for the details of this claim.")]) == 3


def test_stdin(env, monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(f"Vitamin D3 lowered antibodies in MS [PMID: {PMID}].".encode())))
    assert main(["check", "-", "-f", "csv"]) == 0
    assert PMID in capsys.readouterr().out


def test_output_file_and_input_never_overwritten(env, tmp_path, capsys):
    source = page(tmp_path, f"Vitamin D3 lowered antibodies in MS patients [PMID: {PMID}].")
    target = tmp_path / "report.md"
    assert main(["check", source, "-f", "markdown", "-o", str(target)]) == 0
    assert "| Citation" in target.read_text()
    original = open(source).read()
    assert main(["check", source, "-o", source]) == 2
    assert open(source).read() == original
    assert "refusing to overwrite" in capsys.readouterr().err


@pytest.mark.parametrize(
    "make_source, message",
    [
        (lambda tmp: str(tmp / "missing.html"), "no such file"),
        (lambda tmp: str(tmp), "is a directory"),
        (lambda tmp: "ftp://example.org/page", "unsupported URL scheme"),
        (lambda tmp: page(tmp, "", "empty.txt"), "empty document"),
        (lambda tmp: (tmp / "bin.txt").write_bytes(b"\x00\x01\x02binary") and str(tmp / "bin.txt"), "binary file"),
    ],
)
def test_bad_input_one_line_exit_two(tmp_path, make_source, message):
    source = make_source(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "refcheck", "check", source, "--offline"],
        capture_output=True, text=True, env={**os.environ, "REFCHECK_CACHE_DIR": str(tmp_path / "c")},
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_cache_stats_and_clear(env, tmp_path, capsys):
    main(["check", page(tmp_path, f"Vitamin D3 lowered antibodies in MS patients [PMID: {PMID}].")])
    capsys.readouterr()
    assert main(["cache", "stats"]) == 0
    human = capsys.readouterr().out
    assert human.startswith(f"{tmp_path / 'cache' / 'refcheck.sqlite'}: ") and "pubmed" in human and "1 record" in human
    assert main(["cache", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert any(e["service"] == "pubmed" and e["count"] == 1 for e in stats["entries"])
    assert main(["cache", "clear"]) == 0
    assert "removed 1" in capsys.readouterr().out


def test_cache_stats_for_a_person_exactly():
    from refcheck.cli import stats_text

    stats = {"path": "/c/refcheck.sqlite", "bytes": 260_000, "entries": [
        {"service": "crossref", "outcome": "found", "count": 1},
        {"service": "crossref", "outcome": "not_found", "count": 2, "expired": 1},
        {"service": "pubmed", "outcome": "found", "count": 12, "invalid": 1},
    ]}
    assert stats_text(stats) == (
        "/c/refcheck.sqlite: 0.3 MB\n"
        "  crossref                 1 record\n"
        "  crossref                 2 not found (authority's answer) (1 expired, asked again when needed)\n"
        "  pubmed                  12 records (1 invalid, never used)\n"
        "  total                   15"
    )
    assert stats_text({"path": "/c/refcheck.sqlite", "bytes": 12288, "entries": []}) == (
        "/c/refcheck.sqlite: 12288 bytes\n  empty\n  total                    0")


def test_progress_bar_only_for_a_watched_terminal(monkeypatch):
    from types import SimpleNamespace

    from refcheck import cli

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert isinstance(cli._progress(SimpleNamespace(quiet=False)), cli._ProgressBar)
    assert not isinstance(cli._progress(SimpleNamespace(quiet=True)), cli._ProgressBar)
    monkeypatch.setenv("CI", "true")
    assert not isinstance(cli._progress(SimpleNamespace(quiet=False)), cli._ProgressBar)
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert not isinstance(cli._progress(SimpleNamespace(quiet=False)), cli._ProgressBar)


def test_progress_bar_draws_only_after_a_moment(monkeypatch, capsys):
    from refcheck import cli

    monkeypatch.setattr(cli._ProgressBar, "DELAY", 0.05)
    monkeypatch.setattr(cli._ProgressBar, "INTERVAL", 0.01)
    with cli._ProgressBar() as update:
        update("comparing claims", 3, 4)
    assert capsys.readouterr().err == ""  # a quick run leaves no trace
    with cli._ProgressBar() as update:
        update("comparing claims", 3, 4)
        import time

        time.sleep(0.2)
    err = capsys.readouterr().err
    assert "[" + "#" * 18 + "." * 6 + "] comparing claims 3/4" in err and err.endswith("\r\x1b[K")
