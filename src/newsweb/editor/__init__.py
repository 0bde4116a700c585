"""The newsroom: editors write stories and takes, tools and verdicts, and personas."""

from newsweb.editor import categories, personas, predictions, stories, tools, users
from newsweb.editor.blueprint import blueprint

__all__ = [
    "blueprint",
    "categories",
    "personas",
    "predictions",
    "stories",
    "tools",
    "users",
]
