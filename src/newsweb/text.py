"""Rules for text every section shares: what a slug looks like, and which characters no
field, parameter or path may carry. Each rule is written here once."""

from __future__ import annotations

import re

from slugify import slugify

# A slug: lowercase letters and digits in words joined by single hyphens (`mistral-ai`).
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MESSAGE = "Use lowercase letters, digits and single hyphens."
# The longest slug any column holds (stories.slug is String(200)); tools, personas and
# categories keep theirs to MADE_SLUG_LENGTH.
MAX_SLUG_LENGTH = 200
MADE_SLUG_LENGTH = 80

# Tabs and line breaks belong in multi-line text; no other control character belongs
# anywhere (PostgreSQL cannot even store NUL).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_CHARACTERS_BUT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_slug(text: str, *, max_length: int = MAX_SLUG_LENGTH) -> bool:
    """Whether `text` has the shape of a slug no longer than `max_length`.

    A value that fails names nothing, so no query is needed to say so; checking first also
    keeps characters PostgreSQL refuses (NUL) away from the database.
    """
    return len(text) <= max_length and re.fullmatch(SLUG_PATTERN, text) is not None


def slug_from(text: str) -> str:
    """A slug made from a title or name (`Mistral AI` → `mistral-ai`), never empty."""
    return slugify(text, max_length=MADE_SLUG_LENGTH, word_boundary=True) or "untitled"


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """Whether `value` holds a control character; tabs and line breaks pass when `multiline`."""
    pattern = _CONTROL_CHARACTERS_BUT_LINE_BREAKS if multiline else _CONTROL_CHARACTERS
    return pattern.search(value) is not None


def normalize_newlines(value: object) -> object:
    """Browsers send textarea lines ending in CRLF; store and compare them as LF."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def like_pattern(text: str) -> str:
    """A SQL LIKE pattern matching `text` anywhere, with its own % and _ taken literally.

    The query must name the backslash as the LIKE's escape character.
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# A steady adult reading speed for news prose, in words a minute.
READING_SPEED = 230
_WORDS = re.compile(r"\w+(?:['\u2019]\w+)*")


def count_words(*texts: str) -> int:
    """How many words `texts` hold together (Markdown's marks are not words)."""
    return sum(len(_WORDS.findall(text or "")) for text in texts)


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at READING_SPEED, rounded up, at least one."""
    return max(1, -(-words // READING_SPEED))
