"""The rule index (README.md) generated from the rule files: `make docs` rewrites it, a test checks it."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from tabulate import tabulate

from ..model import Rule

START, END = "<!-- rules:start", "<!-- rules:end -->"


def markdown(rules: list[Rule]) -> str:
    rows = [[f"`{r.id}`", r.kind, r.severity, r.title, "；".join(r.legal_basis)] for r in rules]
    return tabulate(rows, headers=["id", "kind", "severity", "title", "legal basis"], tablefmt="github")


def with_index(readme: str, rules: list[Rule]) -> str:
    """README text with the block between the markers replaced by the current index."""
    pattern = re.compile(rf"({re.escape(START)}[^\n]*\n).*?({re.escape(END)})", re.S)
    return pattern.sub(lambda m: m.group(1) + markdown(rules) + "\n" + m.group(2), readme)


if __name__ == "__main__":
    from ..ruleset import load_rules
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(with_index(path.read_text(encoding="utf-8"), load_rules()), encoding="utf-8")
