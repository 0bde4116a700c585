"""Accounts: readers, editors and admins, and what they bookmarked."""

from __future__ import annotations

import enum
import secrets
import unicodedata
from datetime import datetime

from flask import current_app
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from newsweb.extensions import Base
from newsweb.models.clock import utcnow
from newsweb.models.content import Story, Tool


class Role(enum.StrEnum):
    """What a signed-in person may do: read, edit the newsroom, or manage users too."""

    READER = "reader"
    EDITOR = "editor"
    ADMIN = "admin"


def new_session_token() -> str:
    """A fresh random token; changing a user's token signs out every copy of their cookies."""
    return secrets.token_urlsafe(24)


def normalize_email(email: str) -> str:
    """The form an email is stored and looked up in: trimmed and lower-cased."""
    return email.strip().lower()


def _normalize_password(password: str) -> str:
    # The same passphrase typed on two keyboards can differ in Unicode composition.
    return unicodedata.normalize("NFKC", password)


class User(Base):
    """A person with an account. Emails are stored lower-cased, so unique ignoring case."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Role.READER,
    )
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # When the owner proved they read mail at `email`; None until then, and again after a change.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    # Whether the member asked for the weekly digest by email (sent only once verified).
    digest_subscribed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Whether the member asked to be emailed when the panel's verdict on a saved tool changes.
    verdict_alerts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def email_verified(self) -> bool:
        """Whether the current address has been verified."""
        return self.email_verified_at is not None

    def change_email(self, email: str) -> None:
        """Take a new address (normalised); it stays unverified until its link is opened."""
        self.email = normalize_email(email)
        self.email_verified_at = None

    def set_password(self, password: str) -> None:
        """Store a slow hash of `password`, by the app's PASSWORD_HASH_METHOD (scrypt)."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(_normalize_password(password), method=method)

    def check_password(self, password: str) -> bool:
        """Whether `password` is this user's password."""
        return check_password_hash(self.password_hash, _normalize_password(password))

    def end_sessions(self) -> None:
        """Sign out every session and remember-me cookie issued so far."""
        self.session_token = new_session_token()

    # Flask-Login asks these of whoever is signed in; an account is always active.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: the user id and the session token."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_editor(self) -> bool:
        """Whether this user may use the newsroom's editor."""
        return self.role in (Role.EDITOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        """Whether this user may change other users' roles."""
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class Bookmark(Base):
    """A tool or story a member saved for later: exactly one of the two, once per member."""

    __tablename__ = "bookmarks"
    __table_args__ = (
        UniqueConstraint("user_id", "tool_id"),
        UniqueConstraint("user_id", "story_id"),
        CheckConstraint("(tool_id IS NULL) <> (story_id IS NULL)", name="exactly_one_item"),
        # A member's bookmarks, newest first.
        Index("ix_bookmarks_user_created", "user_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tool_id: Mapped[int | None] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), index=True
    )
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    tool: Mapped[Tool | None] = relationship(lazy="raise")
    story: Mapped[Story | None] = relationship(lazy="raise")
