"""The newsroom: editors write stories and takes, tools and verdicts, and personas."""

from newsweb.editor import catalog, stories, users
from newsweb.editor.blueprint import blueprint

__all__ = ["blueprint", "catalog", "stories", "users"]
