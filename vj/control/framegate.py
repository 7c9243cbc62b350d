"""A per-frame budget for a surface's commands, so that a flood cannot make the frame loop's drain slow.

Every command a surface submits is applied by the frame loop in ``ShowControl.drain``: about 12 µs
each here (bench/osc.py), so the 500 commands a frame that a 30,000-message/s OSC flood delivers
cost 6 ms of a 16.7 ms frame.  The gate lets ``PER_HOST`` commands of one sender host, and
``PER_FRAME`` in all, through between two frames.  Beyond that, a fader's value (a control whose
latest value is all that matters) waits and is replaced by newer ones, and goes to the show at the
next frame; a button press beyond it is dropped and reported.  A fader sweep or ten fingers on a
tablet (about 10 commands a frame) never meet the limit.

The frame loop says "a frame has passed" through :meth:`tick` (hooked to ``ShowControl``'s
per-frame clock listeners).  Until the first tick (no frame loop yet, or none at all, as in a
benchmark) the budget renews on the clock every ``STALE`` seconds instead.  Once frames come, only
they renew it: a frame loop that stalls for a second (the OS, a slow disk) then meets one budget's
worth of commands, not a second's.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from .targets import BY_NAME, TARGETS, Command, latest_wins

PER_HOST = 32       #: commands of one sender host per frame (~0.4 ms of drain)
PER_FRAME = 64      #: commands of all hosts per frame (~0.8 ms of drain)
STALE = 0.1         #: s: how often the budget renews on the clock before the first frame
#: controls where only the newest value counts (faders, switches): held and replaced, never dropped
LATEST_WINS = frozenset(t.name for t in TARGETS if latest_wins(t))
#: the most commands one drain can meet from this gate: two windows' worth (a drain can fall on
#: either side of a tick) and the held values
MAX_PER_DRAIN = 2 * PER_FRAME + len(LATEST_WINS)


def _latest(name: str) -> bool:
    """The show's faders, and those of the effects in use (``fx/...``, installed while the show runs)."""
    if name in LATEST_WINS:
        return True
    t = BY_NAME.get(name) if name.startswith("fx/") else None
    return t is not None and latest_wins(t)


class FrameGate:
    """``offer(cmd, host)`` submits, holds (latest value wins) or drops; ``tick()`` once a frame."""

    def __init__(self, submit: Callable[[Command], None], *, per_host: int = PER_HOST, per_frame: int = PER_FRAME,
                 clock: Callable[[], float] = time.monotonic):
        self.submit = submit
        self.per_host = per_host
        self.per_frame = per_frame
        self.clock = clock
        self._lock = threading.Lock()
        self._held: dict[str, Command] = {}
        self._hosts: dict[str, int] = {}
        self._count = 0
        self._renewed = clock()
        self._ticking = False
        self.replaced = 0   #: values replaced by a newer one before they reached the show
        self.dropped = 0    #: presses dropped

    def offer(self, cmd: Command, host: str) -> bool:
        """False when ``cmd`` was dropped (a press beyond the budget)."""
        with self._lock:
            now = self.clock()
            if not self._ticking and now - self._renewed > STALE:
                self._renew(now)
            n = self._hosts.get(host, 0)
            over = n >= self.per_host or self._count >= self.per_frame
            if _latest(cmd.target) and (over or cmd.target in self._held):
                if cmd.target in self._held:
                    self.replaced += 1
                self._held[cmd.target] = cmd         # keeps the order: newer values replace it
                return True
            if over:
                self.dropped += 1
                return False
            self._hosts[host] = n + 1
            self._count += 1
            self.submit(cmd)
            return True

    def tick(self, *_args) -> None:
        """A frame has passed (the frame thread, after its drain): hand over the held values, renew the budget."""
        with self._lock:
            self._ticking = True
            self._renew(self.clock())

    def _renew(self, now: float) -> None:
        held, self._held = self._held, {}
        self._hosts.clear()
        self._count = len(held)
        self._renewed = now
        for cmd in held.values():
            self.submit(cmd)
