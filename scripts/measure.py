"""The figures an issue on verdicts asks for, on the labelled dev data beside the repository (../shared):

1. the 19 content rules on corpus + corpus2 together (per rule TP/FP/FN/TN, precision, recall, F1, micro, and
   false `met` per 50 reports);
2. document type: look-alikes caught and real reports rejected (corpus2's index says which is which; every
   corpus file is a real report);
3. metadata against the indexes: level, year and (corpus2) the body's full name;
4. the five samples flattened (every line break removed, as text copied out of a PDF): statutory parts and
   document type against the originals, and the sample labels.

    .venv/bin/python scripts/measure.py --split test     # the part nobody tunes to: figures only
    .venv/bin/python scripts/measure.py --split tune --errors
    .venv/bin/python scripts/measure.py --folder tests/data/reports-blind-2   # a labelled folder instead

--folder DIR measures DIR's texts against its labels*.tsv and index*.tsv (columns as corpus2's index) instead
of the shared corpora; the samples are not flattened then.

--split picks the labelled reports by number (auditor.evaluate.split_of: every third, 003, 006, …, is test).
Disagreements are printed only with --errors, and never for the test part unless --final is given too: the
test part's errors are read once, at the last measurement.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections import Counter
from pathlib import Path

from auditor.batch import audit_batch, default_jobs
from auditor.evaluate import evaluate, in_split, read_labels, scores
from auditor.model import Status
from auditor.rule_schema import is_class_name
from auditor.normalize import normalize_phrase
from auditor.settings import Options

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CONTENT = ("xi-thought", "first-responsible-person", "five-year-legal-education", "legal-advisor", "legality-review",
           "leaders-study-law", "major-decision-procedure", "normative-documents", "enforcement-three-systems",
           "dispute-resolution", "reconsideration-and-litigation", "government-transparency",
           "power-responsibility-list", "rule-of-law-assessment", "business-environment", "digital-rule-of-law",
           "emergency-response", "inspection-rectification", "demonstration-creation")
PARTS = ("section-measures", "section-shortcomings", "section-leader-duty", "section-next-year", "section-other")
# labels of each corpus: the shared ones, and those labelled blind here for the rules the shared ones lack
CORPORA = {
    "corpus": [SHARED / "corpus" / "labels.tsv", REPO / "tests" / "data" / "corpus-area-labels.tsv"],
    "corpus2": [SHARED / "corpus2" / "labels.tsv"],
}
FOLDERS = {c: SHARED / c for c in CORPORA}


def index(corpus: str) -> dict[str, dict]:
    rows = {}
    for path in sorted(FOLDERS[corpus].glob("index*.tsv")):
        with path.open(encoding="utf-8") as fh:
            rows.update({f"{row['id']}.txt": row for row in csv.DictReader(fh, delimiter="\t")})
    return rows


def table(rows, headers) -> str:
    from tabulate import tabulate
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def audit(paths: list[Path], pipeline, jobs: int) -> dict[str, object]:
    return {Path(r.path).name: r for r in audit_batch(paths, pipeline, jobs)}


def content_rules(reports: dict[str, dict], split: str, errors: bool) -> None:
    per_rule: dict[str, Counter] = {}
    wrong = []
    n_reports = 0
    for corpus, label_files in CORPORA.items():
        verdicts = {(name, f.rule.id): f for name, r in reports[corpus].items() for f in r.findings}
        labels = [lb for path in label_files if path.is_file() for lb in read_labels(path)
                  if lb.rule in CONTENT and in_split(lb.file, split)]
        n_reports += len({lb.file for lb in labels})
        ev = evaluate(labels, verdicts)
        for rule, c in ev.per_rule.items():
            per_rule.setdefault(rule, Counter()).update(c)
        wrong += [(cell, corpus, label, f) for cell, label, f in ev.disagreements]
    rows = []
    for rule in CONTENT:
        c = per_rule.get(rule, Counter())
        p, r, f1 = scores(c)
        rows.append([rule, c["TP"], c["FP"], c["FN"], c["TN"], f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}"])
    total = sum(per_rule.values(), Counter())
    p, r, f1 = scores(total)
    rows.append(["micro", total["TP"], total["FP"], total["FN"], total["TN"], f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}"])
    print(f"## 19 content rules, corpus + corpus2, split {split} ({n_reports} labelled reports)")
    print(table(rows, ["rule", "TP", "FP", "FN", "TN", "P", "R", "F1"]))
    print(f"false met per 50 reports: {50 * total['FP'] / max(n_reports, 1):.2f}\n")
    if errors:
        for cell, corpus, label, f in sorted(wrong, key=lambda w: (w[0] != "FP", w[1], w[2].file)):
            quote = f"{f.evidence[0].where} {f.evidence[0].quote}" if f.evidence else (f.why or "")
            print(f"  {cell} {corpus}/{label.file} {label.rule}: {f.status.value} — {quote[:120]}  [{label.note[:60]}]")
        print()


def _part_of(rule, evidence) -> str:
    """Which part of a rule a piece of evidence came from: a phrase, a clause pattern, or concept n."""
    if evidence.roles:
        vocabulary = rule.vocabulary()
        for n, c in enumerate(rule.concepts, 1):
            words = {role: {normalize_phrase(w if isinstance(w, str) else w.text) for item in items
                            for w in (vocabulary.classes[item].words if is_class_name(item) else [item])}
                     for role, items in c.roles()}
            if all(normalize_phrase(evidence.roles.get(r, "")) in words[r] for r in words):
                return f"concept {n} ({'+'.join(words)})"
        return "concept ?"
    if evidence.how == "clause":
        return "pattern " + "+".join(evidence.phrase.split("+")[:1]) + "+…"
    return f"phrase {evidence.phrase}"


def rule_parts(reports: dict[str, dict], split: str, errors: bool) -> None:
    """Per content rule: which of its parts decided a met verdict (right and wrong), and how many labelled
    `met` no part reached (listed by file on the tune part only)."""
    fired: dict[str, dict[str, Counter]] = {}
    unreached: dict[str, list[str]] = {}
    for corpus, label_files in CORPORA.items():
        verdicts = {(name, f.rule.id): f for name, r in reports[corpus].items() for f in r.findings}
        for lb in (lb for path in label_files if path.is_file() for lb in read_labels(path)):
            if lb.rule not in CONTENT or lb.expected == "?" or not in_split(lb.file, split):
                continue
            f = verdicts.get((lb.file, lb.rule))
            if f is None or f.status is Status.NOT_APPLICABLE:
                continue
            if f.status is Status.MET:
                part = _part_of(f.rule, f.evidence[0]) if f.evidence else "?"
                fired.setdefault(lb.rule, {}).setdefault(part, Counter())["right" if lb.expected == "met" else "wrong"] += 1
            elif lb.expected == "met":
                unreached.setdefault(lb.rule, []).append(f"{corpus}/{lb.file}({f.status.value})")
    print(f"## Which part of each rule decided its met verdicts, split {split}")
    for rule in CONTENT:
        parts = fired.get(rule, {})
        missed = unreached.get(rule, [])
        print(f"{rule}: " + "; ".join(f"{part} {c['right']} right, {c['wrong']} wrong"
                                       for part, c in sorted(parts.items(), key=lambda kv: -sum(kv[1].values())))
              + f"; labelled met, no part reached: {len(missed)}"
              + (f" ({', '.join(missed)})" if errors and missed else ""))
    print()


def document_type(reports: dict[str, dict], split: str, errors: bool) -> None:
    rows, wrong = [], []
    for corpus in CORPORA:
        idx = index(corpus)
        caught = lookalikes = rejected = real = 0
        for name, r in reports[corpus].items():
            if not in_split(name, split) or name not in idx:
                continue
            kind = idx[name].get("kind", "annual-report")
            if kind == "ambiguous":
                continue
            is_report = kind == "annual-report"
            said_report = r.wrong_type is None and not r.errors
            if is_report:
                real += 1
                rejected += not said_report
            else:
                lookalikes += 1
                caught += not said_report
            if is_report != said_report:
                wrong.append(f"  {corpus}/{name} ({idx[name]['title'][:40]}): "
                             f"{'rejected as ' + str(r.wrong_type) if not said_report else 'passed as a report'}")
        rows.append([corpus, f"{caught} of {lookalikes}", f"{rejected} of {real}"])
    print(f"## Document type, split {split}")
    print(table(rows, ["corpus", "look-alikes caught", "real reports rejected"]))
    print()
    if errors and wrong:
        print("\n".join(wrong) + "\n")


def _level(level: str | None) -> str:
    return (level or "").split(":")[0]


def metadata(reports: dict[str, dict], split: str, errors: bool) -> None:
    rows, wrong = [], []
    for corpus in CORPORA:
        idx = index(corpus)
        n = lv = yr = named = body_ok = 0
        for name, r in reports[corpus].items():
            row = idx.get(name, {"kind": "unindexed"})
            if not in_split(name, split) or row.get("kind", "annual-report") != "annual-report" or r.metadata is None:
                continue
            n += 1
            m = r.metadata
            lv += _level(m.level) == row["level"]
            yr += str(m.year or "") == row["report_year"]
            if _level(m.level) != row["level"] or str(m.year or "") != row["report_year"]:
                wrong.append(f"  {corpus}/{name}: level {m.level} (index {row['level']}), year {m.year} "
                             f"(index {row['report_year']})")
            if row.get("body"):
                named += 1
                got = normalize_phrase(m.body or "")
                body_ok += got == normalize_phrase(row["body"])
                if got != normalize_phrase(row["body"]):
                    wrong.append(f"  {corpus}/{name}: body {m.body!r} (index {row['body']!r})")
        rows.append([corpus, n, f"{lv}", f"{yr}", f"{body_ok} of {named}" if "body" in next(iter(idx.values())) else "-"])
    print(f"## Metadata of real reports, split {split}")
    print(table(rows, ["corpus", "reports", "level right", "year right", "full body name right"]))
    print()
    if errors and wrong:
        print("\n".join(wrong) + "\n")


def flattened(pipeline, jobs: int) -> None:
    """The samples with every line break removed, against the originals and the sample labels."""
    samples = sorted((REPO / "reports").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        flat = []
        for p in samples:
            text = p.read_text(encoding="utf-8")
            q = Path(tmp) / p.name
            q.write_text("".join(line.strip() for line in text.splitlines()), encoding="utf-8")
            flat.append(q)
        original, flattened_ = audit(samples, pipeline, jobs), audit(flat, pipeline, jobs)
    same = total = 0
    diffs = []
    for name, r in original.items():
        f = flattened_[name]
        if (r.wrong_type is None) != (f.wrong_type is None):
            diffs.append(f"  {name}: document type {r.wrong_type} → {f.wrong_type}")
        was = {x.rule.id: x.status for x in r.findings}
        now = {x.rule.id: x.status for x in f.findings}
        for rule in PARTS:
            total += 1
            same += was.get(rule) == now.get(rule)
            if was.get(rule) != now.get(rule):
                diffs.append(f"  {name} {rule}: {was.get(rule).value} → {now.get(rule).value}")
    labels = read_labels(SHARED / "seeds" / "labels.tsv")
    scored = []
    for name, reports in (("original", original), ("flattened", flattened_)):
        verdicts = {(n, x.rule.id): x for n, r in reports.items() for x in r.findings}
        ev = evaluate(labels, verdicts)
        p, r, f1 = scores(ev.total)
        rejected = sum(rep.wrong_type is not None for rep in reports.values())
        scored.append([name, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}", rejected])
    print("## The five samples flattened (line breaks removed)")
    print(table(scored, ["samples", "P", "R", "micro F1 vs labels", "rejected as another type"]))
    print(f"statutory parts as in the original: {same} of {total}")
    if diffs:
        print("\n".join(diffs))
    print()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("all", "tune", "test"), default="test")
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    ap.add_argument("--final", action="store_true", help="allow --errors on the test part (the last measurement)")
    ap.add_argument("--parts", action="store_true", help="which part of each rule decided its met verdicts")
    ap.add_argument("--jobs", type=int, default=default_jobs())
    ap.add_argument("--folder", help="measure this labelled folder (labels*.tsv, index*.tsv) instead of ../shared")
    args = ap.parse_args()
    if args.folder and args.split == "test":
        args.split = "all"   # a folder's files are not numbered: all of it is measured
    if args.errors and args.split != "tune" and not args.final and not args.folder:
        print("the test part's errors are read only at the last measurement: add --final", file=sys.stderr)
        return 2
    if args.folder:
        folder = Path(args.folder)
        CORPORA.clear()
        CORPORA[folder.name] = sorted(folder.glob("labels*.tsv"))
        FOLDERS[folder.name] = folder
    pipeline = Options(rules_dir=str(REPO / "rules")).build()
    reports = {c: audit(sorted(FOLDERS[c].glob("*.txt")), pipeline, args.jobs) for c in CORPORA}
    content_rules(reports, args.split, args.errors)
    if args.parts:
        rule_parts(reports, args.split, args.errors)
    document_type(reports, args.split, args.errors)
    metadata(reports, args.split, args.errors)
    if not args.folder:
        flattened(pipeline, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
