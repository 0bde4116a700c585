"""The schema: newsroom content and the people who read and write it."""

from newsweb.models.content import Category, Persona, Story, StoryStatus, Take, Tool, Verdict
from newsweb.models.users import Role, User

__all__ = [
    "Category",
    "Persona",
    "Role",
    "Story",
    "StoryStatus",
    "Take",
    "Tool",
    "User",
    "Verdict",
]
