"""Driving the load: how many threads play each part, starting them, and the SIGHUP halfway."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from loadtest.client import REQUEST_TIMEOUT
from loadtest.server import Reload, Server
from loadtest.traffic import Account, Run, member_thread, reader_thread, wrong_password_thread


@dataclass(frozen=True)
class Roles:
    """How many threads play each part."""

    members: int
    wrong_passwords: int
    readers: int


def split_threads(threads: int) -> Roles:
    """Half the threads are members, two (at most) try wrong passwords, the rest read."""
    members = max(1, threads // 2)
    wrong = max(0, min(2, threads - members - 1))
    return Roles(members=members, wrong_passwords=wrong, readers=threads - members - wrong)


def start_threads(
    run: Run, roles: Roles, accounts: list[Account], seed: int
) -> list[threading.Thread]:
    """Start every client thread; members own disjoint accounts (round-robin)."""
    owned: list[list[Account]] = [accounts[i :: roles.members] for i in range(roles.members)]
    waiting = [roles.members]
    lock = threading.Lock()

    def ready() -> None:
        with lock:
            waiting[0] -= 1
            if waiting[0] == 0:
                run.members_ready.set()

    emails = [account.email for account in accounts]
    threads = [
        threading.Thread(
            target=member_thread, args=(run, mine, seed + i, ready), name=f"member-{i}"
        )
        for i, mine in enumerate(owned)
    ]
    threads += [
        threading.Thread(
            target=wrong_password_thread, args=(run, seed + 100 + i, emails), name=f"wrong-{i}"
        )
        for i in range(roles.wrong_passwords)
    ]
    threads += [
        threading.Thread(target=reader_thread, args=(run, seed + 200 + i), name=f"reader-{i}")
        for i in range(roles.readers)
    ]
    for thread in threads:
        thread.start()
    return threads


def drive_load(
    run: Run, server: Server, roles: Roles, accounts: list[Account], seed: int, seconds: float
) -> tuple[float, Reload]:
    """Run the client threads, SIGHUP gunicorn halfway; return elapsed seconds and the reload."""
    started = time.monotonic()
    threads = start_threads(run, roles, accounts, seed)
    time.sleep(seconds / 2)
    print(f"{seconds / 2:.0f} s in: SIGHUP to gunicorn master {server.process.pid}")
    reload = server.reload()
    for thread in threads:
        thread.join(timeout=max(0.0, run.deadline - time.monotonic()) + REQUEST_TIMEOUT * 4)
    if any(thread.is_alive() for thread in threads):
        run.stats.problem(run.stats.errors, "some client threads did not finish in time")
    return time.monotonic() - started, reload
