"""Word-level differences for the history: what an edit changed, marked word by word, with
the text it left alone shown once.

Lines are compared first, then the words of the lines that changed, so a long body costs
about its changed paragraphs, not its length squared.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from markupsafe import Markup, escape

_WORDS = re.compile(r"\s+|[^\s]+")
# Changed runs longer than this (in words) are shown whole, removed then added.
WORD_LIMIT = 3000
REMOVED = Markup('<del><span class="visually-hidden">removed: </span>{}</del>')
ADDED = Markup('<ins><span class="visually-hidden">added: </span>{}</ins>')


def _marked(removed: str, added: str) -> list[Markup]:
    """A changed run: what went, then what came."""
    parts = [REMOVED.format(removed)] if removed else []
    return [*parts, ADDED.format(added)] if added else parts


def _words(before: str, after: str) -> list[Markup]:
    """The words of two changed runs, compared word by word."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    if len(old) > WORD_LIMIT or len(new) > WORD_LIMIT:
        return _marked(before, after)
    parts: list[Markup] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
        else:
            parts.extend(_marked("".join(old[i1:i2]), "".join(new[j1:j2])))
    return parts


def word_diff(before: Any, after: Any) -> Markup:
    """`before` changed into `after`, as HTML: <del> and <ins> around the changed words."""
    old, new = str(before).splitlines(keepends=True), str(after).splitlines(keepends=True)
    parts: list[Markup] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
        else:
            parts.extend(_words("".join(old[i1:i2]), "".join(new[j1:j2])))
    return Markup("").join(parts)
