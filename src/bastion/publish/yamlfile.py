"""YAML read with the safe loader, every value keeping its line.

Workflow findings name a line, and PyYAML's `safe_load` gives plain values without
positions, so the document is composed (`yaml.compose` with `SafeLoader`: no constructor
runs, no tag is honoured) and turned into `YMap` / `YList` / `YStr`, each carrying the line
where it starts. Every scalar stays a string: YAML 1.1 would read `on:` as `True` and
`attestations: false` as a boolean, and a workflow is better read as the text GitHub sees.
Aliases are followed, with a cap on the values built (a billion-laughs document is an
`InputError`, as is a file over 2 MB or one that is not YAML).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bastion.errors import InputError

MAX_BYTES = 2 * 1024 * 1024
MAX_VALUES = 200_000


class YStr(str):
    line: int = 0


class YMap(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]


class YList(list[Any]):
    line: int = 0


def load_yaml(path: Path) -> Any:
    """The document at `path` (see the module docstring)."""
    import yaml

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    if len(raw) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES:,} bytes; not read", path)
    text = raw.decode("utf-8", errors="replace")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"not valid YAML: {problem}", path, line) from None
    except RecursionError:
        raise InputError("nested too deeply", path) from None
    if node is None:
        return YMap()
    budget = [MAX_VALUES]
    try:
        return _convert(node, budget, path)
    except RecursionError:
        raise InputError("nested too deeply", path) from None


def _convert(node: Any, budget: list[int], path: Path) -> Any:
    import yaml

    budget[0] -= 1
    if budget[0] < 0:
        raise InputError(f"more than {MAX_VALUES:,} values (aliases?); not read", path)
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping = YMap()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key == "<<" and isinstance(value_node, yaml.MappingNode):
                merged = _convert(value_node, budget, path)
                for merged_key, merged_value in merged.items():
                    mapping.setdefault(merged_key, merged_value)
                continue
            mapping[key] = _convert(value_node, budget, path)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = YList(_convert(item, budget, path) for item in node.value)
        items.line = line
        return items
    text = YStr(node.value)
    text.line = line
    return text


def line_of(value: Any, default: int | None = None) -> int | None:
    found = getattr(value, "line", None)
    return found if isinstance(found, int) and found > 0 else default
