"""A cold start loads only what the report needs, and the cache of validated rules and profiles is never stale.
(How long a start takes is measured by scripts, not asserted here.)"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from auditor import ruleset
from auditor.ruleset import loading
from auditor.errors import RuleErrors

from .conftest import REPO, REPORTS

HEAVY = ("spacy", "spacy_pkuseg", "requests", "pkg_resources", "tabulate", "cpca")
PROBE = """
import json, sys
sys.argv = ["auditor", "audit", sys.argv[1], "-f", "json", "-o", "/dev/null"]
from auditor.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _loaded(report, tmp_path) -> list[str]:
    env = {**os.environ, "AUDITOR_CACHE": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), str(report)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_report_without_word_level_candidates_never_loads_the_segmenter(tmp_path):
    report = tmp_path / "short.txt"
    report.write_text("某镇2024年法治政府建设年度报告\n一、主要举措和成效\n我镇全面推进依法行政。\n", encoding="utf-8")
    assert _loaded(report, tmp_path) == []


def test_a_report_that_needs_words_loads_pkuseg_but_not_spacy_or_its_downloader(tmp_path):
    # sample 002 holds 学法, which counts only as a whole word
    assert _loaded(next(REPORTS.glob("002_*.txt")), tmp_path) == ["spacy_pkuseg"]


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    monkeypatch.setenv(ruleset.CACHE_ENV, str(tmp_path / "cache"))
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    return tmp_path / "rules"


def test_a_second_load_comes_from_the_cache(rules_copy, monkeypatch):
    rules, profiles = ruleset.load_ruleset(rules_copy)
    monkeypatch.setattr(loading, "read_mapping", lambda path: pytest.fail(f"parsed {path} again"))
    again, profiles_again = ruleset.load_ruleset(rules_copy)
    assert [r.id for r in again] == [r.id for r in rules] and profiles_again.keys() == profiles.keys()


def test_an_edited_profile_is_read_again(rules_copy):
    _, profiles = ruleset.load_ruleset(rules_copy)
    path = next((rules_copy / "profiles").glob("*.yaml"))
    pid = path.stem
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: 改过的", 1), encoding="utf-8")
    _, edited = ruleset.load_ruleset(rules_copy)
    assert edited[pid].title.startswith("改过的") and not profiles[pid].title.startswith("改过的")


def test_a_broken_profile_is_never_cached_as_good(rules_copy):
    ruleset.load_ruleset(rules_copy)
    path = next((rules_copy / "profiles").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "\noverrides:\n  no-such-rule: {severity: info}\n",
                    encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleErrors):
            ruleset.load_ruleset(rules_copy)
