"""The settings files' YAML (rules, profiles, the vocabulary, scoring schemes, waivers): read safely into
round-trip mappings that keep their line numbers, so every problem is one line at its place."""
from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError, MaxDepthExceededError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import RoundTripScanner, ScannerError

from ..errors import AuditorError, RuleErrors
from ..i18n import _
from ..read import decode_settings, read_limited


# Settings files (rules, profiles, the vocabulary, waivers) are written by hand: the largest bundled rule is
# 20 KB and nests 8 levels, a thousand waivers are 150 KB. The limits keep a hostile or mistaken file (a
# "billion laughs", 100 MB of waivers, 5,000 nested brackets) from hanging the tool: the pure-Python YAML
# parser reads about 80 KB a second.
MAX_SETTINGS_BYTES = 2**20
MAX_YAML_DEPTH = 32
MAX_ALIAS_NODES = 1000   # nodes that aliases (*name) may add in all, once written out
def too_deep() -> str:
    return _("nested deeper than {depth} levels").format(depth=MAX_YAML_DEPTH)


class _Scanner(RoundTripScanner):
    """Refuses nesting early: the scanner slows down with every open bracket, long before the composer's
    depth check would run."""

    def fetch_flow_collection_start(self, TokenClass, to_push):
        if len(self.flow_context) >= MAX_YAML_DEPTH:
            raise ScannerError(None, None, too_deep(), self.reader.get_mark())
        super().fetch_flow_collection_start(TokenClass, to_push)

    def add_indent(self, column: int) -> bool:
        if self.indent < column and len(self.indents) >= MAX_YAML_DEPTH:
            raise ScannerError(None, None, too_deep(), self.reader.get_mark())
        return super().add_indent(column)


class _Composer(Composer):
    """Refuses aliases that expand past MAX_ALIAS_NODES, or refer to a node that contains them."""

    def compose_document(self):
        self._alias_marks = []
        node = super().compose_document()
        if self._alias_marks:
            expanded, unique = _expanded_size(node)
            if expanded is None:
                raise ComposerError(None, None, "an alias refers to a node that contains it", self._alias_marks[0])
            if expanded - unique > MAX_ALIAS_NODES:
                raise ComposerError(None, None, f"aliases expand to {expanded - unique} more nodes (limit "
                                                f"{MAX_ALIAS_NODES}); write the values out", self._alias_marks[0])
        return node

    def compose_node(self, parent, index):
        if self.parser.check_event(AliasEvent):
            self._alias_marks.append(self.parser.peek_event().start_mark)
        return super().compose_node(parent, index)


def _children(node) -> list:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, SequenceNode) else []


def _expanded_size(root) -> tuple[int | None, int]:
    """(nodes once every alias is written out, or None for an alias inside its own anchor; distinct nodes).
    Iterative and memoized, so a "billion laughs" costs as much as its 394 bytes."""
    size: dict[int, int] = {}
    open_nodes: set[int] = set()   # on the current path
    stack = [(root, False)]
    while stack:
        node, closing = stack.pop()
        key = id(node)
        if closing:
            open_nodes.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            continue
        if key in size:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                return None, len(size)
            if id(child) not in size:
                stack.append((child, False))
    return size[id(root)], len(size)


class _Constructor(RoundTripConstructor):
    def construct_yaml_timestamp(self, node, values=None):
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError as exc:   # 2024-02-30: the pattern of a date, not a day of the calendar
            raise ConstructorError(None, None, f"invalid date '{node.value}' ({exc})", node.start_mark) from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Scanner, yaml.Composer, yaml.Constructor = _Scanner, _Composer, _Constructor
    yaml.max_depth = MAX_YAML_DEPTH + 1   # the scanner's checks come first; this one catches a mix of both kinds
    return yaml


def read_mapping(path: Path) -> CommentedMap:
    """A YAML settings file holding one mapping (line numbers kept), or RuleErrors with one line: the file
    unreadable, too large, not UTF-8 (E1xx), not valid YAML, nested too deep, aliases expanding too far,
    an impossible date (E201), or not a mapping (E202)."""
    shown = str(path)
    try:
        text = decode_settings(read_limited(path, MAX_SETTINGS_BYTES), shown)
    except AuditorError as exc:
        raise RuleErrors([exc]) from None
    line = None
    try:
        data = _yaml().load(text)
    except MaxDepthExceededError as exc:
        mark = exc.problem_mark
        line, reason = (mark.line + 1 if mark else None), too_deep()
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, reason = (mark.line + 1 if mark else None), exc.problem or str(exc)
    except ReaderError as exc:   # a control character YAML does not allow
        position = exc.position if isinstance(exc.position, int) else 0
        line = text.count("\n", 0, position) + 1
        reason = str(exc).splitlines()[0]
    except YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    except RecursionError:
        reason = too_deep()
    except (ValueError, TypeError, OverflowError) as exc:   # a value the constructor cannot build
        reason = f"{type(exc).__name__}: {exc}"
    else:
        if not isinstance(data, CommentedMap):
            raise RuleErrors([AuditorError("E202", shown, 1, found=type(data).__name__)])
        return data
    raise RuleErrors([AuditorError("E201", shown, line, reason=reason)]) from None


def line_of(node, loc: tuple) -> int | None:
    """Follow a pydantic error location through the YAML tree to a 1-based line number."""
    line = None
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break   # pydantic adds union-branch names ("str", "PhraseSpec") to locations
    return line


def key_line(path: Path, key: str = "id") -> int:
    """The line of a top-level key in a YAML file (1 when absent)."""
    try:
        text = decode_settings(read_limited(path, MAX_SETTINGS_BYTES), path)
    except AuditorError:
        return 1
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return n
    return 1


def plain(node):
    """ruamel's round-trip containers → plain dicts and lists for pydantic."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node
