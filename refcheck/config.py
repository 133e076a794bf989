"""Project configuration: [tool.refcheck] in pyproject.toml, or refcheck.toml (top-level keys).

The nearest file from the current directory upwards wins; command-line flags win over it (the CLI
uses these values as argparse defaults). Relative paths are relative to the configuration file.
"""
from __future__ import annotations

from pathlib import Path

from .errors import InputError

# key in the file -> (argparse destination, expected type, is a path)
KEYS = {
    "format": ("format", str, False),
    "fail-on": ("fail_on", (str, list), False),
    "baseline": ("baseline", str, True),
    "cache-dir": ("cache_dir", str, True),
    "mailto": ("mailto", str, False),
    "timeout": ("timeout", (int, float), False),
    "offline": ("offline", bool, False),
    "max-bytes": ("max_bytes", int, False),
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
        destination, expected, is_path = KEYS[key]
        # bool is an int in Python; do not let `timeout = true` through.
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise InputError(f"{path}: setting {raw_key!r} has the wrong type ({type(value).__name__})")
        if key == "fail-on" and isinstance(value, list):
            value = ",".join(str(item) for item in value)
        if key == "format" and value not in formats:
            raise InputError(f"{path}: format {value!r} is not one of {', '.join(formats)}")
        if is_path:
            value = str((path.parent / value).resolve()) if not Path(value).is_absolute() else value
        defaults[destination] = value
    return defaults
