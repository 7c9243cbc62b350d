"""Hot reload: the setlist file saved while `vj play` runs is read again, off the frame thread.

A watcher thread polls the file's modification time and size (twice a second; no inotify
dependency, works on every filesystem), reads and checks the file, and hands the result to the
frame loop, which applies it at the next bar.  A broken save never stops or changes the show: its
problems (with file and line) are shown, and the show goes on with what it had.  A setlist that is
deleted or whose drive goes away is said too (issue 14, fault 10), and read again when it is back.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import VjError
from ..fileio import stamp

#: a setlist missing this long is gone, not mid-save: an editor's save-by-rename leaves it missing
#: for milliseconds; a second poll still finding nothing a second later is a deletion or a lost drive
GONE_AFTER_S = 1.0


@dataclass(frozen=True, slots=True)
class Reloaded:
    plans: list | None        #: the new songs, or None when the file has problems
    problems: list[str]       #: one line each, with file and line


class SetlistWatcher:
    def __init__(self, path: Path, load: Callable[[Path], list], *, interval: float = 0.5):
        """``load(path)`` returns the plans, or raises VjError listing the problems."""
        self.path = Path(path)
        self.load = load
        self.interval = interval
        self._results: queue.SimpleQueue[Reloaded] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._seen = stamp(self.path)
        self._gone_since: float | None = None
        self._thread = threading.Thread(target=self._run, name="setlist-watch", daemon=True)

    def start(self) -> "SetlistWatcher":
        self._thread.start()
        return self

    def check(self) -> Reloaded | None:
        """Read the file again if it changed since the last look (the watcher thread calls this)."""
        current = stamp(self.path)
        if current is None:   # mid-save (an editor's rename), or gone: said once when it stays gone
            now = time.monotonic()
            if self._gone_since is None:
                self._gone_since = now
            elif self._seen is not None and now - self._gone_since >= GONE_AFTER_S:
                self._seen = None
                return Reloaded(None, [f"{self.path}: the setlist file is gone (deleted, moved, or its drive "
                                       "unplugged). Fix: put it back or save it again; vj reads it again then"])
            return None
        self._gone_since = None
        if current == self._seen:
            return None
        self._seen = current
        try:
            return Reloaded(self.load(self.path), [])
        except VjError as exc:
            return Reloaded(None, [str(p) for p in exc.problems])
        except Exception as exc:  # never let a reload take the show down
            return Reloaded(None, [f"{self.path}: {type(exc).__name__}: {exc}"])

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            result = self.check()
            if result is not None:
                self._results.put(result)

    def take(self) -> Reloaded | None:
        """The latest result, if any (frame thread; never blocks)."""
        latest = None
        while True:
            try:
                latest = self._results.get_nowait()
            except queue.Empty:
                return latest

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2.0)


class PendingReload:
    """A save's new songs, waiting for the next bar to be applied.  The newest save wins: a broken save (or one
    that needs a restart) made before an earlier good one's bar came withdraws it, so what the panel says last
    is what the show does."""

    def __init__(self) -> None:
        self.plans: list | None = None   #: the plans the next bar applies, or None

    def offer(self, got: Reloaded, playing: list) -> str | None:
        """Take a save's outcome against the ``playing`` plans: the warning to say, or None when its plans now
        wait for the next bar."""
        self.plans = None
        if got.plans is None:
            more = f" (and {len(got.problems) - 1} more)" if len(got.problems) > 1 else ""
            return f"setlist not reloaded, the show goes on as it was: {got.problems[0]}{more}"
        if [p.bank.path for p in got.plans] != [p.bank.path for p in playing]:
            return ("setlist saved with songs added, removed or on other banks: vj play takes those only when it "
                    "starts, so the show goes on as it was. Fix: between songs, quit (Ctrl+Q) and run vj play with "
                    "--resume: it continues at the song playing, with the new setlist (the output is gone for the "
                    "seconds the restart takes)")
        self.plans = got.plans
        return None

    def due(self, bar_fired: bool) -> list | None:
        """The plans to apply now (a bar has just fired), or None."""
        if not bar_fired or self.plans is None:
            return None
        plans, self.plans = self.plans, None
        return plans
