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
"""

from __future__ import annotations

import os
import signal
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

    def install(self) -> "ShowSignals":
        if threading.current_thread() is not threading.main_thread():
            return self
        for sig, fn in ((signal.SIGTERM, self._end), (signal.SIGINT, self._end), (getattr(signal, "SIGHUP", None), self._hang_up)):
            if sig is not None:
                self._old[sig] = signal.signal(sig, fn)
        return self

    def restore(self) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)
        self._old.clear()

    def _end(self, signum: int, frame) -> None:
        self.ended_by = NAMES.get(signum, str(signum))
        self.player.quit = True
        # a second one: no waiting for a show that does not end
        signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)

    def _hang_up(self, signum: int, frame) -> None:
        if self.hung_up:
            return
        self.hung_up = True
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            where = str(self.log_path)
        except OSError:
            fd, where = os.open(os.devnull, os.O_WRONLY), "nowhere (the log file could not be opened)"
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        os.write(fd, f"--- {stamp}: the terminal closed; vj play (pid {os.getpid()}) plays on ---\n".encode())
        for std in (1, 2):
            os.dup2(fd, std)
        os.close(fd)
        # said on the panel (and in the log) by the frame loop, not here
        self.player.outside_news.append(f"the terminal that started vj play closed (SIGHUP): the show plays on "
                                        f"(Ctrl+Q ends it, or kill {os.getpid()}); its messages now go to {where}")
