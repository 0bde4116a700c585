"""Accounts: readers, editors and admins."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from newsweb.extensions import Base
from newsweb.models.clock import utcnow


class Role(enum.StrEnum):
    """What a signed-in person may do: read, edit the newsroom, or manage users too."""

    READER = "reader"
    EDITOR = "editor"
    ADMIN = "admin"


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
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<User {self.id}>"
