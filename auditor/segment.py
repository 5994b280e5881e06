"""Sentences and words of normalized text.

Sentences come from punctuation and line breaks (a regular expression: the whole report, every time).
Words come from pkuseg through spaCy, and only where a decision needs them: the sentences around candidate
hits of token-level phrases (述法 counts in 年终述法, not in 上述法律). The pipeline is a spaCy `zh` pipeline
folder loaded with `spacy.load`, once per process; the default one ships inside the package
(auditor/models/zh_pkuseg, built by scripts/build_model.py), so nothing is ever downloaded at run time.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
from functools import lru_cache
from pathlib import Path

from .errors import AuditorError
from .i18n import _

MODEL_DIR = Path(__file__).parent / "models" / "zh_pkuseg"
MODEL_ENV = "AUDITOR_MODEL"   # another pipeline folder, e.g. the full default model
SEGMENTERS = ("pkuseg", "char")
BUILD_HINT = "python scripts/build_model.py"   # run from a checkout of the auditor

# A sentence ends after 。!?; and a line break, and after a colon (主要表现在:一是…) except between digits (16:11).
_SENTENCE_BREAK = re.compile(r"[。!?;]|\n|(?<!\d):|:(?!\d)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the non-blank sentences, stripped of surrounding white space."""
    spans, start = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        _add_stripped(spans, text, start, m.start() if m.group() == "\n" else m.end())
        start = m.end()
    _add_stripped(spans, text, start, len(text))
    return spans


def _add_stripped(spans: list, text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        start += len(chunk) - len(chunk.lstrip())
        spans.append((start, start + len(stripped)))


class Segmenter:
    """Word boundaries of a text. `pkuseg`: the spaCy pipeline in `path`, with the rules' long terms as
    user dictionary (kept whole); `char`: every character a word (token-level phrases then match as plain
    text; for comparison and for a machine without the model).

    `eager`: load and check the pipeline now (a model named by the user: a broken one is one line before any
    file is read). Otherwise only its meta.json is read now and spaCy is loaded at the first sentence that
    needs words: most reports have no token-level candidate, and importing spaCy is most of a cold start."""

    def __init__(self, kind: str = "pkuseg", path: Path | None = None, eager: bool = True):
        self.kind = kind
        self.path = path
        self.meta: dict = {}
        self._nlp = None
        self._words: frozenset[str] = frozenset()
        self._wanted: frozenset[str] = frozenset()
        if kind == "pkuseg":
            if eager:
                self._nlp, self.meta = _load_pipeline(path)
            else:
                self.meta = _read_meta(path)

    def load(self) -> None:
        """Load the pipeline now if it is not yet (before forking workers, so they share it)."""
        if self.kind == "pkuseg" and self._nlp is None:
            self._nlp, self.meta = _load_pipeline(self.path)
            self.use_words(self._wanted)

    @property
    def loaded(self) -> bool:
        return self._nlp is not None

    def describe(self) -> dict:
        if self.kind == "char":
            return {"name": "char"}
        return {"name": "pkuseg", "model": self.meta.get("name", "?"), "version": self.meta.get("version", "?"),
                "path": str(self.path)}

    def use_words(self, words: frozenset[str]) -> None:
        """Make `words` the user dictionary: pkuseg keeps each of them whole (as spaCy's
        pkuseg_update_user_dict(reset=True) does)."""
        self._wanted = words
        if self._nlp is not None and words is not self._words and words != self._words:
            import spacy_pkuseg
            self._nlp.preprocesser = spacy_pkuseg.Preprocesser(None)
            for word in sorted(words):
                self._nlp.preprocesser.insert(word.strip(), "")
            self._words = words

    def words(self, text: str) -> list[str]:
        self.load()
        if self._nlp is None:
            return list(text)
        return [w for w in self._nlp.cut(text) if w and not w.isspace()]

    def boundaries(self, text: str) -> set[int] | None:
        """Offsets where a word starts or ends; None means every offset (the char segmenter)."""
        words = self.words(text) if self.kind == "pkuseg" else None
        if words is None:
            return None
        found, pos = {0, len(text)}, 0
        for word in words:
            at = text.find(word, pos)
            if at < 0:
                continue   # pkuseg normalized something away: the next word still aligns
            found.update((at, at + len(word)))
            pos = at + len(word)
        return found


def _fix(path: Path) -> str:
    return (f"{BUILD_HINT} --full --out {path}" if path != MODEL_DIR
            else _("reinstall the auditor, or in a checkout run {command}").format(command=BUILD_HINT))


def _read_meta(path: Path) -> dict:
    """The pipeline's meta.json (name, version): all a report names, without loading anything."""
    try:
        return json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AuditorError("E401", path, reason=_("no spaCy pipeline in this folder (no meta.json)"), fix=_fix(path)) \
            from None
    except (OSError, ValueError) as exc:
        raise AuditorError("E401", path, reason=_("meta.json unreadable ({reason})").format(reason=exc)[:160], fix=_fix(path)) from None


def _import_pkuseg():
    """spacy_pkuseg, without the `requests` its model downloader would import (a tenth of a cold start): it
    falls back to urllib, and the auditor never downloads."""
    import sys
    blocked = "requests" not in sys.modules
    if blocked:
        sys.modules["requests"] = None   # an import of it fails as if it were not installed
    try:
        import spacy_pkuseg
    finally:
        if blocked:
            del sys.modules["requests"]
    return spacy_pkuseg


def _load_pipeline(path: Path):
    """The pkuseg segmenter of a spaCy `zh` pipeline folder, loaded as spaCy's Chinese tokenizer loads it
    (tokenizer/pkuseg_model, tokenizer/pkuseg_processors) but without importing spaCy: that import is most of a
    cold start. Any failure is one E401 line naming the folder and the fix."""
    fix = _fix(path)
    meta = _read_meta(path)
    tokenizer = path / "tokenizer"
    try:
        cfg = json.loads((tokenizer / "cfg").read_text(encoding="utf-8"))
        if cfg.get("segmenter") != "pkuseg":
            raise ValueError(_("the pipeline has no pkuseg segmenter"))
        spacy_pkuseg = _import_pkuseg()
        import srsly
        # spacy-pkuseg prints format warnings while it loads
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            seg = spacy_pkuseg.pkuseg(str(tokenizer / "pkuseg_model"))
        user_dict, do_process, common_words, other_words = srsly.read_msgpack(tokenizer / "pkuseg_processors")
        seg.preprocesser = spacy_pkuseg.Preprocesser(user_dict)
        seg.postprocesser.do_process = do_process
        seg.postprocesser.common_words = set(common_words)
        seg.postprocesser.other_words = set(other_words)
        seg.cut("法治")
    except Exception as exc:   # noqa: BLE001 - whatever broke, the user needs the folder and the fix
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:160]
        raise AuditorError("E401", path, reason=reason, fix=fix) from None
    return seg, meta


def model_path(path: Path | str | None = None) -> Path:
    """The pipeline folder in force: the one given, else $AUDITOR_MODEL, else the bundled one."""
    chosen = path or os.environ.get(MODEL_ENV)
    return Path(chosen).expanduser().resolve() if chosen else MODEL_DIR


@lru_cache(maxsize=4)
def _cached(kind: str, path: Path | None, eager: bool) -> Segmenter:
    return Segmenter(kind, path, eager)


def get_segmenter(kind: str = "pkuseg", path: Path | str | None = None) -> Segmenter:
    """The process-wide segmenter (one per kind and folder). A model the user names (--model, $AUDITOR_MODEL)
    is loaded and checked at once; the bundled one is loaded when a sentence first needs words."""
    if kind not in SEGMENTERS:
        raise AuditorError("E301", reason=_("unknown segmenter {name!r}; one of: {choices}").format(
            name=kind, choices=", ".join(SEGMENTERS)))
    folder = model_path(path) if kind == "pkuseg" else None
    return _cached(kind, folder, folder != MODEL_DIR)
