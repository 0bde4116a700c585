"""Sign-in throttling shared by every worker through Redis (when Redis is reachable)."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from flask import Flask

from tests.conftest import Auth, create_user

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# It empties the test Redis database, as the page cache tests do: they take turns, whichever
# pytest-xdist worker runs them (see tests/conftest.py).
pytestmark = pytest.mark.xdist_group("redis")


def redis_reachable() -> bool:
    """Whether the test Redis answers a PING."""
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason=f"Redis at {REDIS_URL} is not reachable")
def test_failed_sign_ins_count_across_workers(make_app: Callable[..., Flask]) -> None:
    """Two app instances (as two gunicorn workers) share one allowance kept in Redis.

    The counters are read back from Redis itself: in one process the apps would share
    the limiter's memory too, so the 429 alone would not prove the storage.
    """
    import redis

    # The test database number is the suite's own: start and finish with it empty.
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL}
    first, second = make_app(**settings), make_app(**settings)
    create_user(first, "member@example.com")
    for worker in (first, second, first, second, first):
        response = Auth(worker.test_client()).sign_in("member@example.com", "wrong password!")
        assert response.status_code == 422
    blocked = Auth(second.test_client()).sign_in("member@example.com")
    assert blocked.status_code == 429
    keys = store.keys("*accounts.login*")
    store.flushdb()
    assert keys, "the limiter kept nothing in Redis"
