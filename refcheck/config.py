"""Project configuration: [tool.refcheck] in pyproject.toml, or refcheck.toml (top-level keys).

The nearest file from the current directory upwards wins; command-line flags win over it (the CLI
uses these values as argparse defaults). Relative paths are relative to the configuration file.
"""
from __future__ import annotations

import math
from pathlib import Path

from .errors import InputError

MAX_TIMEOUT = 600.0  # seconds per request; more is a typo, and inf or 1e308 would let a dead server hang the run


def request_timeout(value) -> float:
    """Seconds per request (--timeout, `timeout`): a finite number above 0 and at most MAX_TIMEOUT."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not 0 < seconds <= MAX_TIMEOUT:  # also refuses nan, which compares false with everything
        raise ValueError(f"{value!r} is not a number of seconds above 0 and at most {MAX_TIMEOUT:g}")
    return seconds


def byte_limit(value) -> int:
    """An input size limit (--max-bytes, `max-bytes`): a whole number of bytes above 0."""
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = 0
    if limit <= 0:
        raise ValueError(f"{value!r} is not a whole number of bytes above 0")
    return limit


def unresolved_choice(value) -> str:
    """What a citation that could not be checked does to the exit code (--unresolved, `unresolved`)."""
    from .report.names import UNRESOLVED_CHOICES

    if value not in UNRESOLVED_CHOICES:
        raise ValueError(f"{value!r} is not one of {', '.join(UNRESOLVED_CHOICES)}")
    return value


def database_url(value) -> str:
    """A shared cache's database (--cache-url, `cache-url`): a postgresql:// URL."""
    text = str(value)
    if not text.startswith(("postgresql://", "postgres://")):
        raise ValueError(f"{text!r} is not a postgresql:// URL")
    return text


def worker_count(value) -> int:
    """--workers: a whole number of processes, 1 or more."""
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = 0
    if count < 1:
        raise ValueError(f"{value!r} is not a whole number of workers, 1 or more")
    return count


# key in the file -> (argparse destination, expected type, is a path, check of the value or None)
KEYS = {
    "format": ("format", str, False, None),
    "fail-on": ("fail_on", (str, list), False, None),
    "baseline": ("baseline", str, True, None),
    "cache-dir": ("cache_dir", str, True, None),
    "cache-url": ("cache_url", str, False, database_url),
    "mailto": ("mailto", str, False, None),
    "timeout": ("timeout", (int, float), False, request_timeout),
    "offline": ("offline", bool, False, None),
    "max-bytes": ("max_bytes", int, False, byte_limit),
    "unresolved": ("unresolved", str, False, unresolved_choice),
    "nli-model": ("nli_model", str, False, None),
}


def find_config(start: Path | None = None) -> tuple[Path, dict] | None:
    """(file, its refcheck table) of the nearest configuration, or None."""
    import tomllib

    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        for name, table_path in (("refcheck.toml", ()), ("pyproject.toml", ("tool", "refcheck"))):
            candidate = folder / name
            if not candidate.is_file():
                continue
            try:
                table = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise InputError(f"{candidate}: cannot read the configuration ({exc})") from None
            for key in table_path:
                table = table.get(key, {}) if isinstance(table, dict) else {}
            if table or name == "refcheck.toml":
                return candidate, table
    return None


def argparse_defaults(path: Path, table: dict, formats: tuple[str, ...]) -> dict:
    """The configuration as argparse destinations and values, checked."""
    defaults = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in KEYS:
            raise InputError(f"{path}: unknown refcheck setting {raw_key!r} (known: {', '.join(KEYS)})")
        destination, expected, is_path, check = KEYS[key]
        # bool is an int in Python; do not let `timeout = true` through.
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise InputError(f"{path}: setting {raw_key!r} has the wrong type ({type(value).__name__})")
        if key == "fail-on" and isinstance(value, list):
            value = ",".join(str(item) for item in value)
        if key == "format" and value not in formats:
            raise InputError(f"{path}: format {value!r} is not one of {', '.join(formats)}")
        if check is not None:
            try:
                value = check(value)
            except ValueError as exc:
                raise InputError(f"{path}: setting {raw_key!r}: {exc}") from None
        if is_path:
            value = str((path.parent / value).resolve()) if not Path(value).is_absolute() else value
        defaults[destination] = value
    return defaults
