"""Writing output files (reports, exports, baselines, corrected bibliographies) without losing what was there.

A regular file (or a path where none is yet) is written whole to a new temporary file beside it, made by
mkstemp (a random name opened with O_EXCL: a symlink planted at a predictable name is never followed), and
renamed over the target only once complete: the old file stays intact until then, and nothing is left behind
when writing fails. The temporary file takes the old file's permission bits (a new file: the umask's).
A symlink to a regular file is resolved first, so the link stays and its target gets the new content.
Anything else (a character device such as /dev/null, a FIFO, /dev/stdout and the /proc/self/fd links behind
it) is opened and written directly: replacing it would put a regular file where the device or pipe was.
A directory is refused.
"""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from ..errors import InputError

# Paths that name open files or devices of the running process through links, never files to be replaced.
_DIRECT_PREFIXES = ("/dev/", "/proc/")


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_output(path: str, text: str) -> None:
    """Write text (UTF-8) to path as described in the module docstring; an OSError becomes a one-line InputError."""
    try:
        _write(path, text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _names_a_process_file(path: str) -> bool:
    """Whether the path, or any link on the way to its target, lies under /dev or /proc: /dev/stdout leads through
    /proc/self/fd/1 to whatever standard output is, a pipe or the file a shell opened (which must be written
    through the open descriptor, not replaced by a new file)."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links in a row
        if current.startswith(_DIRECT_PREFIXES):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.join(os.path.dirname(current), os.readlink(current))
        current = os.path.abspath(current)
    return True


def _write(path: str, data: bytes) -> None:
    resolved = os.path.realpath(path)
    try:
        status = os.stat(resolved)
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(21, "is a directory")
    if (status is not None and not stat.S_ISREG(status.st_mode)) or _names_a_process_file(path) or resolved.startswith(_DIRECT_PREFIXES):
        with open(path, "wb") as stream:  # a device or pipe: there is nothing to keep, and it must stay what it is
            stream.write(data)
        return
    target = Path(resolved)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), stat.S_IMODE(status.st_mode) if status is not None else _umask_mode())
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def append_output(path: str, text: str) -> None:
    """Add text (UTF-8) to the end of path, creating it if need be: for files several writers add to in turn, such
    as GitHub's $GITHUB_STEP_SUMMARY. Nothing already there is touched."""
    try:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def same_file(first: str, second: str) -> bool:
    """Whether two paths name one file, through symlinks and hard links; a file not yet there, by where its path leads."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)


def refuse_clashing_outputs(outputs: list[tuple[str, str | None]], inputs: list[str], baseline: str | None = None,
                            may_rewrite_baseline: tuple[str, ...] = ()) -> None:
    """Before any work: no output (flag, path) lands on an input, on the baseline file (but through a flag in
    may_rewrite_baseline) or on another output."""
    written = [(flag, path) for flag, path in outputs if path]
    for index, (flag, path) in enumerate(written):
        if any(same_file(path, source) for source in inputs if source != "-" and "://" not in source):
            raise InputError(f"{path}: refusing to overwrite an input document ({flag})")
        if baseline and flag not in may_rewrite_baseline and same_file(path, baseline):
            raise InputError(f"{path}: refusing to overwrite the --baseline file ({flag})")
        for other_flag, other in written[index + 1:]:
            if same_file(path, other):
                raise InputError(f"{path}: {flag} and {other_flag} would write the same file")
