"""The report's names a user types or a script tests: the formats, the kinds of finding (--fail-on), the exit
codes, --unresolved's choices and the export formats. Nothing here imports more than the labels, so the
command line can offer them in --help without loading the report stage."""
from __future__ import annotations

from ..errors import InputError
from ..labels import (
    CANNOT_CHECK, CONTRADICTED, CORRECTED, EXPRESSION_OF_CONCERN, METADATA_MISMATCH, NOT_FOUND, NOT_SUPPORTED,
    PARTIALLY_SUPPORTED, RETRACTED, UNRESOLVED, WRONG_WORK,
)

# What each format is for, in the words of --help; render.RENDERERS has a renderer for each.
FORMAT_DESCRIPTIONS = {
    "table": "a table and the reasons, for the terminal (the default)",
    "markdown": "a table and the reasons, for a pull request or a wiki",
    "json": "everything, as data (schema: refcheck/report.schema.json)",
    "csv": "one row per claim, for a spreadsheet",
    "html": "one page: the text highlighted, a card per citation with links to the work",
    "github": "GitHub Actions annotations on the lines of the findings",
    "junit": "JUnit XML, one test case per citation, for CI test reports",
    "findings": "one line per new finding, FILE:LINE: level kind: message (pre-commit, editors)",
}
FORMATS = tuple(FORMAT_DESCRIPTIONS)

EXPORT_FORMATS = ("bibtex", "csljson", "ris")
JOURNAL_STYLES = ("as-cited", "iso")  # --export-journal

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3
# --unresolved: what a citation that could not be (fully) checked does to the exit code. "fail" gives 3 (the
# default, as always); "warn" gives 0, so a CI job stays green while Crossref or PubMed is down.
UNRESOLVED_FAIL, UNRESOLVED_WARN = "fail", "warn"
UNRESOLVED_CHOICES = (UNRESOLVED_FAIL, UNRESOLVED_WARN)

PROBLEM_STATUSES = {NOT_FOUND, WRONG_WORK, METADATA_MISMATCH}
PROBLEM_VERDICTS = {NOT_SUPPORTED, CONTRADICTED}
PROBLEM_FLAGS = {RETRACTED, EXPRESSION_OF_CONCERN}


def category(label: str) -> str:
    """A status, flag or verdict as a --fail-on name: WRONG_WORK -> wrong-work."""
    return label.lower().replace("_", "-")


UNSOURCED = "unsourced"
UNMATCHED_MARKER = "unmatched-marker"
# Every kind of finding --fail-on can name. UNRESOLVED and CANNOT_CHECK are "could not check", not problems,
# but a strict pipeline may still choose to fail on them.
FINDING_CATEGORIES = tuple(
    category(label) for label in (
        NOT_FOUND, WRONG_WORK, METADATA_MISMATCH, UNRESOLVED, RETRACTED, EXPRESSION_OF_CONCERN, CORRECTED,
        CONTRADICTED, NOT_SUPPORTED, PARTIALLY_SUPPORTED, CANNOT_CHECK,
    )
) + (UNSOURCED, UNMATCHED_MARKER)
# The default is exactly the exit-1 rule refcheck always had. UNMATCHED_MARKER stays out of it: a bracketed
# number in prose is not always a citation marker.
DEFAULT_FAIL_ON = frozenset(category(label) for label in PROBLEM_STATUSES | PROBLEM_VERDICTS | PROBLEM_FLAGS)


def parse_fail_on(value: str | None) -> frozenset:
    """--fail-on's comma-separated kinds (None: the default). An empty list is refused: it would fail on
    nothing, which is never what a typo or an empty CI variable meant."""
    if value is None:
        return DEFAULT_FAIL_ON
    kinds = frozenset(kind.strip().lower() for kind in value.split(",") if kind.strip())
    if not kinds:
        raise InputError(f"--fail-on: no kind given (known: {', '.join(FINDING_CATEGORIES)}; leave the option out for the default)")
    unknown = sorted(kinds - set(FINDING_CATEGORIES))
    if unknown:
        raise InputError(f"--fail-on: unknown kind(s) {', '.join(unknown)} (known: {', '.join(FINDING_CATEGORIES)})")
    return kinds
