"""refcheck: are a document's citations real, and do they say what it claims?

    import refcheck
    report = refcheck.check("page.html")                  # or refcheck.check_bibliography("refs.bib")
    print(refcheck.render(report, "markdown"))            # any of refcheck.report.FORMATS
    report.summary, report.findings(), report.exit_code()  # what the run comes to
    verdict = refcheck.compare(claim, abstract)

Heavy modules load on first use so that `refcheck --help` stays fast.
"""
from __future__ import annotations

from .version import __version__
__all__ = ["check", "check_bibliography", "check_documents", "compare", "render", "Report", "RenderOptions", "Settings", "__version__"]


def __dir__() -> list[str]:
    # The public names load lazily through __getattr__, so they are not in globals() until first used.
    return sorted({*globals(), *__all__})


def __getattr__(name: str):
    if name in ("check", "check_bibliography", "check_documents"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "compare":
        # The package refcheck.compare, which is callable as compare(claim, abstract, title, quotation):
        # importing it sets this attribute to it whatever is returned here.
        from importlib import import_module

        return import_module(".compare", __name__)
    if name in ("Report", "RenderOptions", "render"):
        from . import report

        return getattr(report, name)
    if name == "Settings":
        from .resolve import Settings

        return Settings
    raise AttributeError(f"module 'refcheck' has no attribute {name!r}")
