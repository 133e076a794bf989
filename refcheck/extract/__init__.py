"""The extract stage: from a loaded Document to its citations, the claims each is cited for, and the
markers that point nowhere.

    identifiers   DOIs, PMIDs and PMCIDs with offsets (one module per scheme: doi, pmid, pmcid)
    references    reference lists and footnote definitions, and their entries
    markers       "[3]", "[^1]", "(Smith 2009)" in the body and what each points at
    identity      the document's own identifiers (its HTML head, address, header and stamps): no citations
    citations     one Citation per cited work occurrence, with the fields the document gives
    refparse      the fields of one reference string
    sentences     the one sentence splitter (compare and report use it too)
    claims        which sentences each citation is offered for; research claims citing nothing
"""
from __future__ import annotations

__all__ = ["dangling_markers", "extract", "extract_with_identity"]


def __getattr__(name: str):
    # Loaded on first use: report and compare import only the sentence splitter from this package,
    # and `refcheck --help` should not pay for the reference parser.
    if name in ("extract", "extract_with_identity"):
        from . import citations

        return getattr(citations, name)
    if name == "dangling_markers":
        from .markers import dangling_markers

        return dangling_markers
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
