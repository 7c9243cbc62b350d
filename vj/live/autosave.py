"""Autosave and resume: nothing of the live show is lost to a crash.

Twice a second (``SAVE_EVERY``) the player hands the show's state to a writer thread, which writes it
atomically (:func:`vj.fileio.atomic_write`: a temporary file, fsync, rename), so a ``kill -9``, a
power cut or a full disk leaves the last state or the one before, never half of one.  The frame
thread never waits for the disk.  The state: the song, its bar, the clip on screen, the armed song,
a tempo set or tapped by hand (and x2, nudge), every show setting (the faders), the blackout
(:class:`vj.show.resume.ResumePoint`), the effects switched and set live, plus whether the show was still running: a clean end writes
``running = false``.

On the next start, ``vj play --resume`` continues from the saved state at once; without it, a state
left ``running`` (an unclean exit) makes vj ask, and continue unless told no within ``PROMPT_WAIT``
seconds (on stage, after a crash, continuing is what the performer wants; nobody may be at the
keyboard).  One state file per show (setlist or bank), in ``$VJ_STATE_DIR``, else
``$XDG_STATE_HOME/vj``, else ``~/.local/state/vj``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import select
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from ..fileio import atomic_write
from ..show.plan import SongPlan
from ..show.resume import ResumePoint

#: seconds between saves (the issue's "twice a second"; one save is a few hundred bytes and an fsync)
SAVE_EVERY = 0.5
#: seconds the start-up question waits for an answer before it continues the show
PROMPT_WAIT = 10.0
FORMAT = 1


def state_dir() -> Path:
    """Where show states are kept: $VJ_STATE_DIR, else $XDG_STATE_HOME/vj, else ~/.local/state/vj."""
    if os.environ.get("VJ_STATE_DIR"):
        return Path(os.environ["VJ_STATE_DIR"]).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base).expanduser() / "vj"


def state_path(target: str | Path) -> Path:
    """The state file of the show started as ``vj play TARGET`` (one per setlist or bank)."""
    full = str(Path(target).expanduser().resolve()) if Path(target).expanduser().exists() else str(target)
    slug = re.sub(r"[^\w.-]+", "_", Path(full).stem)[:40] or "show"
    digest = hashlib.sha1(full.encode()).hexdigest()[:10]
    return state_dir() / f"show-{slug}-{digest}.json"


@dataclass(frozen=True, slots=True)
class SavedShow:
    """A state file as read back."""

    point: ResumePoint
    running: bool          #: True: the show did not end cleanly (a crash, a kill)
    pid: int
    saved_at: float        #: time.time() of the save
    song_title: str
    target: str

    def describe(self) -> str:
        ago = max(0.0, time.time() - self.saved_at)
        when = f"{ago:.0f} s ago" if ago < 120 else f"{ago / 60:.0f} min ago" if ago < 7200 else \
            time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        p = self.point
        what = f"song {p.song + 1} '{self.song_title}', bar {p.song_bar}" + (f", clip '{p.clip}'" if p.clip else "")
        return f"{what} ({when})"


def read_state(path: Path) -> SavedShow | None:
    """The saved show at ``path``; None when there is none or it cannot be read (said on stderr)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        print(f"vj: the saved show state {path} cannot be read ({exc}); starting from the top", file=sys.stderr)
        return None
    try:
        if data.get("format") != FORMAT:
            raise ValueError("another format")
        return SavedShow(ResumePoint.from_dict(data["show"]), bool(data.get("running")), int(data.get("pid", 0)),
                         float(data.get("saved_at", 0.0)), str(data.get("song_title", "")), str(data.get("target", "")))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        print(f"vj: the saved show state {path} is damaged ({exc}); starting from the top", file=sys.stderr)
        return None


def match_plans(saved: SavedShow, plans: list[SongPlan]) -> tuple[ResumePoint, list[str]]:
    """The saved point fitted to the show as it is now (the setlist may have changed since), and what did not fit."""
    point, notes = saved.point, []
    titles = [p.title for p in plans]
    song = point.song
    if not (0 <= song < len(plans) and titles[song] == saved.song_title) and saved.song_title in titles:
        song = titles.index(saved.song_title)       # the song moved in the setlist: follow it by title
    if not 0 <= song < len(plans):
        notes.append(f"the saved song {point.song + 1} is not in the setlist any more: starting at song 1")
        song = 0
    armed = point.armed if point.armed is not None and 0 <= point.armed < len(plans) else None
    return replace(point, song=song, armed=armed), notes


def pid_alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def ask_resume(saved: SavedShow, *, stdin: TextIO = sys.stdin, out: TextIO = sys.stderr,
               wait: float = PROMPT_WAIT) -> bool:
    """Ask whether to continue an unclean show; yes unless answered no within ``wait`` s (or stdin is closed)."""
    out.write(f"vj: the last show stopped unexpectedly at {saved.describe()}.\n"
              f"vj: continue from there? [Y/n] (continuing in {wait:.0f} s) ")
    out.flush()
    try:
        ready, _, _ = select.select([stdin], [], [], wait)
        answer = stdin.readline() if ready else ""
    except (OSError, ValueError):   # no usable stdin
        answer = ""
    no = answer.strip().lower() in ("n", "no")
    out.write("\n" if not answer else "")
    out.write("vj: starting from the top\n" if no else "vj: continuing the show\n")
    out.flush()
    return not no


class Autosave:
    """Writes the latest state given to :meth:`save` from its own thread; :meth:`close` writes the last one."""

    def __init__(self, path: Path, target: str):
        self.path = Path(path)
        self.target = target
        self.saves = 0
        self.errors = 0
        self.last_error = ""
        self._latest: dict | None = None
        self._cond = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="autosave", daemon=True)
        self._thread.start()

    def save(self, point: ResumePoint, song_title: str, *, running: bool = True) -> None:
        """The show's state now (frame thread: never blocks on the disk)."""
        data = {"format": FORMAT, "target": self.target, "running": running, "pid": os.getpid(),
                "saved_at": time.time(), "song_title": song_title, "show": point.to_dict()}
        with self._cond:
            self._latest = data
            self._cond.notify()

    def close(self, point: ResumePoint | None = None, song_title: str = "") -> None:
        """A clean end: the last state, marked not running, written before this returns."""
        if point is not None:
            self.save(point, song_title, running=False)
        with self._cond:
            self._stop = True
            self._cond.notify()
        self._thread.join(timeout=5.0)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._latest is None and not self._stop:
                    self._cond.wait()
                data, self._latest, stop = self._latest, None, self._stop
            if data is not None:
                try:
                    atomic_write(self.path, json.dumps(data, indent=1) + "\n")
                    self.saves += 1
                except OSError as exc:   # a full or read-only disk: the show goes on, the state is not kept
                    self.errors += 1
                    self.last_error = str(exc)
            if stop:
                return
