"""Failed clips, tried again off the frame thread once their files are back (live play only).

A clip fails when its file goes missing, is cut short or its drive stops answering; the show leaves it
out.  A drive plugged back in, or a file copied again, should bring it back without a restart.  This
thread looks at each failed clip's file every ``RETRY_EVERY`` s: when the file is there, and either it
changed since the clip failed or the clip has not failed since it was last restored, it decodes the
file's first frame and its last second (:func:`vj.probe.decode_check`); a clip that passes is handed
back (:meth:`ClipRetry.take`) and rejoins the show.  All file access happens on this thread: a stat
or an open on a dying drive can block for seconds, which the frame thread must never do.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from ..fileio import stamp
from ..probe import decode_check

#: seconds between looks at the failed clips' files (a look is a stat per failed clip)
RETRY_EVERY = 1.0


@dataclass(frozen=True, slots=True)
class RetrySpec:
    """What to decode to call a clip whole again: its file, where it ends (s) and its frame rate."""

    path: Path
    end: float
    fps: float


class ClipRetry:
    """``failed(clip_id)`` from the frame thread; ``take()`` the clips that are whole again."""

    def __init__(self, specs: dict[str, RetrySpec], every: float = RETRY_EVERY):
        self.specs = specs
        self.every = every
        self._new: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[str] = queue.SimpleQueue()
        #: per failed clip: the file's signature when last found bad (None: not looked at yet)
        self._waiting: dict[str, tuple[int, int] | None | str] = {}
        #: clips restored once that failed again: tried only after their file changes
        self._relapsed: set[str] = set()
        self._restored: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="clip-retry", daemon=True)
        self._thread.start()

    def failed(self, clip_id: str) -> None:
        """The clip failed (frame thread: never blocks)."""
        if clip_id in self.specs:
            self._new.put(clip_id)

    def take(self) -> list[str]:
        """Clips whose files decode whole again since the last call (frame thread: never blocks)."""
        out: list[str] = []
        while True:
            try:
                out.append(self._done.get_nowait())
            except queue.Empty:
                return out

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)

    # -- the retry thread ---------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.wait(self.every):
            while True:
                try:
                    cid = self._new.get_nowait()
                except queue.Empty:
                    break
                if cid in self._restored:
                    self._relapsed.add(cid)
                # a clip that relapsed waits for its file to change; one seen for the first time is looked at now
                self._waiting[cid] = stamp(self.specs[cid].path) if cid in self._relapsed else "new"
            for cid, seen in list(self._waiting.items()):
                if self._stop.is_set():
                    return
                spec = self.specs[cid]
                now = stamp(spec.path)
                if now is None or now == seen:
                    if now is None:
                        self._waiting[cid] = None   # missing: any file that appears is a change
                    continue
                if decode_check(spec.path, spec.end, spec.fps) is None:
                    del self._waiting[cid]
                    self._restored.add(cid)
                    self._done.put(cid)
                else:
                    self._waiting[cid] = now        # still bad: wait for the file to change again
