"""The settings file an office keeps with its reports: found by walking up, overridden by flags, every bad key
one line with the file, the line and a did-you-mean (exit 2), and `auditor config` saying where each value
came from."""
from __future__ import annotations

import os
import subprocess

from auditor import config

from .conftest import AUDITOR, REPO, Run

SAMPLE = REPO / "reports" / "002_ae009fae7ef3885b.txt"   # misses only a warning-level rule


def run(*args: str, cwd, env: dict | None = None) -> Run:
    environ = {k: v for k, v in os.environ.items() if k not in ("AUDITOR_LANG", "AUDITOR_MODEL")}
    proc = subprocess.run([str(AUDITOR), *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          timeout=120, env={**environ, **(env or {})})
    return Run(proc.returncode, proc.stdout, proc.stderr)


def settings_of(out: str) -> dict[str, tuple[str, str]]:
    """`auditor config` rows: setting → (value, source)."""
    rows = {}
    for line in out.splitlines()[3:]:
        key, value, source = line.split(None, 2)
        rows[key] = (value, source)
    return rows


def test_found_by_walking_up_and_paths_relative_to_the_file(tmp_path):
    (tmp_path / ".auditor.toml").write_text('# 本局的审核设置\nfail-on = "warning"\nwaivers = "gate/waivers.yaml"\n',
                                            encoding="utf-8")
    deeper = tmp_path / "2023" / "县级"
    deeper.mkdir(parents=True)
    (tmp_path / "gate").mkdir()
    (tmp_path / "gate" / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    assert config.find(deeper) == (tmp_path / ".auditor.toml", False)
    r = run("config", cwd=deeper)
    assert r.code == 0 and r.stderr == ""
    assert r.stdout.splitlines()[0] == f"设置文件：{tmp_path / '.auditor.toml'}"
    rows = settings_of(r.stdout)
    assert rows["fail-on"] == ("warning", f"{tmp_path / '.auditor.toml'}:2")
    assert rows["waivers"] == (str(tmp_path / "gate" / "waivers.yaml"), f"{tmp_path / '.auditor.toml'}:3")
    assert rows["profile"] == ("auto", "默认") and rows["lang"] == ("zh", "默认")
    assert run("audit", str(SAMPLE), cwd=deeper).code == 1   # the file's fail-on = warning gates the run


def test_pyproject_table_and_the_nearest_file_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.auditor]\njobs = 2\nprofile = "none"\n',
                                             encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "y"\n', encoding="utf-8")   # no [tool.auditor]: passed
    rows = settings_of(run("config", cwd=inner).stdout)
    assert rows["jobs"] == ("2", f"{tmp_path / 'pyproject.toml'}:5")
    assert rows["profile"] == ("none", f"{tmp_path / 'pyproject.toml'}:6")
    (inner / ".auditor.toml").write_text('jobs = 1\n', encoding="utf-8")   # one file per run: the nearest
    rows = settings_of(run("config", cwd=inner).stdout)
    assert rows["jobs"] == ("1", f"{inner / '.auditor.toml'}:1") and rows["profile"] == ("auto", "默认")


def test_flags_beat_the_file_and_the_environment_beats_it_too(tmp_path):
    (tmp_path / ".auditor.toml").write_text('fail-on = "warning"\nlang = "zh"\n', encoding="utf-8")
    assert run("audit", str(SAMPLE), cwd=tmp_path).code == 1
    assert run("audit", str(SAMPLE), "--fail-on", "error", cwd=tmp_path).code == 0
    r = run("config", "--fail-on", "error", "-j", "3", cwd=tmp_path, env={"AUDITOR_LANG": "en"})
    assert r.code == 0 and r.stderr == ""
    rows = settings_of(r.stdout)
    assert rows["fail-on"] == ("error", "command line") and rows["jobs"] == ("3", "command line")
    assert rows["lang"] == ("en", "environment variable AUDITOR_LANG")
    rows = settings_of(run("--lang", "zh", "config", cwd=tmp_path, env={"AUDITOR_LANG": "en"}).stdout)
    assert rows["lang"] == ("zh", "命令行") and rows["fail-on"] == ("warning", f"{tmp_path / '.auditor.toml'}:1")


def test_a_bad_key_is_one_line_with_the_line_and_a_did_you_mean(tmp_path):
    path = tmp_path / ".auditor.toml"
    path.write_text('profile = "auto"\n\nfail_ob = "warning"\n', encoding="utf-8")
    for args in (("audit", str(SAMPLE)), ("config",)):
        r = run(*args, cwd=tmp_path)
        assert r.code == 2 and r.stdout == ""
        (line,) = r.stderr.splitlines()
        assert line.startswith(f"{path}:3: [E203] ") and "fail_ob" in line and "'fail-on'" in line


def test_a_bad_value_is_one_line_too(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.auditor]\nformat = "tabel"\n', encoding="utf-8")
    r = run("audit", str(SAMPLE), cwd=tmp_path)
    assert r.code == 2 and r.stdout == ""
    (line,) = r.stderr.splitlines()
    assert line.startswith(f"{path}:2: [E204] format") and "'table'" in line
    path.write_text('[tool.auditor]\njobs = -1\n', encoding="utf-8")
    (line,) = run("config", cwd=tmp_path).stderr.splitlines()
    assert line.startswith(f"{path}:2: [E204] jobs")
    path.write_text('[tool.auditor]\njobs = \n', encoding="utf-8")   # not TOML
    r = run("config", cwd=tmp_path)
    assert r.code == 2 and r.stderr.startswith(f"{path}:2: [E204] TOML")


def test_lang_from_the_file_switches_every_word(tmp_path):
    (tmp_path / ".auditor.toml").write_text('lang = "en"\n', encoding="utf-8")
    h = run("--help", cwd=tmp_path)
    assert h.code == 0 and h.stdout.startswith("Usage: auditor") and "Show this message and exit." in h.stdout
    assert "Options" in h.stdout and "选项" not in h.stdout
    r = run("audit", str(REPO / "reports"), "-f", "json", cwd=tmp_path)
    assert r.code == 1 and r.stderr.startswith("audited 5 of 5 file(s)")
    rows = settings_of(run("config", cwd=tmp_path).stdout)
    assert rows["lang"] == ("en", f"{tmp_path / '.auditor.toml'}:1")
    zh = run("--lang", "zh", "audit", cwd=tmp_path)   # the flag beats the file, for help and errors too
    assert zh.code == 2 and zh.stderr.splitlines()[-1] == "错误：缺少参数 'PATH'。"


def test_no_settings_file(tmp_path):
    r = run("config", cwd=tmp_path)
    assert r.code == 0 and r.stdout.startswith("设置文件：无")
    assert all(source == "默认" for _value, source in settings_of(r.stdout).values())


def test_the_readme_example_loads_as_written(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8").split("### The settings file", 1)[1]
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / ".auditor.toml").write_text(example, encoding="utf-8")
    found = config.load(tmp_path)
    assert set(found.values) == {"profile", "fail-on", "waivers", "baseline", "lang", "format", "scoring", "jobs",
                                 "rules", "model", "office"}
    assert found.values["waivers"] == str(tmp_path / "gate" / "waivers.yaml") and found.lines["jobs"] == 9


def test_every_command_reads_the_same_file(tmp_path):
    (tmp_path / ".auditor.toml").write_text(f'rules = "{REPO / "tests" / "data" / "broken_rules"}"\n',
                                            encoding="utf-8")
    r = run("rules", "list", cwd=tmp_path)
    assert r.code == 2 and r.stdout == "" and "unknown-key.yaml:12: [E203]" in r.stderr
    r = run("rules", "list", "--rules", str(REPO / "rules"), cwd=tmp_path)   # the flag wins
    assert r.code == 0 and "legal-advisor" in r.stdout


def test_the_office_in_the_file_signs_the_letters(tmp_path):
    (tmp_path / ".auditor.toml").write_text('office = "某县司法局"\nformat = "letter"\n', encoding="utf-8")
    r = run("audit", str(SAMPLE), "-o", "意见", cwd=tmp_path)
    assert r.code == 0 and r.stdout == ""
    (letter,) = (tmp_path / "意见").iterdir()
    assert r.stderr.strip() == f"已写入 意见/{letter.name}"
    import docx
    assert any("某县司法局" in p.text for p in docx.Document(str(letter)).paragraphs)
