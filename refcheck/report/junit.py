"""--format junit: JUnit XML for CI test reports."""
from __future__ import annotations

from collections import Counter

from .findings import citation_findings, marker_findings
from .model import Report
from .options import RenderOptions
from .findings_format import location
from .outcome import FailingOccurrences
from ..records import UNRESOLVED
from .text import shorten, status_reasons


def render_junit(report: Report, options: RenderOptions) -> str:
    """One <testsuite> per document, one <testcase> per citation and per unmatched marker (named with its
    line); a failing finding is a <failure>; an UNRESOLVED citation, of which nothing could be checked, is
    <skipped>. A citation checked but for one service's answer (partly checked: it exists, its claims were
    compared, only a retraction or correction notice that service may hold is unknown) passes, and says so in
    its <system-out>: what the test case stands for was checked. The run as a whole still exits 3 for it
    (unless --unresolved=warn). No timestamps: the output is deterministic."""
    import xml.etree.ElementTree as ET

    line_of = location(report, options)
    fails = FailingOccurrences(report.failing(options.fail_on, options.baseline))
    suites = ET.Element("testsuites", name="refcheck")
    totals = Counter()
    for document in report.documents:
        suite = ET.SubElement(suites, "testsuite", name=document.source)
        counts = Counter()
        if document.error:
            case = ET.SubElement(suite, "testcase", classname=document.source, name="load")
            ET.SubElement(case, "error", message=document.error, type="input-error")
            counts.update(tests=1, errors=1)
        for index, item in enumerate(document.citations, 1):
            name = f"{index}: {item.citation.id or shorten(item.citation.text, 80)}"
            case = ET.SubElement(suite, "testcase", classname=document.source, name=name)
            counts["tests"] += 1
            failed = [finding for finding in citation_findings(document.source, item) if fails.take(finding)]
            if failed:
                counts["failures"] += 1
                failure = ET.SubElement(case, "failure", message=failed[0].message, type=",".join(dict.fromkeys(f.category for f in failed)))
                failure.text = "\n".join(f.message for f in failed)
            elif item.resolution.status == UNRESOLVED:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message="; ".join(status_reasons(item.resolution)))
            details = [f"status: {' '.join((item.resolution.status,) + item.resolution.flags)}"]
            details += [f"  {reason}" for reason in status_reasons(item.resolution)]
            details += [f"claim ({c.verdict.verdict}): {c.claim.text}" for c in item.claims]
            ET.SubElement(case, "system-out").text = "\n".join(details)
        for finding in marker_findings(document):
            case = ET.SubElement(suite, "testcase", classname=document.source, name=f"line {line_of(finding)}: unmatched marker {shorten(finding.subject, 40)}")
            counts["tests"] += 1
            if fails.take(finding):
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=finding.message, type=finding.category)
            ET.SubElement(case, "system-out").text = finding.message
        for key in ("tests", "failures", "errors", "skipped"):
            suite.set(key, str(counts[key]))
        totals.update(counts)
    for key in ("tests", "failures", "errors", "skipped"):
        suites.set(key, str(totals[key]))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
