"""One options object that builds the pipeline, for every caller: the CLI, the batch and Dask workers,
`doctor` and the tests. Plain values only, so it pickles to a remote worker, which builds its own pipeline
once per process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Options:
    rules_dir: str | None = None   # None: the bundled rules/
    profile: str = "auto"          # auto | none | a profile id
    model: str | None = None       # spaCy pipeline folder; None: $AUDITOR_MODEL, else the bundled one
    segmenter: str = "pkuseg"      # pkuseg | char

    @property
    def rules_path(self) -> Path | None:
        return Path(self.rules_dir) if self.rules_dir else None

    def build(self):
        """Rules, profiles and the segmenter loaded, the finder compiled. Raises RuleErrors (rules,
        profiles) or AuditorError (unknown profile E301, model E401)."""
        from .audit import Pipeline
        from .checklist import Checklist
        from .ruleset import choose_profile, load_ruleset
        from .segment import get_segmenter
        rules, profiles = load_ruleset(self.rules_path)
        fixed, choices = choose_profile(profiles, self.profile)
        return Pipeline(rules, get_segmenter(self.segmenter, self.model), Checklist(rules, fixed, choices))


@lru_cache(maxsize=4)
def pipeline(options: Options):
    """The pipeline for these options, built once per process (a worker audits many files)."""
    return options.build()
