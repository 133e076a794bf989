"""--write-baseline / --baseline: later runs fail only on findings the baseline did not record."""
import json

from refcheck.report.baseline import baseline_text, read_baseline
from refcheck.cli import main
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

VERIFIED_SENTENCE = "High-dose vitamin D3 reduced anti-EBNA-1 antibody levels in RRMS patients [PMID: 28731372]."
CONTRADICTED_SENTENCE = "The same trial gave vitamin D3 to 90 patients for two years [PMID: 28731372]."
MISSING = "A follow-up was reported too (doi:10.1371/notarealdoi)."


def test_baseline_suppresses_exactly_the_recorded_findings(env, tmp_path, capsys):
    source = write(tmp_path, "article.md", f"# Vitamin D\n\n{VERIFIED_SENTENCE}\n\n{MISSING}\n")
    baseline = tmp_path / "refcheck-baseline.json"
    assert main(["check", source, "--write-baseline", str(baseline)]) == 1
    recorded = json.loads(baseline.read_text())["findings"]
    assert {f["category"] for f in recorded} >= {"not-found"}

    # Unrelated edits move every offset; the old finding stays known.
    write(tmp_path, "article.md", f"# Vitamin D\n\nAn added introduction paragraph.\n\n{VERIFIED_SENTENCE}\n\n{MISSING}\n")
    assert main(["check", source, "--baseline", str(baseline)]) == 0

    # A new problem fails the run, and only the new one is an error.
    write(tmp_path, "article.md", f"# Vitamin D\n\n{VERIFIED_SENTENCE}\n\n{MISSING}\n\n{CONTRADICTED_SENTENCE}\n")
    capsys.readouterr()
    assert main(["check", source, "--baseline", str(baseline), "-f", "github"]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::error")]
    assert len(errors) == 1 and "90 patients" in errors[0] and ",line=7," in errors[0]


def test_baseline_file_is_deterministic_and_counts_repeats(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", f"{MISSING}\n\n{MISSING}\n")
    first, second = tmp_path / "b1.json", tmp_path / "b2.json"
    main(["check", source, "--write-baseline", str(first)])
    main(["check", source, "--write-baseline", str(second)])
    assert first.read_bytes() == second.read_bytes()
    counts = read_baseline(str(first)).counts
    assert max(counts.values()) == 2  # the same finding twice is excused twice, not forever


def test_unreadable_baseline_is_a_usage_error(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", VERIFIED_SENTENCE)
    (tmp_path / "bad.json").write_text("{}")
    assert main(["check", source, "--baseline", str(tmp_path / "bad.json")]) == 2
    assert main(["check", source, "--baseline", str(tmp_path / "none.json")]) == 2
    assert "no such baseline file" in capsys.readouterr().err


def test_baseline_text_of_no_findings():
    from refcheck.report import Report

    assert json.loads(baseline_text(Report(()).findings(), "refcheck-baseline.json")) == {"baseline_version": 2, "findings": []}


def test_a_baseline_matches_from_any_directory(env, tmp_path, capsys, monkeypatch):
    project = tmp_path / "project"
    (project / "articles").mkdir(parents=True)
    source = write(project / "articles", "a.md", f"# Vitamin D\n\n{MISSING}\n")
    monkeypatch.chdir(project)
    assert main(["check", "articles/a.md", "--write-baseline", "refcheck-baseline.json"]) == 1
    assert json.loads((project / "refcheck-baseline.json").read_text())["findings"][0]["source"] == "articles/a.md"
    monkeypatch.chdir(project / "articles")
    assert main(["check", "a.md", "--baseline", "../refcheck-baseline.json"]) == 0
    monkeypatch.chdir(tmp_path)
    assert main(["check", source, "--baseline", str(project / "refcheck-baseline.json")]) == 0


def test_a_version_1_baseline_still_matches_sources_as_typed(env, tmp_path, capsys, monkeypatch):
    from refcheck.report import Finding

    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a.md", f"{MISSING}\n")
    assert main(["check", "a.md", "--write-baseline", "new.json"]) == 1
    old = json.loads((tmp_path / "new.json").read_text())
    old["baseline_version"] = 1  # what refcheck wrote before: fingerprints of the source as typed
    for entry in old["findings"]:
        entry["fingerprint"] = Finding(entry["category"], "a.md", 0, 0, entry["subject"], entry["claim"], "").fingerprint
    (tmp_path / "old.json").write_text(json.dumps(old))
    assert main(["check", "a.md", "--baseline", "old.json"]) == 0
    assert main(["check", str(tmp_path / "a.md"), "--baseline", "old.json"]) == 1  # typed otherwise: not matched
