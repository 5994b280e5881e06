"""Build the auditor's word-segmentation model: a spaCy `zh` pipeline with a pkuseg segmenter.

    python scripts/build_model.py            # the small distilled model shipped in auditor/models/zh_pkuseg
    python scripts/build_model.py --full     # pkuseg's full default model, into build/zh_pkuseg_full

Both start from pkuseg's default model, which the registry package pkuseg==0.0.25 bundles (a 50 MB wheel,
fetched once with pip into build/; spacy-pkuseg would download it at run time instead). The distilled model is
trained with spacy-pkuseg's own trainer on text the project ships (the sample reports and the rules), labelled
by the default model, and its agreement with the default model is measured on text it was not trained on
(../shared/corpus when it is beside the checkout, else a held-out tenth of the training sentences).
Use a full model with `auditor audit --model build/zh_pkuseg_full` (or AUDITOR_MODEL).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from auditor.normalize import normalize  # noqa: E402
from auditor.ruleset import load_rules  # noqa: E402
from auditor.segment import MODEL_DIR  # noqa: E402

TEACHER = "pkuseg==0.0.25"
BUILD = REPO / "build"
CORPUS = REPO.parent / "shared" / "corpus"
_CLAUSES = re.compile(r"[^。!?;\n]+[。!?;]?")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def teacher_dir() -> Path:
    """pkuseg's default model, unpacked from the registry wheel (downloaded once)."""
    model = BUILD / "pkuseg-0.0.25" / "default"
    if (model / "weights.npz").exists():
        return model
    wheels = BUILD / "wheels"
    wheel = next(wheels.glob("pkuseg-0.0.25-*.whl"), None)
    if wheel is None:
        print(f"fetching {TEACHER} (50 MB) from the package registry …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                        "--python-version", "3.7", "--platform", "manylinux1_x86_64", TEACHER, "-d", str(wheels)],
                       check=True)
        wheel = next(wheels.glob("pkuseg-0.0.25-*.whl"))
    model.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as z:
        for name in ("features.pkl", "weights.npz"):
            with z.open(f"pkuseg/models/default/{name}") as src, open(model / name, "wb") as dst:
                shutil.copyfileobj(src, dst)
    return model


def _quiet_pkuseg(model: Path):
    import spacy_pkuseg
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return spacy_pkuseg.pkuseg(model_name=str(model), user_dict=None)


def _sentences(texts: list[str]) -> list[str]:
    """Normalized clauses with Chinese in them, each once."""
    out: dict[str, None] = {}
    for text in texts:
        for m in _CLAUSES.finditer(normalize(text).text):
            s = "".join(m.group().split())
            if len(_CJK.findall(s)) >= 4:
                out[s] = None
    return list(out)


def shipped_text() -> list[str]:
    """Text the project ships: the sample reports and every piece of wording in the rules."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "reports").glob("*.txt"))]
    for rule in load_rules(REPO / "rules"):
        texts += [rule.title, rule.message, rule.rationale, *rule.legal_basis, *rule.examples.met, *rule.examples.not_met]
    return texts


def held_out_text() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))] if CORPUS.is_dir() else []


def _spans(words: list[str]) -> set[tuple[int, int]]:
    spans, pos = set(), 0
    for w in words:
        spans.add((pos, pos + len(w)))
        pos += len(w)
    return spans


def agreement(student, teacher, sentences: list[str]) -> dict:
    """Share of the teacher's words the student also makes (same span), and word-level F1."""
    same = t_words = s_words = 0
    for s in sentences:
        a, b = _spans(teacher.cut(s)), _spans(student.cut(s))
        same += len(a & b)
        t_words += len(a)
        s_words += len(b)
    precision, recall = same / max(s_words, 1), same / max(t_words, 1)
    return {"sentences": len(sentences), "words": t_words, "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4)}


def distill(teacher_model: Path, work: Path, iterations: int) -> tuple[Path, dict]:
    import spacy_pkuseg
    teacher = _quiet_pkuseg(teacher_model)
    train = _sentences(shipped_text())
    held = _sentences(held_out_text())
    if not held:   # no corpus beside the checkout: hold out a tenth of the shipped text
        random.Random(0).shuffle(train)
        cut = len(train) // 10
        held, train = train[:cut], train[cut:]
    for name, sents in (("train.txt", train), ("test.txt", held)):
        (work / name).write_text("".join(" ".join(teacher.cut(s)) + "\n" for s in sents), encoding="utf-8")
    out = work / "model"
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        spacy_pkuseg.train(str(work / "train.txt"), str(work / "test.txt"), str(out), train_iter=iterations)
    seconds = time.perf_counter() - t0
    student = _quiet_pkuseg(out)
    agreed = agreement(student, teacher, held)
    agreed.update(train_sentences=len(train), iterations=iterations, train_seconds=round(seconds, 1),
                  held_out="../shared/corpus" if CORPUS.is_dir() else "a tenth of the shipped text")
    return out, agreed


def resave(teacher_model: Path, work: Path) -> Path:
    """The old-format default model (features.pkl) re-saved in the format spacy-pkuseg loads fastest."""
    from spacy_pkuseg.feature_extractor import FeatureExtractor
    from spacy_pkuseg.model import Model
    out = work / "model"
    out.mkdir(parents=True, exist_ok=True)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        FeatureExtractor.load(str(teacher_model)).save(str(out))
        Model.load(str(teacher_model)).save(str(out))
    return out


def to_pipeline(pkuseg_model: Path, dest: Path, meta: dict) -> None:
    """A spaCy pipeline folder (`spacy.load` reads it) with the pkuseg model and no user dictionary: the
    auditor adds the rules' long terms at load."""
    import spacy
    import spacy_pkuseg
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.initialize(pkuseg_model=str(pkuseg_model))
    # no dictionaries: pkuseg's default word list would be merged back into its output (5 MB, slower loads)
    seg = nlp.tokenizer.pkuseg_seg
    seg.preprocesser, seg.postprocesser = spacy_pkuseg.Preprocesser(None), spacy_pkuseg.Postprocesser(None, [])
    seg.postprocesser.do_process = False
    nlp.meta.update(meta)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="build pkuseg's full default model instead")
    ap.add_argument("--out", type=Path, help="pipeline folder to write (default: see above)")
    ap.add_argument("--iterations", type=int, default=10, help="training iterations for the distilled model")
    args = ap.parse_args()
    teacher_model = teacher_dir()
    versions = {"spacy": _version("spacy"), "spacy_pkuseg": _version("spacy-pkuseg")}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.full:
            dest = args.out or BUILD / "zh_pkuseg_full"
            model = resave(teacher_model, work)
            meta = {"name": "zh_pkuseg_full", "version": "0.0.25",
                    "description": f"pkuseg's default model ({TEACHER}), unchanged", "built": str(date.today()),
                    "auditor_segmenter": {"teacher": TEACHER, **versions}}
        else:
            dest = args.out or MODEL_DIR
            model, agreed = distill(teacher_model, work, args.iterations)
            meta = {"name": "zh_pkuseg_reports", "version": str(date.today()),
                    "description": f"pkuseg model distilled from {TEACHER}'s default model on the sample reports "
                                   "and the rules' wording", "built": str(date.today()),
                    "auditor_segmenter": {"teacher": TEACHER, "agreement": agreed, **versions}}
        to_pipeline(model, dest, meta)
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    print(f"wrote {dest} ({size / 1e6:.1f} MB)")
    print(json.dumps(meta["auditor_segmenter"], ensure_ascii=False, indent=1))


def _version(dist: str) -> str:
    from importlib.metadata import version
    return version(dist)


if __name__ == "__main__":
    main()
