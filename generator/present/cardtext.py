"""Setting a card's text in lines: where lines may break, how they wrap in a box, and how a
line too long ends. Widths are measured by the caller (`present.cards`, with the
card's fonts), so nothing here knows an imaging library."""

from __future__ import annotations

import re
from collections.abc import Callable

_ELLIPSIS = "\u2026"
_SPACES = re.compile(r"[ \t\r\n\f\v]+")  # not U+00A0 or U+202F: those never break
# French keeps these next to the word before (or after, for «) even across a plain space.
_FR_CLOSING, _FR_OPENING = tuple(":;!?»"), "«"


def clean(text: str) -> str:
    """Runs of ordinary white space as one space; no-break spaces stay as they are."""
    return _SPACES.sub(" ", text).strip(" ")


def words(text: str, lang: str) -> list[str]:
    """The unbreakable pieces of `text`, in order."""
    words = [w for w in clean(text).split(" ") if w]
    if lang != "fr":
        return words
    glued: list[str] = []
    for word in words:
        if glued and (word.startswith(_FR_CLOSING) or glued[-1].endswith(_FR_OPENING)):
            glued[-1] += " " + word
        else:
            glued.append(word)
    return glued


def wrap(words: list[str], measure: Callable[[str], float], width: int) -> list[str]:
    """Lines no wider than `width`, filled greedily; a word wider than a line is split."""
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if measure(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        while measure(current) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and measure(current[:cut]) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def shorten(line: str, measure: Callable[[str], float], width: int) -> str:
    """`line` with an ellipsis at its end, words (then letters) dropped until it fits."""
    while line and measure(line + _ELLIPSIS) > width:
        line = line.rsplit(" ", 1)[0] if " " in line else line[:-1]
        line = line.rstrip(" ,;:")
    return line + _ELLIPSIS
