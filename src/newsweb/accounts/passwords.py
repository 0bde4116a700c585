"""The password policy: long enough, not common, and nothing else (no composition rules)."""

from __future__ import annotations

import secrets
from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from newsweb.models import User

MIN_LENGTH = 8
MAX_LENGTH = 1024


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common passwords from public breach corpora; it is
    # imported on first use so that only sign-up and password changes pay for it.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Say what is wrong with `password` in words a person can act on, or None if nothing."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters. A few words strung together work well."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    if lowered in _common_passwords():
        return "That password is one of the most common ones. Pick something less guessable."
    local_part = email.split("@", 1)[0].lower()
    if lowered in {email.lower(), local_part, name.lower()} - {""}:
        return "Your password should not be your email or your name."
    return None


@cache
def _stand_in_hash(method: str) -> str:
    # The hash of a password no one knows, made once per process and hashing method.
    return generate_password_hash(secrets.token_urlsafe(32), method=method)


def password_matches(user: User | None, password: str) -> bool:
    """Whether `password` is `user`'s; with no user, a check as slow that always fails.

    Sign-in and the password-reset form look up the address first: without the stand-in,
    an unknown address would answer in milliseconds and a known one in a third of a
    second (scrypt), telling anyone which addresses have accounts.
    """
    if user is None:
        check_password_hash(_stand_in_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return user.check_password(password)
