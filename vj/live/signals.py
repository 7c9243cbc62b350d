"""What a running show does with the signals it gets from outside (docs/PLAY.md, "Ending a show").

- **SIGHUP**: the terminal that started ``vj play`` closed (its window shut, an SSH session dropped).
  The projector must not go dark for that: the show plays on, and what it prints from then on goes
  to a log file beside its autosave (the terminal is gone: a write to it fails), said on the panel.
- **SIGTERM** (``kill PID``, a service manager's stop) and **SIGINT** (Ctrl+C in the terminal): the
  show ends at the end of its frame, as Ctrl+Q ends it: the autosave is written and marked clean,
  the controllers and audio closed, and ``vj play`` exits 0.  The same signal again ends vj at once
  (a show stuck in its end: SIGTERM's default, Ctrl+C's KeyboardInterrupt).

The handlers only set flags and move file descriptors: Python runs them between two bytecodes of
the frame thread, which may hold a lock (the panel's news, a print's buffer) they would wait on.

The terminal can also be gone before any SIGHUP says so (bash sends it on a moment after the hang-up, and a
job started with ``&`` and ``disown``, or under ``setsid``, never gets one): a write to it then fails (EIO),
and a print in the frame loop ended the show.  While the show plays, ``sys.stdout`` and ``sys.stderr`` are
:class:`_Guarded`: a write that fails moves them to the log as SIGHUP does, and is written there.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

NAMES = {signal.SIGTERM: "SIGTERM", signal.SIGINT: "Ctrl+C (SIGINT)"}


class ShowSignals:
    """SIGHUP, SIGTERM and SIGINT while ``player.run()`` plays; :meth:`restore` puts the old handlers back."""

    def __init__(self, player, log_path: Path):
        self.player = player
        self.log_path = Path(log_path)
        self.ended_by = ""              #: the signal that ended the show ("" if none did)
        self.hung_up = False            #: the terminal closed: stdout and stderr go to :attr:`log_path`
        self._old: dict[int, object] = {}
        self._moving = threading.Lock()  #: held while stdout and stderr move to the log (never waited on)
        self._streams: tuple | None = None

    def install(self) -> "ShowSignals":
        if threading.current_thread() is not threading.main_thread():
            return self
        self._streams = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Guarded(sys.stdout, self), _Guarded(sys.stderr, self)
        for sig, fn in ((signal.SIGTERM, self._end), (signal.SIGINT, self._end), (getattr(signal, "SIGHUP", None), self._hang_up)):
            if sig is not None:
                self._old[sig] = signal.signal(sig, fn)
        return self

    def restore(self, streams: bool = True) -> None:
        """The signals' old handlers back, and (``streams``) stdout and stderr unguarded.  `vj play` keeps the
        guard through its last lines (a terminal gone with no SIGHUP failed the summary after a clean end: exit 1)."""
        for sig, old in self._old.items():
            signal.signal(sig, old)
        self._old.clear()
        if streams and self._streams is not None:
            sys.stdout, sys.stderr = self._streams
            self._streams = None

    def _end(self, signum: int, frame) -> None:
        self.ended_by = NAMES.get(signum, str(signum))
        self.player.quit = True
        # a second one: no waiting for a show that does not end
        signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)

    def _hang_up(self, signum: int, frame) -> None:
        self.to_log("(SIGHUP)")

    def to_log(self, how: str) -> None:
        """The terminal is gone (``how``: what said so): stdout and stderr go to :attr:`log_path` from now on.
        Once; a caller that finds another thread (or the frame its signal interrupted) moving them returns."""
        if self.hung_up or not self._moving.acquire(blocking=False):
            return
        try:
            if not self.hung_up:
                self._move(how)
        finally:
            self._moving.release()

    def _move(self, how: str) -> None:
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            where = str(self.log_path)
        except OSError:
            fd, where = os.open(os.devnull, os.O_WRONLY), "nowhere (the log file could not be opened)"
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        try:   # a log on a full disk: its messages are lost, the show is not (no OSError out of a handler)
            os.write(fd, f"--- {stamp}: the terminal closed {how}; vj play (pid {os.getpid()}) plays on ---\n".encode())
        except OSError:
            pass
        for std in (1, 2):
            os.dup2(fd, std)
        os.close(fd)
        self.hung_up = True
        # said on the panel (and in the log) by the frame loop, not here
        self.player.outside_news.append(f"the terminal that started vj play closed {how}: the show plays on "
                                        f"(Ctrl+Q ends it, or kill {os.getpid()}); its messages now go to {where}")


class _Guarded:
    """``sys.stdout`` or ``sys.stderr`` while the show plays: a write or flush that fails (the terminal is gone)
    moves both to the log (:meth:`ShowSignals.to_log`) and is done again there; one that fails there is dropped."""

    #: s a writing thread waits for another (or the main thread's SIGHUP) to finish moving the streams
    MOVE_WAIT = 1.0

    def __init__(self, stream, signals: ShowSignals):
        self._stream, self._signals = stream, signals

    def __getattr__(self, name: str):
        return getattr(self._stream, name)

    def _guard(self, fn, *args):
        try:
            return fn(*args)
        except OSError:
            pass
        self._signals.to_log("(a message to it failed)")
        until = time.monotonic() + self.MOVE_WAIT
        while not self._signals.hung_up and time.monotonic() < until:
            time.sleep(0.01)
        try:
            return fn(*args)
        except OSError:
            return None

    def write(self, text: str):
        return self._guard(self._stream.write, text)

    def flush(self) -> None:
        self._guard(self._stream.flush)
