"""How to render a report."""
from __future__ import annotations

from dataclasses import dataclass

from .baseline import Baseline
from .names import DEFAULT_FAIL_ON, UNRESOLVED_FAIL


@dataclass(frozen=True)
class RenderOptions:
    """How to render: terminal width and colour (table), what fails and what the exit code is (github, junit,
    json, html, findings), and the source files' raw text by source (line numbers in github, junit and findings)."""

    width: int | None = None  # terminal columns; None keeps the fixed layout used for files and pipes
    colour: bool = False
    fail_on: frozenset = DEFAULT_FAIL_ON
    baseline: Baseline | None = None
    unresolved: str = UNRESOLVED_FAIL
    source_texts: dict | None = None
