"""The checklist as data: rules/ read into validated objects (loading), from YAML read safely (yaml_files),
kept between runs (cache); what the objects may hold is rule_schema's. What other modules use is named here."""
from .cache import CACHE_ENV
from .loading import (NOT_RULES, PROFILES, SCORING, VOCABULARY, Profiles, bundled_vocabulary, choose_profile,
                      default_rules_dir, load_profiles, load_rule_file, load_rules, load_ruleset, load_schemes,
                      load_vocabulary, override)
from .yaml_files import MAX_ALIAS_NODES, MAX_SETTINGS_BYTES, MAX_YAML_DEPTH, plain, read_mapping

__all__ = ["CACHE_ENV", "MAX_ALIAS_NODES", "MAX_SETTINGS_BYTES", "MAX_YAML_DEPTH", "NOT_RULES", "PROFILES", "SCORING",
           "VOCABULARY", "Profiles", "bundled_vocabulary", "choose_profile", "default_rules_dir", "load_profiles",
           "load_rule_file", "load_rules", "load_ruleset", "load_schemes", "load_vocabulary", "override", "plain",
           "read_mapping"]
