"""Log lines throttled per kind: a flood of one fault says so once, then how many more, never a line each.

The first line of a kind is said at once.  Lines of the same kind within the next ``every`` seconds
are only counted; when that window closes the count is said in one line ("(5,803 times in the last
2 s) the latest line"), and while the flood goes on each window is twice as long as the one before (up to
``longest``), so a 10-minute flood of one kind makes about 15 lines, not 600 or 5,803.  Once a
flood has stopped (nothing for ``every`` s), its count is said and the next line is said at once.  ``flush`` says what is pending once its window has
closed; the owner calls it from a loop that wakes regularly (a socket timeout), so the last count of
a flood is said even when no further line comes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

LOG_EVERY = 1.0        #: seconds: the first window after a line
LOG_LONGEST = 60.0     #: seconds: windows stop growing here (a flood still says it is going on every minute)


@dataclass(slots=True)
class _Kind:
    until: float            #: end of the current window (time.monotonic())
    window: float           #: its length
    held: int = 0           #: lines of this kind counted, not said, in this window
    last: str = ""          #: the latest of them (said with the count)
    latest: float = 0.0     #: when it came
    total: int = 0          #: every line of this kind, said or not


class LogThrottle:
    """``throttle(kind, line)`` logs ``line`` unless a line of ``kind`` was said less than a window ago."""

    def __init__(self, log: Callable[[str], None], *, every: float = LOG_EVERY, longest: float = LOG_LONGEST,
                 clock: Callable[[], float] = time.monotonic):
        self.log = log
        self.every = every
        self.longest = longest
        self.clock = clock
        self._kinds: dict[str, _Kind] = {}
        self._lock = threading.Lock()   # the receive and the send thread both report

    def __call__(self, kind: str, line: str) -> bool:
        """Log ``line`` now or count it for later; True when it was said now."""
        now = self.clock()
        with self._lock:
            k = self._kinds.get(kind)
            if k is None:
                k = self._kinds[kind] = _Kind(until=now + self.every, window=self.every)
                said = line
            elif now < k.until:
                k.total += 1
                k.held += 1
                k.last, k.latest = line, now
                return False
            elif k.held:                          # a window with a flood in it has closed
                said = self._more(k, line, k.held + 1, now)
            else:                                 # a quiet window: start afresh
                k.window = self.every
                k.until = now + k.window
                said = line
            k.total += 1
        self.log(said)
        return True

    def _more(self, k: _Kind, line: str, times: int, now: float) -> str:
        said = f"({times:,} times in the last {_seconds(k.window)}) {line}" if times > 1 else line
        k.window = min(self.longest, k.window * 2)
        k.until = now + k.window
        k.held, k.last = 0, ""
        return said

    def flush(self) -> None:
        """Say the count of every kind whose window has closed with lines held in it."""
        now = self.clock()
        out = []
        with self._lock:
            for k in self._kinds.values():
                if k.held and now >= k.until:
                    over = now - k.latest >= self.every       # the flood has stopped: the next line is news
                    out.append(self._more(k, k.last, k.held, now))
                    if over:
                        k.window, k.until = self.every, now
        for line in out:
            self.log(line)

    def totals(self) -> dict[str, int]:
        """How many lines of each kind were reported (said or counted) since the start."""
        with self._lock:
            return {kind: k.total for kind, k in self._kinds.items()}


def _seconds(s: float) -> str:
    return f"{s:g} s" if s < 120 else f"{s / 60:g} min"
