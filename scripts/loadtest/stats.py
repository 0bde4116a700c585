"""What the client threads measured: per kind of request, latencies, statuses and problems."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# What each kind of request should get; anything else is an unexpected response.
OK = frozenset({200})
EXPECTED: dict[str, frozenset[int]] = {
    "sign-in": frozenset({303, 429}),
    "sign-in, wrong password": frozenset({422, 429}),
}


@dataclass
class KindStats:
    """Latencies and status codes of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0


class Stats:
    """Everything the client threads measured, shared and locked."""

    def __init__(self, max_requests: int) -> None:
        self._lock = threading.Lock()
        self.max_requests = max_requests
        self.kinds: dict[str, KindStats] = defaultdict(KindStats)
        self.spans: list[tuple[float, float, int]] = []  # start, end, status (0: no answer)
        self.errors: list[str] = []
        self.unexpected: list[str] = []
        self.stale_reads: list[str] = []
        self.count = 0

    def record(self, kind: str, started: float, status: int | None, body: str, detail: str) -> None:
        """Note one request: its latency and status, or (status None) the error in `detail`."""
        ended = time.monotonic()
        with self._lock:
            self.count += 1
            stats = self.kinds[kind]
            self.spans.append((started, ended, status or 0))
            if status is None:
                stats.errors += 1
                self.errors.append(f"{kind}: {detail}")
                return
            stats.latencies.append(ended - started)
            stats.statuses[status] += 1
            if status not in EXPECTED.get(kind, OK):
                snippet = " ".join(body.split())[:160]
                self.unexpected.append(f"{kind} -> {status}: {detail} {snippet}")

    def problem(self, bucket: list[str], message: str) -> None:
        """Add `message` to one of the problem lists (unexpected, stale_reads) under the lock."""
        with self._lock:
            bucket.append(message)

    def budget_left(self) -> bool:
        """Whether the request budget is not spent yet."""
        with self._lock:
            return self.count < self.max_requests
