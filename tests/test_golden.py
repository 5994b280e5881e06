"""Golden outputs on the sample reports; a behaviour change shows up as a reviewed snapshot diff.

Update after a deliberate change with: .venv/bin/python -m pytest tests/test_golden.py --snapshot-update
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.audit import audit_paths
from auditor.render import RENDERERS

from .conftest import REPO


@pytest.fixture(scope="module")
def sample_reports(matcher):
    # audited by paths relative to the repository, as a user types them, so the output is the same anywhere
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        return list(audit_paths(sorted(Path("reports").glob("*.txt")), matcher))


def test_json_golden(sample_reports, rules, snapshot):
    doc = json.loads(RENDERERS["json"](sample_reports, rules))
    doc["tool"]["version"] = "<version>"
    for report in doc["reports"]:
        report["segmenter"]["path"] = "<model folder>"   # where the package is installed
    assert json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) == snapshot


@pytest.mark.parametrize("table_format, width, detail", [("grid", 80, False), ("github", 120, True)],
                         ids=["grid", "github"])
def test_table_golden(sample_reports, rules, snapshot, table_format, width, detail):
    # a fixed width: the default follows the terminal the tests run in
    out = RENDERERS["table"](sample_reports, rules, table_format=table_format, width=width, detail=detail)
    assert out == snapshot


@pytest.mark.parametrize("fmt", ["markdown", "csv", "sarif", "junit", "html"])
def test_other_formats_golden(sample_reports, rules, snapshot, fmt):
    from auditor import __version__
    out = RENDERERS[fmt](sample_reports, rules)
    out = out.replace(f'"{__version__}"', '"<version>"').replace(f"auditor {__version__}", "auditor <version>")
    assert out == snapshot
