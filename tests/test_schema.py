"""The JSON output validates against the schema shipped in the package, on real and on failing inputs."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import auditor

from .conftest import DATA, REPO, run_cli

SCHEMA = json.loads((Path(auditor.__file__).parent / "schema" / "report-v1.json").read_text(encoding="utf-8"))


def test_the_schema_itself_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("args", [
    ["reports/"],                                             # five real reports
    [str(DATA / "complete_report.txt"), "--profile", "none"],
    [str(DATA / "broken_rules"), "reports/002_ae009fae7ef3885b.txt"],   # a folder with no reports: an error entry
])
def test_json_output_validates(args):
    r = run_cli("audit", *args, "--format", "json")
    doc = json.loads(r.stdout)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(doc)
    assert doc["reports"]


def test_the_schema_catches_a_wrong_status():
    doc = json.loads(run_cli("audit", "reports/002_ae009fae7ef3885b.txt", "--format", "json").stdout)
    doc["reports"][0]["results"][0]["status"] = "passed"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


def test_wrong_document_type_output_validates(tmp_path):
    f = tmp_path / "info.txt"
    f.write_text("某某镇2023年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制。\n",
                 encoding="utf-8")
    jsonschema.validate(json.loads(run_cli("audit", str(f), "--format", "json").stdout), SCHEMA)
