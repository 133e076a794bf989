"""How long each output format takes on a large report: seconds per format for N citations in one HTML document
(every citation with a contradicted claim, so every format has a finding, a reason and evidence per citation),
and the source-line index that github, junit, findings and the job summary share.

    python scripts/bench_report.py [N]      (default 20,000 citations; the text is about 180 bytes per citation)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from refcheck.records import (  # noqa: E402
    CONTRADICTED, VERIFIED, Author, CheckedCitation, CheckedClaim, Citation, Claim, ClaimVerdict, DocumentReport, Identifier,
    Resolution, Work,
)
from refcheck.report import FORMATS, RenderOptions, Report, render  # noqa: E402
from refcheck.report.rendering import job_summary  # noqa: E402
from refcheck.report.source_lines import SourceLines  # noqa: E402


def large_report(count: int) -> tuple[Report, str]:
    """(a report of `count` citations, the HTML file its text was extracted from)."""
    sentences, paragraphs, citations = [], [], []
    position = 0
    for number in range(count):
        claim = f"Treatment {number} cut the risk of event {number % 97} by {number % 90}% in adults [{number + 1}]."
        raw = f'<p>Treatment {number} cut the risk of event {number % 97} by {number % 90}% in adults <a href="#r{number + 1}">[{number + 1}]</a>.</p>'
        marker = claim.index("[")
        pmid = str(10_000_000 + number)
        work = Work(title=f"Trial {number} of a treatment", authors=(Author("Smith", "J"),), year=2020, journal="J Trials",
                    pmid=pmid, abstract=f"Treatment {number} cut the risk by {(number + 7) % 90}%.")
        verdict = ClaimVerdict(CONTRADICTED, (work.abstract,), (f"claim says {number % 90}% but the abstract gives {(number + 7) % 90}%",))
        citations.append(CheckedCitation(
            Citation("pmid", pmid, f"[{number + 1}]", position + marker, position + marker + len(f"[{number + 1}]"), (Identifier("pmid", pmid),)),
            Resolution(VERIFIED, work), (CheckedClaim(Claim(claim, position, position + len(claim)), verdict),)))
        sentences.append(claim)
        paragraphs.append(raw)
        position += len(claim) + 2
    text = "\n\n".join(sentences)
    return Report((DocumentReport("large.html", tuple(citations), text=text, format="html"),), version="bench"), "\n".join(paragraphs)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    report, raw = large_report(count)
    print(f"{count} citations, {len(report.documents[0].text) / 1e6:.1f} MB of text, {len(raw) / 1e6:.1f} MB of HTML")
    started = time.perf_counter()
    index = SourceLines(report.documents[0].text, raw)
    lines = [index.line(item.claims[0].claim.start) for item in report.documents[0].citations]
    print(f"  source-line index and {len(lines)} lookups: {time.perf_counter() - started:.2f} s (last claim on line {lines[-1]})")
    options = RenderOptions(source_texts={"large.html": raw})
    for fmt in FORMATS:
        started = time.perf_counter()
        size = len(render(report, fmt, options))
        print(f"  {fmt:<9} {time.perf_counter() - started:6.2f} s  {size / 1e6:6.1f} MB")
    started = time.perf_counter()
    job_summary(report, options)
    print(f"  {'summary':<9} {time.perf_counter() - started:6.2f} s")


if __name__ == "__main__":
    main()
