"""What an identifier finder returns: one occurrence, with its offsets and, for a malformed one, a hint."""
from __future__ import annotations

from dataclasses import dataclass

from ..records import Identifier


@dataclass(frozen=True)
class Found:
    """One identifier occurrence: text[start:end] is the form as written."""

    identifier: Identifier
    start: int
    end: int
    written: str
    hint: str = ""  # set when the identifier looks malformed (then identifier.value is "")
