"""The show asks the system for a higher CPU priority, so that other programs do not drop its frames.

A performer's laptop runs more than vj: a browser, a sync client, a backup. A frame is due every 16.7 ms,
and the GL driver's render threads (llvmpipe's rasteriser threads, a GPU driver's submit thread) wake
dozens of times in it. Measured on Linux 6.18 (EEVDF scheduler, docs/PERFORMANCE.md "Live play under other
programs' load"): with other programs running, such wake-ups often waited 3-3.5 ms for the program on that
core to finish its slice, whatever the nice values, and frames were lost in those waits (11-12 % dropped
beside eight busy programs at nice 19, with vj at nice 0 or -10 alike). Real-time scheduling (SCHED_RR) is
what a waking thread needs to run at once: 0.3-0.5 % there.

So `vj play` asks, before any of its threads start (every thread it starts later inherits it):
1. **real-time** (SCHED_RR at the lowest real-time priority), where the system allows it (root, or a user
   with a real-time limit: members of the `audio` group on most Linux audio setups);
2. else a **raised nice value** (-10), which helps when one or two ordinary programs keep the cores busy;
3. else it plays at normal priority and says once, in a performer's words, how to allow it (docs/PLAY.md).

A real-time show that cannot keep up (full quality on a software GL) would take every core from the
desktop and the display server it presents through, so :class:`RealtimeGuard` watches the show's CPU
share and gives real-time up (keeping the nice value) when it used most of the machine for a while.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..audio.child import REALTIME, leave_realtime

#: The nice value the show asks for (and keeps if real-time is refused or given up). -10 weighs vj's
#: threads 9.3x a normal program's (the kernel's weight table: 9548 against 1024): beside two busy
#: programs at nice 0, 0.9 % of frames dropped against 12.9 % at nice 0 (docs/PERFORMANCE.md).
FRAME_NICE = -10

#: The real-time priority asked for: the lowest there is. Any real-time thread runs before every normal
#: program; at 1 the show stays below every real-time audio thread (PulseAudio through rtkit 5, JACK 70
#: and up, PipeWire's data loop 83-88), so it never delays the sound.
FRAME_RT_PRIORITY = 1

#: The show gives real-time up when, over RT_WINDOW_S, it used more than RT_CPU_SHARE of all the
#: machine's cores: it is then not keeping up, and the rest of the laptop would starve. The show at its
#: adaptive quality used 40 % of two cores (vj play setlists/demo.toml at 1280x720 on llvmpipe);
#: `--quality fixed` on llvmpipe uses all of them.
RT_CPU_SHARE = 0.75
RT_WINDOW_S = 3.0

#: the fixes a performer can apply where the system refuses (Linux PAM limits; docs/PLAY.md)
HOW_TO_ALLOW_RT = ("to allow it, add yourself to the audio group (`sudo usermod -aG audio $USER`, on systems "
                   "where that group may use real-time priority) or add the line `NAME - rtprio 1` (NAME: your "
                   "login name) to /etc/security/limits.conf, and log in again (docs/PLAY.md)")
HOW_TO_ALLOW_NICE = ("to allow it, add the line `NAME - nice -10` (NAME: your login name) to "
                     "/etc/security/limits.conf and log in again (docs/PLAY.md)")


@dataclass(frozen=True)
class Priority:
    """What the show asked for and what it got."""

    wanted: int          # the nice value asked for (FRAME_NICE), or the start value with --priority normal
    nice: int            # the nice value the show's threads start with
    realtime: bool       # the show's threads start real-time (SCHED_RR, FRAME_RT_PRIORITY)
    note: str            # one line for the performer; "" when the show got what it asked for

    def stats(self) -> dict:
        """For --stats: what was asked for and got, and how many of the process's threads run that way now
        (the threads vj and its libraries started after asking inherit it)."""
        threads = thread_states()
        return {"wanted": self.wanted, "nice": self.nice, "realtime": self.realtime, "note": self.note,
                "threads": len(threads), "threads_at_nice": sum(1 for n, _ in threads if n == self.nice),
                "threads_realtime": sum(1 for _, p in threads if p in REALTIME)}

    def headline(self) -> str:
        """The note for the control panel, where space is short: what happened; the fix stays in the terminal."""
        head = self.note.split("; to allow it")[0]
        return head if head == self.note else f"{head} (how to allow it: docs/PLAY.md)"


def raise_priority(wanted: int = FRAME_NICE, realtime: bool = True) -> Priority:
    """Lower the calling thread's nice value to `wanted` (or as far as the system allows), then, with
    `realtime`, make it real-time. Call it before starting threads: on Linux both are per thread, and new
    threads inherit them."""
    if not hasattr(os, "setpriority"):
        return Priority(wanted, 0, False, "this system gives vj no way to ask for a higher CPU priority")
    nice, nice_note = _lower_nice(wanted, HOW_TO_ALLOW_RT if realtime else HOW_TO_ALLOW_NICE)
    if realtime and hasattr(os, "sched_setscheduler"):
        try:
            os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(FRAME_RT_PRIORITY))
            return Priority(wanted, nice, True, "")
        except OSError:
            pass
        if nice <= wanted:
            return Priority(wanted, nice, False, f"the show runs at a raised CPU priority (nice {nice}) but not "
                                                 f"real-time: the system allows vj no real-time priority, so busy "
                                                 f"programs beside it can still drop frames; {HOW_TO_ALLOW_RT}")
    return Priority(wanted, nice, False, nice_note)


def _lower_nice(wanted: int, how: str) -> tuple[int, str]:
    """The nice value got, and what to say if it is not `wanted`."""
    now = os.getpriority(os.PRIO_PROCESS, 0)
    if now <= wanted:
        return now, ""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, wanted)
        return wanted, ""
    except PermissionError:
        pass
    lowest = lowest_allowed()
    if lowest is not None and wanted < lowest < now:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, lowest)
            return lowest, (f"the show runs at a raised CPU priority (nice {lowest}), not as high as it asks for "
                            f"(nice {wanted}): the system allows no more; {how}")
        except PermissionError:
            pass
    return now, ("the show runs at normal CPU priority: the system allows vj no higher, so busy programs beside it "
                 f"can drop frames; {how}")


def leave_priority() -> Priority:
    """`--priority normal`: the show keeps the priority it was started with (e.g. under `nice`)."""
    now = os.getpriority(os.PRIO_PROCESS, 0) if hasattr(os, "getpriority") else 0
    return Priority(now, now, False, "")


def lowest_allowed() -> int | None:
    """The lowest nice value an unprivileged process may set (Linux RLIMIT_NICE: 20 - limit), or None."""
    try:
        import resource
        soft, _hard = resource.getrlimit(resource.RLIMIT_NICE)
    except (ImportError, AttributeError, OSError, ValueError):
        return None
    if soft == resource.RLIM_INFINITY:
        return -20
    return 20 - int(soft)


def thread_states() -> list[tuple[int, int]]:
    """(nice value, scheduling policy) of each of this process's threads (Linux /proc; empty elsewhere)."""
    out = []
    for stat in Path("/proc/self/task").glob("*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue               # a thread that ended while we looked
        fields = text[text.rindex(")") + 2:].split()
        out.append((int(fields[16]), int(fields[38])))   # fields 19 and 41 of proc_pid_stat(5); here from field 3
    return out


def give_up_realtime(passes: int = 5) -> int:
    """Every thread of this process back to normal scheduling (its nice value stays); returns how many moved.

    Swept until a pass moves nothing (at most `passes`): a thread not yet moved may start another (FFmpeg
    starts its threads when a decoder opens a clip), and that one would inherit real-time."""
    moved = 0
    for _ in range(passes):
        now = sum(leave_realtime(int(task.name)) for task in Path("/proc/self/task").iterdir())
        moved += now
        if not now:
            break
    return moved


class RealtimeGuard:
    """Gives real-time up when the show uses most of the machine: fed the wall clock and the process's
    CPU time each frame, it answers once, with what to tell the performer. The first window (the show's
    start: clips opening, shaders compiling) is not judged."""

    def __init__(self, cores: int | None = None, share: float = RT_CPU_SHARE, window_s: float = RT_WINDOW_S,
                 give_up=give_up_realtime, advice: str = "lower the output size (--size) or close other programs"):
        self.cores = max(1, cores or _cores())
        self.share, self.window_s, self._give_up, self.advice = share, window_s, give_up, advice
        self._start: tuple[float, float] | None = None
        self._windows = 0
        self.given_up_at: float | None = None

    def check(self, wall: float, cpu: float) -> str | None:
        """None while the show keeps real-time; the message, once, when it gives it up."""
        if self.given_up_at is not None:
            return None
        if self._start is None:
            self._start = (wall, cpu)
            return None
        w0, c0 = self._start
        if wall - w0 < self.window_s:
            return None
        used = (cpu - c0) / ((wall - w0) * self.cores)
        self._start = (wall, cpu)
        self._windows += 1
        if used <= self.share or self._windows == 1:
            return None
        self._give_up()
        self.given_up_at = wall
        return (f"the show used {100 * used:.0f} % of all {self.cores} CPU cores for {wall - w0:.0f} s and cannot keep "
                f"up: it gives up its real-time priority so the rest of the laptop keeps running ({self.advice})")


def _cores() -> int:
    """The cores this process may run on (a cpuset or `taskset` allows fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def say(priority: Priority) -> None:
    """The performer hears about the priority only when the show did not get what it asked for."""
    if priority.note:
        print(f"vj: {priority.note}", file=sys.stderr, flush=True)
