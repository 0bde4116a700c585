"""The schema: newsroom content and the people who read and write it."""

from newsweb.models.content import (
    Call,
    Category,
    NewStoryAutosave,
    Persona,
    Split,
    Story,
    StoryAutosave,
    StoryStatus,
    Take,
    Tool,
    Verdict,
)
from newsweb.models.history import Outcome, Prediction, PredictionStatus, VerdictChange
from newsweb.models.mailings import DigestSend, VerdictAlertSend
from newsweb.models.revisions import ItemKind, Revision
from newsweb.models.slugs import OldSlug
from newsweb.models.state import NewsroomState
from newsweb.models.users import Bookmark, Role, User

__all__ = [
    "Bookmark",
    "Call",
    "Category",
    "DigestSend",
    "ItemKind",
    "NewStoryAutosave",
    "NewsroomState",
    "OldSlug",
    "Outcome",
    "Persona",
    "Prediction",
    "PredictionStatus",
    "Revision",
    "Role",
    "Split",
    "Story",
    "StoryAutosave",
    "StoryStatus",
    "Take",
    "Tool",
    "User",
    "Verdict",
    "VerdictAlertSend",
    "VerdictChange",
]
