"""A small dependency-free progress bar on stderr.

Importing 700 clips takes minutes; a VJ wants to see it move.  In a terminal the bar
redraws in place (at most ~10 times a second); in a pipe, CI log or test it stays
quiet and only the final summary line is printed, so logs are not flooded with
carriage returns.

Any code that takes ``progress=None`` calls it as ``progress(done, total, note)``
(absolute position; ``note`` is e.g. the current file); :class:`Progress` is such a
callable, and ``None`` means no reporting.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, Protocol, TextIO


class ProgressFn(Protocol):
    def __call__(self, done: int, total: int | None = None, note: str = "") -> None: ...


class Progress:
    """A progress bar: ``bar(done, total, note)`` or ``bar.advance(note=...)``, then ``bar.close(summary)``."""

    def __init__(self, label: str = "", total: int | None = None, *, stream: TextIO | None = None,
                 enabled: bool | None = None, width: int = 24, clock: Callable[[], float] = time.monotonic):
        self.label = label
        self.total = total
        self.done = 0
        self.note = ""
        self._stream = stream
        stream = self.stream
        self.enabled = enabled if enabled is not None else bool(getattr(stream, "isatty", lambda: False)())
        self.width = width
        self._clock = clock
        self._start = clock()
        self._last_draw = -1.0
        self._drawn = 0  # length of the line currently on screen

    @property
    def stream(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stderr  # late bound: tests swap stderr

    def __call__(self, done: int, total: int | None = None, note: str = "") -> None:
        self.done = done
        if total is not None:
            self.total = total
        self.note = note
        self._draw()

    def advance(self, n: int = 1, note: str = "") -> None:
        self(self.done + n, None, note)

    def line(self) -> str:
        """The bar as text (without the carriage return), e.g. ``import [#####-----] 12/40 3.1/s a.mp4``."""
        elapsed = max(self._clock() - self._start, 1e-9)
        parts = [self.label] if self.label else []
        if self.total:
            frac = min(max(self.done / self.total, 0.0), 1.0)
            fill = round(frac * self.width)
            parts.append("[" + "#" * fill + "-" * (self.width - fill) + "]")
            parts.append(f"{self.done}/{self.total}")
            if 0 < self.done < self.total:
                eta = elapsed / self.done * (self.total - self.done)
                parts.append(f"eta {_clock_text(eta)}")
        else:
            parts.append(f"{self.done}")
        if self.note:
            parts.append(self.note if len(self.note) <= 40 else "..." + self.note[-37:])
        return " ".join(parts)

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = self._clock()
        if not force and now - self._last_draw < 0.1 and self.done != self.total:
            return
        self._last_draw = now
        text = self.line()
        pad = max(0, self._drawn - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self._drawn = len(text)

    def close(self, summary: str | None = None) -> None:
        """Clear the bar and print ``summary`` (always, TTY or not)."""
        if self.enabled and self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self._drawn = 0
        if summary:
            self.stream.write(summary.rstrip("\n") + "\n")
        self.stream.flush()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _clock_text(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}:{seconds % 60:02d}"


def report(progress: ProgressFn | None, done: int, total: int | None = None, note: str = "") -> None:
    """Call ``progress`` if there is one (so callers need no ``if``)."""
    if progress is not None:
        progress(done, total, note)
