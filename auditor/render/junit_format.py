"""JUnit XML for CI test reports: one suite per report, one test case per report × rule.

A gap is a failure (the why and the evidence in its body), not-applicable is skipped, a file that could not
be read is one errored case. Written with junitparser, which the tests also read it back with.

Names and text go through `shown` first: no character XML 1.0 forbids (control characters, an undecodable
byte of a file name) reaches the document, and a name is one line.
"""
from __future__ import annotations

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from .. import labels
from ..i18n import _
from ..model import Report, Status
from ..rule_schema import Rule
from ..shown import name, text


def _case(report: Report, finding) -> TestCase:
    rule = finding.rule
    case = TestCase(text(f"{rule.id} — {rule.title}"), classname=name(report.path))
    if finding.status is Status.NOT_APPLICABLE:
        case.result = [Skipped(text(finding.why or finding.status.label))]
    elif finding.status is Status.WAIVED or finding.baseline == "unchanged":   # accepted gaps do not fail
        why = finding.note if finding.status is Status.WAIVED else \
            _("unchanged since the baseline: {why}").format(why=finding.why or "")
        case.result = [Skipped(None if why is None else text(why))]
    elif finding.status.is_gap:
        # message: the why (Chinese, from the judge); type: severity and status ids for machines
        fail = Failure(text(finding.why or rule.message), f"{rule.severity}:{finding.status.value}")
        lines = [text(finding.why or rule.message, "\t")]   # a line each: no quote can add one
        lines.append(text(_("status: {label}").format(label=finding.status.label)))
        lines += [text(_("{where}: {quote}").format(where=labels.place(e.where, e.place), quote=e.quote), "\t")
                  for e in finding.evidence]
        lines += [text(_("How to fix: {fix}").format(fix=rule.fix), "\n\t"),
                  text(_("Legal basis: {basis}").format(basis="；".join(rule.legal_basis)))]
        fail.text = "\n".join(lines)
        case.result = [fail]
    return case


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    xml = JUnitXml("auditor")
    for report in reports:
        suite = TestSuite(name(report.path))
        if report.errors:
            case = TestCase("read", classname=name(report.path))
            case.result = [Error(text(e.format()), e.code) for e in report.errors]
            suite.add_testcase(case)
        for finding in report.findings:
            suite.add_testcase(_case(report, finding))
        xml.add_testsuite(suite)
    xml.update_statistics()
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml.tostring().decode("utf-8") + "\n"
