"""The show asks the system for a higher CPU priority, so that other programs do not drop its frames.

A performer's laptop runs more than vj: a browser, a sync client, a backup. On two cores a frame that
is due in 16.7 ms waits behind them. `vj play` (and only it: rehearsal renders offline) lowers its
nice value before any of its threads start, so every thread it starts later (decoders, the audio
callback, the GL driver's render threads) inherits it. Measured (docs/PERFORMANCE.md "Live play under
other programs' load"): with one busy program at normal priority beside it, vj at nice 0 dropped
several times the frames it dropped at nice -10.

Nice, not a real-time policy: under SCHED_RR a show that cannot keep up (full quality on software GL)
would take both cores from the display server it presents through, and from the desktop. A nice value
only weighs the scheduler's choice, so nothing is starved.

Where the system does not allow it (an ordinary user without a nice limit), vj says so once, in a
performer's words, names the fix (docs/PLAY.md), and plays on at normal priority.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

#: The nice value the show asks for. -10 weighs vj's threads 9.3x a normal program's (the kernel's
#: weight table: 9548 against 1024), enough that one busy program beside it no longer drops frames
#: (measured, docs/PERFORMANCE.md); it stays above what audio servers use (JACK and PipeWire run
#: real-time, PulseAudio at -11), so vj never competes with the sound.
FRAME_NICE = -10

#: the fix a performer can apply where the system refuses (Linux PAM limits; docs/PLAY.md)
HOW_TO_ALLOW = ("to allow it, add the line `USER - nice -10` (your user name) to /etc/security/limits.conf "
                "and log in again (docs/PLAY.md)")


@dataclass(frozen=True)
class Priority:
    """What the show asked for and what it got."""

    wanted: int          # the nice value asked for (FRAME_NICE), or 0 with --priority normal
    nice: int            # the nice value the show's threads start with
    note: str            # one line for the performer; "" when the show got what it asked for

    def stats(self) -> dict:
        """For --stats: the nice value asked for and got, and how many of the process's threads run at it
        now (the threads vj and its libraries started after asking inherit it)."""
        threads = thread_nices()
        return {"wanted": self.wanted, "nice": self.nice, "note": self.note,
                "threads": len(threads), "threads_at_nice": sum(1 for n in threads if n == self.nice)}


def raise_priority(wanted: int = FRAME_NICE) -> Priority:
    """Lower the calling thread's nice value to `wanted`, or as far toward it as the system allows.

    Call it before starting threads: on Linux the value is per thread and new threads inherit it."""
    if not hasattr(os, "setpriority"):
        return Priority(wanted, 0, "this system gives vj no way to ask for a higher CPU priority")
    now = os.getpriority(os.PRIO_PROCESS, 0)
    if now <= wanted:
        return Priority(wanted, now, "")
    try:
        os.setpriority(os.PRIO_PROCESS, 0, wanted)
        return Priority(wanted, wanted, "")
    except PermissionError:
        pass
    lowest = lowest_allowed()
    if lowest is not None and wanted < lowest < now:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, lowest)
            return Priority(wanted, lowest, f"the show runs at a raised CPU priority (nice {lowest}), not as high "
                                            f"as it asks for (nice {wanted}): the system allows no more; "
                                            f"{HOW_TO_ALLOW}")
        except PermissionError:
            pass
    return Priority(wanted, now, "the show runs at normal CPU priority: the system allows vj no higher, so a busy "
                                 f"program beside it can drop frames; {HOW_TO_ALLOW}")


def leave_priority() -> Priority:
    """`--priority normal`: the show keeps the priority it was started with (e.g. under `nice`)."""
    now = os.getpriority(os.PRIO_PROCESS, 0) if hasattr(os, "getpriority") else 0
    return Priority(now, now, "")


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


def thread_nices() -> list[int]:
    """The nice value of each of this process's threads (Linux /proc; empty elsewhere)."""
    out = []
    for stat in Path("/proc/self/task").glob("*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue               # a thread that ended while we looked
        fields = text[text.rindex(")") + 2:].split()
        out.append(int(fields[16]))   # field 19 of stat(5); fields here start at field 3
    return out


def say(priority: Priority) -> None:
    """The performer hears about the priority only when the show did not get what it asked for."""
    if priority.note:
        print(f"vj: {priority.note}", file=sys.stderr, flush=True)
