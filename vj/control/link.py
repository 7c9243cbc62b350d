"""Ableton Link: follow the session's tempo and phase, or lead it with vj's.

Optional (``pip install 'vj[link]'``): Ableton Link is GPL-2+, so vj does not depend on it; the
wrapper used, LinkPython-extern, is a wheel (no build) with a synchronous API that needs no event
loop of ours.  A poll thread (100 Hz) reads or writes the session state and talks to the show only
through ``ShowControl``: ``submit_clock`` to follow (source ``link``, below manual tempo and above
the audio tracker, see docs/CONTROL.md), a clock listener to lead.

Link's clock is not ``time.monotonic()`` (on Linux it counts CLOCK_MONOTONIC_RAW): every poll
measures the offset between them (the tightest of three readings), so stamps stay exact even when
NTP slews one clock against the other.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from typing import Callable

from ..errors import Problem, VjError
from .controller import ClockReading, ShowControl

POLL = 0.01          #: seconds between polls
LEAD_PHASE = 0.002   #: seconds of phase difference before a leader moves the session's beat


def _import_link():
    try:
        import link  # LinkPython-extern
    except ImportError:
        raise VjError(Problem("--link", "Ableton Link is not installed",
                              fix="install it with `.venv/bin/pip install 'vj[link]'` (Ableton Link is GPL-2+; "
                                  "vj runs without it)")) from None
    return link


class LinkSurface:
    """One Link peer: ``mode`` "follow" (the session drives the show while it has other peers) or "lead"."""

    def __init__(self, controls: ShowControl, *, mode: str = "follow", quantum: int = 4, bpm: float = 120.0,
                 log: Callable[[str], None] | None = None):
        if mode not in ("follow", "lead"):
            raise VjError(Problem("--link", f"unknown Link mode '{mode}'", fix="use --link follow or --link lead"))
        self.controls = controls
        self.mode = mode
        self.quantum = quantum
        self.log = log or (lambda line: print(f"vj: link: {line}", file=sys.stderr, flush=True))
        self.link = _import_link().Link(bpm)
        self.link.enabled = True
        self._stop = threading.Event()
        self._lead: tuple[float, float, float] | None = None   # (monotonic, beat position, bpm) from the show
        self._lock = threading.Lock()
        self.peers = 0
        self.following = False
        self._thread = threading.Thread(target=self._run, name="link", daemon=True)

    # -- clocks ------------------------------------------------------------------------------------
    def offset(self) -> float:
        """time.monotonic() minus Link's clock, in seconds (the reading with the shortest round trip)."""
        best = None
        clock = self.link.clock()
        for _ in range(3):
            a = time.monotonic()
            us = clock.micros()
            b = time.monotonic()
            if best is None or b - a < best[0]:
                best = (b - a, (a + b) / 2 - us / 1e6)
        return best[1]

    # -- life ---------------------------------------------------------------------------------------
    def start(self) -> "LinkSurface":
        if self.mode == "lead":
            self.controls.add_clock_listener(self._on_show_clock)
        self._thread.start()
        self.log(f"on ({self.mode}); peers appear within a second or two on the same network")
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)
        if self.following:
            self.controls.submit_clock(ClockReading("link", 120.0, 0.0, time.monotonic(), running=False))
        self.link.enabled = False

    def _on_show_clock(self, mono: float, beat: float, bpm: float) -> None:
        """Frame thread: remember where the show is; the poll thread publishes it."""
        with self._lock:
            self._lead = (mono, beat, bpm)

    def _run(self) -> None:
        while not self._stop.wait(POLL):
            try:
                self._poll()
            except Exception as exc:  # Link trouble must never reach the show
                self.log(f"{type(exc).__name__}: {exc}")

    def _poll(self) -> None:
        peers = self.link.numPeers()
        if peers != self.peers or "link" not in self.controls.surfaces:
            if peers != self.peers:
                self.log(f"{peers} other peer(s) in the session")
            self.peers = peers
            self.controls.surfaces["link"] = f"{self.mode}, {peers} peer(s)"
        off = self.offset()
        if self.mode == "follow":
            if peers == 0:
                if self.following:  # alone again: hand back to the tracker at once
                    self.following = False
                    self.controls.submit_clock(ClockReading("link", 120.0, 0.0, time.monotonic(), running=False))
                return
            us = self.link.clock().micros()
            state = self.link.captureSessionState()
            self.controls.submit_clock(ClockReading("link", state.tempo(), state.beatAtTime(us, self.quantum),
                                                    us / 1e6 + off))
            self.following = True
            return
        with self._lock:
            lead = self._lead
        if lead is None:
            return
        mono, beat, bpm = lead
        us = int((mono - off) * 1e6)
        state = self.link.captureSessionState()
        q = self.quantum
        changed = abs(state.tempo() - bpm) > 0.005
        if changed:
            state.setTempo(bpm, us)
        # the session's phase within the bar against the show's (Link numbers beats its own way, mod quantum)
        err = (state.beatAtTime(us, q) - beat + q / 2.0) % q - q / 2.0
        if changed or abs(err) * 60.0 / bpm > LEAD_PHASE:
            state.forceBeatAtTime(beat, us, q)
            self.link.commitSessionState(state)


def add_link_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("Ableton Link (docs/LINK.md; optional: pip install 'vj[link]')")
    g.add_argument("--link", nargs="?", const="follow", choices=("follow", "lead"), default=None,
                   help="join the Link session: follow its tempo and phase while it has other peers (default), "
                        "or lead it with vj's")


def start_link(args: argparse.Namespace, controls: ShowControl, *, log: Callable[[str], None] | None = None):
    mode = getattr(args, "link", None)
    if mode is None:
        return _NoLink()
    return LinkSurface(controls, mode=mode, log=log).start()


class _NoLink:
    def close(self) -> None:
        pass
