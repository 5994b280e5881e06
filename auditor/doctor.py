"""`auditor doctor`: what is installed, and whether every piece loads with the network cut off."""
from __future__ import annotations

import contextlib
import platform
import shutil
import socket
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import __version__
from .errors import AuditorError, RuleErrors
from .i18n import _

PACKAGES = ("spacy", "spacy-pkuseg", "opencc", "rapidfuzz", "pyahocorasick", "charset-normalizer", "lxml",
            "pypdfium2", "trafilatura", "cpca", "typer")
PROBE = "依照上述法律法规，认真落实年终述法制度，履行推进法治建设第一责任人职责"


@dataclass
class Check:
    piece: str
    ok: bool
    detail: str


@contextlib.contextmanager
def no_network():
    """Every attempt to resolve a name or open a connection fails, as on an offline network."""
    def refuse(*_args, **_kwargs):
        raise OSError(_("network access attempted (blocked by auditor doctor)"))
    saved = socket.socket.connect, socket.create_connection, socket.getaddrinfo
    socket.socket.connect, socket.create_connection, socket.getaddrinfo = refuse, refuse, refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.create_connection, socket.getaddrinfo = saved


def _timed(piece: str, fn) -> Check:
    t0 = time.perf_counter()
    try:
        detail = fn()
    except (AuditorError, RuleErrors) as exc:
        return Check(piece, False, str(exc).splitlines()[0])
    except Exception as exc:   # noqa: BLE001 - the doctor reports whatever is broken
        return Check(piece, False, f"{type(exc).__name__}: {exc}".splitlines()[0][:200])
    return Check(piece, True, _("{detail} ({seconds:.2f} s)").format(detail=detail, seconds=time.perf_counter() - t0))


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


def run(model: Path | None, rules_dir: Path | None) -> tuple[list[Check], list[str]]:
    """Checks (each loaded offline) and facts about the installation."""
    from .segment import get_segmenter, model_path
    path = model_path(model)
    facts = [f"auditor {__version__}, Python {platform.python_version()} ({platform.platform()})"]
    for dist in PACKAGES:
        try:
            facts.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            facts.append(_("{package} NOT INSTALLED").format(package=dist))
    checks: list[Check] = []
    state: dict = {}
    with no_network():
        def load_model():
            seg = get_segmenter("pkuseg", path)   # the process-wide one the pipeline below uses too
            seg.load()
            state["seg"] = seg
            d = seg.describe()
            return _("{model} {version}, {size:.1f} MB in {path}").format(model=d["model"], version=d["version"],
                                                                         size=_size(path) / 1e6, path=path)
        checks.append(_timed(_("segmentation model"), load_model))

        def load_rules_and_dictionary():
            from .ruleset import load_rules
            from .settings import Options
            if "seg" not in state:
                return _("{n} rules").format(n=len(load_rules(rules_dir)))
            options = Options(str(rules_dir) if rules_dir else None, model=str(path))
            state["pipeline"] = pipeline = options.build()   # rules, profiles, vocabulary, finder
            state["seg"].use_words(pipeline.dictionary)
            return _("{rules} rules, {profiles} profiles; {terms} long rule terms as user dictionary").format(
                rules=len(pipeline.rules), profiles=len(pipeline.checklist.profiles), terms=len(pipeline.dictionary))
        checks.append(_timed(_("rules"), load_rules_and_dictionary))

        if "seg" in state:
            checks.append(_timed(_("segmenting"), lambda: " / ".join(state["seg"].words(PROBE))))

        def convert():
            from .normalize import normalize
            out = normalize("黨政主要負責人").text
            if out != "党政主要负责人":
                raise ValueError(_("traditional → simplified gave {text!r}").format(text=out))
            return _("OpenCC traditional to simplified: {example}").format(example="黨政主要負責人 → 党政主要负责人")
        checks.append(_timed(_("script conversion"), convert))

        def audit_sample():
            from .audit import audit_source
            from .read import Source
            if "pipeline" not in state:
                raise ValueError(_("needs the model and the rules"))
            report = audit_source(Source("<probe>", PROBE, "utf-8"), state["pipeline"])
            met = [f.rule.id for f in report.findings if f.status.value == "met"]
            return _("a probe sentence audited; met: {rules}").format(rules=", ".join(met) or _("nothing"))
        checks.append(_timed(_("audit"), audit_sample))

    meta = state["seg"].meta if "seg" in state else {}
    built = meta.get("auditor_segmenter", {})
    if meta:   # said from the model's fields, in the language in force (its `description` is English)
        teacher = built.get("teacher")
        if teacher and built.get("agreement"):
            what = _("distilled from the default model of {teacher}").format(teacher=teacher)
        elif teacher:
            what = _("the default model of {teacher}, unchanged").format(teacher=teacher)
        else:
            what = _("a pkuseg model")
        facts.append(_("model: {name} {version}, {what} (built {built} with spaCy {spacy}, spacy-pkuseg "
                       "{pkuseg})").format(name=meta.get("name", "?"), version=meta.get("version", "?"), what=what,
                                           built=meta.get("built", "?"), spacy=built.get("spacy", "?"),
                                           pkuseg=built.get("spacy_pkuseg", "?")))
        agreed = built.get("agreement")
        if agreed:
            facts.append(_("model agrees with pkuseg's default model on {recall:.1%} of its words (F1 {f1:.3f}) in "
                           "{sentences} held-out sentences ({held_out})").format(**agreed))
    for f in sorted(path.rglob("*")) if path.is_dir() else []:
        if f.is_file():
            facts.append("  " + _("{file}  {size:,} bytes").format(file=f.relative_to(path), size=f.stat().st_size))
    office = shutil.which("soffice") or shutil.which("libreoffice")
    facts.append(_("LibreOffice (optional, for .doc/.wps): {found}").format(found=office or _("not installed")))
    return checks, facts
