"""The schema: newsroom content and the people who read and write it."""

from newsweb.models.content import (
    Category,
    Persona,
    Story,
    StoryAutosave,
    StoryStatus,
    Take,
    Tool,
    Verdict,
)
from newsweb.models.mailings import DigestSend
from newsweb.models.revisions import ItemKind, Revision
from newsweb.models.slugs import OldSlug
from newsweb.models.state import NewsroomState
from newsweb.models.users import Bookmark, Role, User

__all__ = [
    "Bookmark",
    "Category",
    "DigestSend",
    "ItemKind",
    "NewsroomState",
    "OldSlug",
    "Persona",
    "Revision",
    "Role",
    "Story",
    "StoryAutosave",
    "StoryStatus",
    "Take",
    "Tool",
    "User",
    "Verdict",
]
