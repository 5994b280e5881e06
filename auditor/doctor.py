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
        raise OSError("network access attempted (blocked by auditor doctor)")
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
    return Check(piece, True, f"{detail} ({time.perf_counter() - t0:.2f} s)")


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
            facts.append(f"{dist} NOT INSTALLED")
    checks: list[Check] = []
    state: dict = {}
    with no_network():
        def load_model():
            seg = get_segmenter("pkuseg", path)   # the process-wide one the pipeline below uses too
            seg.load()
            state["seg"] = seg
            d = seg.describe()
            return f"{d['model']} {d['version']}, {_size(path) / 1e6:.1f} MB in {path}"
        checks.append(_timed("segmentation model", load_model))

        def load_rules_and_dictionary():
            from .ruleset import load_rules
            from .settings import Options
            if "seg" not in state:
                return f"{len(load_rules(rules_dir))} rules"
            options = Options(str(rules_dir) if rules_dir else None, model=str(path))
            state["pipeline"] = pipeline = options.build()   # rules, profiles, vocabulary, finder
            state["seg"].use_words(pipeline.dictionary)
            return (f"{len(pipeline.rules)} rules, {len(pipeline.checklist.profiles)} profiles; "
                    f"{len(pipeline.dictionary)} long rule terms as user dictionary")
        checks.append(_timed("rules", load_rules_and_dictionary))

        if "seg" in state:
            checks.append(_timed("segmenting", lambda: " / ".join(state["seg"].words(PROBE))))

        def convert():
            from .normalize import normalize
            out = normalize("黨政主要負責人").text
            if out != "党政主要负责人":
                raise ValueError(f"traditional → simplified gave {out!r}")
            return "OpenCC t2s: 黨政主要負責人 → 党政主要负责人"
        checks.append(_timed("script conversion", convert))

        def audit_sample():
            from .audit import audit_source
            from .read import Source
            if "pipeline" not in state:
                raise ValueError("needs the model and the rules")
            report = audit_source(Source("<probe>", PROBE, "utf-8"), state["pipeline"])
            met = [f.rule.id for f in report.findings if f.status.value == "met"]
            return "a probe sentence audited; met: " + (", ".join(met) or "nothing")
        checks.append(_timed("audit", audit_sample))

    meta = state["seg"].meta if "seg" in state else {}
    built = meta.get("auditor_segmenter", {})
    if meta:
        facts.append(f"model: {meta.get('description', '')} (built {meta.get('built', '?')} with "
                     f"spaCy {built.get('spacy', '?')}, spacy-pkuseg {built.get('spacy_pkuseg', '?')})")
        agreed = built.get("agreement")
        if agreed:
            facts.append(f"model agrees with pkuseg's default model on {agreed['recall']:.1%} of its words "
                         f"(F1 {agreed['f1']:.3f}) in {agreed['sentences']} held-out sentences ({agreed['held_out']})")
    for f in sorted(path.rglob("*")) if path.is_dir() else []:
        if f.is_file():
            facts.append(f"  {f.relative_to(path)}  {f.stat().st_size:,} bytes")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    facts.append(f"LibreOffice (optional, for .doc/.wps): {office or 'not installed'}")
    return checks, facts
