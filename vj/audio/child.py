"""What the show's audio child processes (capture, playback) do first."""

from __future__ import annotations

import os


def normal_child() -> None:
    """Back to normal scheduling, keeping the nice value. `vj play` runs real-time (vj.live.priority) and a
    child inherits that across fork and exec, but the show's guard watches only its own process, and the
    sound's own real-time threads (PortAudio's, JACK's) set their priority themselves: a child decoding a
    whole track at real-time priority would hold a core from the desktop for seconds."""
    if hasattr(os, "sched_setscheduler"):
        try:
            if os.sched_getscheduler(0) in (os.SCHED_RR, os.SCHED_FIFO):
                os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
        except OSError:
            pass
