"""The native (libyaml) composer and the event composer give the same nodes and problems."""

from __future__ import annotations

import pytest
import yaml

from drawdesk.source import yamlfile as yamlsource
from drawdesk.source.yamlfile import _check_nodes, _compose_events, _compose_native, _Loader

TEXTS = [
    "round: 357\ndate: 2025-07-22\ntype: category-based\ncategory: healthcare\n",
    "title: 'quoted'\nsummary: \"double\"\nsections:\n  lede: |\n    block\n    text\n",
    "faq:\n  - question: q\n    answer: >\n      folded\n  - {question: x, answer: y}\n",
    "list: [1, 2, 3]\nempty:\nnull_value: ~\nflag: no\ntime: 14:05\n",
    "",
    "# only a comment\n",
    "a: 1\n---\nb: 2\n",
    "---\na: 1\n...\n",
    "a: 1\na: 2\n",
    "a: !!python/object:os.system x\n",
    "a: !custom x\n",
    "<<: {a: 1}\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "- 1\n- 2\n",
    "plain scalar\n",
    "key: 'unterminated\n",
    "? complex\n: value\n",
    "{a: 1}: x\n",
    "a: \"\\u00e9t\\u00e9\"\nb: été\n",
    "a: " + "[" * 40 + "]" * 40 + "\n",  # too deep: refused at the same place
    "".join("  " * i + f"k{i}:\n" for i in range(40)),
]


def _events(text: str):
    loader = _Loader(text)
    try:
        loader.get_event()
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()
        root = _compose_events(loader, 0)
        loader.get_event()
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.peek_event()
            raise yamlsource._Rejected("more than one YAML document in the file",
                                       event.start_mark)
        return root
    finally:
        loader.dispose()


def _shape(node):
    if node is None:
        return None
    mark = (node.start_mark.line, node.start_mark.column, node.end_mark.line,
            node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, mark)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, [_shape(n) for n in node.value], mark)
    return ("map", node.tag, [(_shape(k), _shape(v)) for k, v in node.value], mark)


def _outcome(compose, text):
    try:
        root = compose(text)
        if root is not None:
            _check_nodes(root)
        return _shape(root)
    except yamlsource._Rejected as exc:
        return ("rejected", exc.message, exc.mark.line, exc.mark.column)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return ("error", exc.problem, exc.context, mark.line, mark.column)


@pytest.mark.parametrize("text", TEXTS)
def test_native_composer_matches_event_composer(text):
    assert "&" not in text and "*" not in text
    assert _outcome(_compose_native, text) == _outcome(_events, text)


def test_anchors_and_aliases_still_rejected():
    for text in ("a: &x 1\nb: *x\n", "a: &x 1\n", "a: *x\n"):
        with pytest.raises(yamlsource._Rejected):
            yamlsource._compose(text)
