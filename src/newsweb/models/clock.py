"""The one place the schema asks for the current time (naive UTC, as stored)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC without tzinfo, the form every column stores."""
    return datetime.now(UTC).replace(tzinfo=None)
