"""Editing YAML text in place, value by value, keeping everything else byte for byte.

An editor's file is never re-dumped: each change replaces the characters of
one value (or inserts whole lines where a field goes), found through the
positions of the composed nodes (`source.yamlfile`). Anything unusual (flow
style where a block is expected, odd line breaks) is `Unsafe`: the caller asks
for the change to be made by hand rather than guess.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .yamlfile import compose_text


class Unsafe(Exception):
    """A file cannot be edited with certainty."""


def read_mapping(text: str, shown: str, path: Path | None = None,
                 unreadable: str | None = None) -> yaml.MappingNode:
    """The composed mapping at the top of `text`; else Unsafe, saying `unreadable` (default:
    the first problem found)."""
    source, problems = compose_text(text, shown, path)
    if source is None or not isinstance(source.root, yaml.MappingNode):
        raise Unsafe(unreadable or (str(problems[0]) if problems else "not a mapping"))
    return source.root


def block_list(doc: TextEdits, node: object) -> list[yaml.Node] | None:
    """The items of a non-empty list written in block style (`- item` lines), else None."""
    if not isinstance(node, yaml.SequenceNode) or not node.value or \
            doc.text[node.start_mark.index:node.start_mark.index + 1] == "[":
        return None
    return list(node.value)


class TextEdits:
    """A file's text with the edits to make to it, addressed by node marks."""

    def __init__(self, text: str):
        self.text = text
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.edits: list[tuple[int, int, int, str]] = []  # start, end, order, replacement

    def check(self, mark: yaml.Mark) -> int:
        """A mark's offset, after checking that lines and columns agree with it."""
        if mark.line >= len(self.starts) or self.starts[mark.line] + mark.column != mark.index:
            raise Unsafe("unusual line breaks")
        return mark.index

    def last_line(self, node: yaml.Node) -> int:
        """The last line (0-based) holding any part of a node."""
        if isinstance(node, yaml.ScalarNode):
            end = node.end_mark
            return max(node.start_mark.line, end.line if end.column > 0 else end.line - 1)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                children += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        return max([node.start_mark.line] + [self.last_line(c) for c in children])

    def after_line(self, line: int) -> int:
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)

    def replace(self, start: int, end: int, replacement: str, order: int = 0) -> None:
        self.edits.append((start, end, order, replacement))

    def remove_entry(self, key: yaml.Node, value: yaml.Node) -> None:
        """Remove the whole lines of one key and its value."""
        start = self.check(key.start_mark) - key.start_mark.column
        self.replace(start, self.after_line(max(self.last_line(key), self.last_line(value))), "")

    def insert_lines(self, offset: int, lines: list[str], order: int) -> None:
        block = "".join(line + self.newline for line in lines)
        if offset == len(self.text) and self.text and not self.text.endswith("\n"):
            block = self.newline + block
        self.replace(offset, offset, block, order)

    def result(self) -> str:
        """The text with every edit made, from the end backwards so that offsets hold.

        At one offset, a removal or replacement goes before the insertions there, and
        insertions keep their order.
        """
        text = self.text
        for start, end, _order, replacement in sorted(self.edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        return text


    def indent(self, node: yaml.Node) -> str:
        """The spaces before `node` on its line."""
        return " " * node.start_mark.column

    def replace_value(self, key: yaml.Node, value: yaml.Node, lines: list[str],
                      order: int) -> None:
        """Replace `value` (the value of `key`) by `lines`, a block under the key."""
        block = ":" + self.newline + self.newline.join(lines)
        self.replace(self.check(key.end_mark), self.check(value.end_mark), block, order)


def pairs(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def is_block_mapping(doc: TextEdits, node: yaml.Node) -> bool:
    return (isinstance(node, yaml.MappingNode) and bool(node.value)
            and doc.text[node.start_mark.index:node.start_mark.index + 1] != "{")


def set_scalar(doc: TextEdits, key: yaml.Node, value: yaml.Node, text: str,
               order: int) -> None:
    if not isinstance(value, yaml.ScalarNode):
        raise Unsafe(f"'{key.value}' is not a single value")
    if value.value == "" and not value.style:  # `key:` with nothing after it
        doc.replace(doc.check(key.end_mark), doc.check(value.end_mark), f": {text}", order)
    else:
        doc.replace(doc.check(value.start_mark), doc.check(value.end_mark), text, order)


def insert_key(doc: TextEdits, mapping: yaml.MappingNode, order: tuple[str, ...], name: str,
               lines: list[str], seq: int) -> None:
    """Insert `lines` (one entry of `mapping`) where `order` puts `name`."""
    found = pairs(mapping)
    indent = " " * mapping.value[0][0].start_mark.column
    lines = [indent + line for line in lines]
    index = order.index(name)
    before = [n for n in order[:index] if n in found]
    if before:
        key, value = found[before[-1]]
        line = max(doc.last_line(key), doc.last_line(value))
        doc.check(key.start_mark)
        doc.insert_lines(doc.after_line(line), lines, seq)
        return
    after = [n for n in order[index + 1:] if n in found]
    key = found[after[0]][0] if after else mapping.value[0][0]
    doc.insert_lines(doc.check(key.start_mark) - key.start_mark.column, lines, seq)


def append_items(doc: TextEdits, root: yaml.MappingNode, name: str,
                 items: list[list[str]], order: int) -> None:
    """Append `items` (each the lines of one list item, its first line starting '- ', the
    others indented under it) to the block list `name` of `root`, or add the list at the
    end of the mapping's text when it has none."""
    found = pairs(root)
    if name not in found:
        indent = " " * root.value[0][0].start_mark.column
        lines = [f"{indent}{name}:", *(indent + line for item in items for line in item)]
        doc.insert_lines(len(doc.text), lines, order)
        return
    _key, value = found[name]
    if block_list(doc, value) is None:
        raise Unsafe(f"'{name}' is not a list written one item a line ('- ...')")
    dash = " " * value.start_mark.column
    doc.check(value.start_mark)
    doc.insert_lines(doc.after_line(doc.last_line(value)),
                     [dash + line for item in items for line in item], order)
