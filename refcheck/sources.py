"""Which sources a command line names: glob patterns expanded here ("articles/**/*.md" works in any shell, and
in CI where the shell did not expand it), and, with --changed-since, only the files git says changed."""
from __future__ import annotations

import glob
import os
import subprocess

from .errors import InputError

# "[" is left out: file names with brackets are common, patterns with them rare, and a missing "notes[1].md" must
# stay "no such file" (exit 2), not "no file matches" (nothing to check).
GLOB_CHARACTERS = frozenset("*?")


def is_pattern(source: str) -> bool:
    """A glob pattern (with * or ?), not a URL, "-" or a file that exists under that very name."""
    return bool(GLOB_CHARACTERS & set(source)) and "://" not in source and not os.path.exists(source)


def expand_sources(sources: list[str]) -> tuple[list[str], list[str]]:
    """(the sources with each pattern replaced by the files it matches, sorted; the patterns that matched nothing).
    `**` matches any number of directories; hidden files match only a pattern that names them."""
    expanded, unmatched = [], []
    for source in sources:
        if not is_pattern(source):
            expanded.append(source)
            continue
        matches = sorted(path for path in glob.glob(source, recursive=True) if os.path.isfile(path))
        if matches:
            expanded += matches
        else:
            unmatched.append(source)
    return list(dict.fromkeys(expanded)), unmatched


def _git(*arguments: str) -> str:
    try:
        done = subprocess.run(["git", *arguments], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"--changed-since needs git ({exc})") from None
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise InputError(f"--changed-since: git {' '.join(arguments)}: {message}")
    return done.stdout


def changed_since(reference: str, sources: list[str]) -> list[str]:
    """The file sources that differ from git revision `reference` (committed since, staged or not, or new and
    untracked), in the order given; URLs and "-" are kept, since git cannot tell whether they changed."""
    root = _git("rev-parse", "--show-toplevel").strip()
    # diff names paths from the top of the repository, ls-files from the current directory. --no-renames: a
    # renamed file counts as added, so its new name is listed.
    # -z: names as they are, not quoted (git quotes names with non-ASCII letters otherwise).
    committed = _git("diff", "-z", "--name-only", "--no-renames", "--diff-filter=ACMRT", reference, "--").split("\0")
    untracked = _git("ls-files", "-z", "--others", "--exclude-standard").split("\0")
    changed = {os.path.realpath(os.path.join(root, name)) for name in committed if name}
    changed |= {os.path.realpath(name) for name in untracked if name}
    return [source for source in sources if "://" in source or source == "-" or os.path.realpath(source) in changed]
