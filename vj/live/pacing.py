"""Frame pacing: each finished frame is shown at its deadline, unless the display's vsync holds frames already.

A vsync request is only a request. Xvfb, a compositor, ``vblank_mode=0`` or a driver's settings panel can
ignore it, and then a player that trusts it draws as fast as it can: under Xvfb `vj play --fps 60` made
4034 frames in 60 s (measured 2026-12-05), unevenly, and 14.7 % of the show's frames were dropped by the
interval count. So the pacer watches the flips while vsync is asked for. When most of the last
``WATCH_FRAMES`` intervals are shorter than a refresh period at the target rate, nothing is holding the
frames to that rate, and from then on the pacer holds each frame until its deadline, as with ``--no-vsync``.
A display that refreshes faster than ``--fps`` (a 144 Hz laptop panel with the default 60) is paced to the
rate asked for the same way.

The clock and the sleep are parameters, so tests drive it on a fake clock (no timing in tests).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

#: flips watched before deciding that vsync does not hold the frames (half a second at 60 Hz)
WATCH_FRAMES = 30
#: an interval under this share of the period cannot have waited for a vblank at the target rate (a vsync'd
#: 60 Hz display gives 16.7 ms +- ~1 ms of scheduling jitter; Xvfb gives 0.3 ms for an empty frame)
SHORT = 0.7
#: vsync is judged not to hold the frames when at least this share of the watched intervals are short
SHORT_SHARE = 0.5


@dataclass
class Pacer:
    """When to flip: at the display's vsync while it holds frames to ``fps``, else at the frame's deadline."""

    fps: float
    vsync: bool                                   #: vsync was asked for (``--no-vsync`` not given)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    by_clock: bool = field(init=False)            #: frames are held to their deadlines
    since_frame: int | None = field(init=False, default=None)   #: the frame the clock took over at (vsync asked)
    slept: float = field(init=False, default=0.0)  #: seconds the last frame waited for its deadline (not its cost)
    frames: int = field(init=False, default=0)
    _deadline: float = field(init=False, default=0.0)
    _short: deque = field(init=False)

    def __post_init__(self) -> None:
        self.by_clock = not self.vsync
        self._short = deque(maxlen=WATCH_FRAMES)

    @property
    def period(self) -> float:
        return 1.0 / self.fps

    @property
    def mode(self) -> str:
        """``vsync``, ``clock`` (asked for) or ``clock (vsync did not hold the frames)``, for --stats."""
        if not self.by_clock:
            return "vsync"
        return "clock" if self.since_frame is None else "clock (vsync did not hold the frames)"

    def start(self) -> None:
        """The show's first frame starts now."""
        self._deadline = self.clock()

    def wait(self) -> None:
        """Before the flip: hold the finished frame until its deadline (when pacing by the clock).  A frame may
        then cost up to a period whatever the one before cost (sleeping after the flip instead, as before
        2026-12-05, made a 15 ms frame after a 5 ms one 26 ms apart on screen).  A frame that is shown
        late is shown at once, and one that fell more than a period behind does not start a catching-up burst."""
        self.slept = 0.0
        if not self.by_clock:
            return
        self._deadline += self.period
        now = self.clock()
        delay = self._deadline - now
        if delay > 0:
            self.sleep(delay)
            self.slept = self.clock() - now
        elif delay < -self.period:
            self._deadline = now

    def slack(self) -> float:
        """Seconds until the finished frame's deadline (before :meth:`wait`; 0 when vsync paces)."""
        return max(0.0, self._deadline + self.period - self.clock()) if self.by_clock else 0.0

    def flipped(self, interval: float | None) -> bool:
        """After the flip, with the time since the previous flip; True when the clock has just taken over."""
        self.frames += 1
        if self.by_clock or interval is None:
            return False
        self._short.append(interval < SHORT * self.period)
        if len(self._short) == WATCH_FRAMES and sum(self._short) >= SHORT_SHARE * WATCH_FRAMES:
            self.by_clock = True
            self.since_frame = self.frames
            self._deadline = self.clock()
            return True
        return False
