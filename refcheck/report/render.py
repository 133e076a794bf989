"""render(report, format): every output format by name."""
from __future__ import annotations

from .csv_format import render_csv
from .github import render_github
from .html import render_html
from .json_format import render_json
from .junit import render_junit
from .model import Report
from .options import RenderOptions
from .table import render_markdown, render_table

RENDERERS = {
    "table": render_table, "markdown": render_markdown, "json": render_json, "csv": render_csv, "html": render_html,
    "github": render_github, "junit": render_junit,
}
FORMATS = tuple(RENDERERS)


def render(report: Report, fmt: str, options: RenderOptions | None = None) -> str:
    """The report as text in one of FORMATS."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return RENDERERS[fmt](report, options or RenderOptions())
