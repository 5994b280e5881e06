"""Build hook: the message catalogues (auditor/locale/*/LC_MESSAGES/*.po) compiled to .mo in the package."""
from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
        for po in Path(self.root, "auditor", "locale").glob("*/LC_MESSAGES/*.po"):
            with po.open("rb") as fh:
                catalogue = read_po(fh)
            with po.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalogue, use_fuzzy=False)
