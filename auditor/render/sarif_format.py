"""SARIF 2.1.0 for code-scanning tools: every rule declared, one result per gap.

Text files get a region (1-based line and column, counted in Unicode code points of the original); Word, PDF
and web pages get the paragraph, page or article line in the message and a logical location, never a byte
region; a missing element is anchored at the start of the file. Input errors become tool notifications.

Artifact URIs percent-encode the file name's own bytes (undecodable ones too); every other string is shown as
`shown` says, so the log is valid UTF-8 JSON whatever the input held.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import PurePath
from urllib.parse import quote

from .. import __version__, labels
from ..i18n import _
from ..model import Finding, Report, Status
from ..rule_schema import Rule
from ..shown import name, text, tree

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TEXT_SUFFIXES = {".txt"}


def _rule(rule: Rule) -> dict:
    """A rule's metadata: ids as they are, the descriptions and help in the reader's language (the rule's own
    title, rationale and fix are Chinese)."""
    basis = "\n".join(f"- {b}" for b in rule.legal_basis)
    see = _("See {path}").format(path=f"docs/rules/{rule.id}.md")
    fix, legal = _("How to fix: {fix}").format(fix=rule.fix), _("Legal basis: {basis}").format(basis="")
    return {
        "id": rule.id,
        "name": "".join(w.capitalize() for w in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": f"{fix}\n\n{legal.strip()}\n{basis}",
                 "markdown": f"{fix}\n\n**{legal.strip()}**\n\n{basis}\n\n{see}"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"group": rule.group, "kind": rule.kind, "legalBasis": list(rule.legal_basis)},
    }


def _uri(path: str) -> str:
    """A URI reference for the file: its bytes percent-encoded (a name that is not UTF-8 keeps its own bytes,
    %FF; a newline is %0A), and a colon in the first segment too, so `x:y.txt` is not read as a scheme."""
    first, slash, rest = quote(os.fsencode(PurePath(path).as_posix()), safe="/:._-").partition("/")
    return first.replace(":", "%3A") + slash + rest


def _location(report: Report, f: Finding) -> tuple[dict, str]:
    """(SARIF location, where it stands in words) for a finding: its first evidence, or the file's start."""
    artifact = {"uri": _uri(report.path)}
    ev = f.evidence[0] if f.evidence else None
    if ev and PurePath(report.path).suffix.lower() in TEXT_SUFFIXES:
        region = {"startLine": ev.line, "startColumn": ev.column, "snippet": {"text": ev.quote}}
        return {"physicalLocation": {"artifactLocation": artifact, "region": region}}, labels.place(ev.where, ev.place)
    if ev:   # .docx/.pdf/.html: the place a person looks, no byte region
        return {"physicalLocation": {"artifactLocation": artifact},
                "logicalLocations": [{"name": ev.where, "fullyQualifiedName": f"{name(report.path)}#{ev.where}",
                                      "kind": "element"}]}, labels.place(ev.where, ev.place)
    return {"physicalLocation": {"artifactLocation": artifact,
                                 "region": {"startLine": 1, "startColumn": 1}}}, _("start of file")


def _result(report: Report, f: Finding, index: dict[str, int]) -> dict:
    location, where = _location(report, f)
    # what a person reads in a code-scanning view: the status, why, the original words and where, the fix
    message = _("{status}: {why}").format(status=f.status.label, why=f.why or f.rule.message)
    if f.evidence:
        message = _("{text} ({where}: {quote})").format(text=message, where=where, quote=f.evidence[0].quote)
    if f.status.is_gap:
        message += "\n" + _("How to fix: {fix}").format(fix=f.rule.fix)
    anchor = text(f.evidence[0].quote, "\n\t") if f.evidence else ""   # as shown: hashable as UTF-8
    fingerprint = hashlib.sha256(f"{f.rule.id}\0{f.status.value}\0{anchor}".encode()).hexdigest()[:32]
    result = {"ruleId": f.rule.id, "ruleIndex": index[f.rule.id], "level": LEVELS[f.rule.severity],
              "kind": "fail", "message": {"text": message}, "locations": [location],
              "partialFingerprints": {"auditorFinding/v1": fingerprint},
              "properties": {"status": f.status.value, "score": f.score}}
    if getattr(f, "points", None) is not None:
        result["properties"]["points"] = f.points
    if f.baseline:
        result["baselineState"] = f.baseline
    if f.status is Status.WAIVED:
        result["suppressions"] = [{"kind": "external", "justification": f.note or ""}]
    return result


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    index = {r.id: i for i, r in enumerate(rules)}
    results, notes = [], []
    for report in reports:
        for e in report.errors:
            notes.append({"level": "error", "message": {"text": text(e.format())}, "descriptor": {"id": e.code},
                          "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(report.path)}}}]})
        results += [_result(report, f, index) for f in report.findings
                    if f.status.is_gap or f.status is Status.WAIVED]
    run = {
        "tool": {"driver": {"name": "auditor", "version": __version__, "semanticVersion": __version__,
                            "informationUri": "https://example.invalid/auditor",
                            "rules": [_rule(r) for r in rules]}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not notes, "toolExecutionNotifications": notes}],
        "artifacts": [{"location": {"uri": _uri(r.path)}} for r in reports],
        "results": results,
    }
    log = tree({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]})
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
