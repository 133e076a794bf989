"""Output files: a regular file is replaced whole or not at all, a device or pipe is written where it is, a symlink
planted at a temporary name is never followed, a refusal leaves nothing behind, and an export never empties a file."""
import os
import stat
import subprocess
import sys
import threading

import pytest

from refcheck.cli import main
from refcheck.errors import InputError
from refcheck.report.output import write_output
from report_fixtures import env, write  # noqa: F401  (env is a fixture)

VERIFIED = "High-dose vitamin D3 reduced anti-EBNA-1 antibody levels in RRMS patients [PMID: 28731372]."
MISSING = "A follow-up was reported too (doi:10.1371/notarealdoi)."


def leftovers(directory) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name.startswith(".") or name.endswith(".tmp"))


def test_a_regular_file_is_replaced_whole_keeping_its_permissions(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_output(str(target), "new report")
    assert target.read_text() == "new report" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "report.txt"
    target.write_text("old")

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError, match="No space left on device"):
        write_output(str(target), "new")
    assert target.read_text() == "old" and leftovers(tmp_path) == []


def test_a_planted_symlink_at_the_old_temporary_name_is_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / ".report.txt.tmp").symlink_to(victim)  # the name refcheck used to write through
    write_output(str(tmp_path / "report.txt"), "report")
    assert victim.read_text() == "precious" and (tmp_path / "report.txt").read_text() == "report"


def test_a_symlink_to_a_regular_file_stays_a_symlink(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    (tmp_path / "link.txt").symlink_to(real)
    write_output(str(tmp_path / "link.txt"), "new")
    assert (tmp_path / "link.txt").is_symlink() and real.read_text() == "new"


def test_a_fifo_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo).read()))
    reader.start()
    write_output(str(fifo), "through the pipe")
    reader.join(10)
    assert received == ["through the pipe"] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dev_null_stays_a_device(tmp_path):
    write_output("/dev/null", "nothing")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and os.path.islink("/dev/null") is False


def test_a_link_to_the_process_standard_output_is_written_through(tmp_path, capfd):
    """What /dev/stdout is on Linux: a link to /proc/self/fd/1. Made here in a temporary directory, so a mistake
    replaces this link, not the system's."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    write_output(str(link), "to standard output\n")
    assert capfd.readouterr().out == "to standard output\n" and link.is_symlink()


def test_dash_o_dev_stdout_from_the_command_line(tmp_path):
    assert os.path.islink("/dev/stdout")
    source = tmp_path / "empty.txt"
    source.write_text("No citations in this text at all.\n")
    result = subprocess.run([sys.executable, "-m", "refcheck", "check", str(source), "--offline", "--cache-dir", str(tmp_path / "c"),
                             "-f", "json", "-o", "/dev/stdout"], capture_output=True, text=True)
    assert result.returncode == 0 and '"schema_version": 1' in result.stdout
    assert os.path.islink("/dev/stdout")


def test_a_directory_is_refused_and_nothing_is_left(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", VERIFIED)
    (tmp_path / "adir").mkdir()
    assert main(["check", source, "-o", str(tmp_path / "adir")]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert leftovers(tmp_path) == [] and os.listdir(tmp_path / "adir") == []


def test_an_export_with_nothing_to_export_leaves_the_file_as_it_was(env, tmp_path, capsys):
    source = write(tmp_path, "a.md", MISSING)
    existing = tmp_path / "refs.bib"
    existing.write_text("@article{mine, title = {My own entry}}\n")
    assert main(["check", source, "--export", "bibtex", str(existing)]) == 1
    err = capsys.readouterr().err
    assert existing.read_text() == "@article{mine, title = {My own entry}}\n"
    assert "nothing to export" in err and "left out" in err and "10.1371/notarealdoi: NOT_FOUND" in err


def test_an_export_replaces_an_existing_file_only_when_complete(env, tmp_path, capsys, monkeypatch):
    source = write(tmp_path, "a.md", VERIFIED)
    existing = tmp_path / "refs.bib"
    existing.write_text("old content\n")
    from refcheck.report import export

    def broken(entries, fmt):
        raise RuntimeError("the writer failed half way")

    monkeypatch.setattr(export, "export", broken)
    assert main(["check", source, "--export", "bibtex", str(existing)]) == 2
    assert existing.read_text() == "old content\n" and leftovers(tmp_path) == []
