"""JUnit XML for CI test reports: one suite per report, one test case per report × rule.

A gap is a failure (the why and the evidence in its body), not-applicable is skipped, a file that could not
be read is one errored case. Written with junitparser, which the tests also read it back with.
"""
from __future__ import annotations

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from ..model import Report, Rule, Status


def _case(report: Report, finding) -> TestCase:
    rule = finding.rule
    case = TestCase(f"{rule.id} — {rule.title}", classname=report.path)
    if finding.status is Status.NOT_APPLICABLE:
        case.result = [Skipped(finding.why or "not applicable")]
    elif finding.status is Status.WAIVED or finding.baseline == "unchanged":   # accepted gaps do not fail
        case.result = [Skipped(finding.note if finding.status is Status.WAIVED else
                               f"unchanged since the baseline: {finding.why}")]
    elif finding.status.is_gap:
        fail = Failure(finding.why or rule.message, f"{rule.severity}:{finding.status.value}")
        lines = [finding.why or rule.message]
        lines += [f"{e.where}: {e.quote}" for e in finding.evidence]
        lines += [f"fix: {rule.fix}", "legal basis: " + "；".join(rule.legal_basis)]
        fail.text = "\n".join(lines)
        case.result = [fail]
    return case


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    xml = JUnitXml("auditor")
    for report in reports:
        suite = TestSuite(report.path)
        if report.errors:
            case = TestCase("read", classname=report.path)
            case.result = [Error(e.format(), e.code) for e in report.errors]
            suite.add_testcase(case)
        for finding in report.findings:
            suite.add_testcase(_case(report, finding))
        xml.add_testsuite(suite)
    xml.update_statistics()
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml.tostring().decode("utf-8") + "\n"
