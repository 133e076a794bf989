"""Corpus runs from the command line: sources (globs, a list file), JSON Lines as documents finish, the
summary and exit code, resuming an interrupted run, and the refusals. SQLite cache, local workers."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

import refcheck
from refcheck.cli import main
from refcheck.corpus import added_up, combined_exit_code
from refcheck.report import to_dict

from bench_fleet import make_corpus
from helpers import replay_settings


@pytest.fixture
def service_env(replay_server, monkeypatch):
    monkeypatch.setenv("REFCHECK_CROSSREF_URL", replay_server.crossref_url)
    monkeypatch.setenv("REFCHECK_EUTILS_URL", replay_server.eutils_url)
    monkeypatch.setenv("REFCHECK_MAILTO", "corpus-tests@example.org")
    recorded = replay_server.recordings
    recorded.pubmed, recorded.pmids_by_doi, recorded.crossref_works
    return replay_server


def single_run(server, tmp_path, sources) -> dict:
    """The report one process gives, as JSON: what a corpus run's lines must add up to."""
    report = refcheck.check(sources, settings=replay_settings(server, tmp_path / "single-cache", mailto="corpus-tests@example.org", timeout=30))
    return json.loads(json.dumps(to_dict(report)))


def without_totals(line: dict) -> dict:
    return {key: value for key, value in line.items() if key not in ("summary", "exit_code")}


def test_globs_and_a_list_of_sources_one_line_per_document(service_env, tmp_path, capsys, monkeypatch):
    paths = make_corpus(tmp_path, 12, doi_share=0)  # no replay 503s: see test_fleet.corpus
    monkeypatch.chdir(tmp_path)
    relative = [os.path.relpath(path, tmp_path) for path in paths]
    listed = tmp_path / "sources.txt"
    listed.write_text(f"# the corpus, again, and one that is not there\n\n{relative[0]}\n{relative[5]}\nmissing.txt\n")
    code = main(["check", "docs/**/*.txt", "--sources-from", str(listed), "--workers", "2", "--timeout", "30"])
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert sorted(line["source"] for line in lines) == sorted(relative + ["missing.txt"])

    reference = single_run(service_env, tmp_path, relative + ["missing.txt"])
    by_source = {line["source"]: line for line in lines}
    assert [without_totals(by_source[document["source"]]) for document in reference["documents"]] == reference["documents"]
    for source in (relative[0], "missing.txt"):
        alone = single_run(service_env, tmp_path, [source])
        assert (by_source[source]["summary"], by_source[source]["exit_code"]) == (alone["summary"], alone["exit_code"])
    assert by_source["missing.txt"]["error"] and by_source["missing.txt"]["exit_code"] == 2
    assert code == 2 == reference["exit_code"]
    summary = reference["summary"]
    statuses = ", ".join(f"{n} {status}" for status, n in summary["status"].items() if n)
    verdicts = ", ".join(f"{n} {verdict}" for verdict, n in summary["verdicts"].items() if n)
    assert err.splitlines()[-1] == (f"refcheck: 13 documents (13 checked now, 0 reported earlier; 1 unreadable); "
                                    f"{summary['citations']} citations: {statuses}; {summary['claims']} claims: {verdicts}; exit code 2")
    assert f"refcheck: {by_source['missing.txt']['error']}" in err


def test_an_interrupted_run_resumes_where_it_stopped(service_env, tmp_path, capsys):
    paths = make_corpus(tmp_path, 24, doi_share=0)
    output = tmp_path / "audit.jsonl"
    arguments = ["check", str(tmp_path / "docs" / "**" / "*.txt"), "--workers", "2", "-o", str(output), "--timeout", "30", "--resume"]
    # The interrupted run is a process of its own, to be killed; the run resuming it is the command line in this
    # process (whose clock does not really sleep: see conftest.no_real_waits).
    run = subprocess.Popen([sys.executable, "-m", "refcheck", *arguments], start_new_session=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (output.exists() and output.read_bytes().count(b"\n") >= 1) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(run.pid, signal.SIGKILL)  # the coordinator and its workers, mid-run
    finally:
        run.wait()
    reported_before = [json.loads(line)["source"] for line in output.read_text().splitlines()]
    assert 1 <= len(reported_before) < len(paths), "the run was to be interrupted part-way"
    with output.open("a") as handle:
        handle.write('{"source": "cut off in the mid')  # a line the kill left half-written

    returncode = main(arguments)
    stderr = capsys.readouterr().err
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert [line["source"] for line in lines[: len(reported_before)]] == reported_before
    assert sorted(line["source"] for line in lines) == paths  # each document once
    reference = single_run(service_env, tmp_path, paths)
    by_source = {line["source"]: without_totals(line) for line in lines}
    assert [by_source[document["source"]] for document in reference["documents"]] == reference["documents"]
    assert returncode == reference["exit_code"]
    assert f"{len(paths)} documents ({len(paths) - len(reported_before)} checked now, {len(reported_before)} reported earlier;" in stderr


def test_refusals_leave_every_file_as_it_was(tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_text("See PMID: 28731372.\n")
    output = tmp_path / "audit.jsonl"
    output.write_text('{"source": "x", "exit_code": 0, "summary": {}}\n')
    cases = [
        (["--workers", "2", "-o", str(output)], f"refcheck: {output}: already exists; give --resume to continue that run, or another file"),
        (["--workers", "2", "-f", "markdown"], "refcheck: --format markdown: a corpus run writes JSON Lines, one document a line (leave -f out, or -f json)"),
        (["--sources-from", str(page)], "refcheck: --sources-from belongs to a corpus run: add --workers N or --dask-scheduler ADDRESS"),
        (["--workers", "2", "--dask-scheduler", "tcp://127.0.0.1:1"], "refcheck: give either --workers or --dask-scheduler, not both"),
        (["--workers", "2", "--resume"], "refcheck: --resume needs -o FILE: the output of the run to continue"),
        (["--workers", "2", "--export", "bibtex", str(tmp_path / "x.bib")], "refcheck: --export is not available in a corpus run"),
        (["-", "--workers", "2"], "refcheck: standard input cannot be a document of a corpus run (a worker cannot read it)"),
    ]
    for flags, message in cases:
        assert main(["check", str(page), *flags]) == 2, flags
        assert capsys.readouterr().err == message + "\n"
    output.write_text("not json\n")
    assert main(["check", str(page), "--workers", "2", "-o", str(output), "--resume"]) == 2
    assert capsys.readouterr().err == f"refcheck: {output}: line 1 is not a refcheck corpus line; refusing to add to this file\n"
    assert output.read_text() == "not json\n"
    with pytest.raises(SystemExit) as usage:
        main(["check", str(page), "--workers", "0"])
    assert usage.value.code == 2
    assert "--workers: '0' is not a whole number of workers, 1 or more" in capsys.readouterr().err


def test_totals_add_up_as_report_exit_code_ranks_them():
    assert combined_exit_code([0, 3, 1, 0]) == 1
    assert combined_exit_code([3, 0, 1, 2]) == 2
    assert combined_exit_code([0, 3]) == 3
    assert combined_exit_code([]) == 0
    assert added_up([{"citations": 2, "status": {"VERIFIED": 2}, "flags": {}},
                     {"citations": 1, "status": {"VERIFIED": 0}, "flags": {"RETRACTED": 1}}]) == {
        "citations": 3, "status": {"VERIFIED": 2}, "flags": {"RETRACTED": 1}}
