"""What is compared: a claim and the abstract (and title) of the work it cites. Its own module so
that batch.py, which a warm run loads, and judge.py, which it loads only for comparisons the verdict
cache lacks, share it without importing each other."""
from __future__ import annotations

from typing import NamedTuple


class Comparison(NamedTuple):
    """One claim to judge against one abstract. A plain (claim, abstract, title, quotation) tuple
    is the same comparison."""

    claim: str
    abstract: str | None
    title: str | None = None
    # The page presents the claim as the work's own words (a copied abstract under its reference):
    # it is held to the abstract's wording, not its gist.
    quotation: bool = False
