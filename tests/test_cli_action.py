"""The composite action's script run locally, as GitHub would run it: its "Check citations" step's shell script,
with the step's environment, against the replay server. A finding recorded in the baseline and a citation that
cannot be checked (the replay server answers 503: an outage) under unresolved: warn end in exit 0, annotations
only for what is new, and a job summary that lists it all."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from refcheck.cli import main
from report_fixtures import env  # noqa: F401  (env is a fixture)

ROOT = Path(__file__).resolve().parents[1]
MISSING = "A follow-up was reported too (doi:10.1371/notarealdoi)."
OUTAGE = "A newer trial agreed (doi:10.5555/never-recorded-outage-1)."
VERIFIED = "High-dose vitamin D3 reduced anti-EBNA-1 antibody levels in RRMS patients [PMID: 28731372]."


def action_step(name: str) -> dict:
    steps = yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"]
    return next(step for step in steps if step.get("name") == name)


def step_environment(step: dict, inputs: dict, extra: dict) -> dict:
    """The step's env with ${{ inputs.NAME }} filled in as GitHub would (an input not given takes its default)."""
    defaults = {name: spec.get("default", "") for name, spec in yaml.safe_load((ROOT / "action.yml").read_text())["inputs"].items()}
    values = defaults | inputs
    filled = {key: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: str(values[m.group(1)]), str(value))
              for key, value in step["env"].items()}
    return {**os.environ, **filled, **extra}


@pytest.fixture
def repository(env, tmp_path, monkeypatch):
    """An articles repository: one article in a subdirectory, its old finding recorded in a baseline."""
    (tmp_path / "articles" / "2024").mkdir(parents=True)
    article = tmp_path / "articles" / "2024" / "vitamin-d.md"
    article.write_text(f"# Vitamin D\n\n{VERIFIED}\n\n{MISSING}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REFCHECK_CACHE_DIR", str(tmp_path / ".refcheck-cache"))
    assert main(["check", "articles/2024/vitamin-d.md", "--write-baseline", "refcheck-baseline.json"]) == 1
    article.write_text(f"# Vitamin D\n\n{VERIFIED}\n\n{MISSING}\n\n{OUTAGE}\n")  # a new citation, which cannot be checked today
    bin_directory = tmp_path / "bin"
    bin_directory.mkdir()
    shim = bin_directory / "refcheck"  # what `pip install` of the action would put on the PATH
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -m refcheck \"$@\"\n")
    shim.chmod(0o755)
    return tmp_path


def run_check_step(repository, inputs: dict) -> subprocess.CompletedProcess:
    step = action_step("Check citations")
    assert step["shell"] == "bash"
    extra = {"GITHUB_STEP_SUMMARY": str(repository / "summary.md"), "PATH": f"{repository / 'bin'}:{os.environ['PATH']}",
             "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repository, env=step_environment(step, inputs, extra),
                          capture_output=True, text=True, timeout=300)


def test_the_action_passes_an_outage_with_a_baseline_and_writes_a_job_summary(repository):
    done = run_check_step(repository, {"files": "articles/**/*.md", "baseline": "refcheck-baseline.json", "unresolved": "warn"})
    assert done.returncode == 0, done.stdout + done.stderr
    annotations = done.stdout.splitlines()
    assert not [line for line in annotations if line.startswith("::error")]
    assert [line for line in annotations if line.startswith("::warning") and "never-recorded-outage-1" in line]
    assert not [line for line in annotations if "notarealdoi: NOT_FOUND" in line]  # the baseline's finding is not repeated
    summary = (repository / "summary.md").read_text()
    assert summary.startswith("### refcheck passed")
    assert "never-recorded-outage-1" in summary and "2 more recorded in the baseline, not listed" in summary  # not-found, cannot-check
    assert "not failing the run (--unresolved=warn)" in summary
    assert "--unresolved=warn keeps them from failing the run" in done.stderr


def test_the_same_outage_fails_with_the_default(repository):
    done = run_check_step(repository, {"files": "articles/**/*.md", "baseline": "refcheck-baseline.json"})
    assert done.returncode == 3, done.stdout + done.stderr
    assert (repository / "summary.md").read_text().startswith("### refcheck could not check everything")


def test_a_pattern_matching_nothing_is_a_message_not_an_error(repository):
    done = run_check_step(repository, {"files": "drafts/**/*.md"})
    assert done.returncode == 0
    assert "no file matches 'drafts/**/*.md'" in done.stderr and "nothing to check" in done.stderr


def test_changed_since_checks_only_what_changed(repository):
    def git(*arguments):
        subprocess.run(["git", *arguments], cwd=repository, check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})

    git("init", "-q")
    git("add", "articles", "refcheck-baseline.json")
    git("commit", "-q", "-m", "articles")
    (repository / "articles" / "2024" / "other.md").write_text(f"{VERIFIED}\n")
    done = run_check_step(repository, {"files": "articles/**/*.md", "changed-since": "HEAD"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "vitamin-d.md" not in done.stdout and "never-recorded-outage-1" not in done.stdout


def test_the_pre_commit_hook_prints_new_findings_as_lines_and_not_the_baselined_ones(repository):
    """The hook's entry as pre-commit runs it: the entry, the user's args, then the staged file names."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    command = hook["entry"].split() + ["--baseline", "refcheck-baseline.json", "--unresolved=warn", "articles/2024/vitamin-d.md"]
    env = {**os.environ, "PATH": f"{repository / 'bin'}:{os.environ['PATH']}",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(command, cwd=repository, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("articles/2024/vitamin-d.md:7: warning ") and "never-recorded-outage-1" in lines[0]
    assert not [line for line in lines if line.startswith("::") or "notarealdoi" in line]
    assert lines[-1].startswith("refcheck: 2 finding(s), 0 failing the run; 2 more recorded in the baseline, not listed")
