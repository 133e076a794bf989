"""render(report, format): every output format by name."""
from __future__ import annotations

from importlib import import_module

from .model import Report
from .names import FORMATS
from .options import RenderOptions
from .sanitise import sanitised

# format -> (its module, its renderer), one per name in names.FORMATS (the order --help lists them in); a
# run imports only the module of the format it writes.
RENDERERS = {
    "table": ("table", "render_table"), "markdown": ("markdown", "render_markdown"), "json": ("json_format", "render_json"),
    "csv": ("csv_format", "render_csv"), "html": ("html", "render_html"), "github": ("github", "render_github"),
    "junit": ("junit", "render_junit"), "findings": ("findings_format", "render_findings"),
}


def renderer(fmt: str):
    """The function that writes a report in format `fmt` (one of FORMATS)."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    module, function = RENDERERS[fmt]
    return getattr(import_module(f".{module}", __package__), function)


def render(report: Report, fmt: str, options: RenderOptions | None = None) -> str:
    """The report as text in one of FORMATS. JSON keeps every string as it was (escaped by JSON's rules); every
    other format renders the sanitised report (sanitise.sanitised), so no control character from a document,
    a service or the cache reaches a terminal, a spreadsheet, a browser or an XML parser."""
    write = renderer(fmt)
    return write(report if fmt == "json" else sanitised(report), options or RenderOptions())


def job_summary(report: Report, options: RenderOptions | None = None) -> str:
    """The Markdown summary of a run for a CI job page (job_summary), from the sanitised report."""
    from .job_summary import render_job_summary

    return render_job_summary(sanitised(report), options or RenderOptions())
