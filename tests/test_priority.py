"""`vj play` asks for real-time, else a raised, CPU priority before its threads start, says so where it may
not, and gives real-time up when the show uses most of the machine (vj.live.priority). Each case that
changes a priority runs in a child process: a priority cannot be taken back unprivileged."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHILD = """
import os, resource, sys, threading, time
from vj.live import priority
drop, start_nice, mode = sys.argv[1] == "drop", int(sys.argv[2]), sys.argv[3]
os.nice(start_nice)
if drop:   # an ordinary user whose limits allow nothing (the usual desktop default)
    resource.setrlimit(resource.RLIMIT_NICE, (0, 0))
    resource.setrlimit(resource.RLIMIT_RTPRIO, (0, 0))
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
got = (priority.leave_priority() if mode == "leave" else
       priority.raise_priority(realtime=mode in ("realtime", "giveup")))
seen, stop = [], threading.Event()
def later():   # a thread started after asking, as the decoders and the GL driver's threads are
    tid = threading.get_native_id()
    seen.append((os.getpriority(os.PRIO_PROCESS, tid), os.sched_getscheduler(tid)))
    stop.wait()
t = threading.Thread(target=later); t.start()
while not seen: time.sleep(0.01)
moved = priority.give_up_realtime() if mode == "giveup" else 0
states = priority.thread_states()
stop.set(); t.join()
print(got.nice, int(got.realtime), seen[0][0], seen[0][1], os.getpriority(os.PRIO_PROCESS, 0),
      os.sched_getscheduler(0), moved, len(states), sum(p == os.SCHED_RR for _, p in states), repr(got.note))
"""


def child(mode: str = "realtime", drop: bool = False, start_nice: int = 0) -> tuple:
    r = subprocess.run([sys.executable, "-c", CHILD, "drop" if drop else "keep", str(start_nice), mode],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    *nums, note = r.stdout.split(" ", 9)
    return (*map(int, nums), eval(note))  # noqa: S307 - our own repr()


PROBE = """
import os
nice = rt = 0
try:
    os.setpriority(os.PRIO_PROCESS, 0, -10); nice = 1
except OSError:
    pass
try:
    os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(1)); rt = 1
except OSError:
    pass
print(nice, rt)
"""


def rights() -> tuple[bool, bool]:
    """Whether a process of this user may lower its nice value to -10, and take real-time priority: tried in a
    child (root may lack CAP_SYS_NICE in a container, a cgroup may refuse real-time, a user may have limits)."""
    r = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=30)
    nice, rt = r.stdout.split()
    return nice == "1", rt == "1"


def may_raise() -> bool:
    return all(rights())


needs_rights = pytest.mark.skipif(not may_raise(), reason="this user may not raise a priority (the refusal is "
                                                            "tested below)")


@needs_rights
def test_the_show_and_every_thread_it_starts_later_run_real_time_at_the_raised_nice():
    from vj.live.priority import FRAME_NICE
    nice, rt, t_nice, t_policy, now, policy, _moved, threads, threads_rt, note = child("realtime")
    assert (nice, rt, now, policy, note) == (FRAME_NICE, 1, FRAME_NICE, os.SCHED_RR, "")
    assert (t_nice, t_policy) == (FRAME_NICE, os.SCHED_RR)   # inherited by a thread started after asking
    assert threads_rt == threads                               # every thread of the child started after


@needs_rights
def test_raised_is_the_nice_value_alone():
    from vj.live.priority import FRAME_NICE
    nice, rt, t_nice, t_policy, now, policy, *_rest, note = child("raised")
    assert (nice, rt, t_nice, t_policy, policy, note) == (FRAME_NICE, 0, FRAME_NICE, os.SCHED_OTHER,
                                                          os.SCHED_OTHER, "")


@needs_rights
def test_giving_real_time_up_moves_every_thread_back_and_keeps_the_nice_value():
    from vj.live.priority import FRAME_NICE
    nice, rt, t_nice, _t_policy, now, policy, moved, threads, threads_rt, _note = child("giveup")
    assert rt == 1 and moved == threads == 2 and threads_rt == 0
    assert (now, policy) == (FRAME_NICE, os.SCHED_OTHER)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become an unprivileged user in a child")
def test_where_the_system_refuses_the_show_plays_on_and_says_how_to_allow_it():
    nice, rt, t_nice, t_policy, now, policy, *_rest, note = child("realtime", drop=True, start_nice=3)
    started = min(19, os.getpriority(os.PRIO_PROCESS, 0) + 3)
    assert (nice, rt, t_nice, now, policy) == (started, 0, started, started, os.SCHED_OTHER)   # nothing changed
    assert "normal CPU priority" in note and "audio group" in note and "limits.conf" in note
    assert "docs/PLAY.md" in note
    from vj.live.priority import Priority
    panel = Priority(-10, 3, False, note).headline()
    assert panel.startswith("the show runs at normal CPU priority") and "docs/PLAY.md" in panel
    assert "limits.conf" not in panel and len(panel) < len(note) // 2


def test_priority_normal_keeps_the_priority_vj_was_started_with():
    nice, rt, t_nice, t_policy, now, policy, *_rest, note = child("leave", start_nice=5)
    base = min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5)
    assert (nice, rt, t_nice, now, note) == (base, 0, base, base, "")


def test_real_time_is_given_up_once_when_the_show_uses_most_of_the_machine():
    """A show that keeps up (40 % of two cores) keeps real-time, also through a busy start (the first window is
    not judged); one that used 90 % for a window gives it up once, with a message that says why and what to do."""
    from vj.live.priority import RT_WINDOW_S, RealtimeGuard

    calls = []
    guard = RealtimeGuard(cores=2, give_up=lambda: calls.append(1))
    wall = cpu = 0.0
    for _ in range(int(RT_WINDOW_S * 60)):                 # the start: clips open, shaders compile (100 %)
        wall, cpu = wall + 1 / 60, cpu + 2.0 / 60
        assert guard.check(wall, cpu) is None
    for _ in range(int(10 * RT_WINDOW_S * 60)):            # ten windows at 40 %
        wall, cpu = wall + 1 / 60, cpu + 0.8 / 60
        assert guard.check(wall, cpu) is None
    said = []
    for _ in range(int(3 * RT_WINDOW_S * 60)):             # then 90 %
        wall, cpu = wall + 1 / 60, cpu + 1.8 / 60
        said.append(guard.check(wall, cpu))
    told = [s for s in said if s]
    assert calls == [1] and len(told) == 1 and "90 % of all 2 CPU cores" in told[0] and "real-time" in told[0]
    assert said.index(told[0]) <= 2 * RT_WINDOW_S * 60     # within two windows of the change
