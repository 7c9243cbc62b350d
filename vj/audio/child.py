"""Leaving the show's real-time priority: the audio child processes (capture, playback) on start, and every
thread of the show when it gives real-time up (vj.live.priority)."""

from __future__ import annotations

import os

#: the scheduling policies that run before every normal program
REALTIME = tuple(getattr(os, name) for name in ("SCHED_RR", "SCHED_FIFO") if hasattr(os, name))


def leave_realtime(tid: int = 0) -> bool:
    """Move thread `tid` (0: the calling one) back to normal scheduling if it runs real-time, keeping its nice
    value; True when it moved. `vj play` runs real-time and a child inherits that across fork and exec, but the
    show's guard watches only its own process, and the sound's own real-time threads (PortAudio's, JACK's) set
    their priority themselves: a child decoding a whole track at real-time priority would hold a core from the
    desktop for seconds."""
    if not REALTIME:
        return False
    try:
        if os.sched_getscheduler(tid) in REALTIME:
            os.sched_setscheduler(tid, os.SCHED_OTHER, os.sched_param(0))
            return True
    except OSError:
        pass            # a thread that ended, or one not ours to change
    return False
