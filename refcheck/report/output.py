"""Writing output files."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError


def write_output(path: str, text: str) -> None:
    """Write through a temporary file; the caller has made sure path is no input."""
    target = Path(path)
    try:
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
