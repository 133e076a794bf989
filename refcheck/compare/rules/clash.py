"""What a rule reports: a confident contradiction, with the abstract sentence that shows it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Clash:
    reason: str
    sentence: str
