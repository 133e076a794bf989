"""render(report, format): every output format by name."""
from __future__ import annotations

from .csv_format import render_csv
from .findings_format import render_findings
from .github import render_github
from .html import render_html
from .json_format import render_json
from .junit import render_junit
from .model import Report
from .names import FORMATS
from .job_summary import render_job_summary
from .options import RenderOptions
from .sanitise import sanitised
from .markdown import render_markdown
from .table import render_table

# One renderer per name in names.FORMATS (the order --help lists them in).
RENDERERS = {
    "table": render_table, "markdown": render_markdown, "json": render_json, "csv": render_csv, "html": render_html,
    "github": render_github, "junit": render_junit, "findings": render_findings,
}


def render(report: Report, fmt: str, options: RenderOptions | None = None) -> str:
    """The report as text in one of FORMATS. JSON keeps every string as it was (escaped by JSON's rules); every
    other format renders the sanitised report (sanitise.sanitised), so no control character from a document,
    a service or the cache reaches a terminal, a spreadsheet, a browser or an XML parser."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return RENDERERS[fmt](report if fmt == "json" else sanitised(report), options or RenderOptions())


def job_summary(report: Report, options: RenderOptions | None = None) -> str:
    """The Markdown summary of a run for a CI job page (job_summary), from the sanitised report."""
    return render_job_summary(sanitised(report), options or RenderOptions())
