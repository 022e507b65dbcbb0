"""Read a YAML document as plain data with the source text of every scalar and its line.

publiccode.yml is validated the way the reference validator (Go, yaml.v3) reads it: a scalar is
a string unless the standard says otherwise, so ``softwareVersion: 1.10`` stays ``"1.10"`` and a
date stays its text. PyYAML's own typing (floats, dates, YAML 1.1 booleans) would lose that, so
this module composes the node tree and converts it itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_NODES = 50_000
"""Most nodes a document may expand to; guards against alias bombs ("billion laughs")."""

NULL_VALUES = ("", "~", "null", "Null", "NULL")


class YamlError(Exception):
    """The bytes are not one readable YAML document; the message says why (and where)."""


@dataclass
class YamlDoc:
    """The document as dicts, lists, strings and None, with the line of each key path."""

    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)

    def line_of(self, path: str) -> int | None:
        """Return the line of ``path`` or of its nearest ancestor."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None


def join(path: str, key: str | int) -> str:
    """Return the key path of a child: ``a.b``, ``a[0]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def load(raw: bytes) -> YamlDoc:
    """Parse ``raw`` (UTF-8) into a YamlDoc, or raise YamlError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(f"The file is not valid UTF-8 (byte {exc.start}).") from exc
    text = text.removeprefix("\ufeff")
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise YamlError(f"Not valid YAML: {exc.problem or exc.context}{where}.") from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"Not valid YAML: {exc}.") from exc
    if len(nodes) != 1 or nodes[0] is None:
        raise YamlError("The file must hold exactly one YAML document.")
    doc = YamlDoc(data=None)
    counter = [0]
    doc.data = _convert(nodes[0], "", doc, counter)
    return doc


def _convert(node: yaml.Node, path: str, doc: YamlDoc, counter: list[int]) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise YamlError(f"The document expands to more than {MAX_NODES} values.")
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null" and node.style is None:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, join(path, n), doc, counter) for n, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(f"A key under '{path or '(top)'}' is not a plain name.")
            key = str(key_node.value)
            child = join(path, key)
            if key in result:
                doc.duplicates.append(child)
            doc.lines[child] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, child, doc, counter)
        return result
    raise YamlError(f"Unsupported YAML node at '{path}'.")  # pragma: no cover - no other kinds
