"""`vj play` asks for a higher CPU priority before its threads start, and says so where it may not
(vj.live.priority). Each case runs in a child process: a nice value cannot be taken back unprivileged."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHILD = """
import os, resource, sys, threading
from vj.live import priority
drop, start_nice = sys.argv[1] == "drop", int(sys.argv[2])
os.nice(start_nice)
if drop:   # an ordinary user whose nice limit allows nothing (the usual desktop default)
    resource.setrlimit(resource.RLIMIT_NICE, (0, 0))
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
got = priority.leave_priority() if sys.argv[3] == "leave" else priority.raise_priority()
seen = []
t = threading.Thread(target=lambda: seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
t.start(); t.join()
print(got.nice, seen[0], os.getpriority(os.PRIO_PROCESS, 0), repr(got.note))
"""


def child(drop: bool, start_nice: int = 0, mode: str = "raise") -> tuple[int, int, int, str]:
    r = subprocess.run([sys.executable, "-c", CHILD, "drop" if drop else "keep", str(start_nice), mode],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    got, thread, now, note = r.stdout.split(" ", 3)
    return int(got), int(thread), int(now), eval(note)  # noqa: S307 - our own repr()


def may_raise() -> bool:
    return os.geteuid() == 0 or os.getpriority(os.PRIO_PROCESS, 0) > -10 and _rlimit_allows()


def _rlimit_allows() -> bool:
    import resource
    soft = resource.getrlimit(resource.RLIMIT_NICE)[0]
    return soft == resource.RLIM_INFINITY or 20 - soft <= -10


def test_the_show_and_every_thread_it_starts_later_run_at_the_raised_priority():
    from vj.live.priority import FRAME_NICE
    got, thread, now, note = child(drop=False)
    if not may_raise():
        pytest.skip("this user may not lower a nice value (the refusal is tested below)")
    assert (got, now, note) == (FRAME_NICE, FRAME_NICE, "")
    assert thread == FRAME_NICE   # a thread started after asking (decoder, audio, GL driver) inherits it


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become an unprivileged user in a child")
def test_where_the_system_refuses_the_show_plays_on_and_says_how_to_allow_it():
    got, thread, now, note = child(drop=True, start_nice=3)
    started = min(19, os.getpriority(os.PRIO_PROCESS, 0) + 3)
    assert (got, thread, now) == (started, started, started)    # nothing changed, nothing failed
    assert "normal CPU priority" in note and "limits.conf" in note and "docs/PLAY.md" in note


def test_priority_normal_keeps_the_priority_vj_was_started_with():
    got, thread, now, note = child(drop=False, start_nice=5, mode="leave")
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert (got, thread, now, note) == (min(19, base + 5), min(19, base + 5), min(19, base + 5), "")
