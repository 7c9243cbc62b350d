"""The audio input as the performer must know it: lost, back, and for how long.

The feed never raises and never stops (a dead input gives silence by the wall clock, the tempo runs
on), so a lost input would go unnoticed but for this: a few times a second the player asks the feed's
status; a change from connected to not is said at once (stderr and the panel), with the device, the
reason and what the show does meanwhile, and the return is said with how long it was gone.  The
counts go into ``--stats``.  A file input that ends is said once, as news, not as a fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..audio.feed import AudioFeed, InputStatus

#: seconds between status checks (a check copies a few numbers from the ring's header)
CHECK_EVERY = 0.25


@dataclass(slots=True)
class AudioWatch:
    """``poll(now)`` once per frame; ``say(level, text)`` reports a change (level: "warning" or "info")."""

    feed: AudioFeed
    say: Callable[[str, str], None]
    #: say a file's end; False where the player says it itself (--tracks: "the last song's track has ended"),
    #: which made the end of a show said twice in two wordings
    say_end: bool = True
    dropouts: int = 0
    lost_s: float = 0.0
    longest_s: float = 0.0
    status: InputStatus | None = None
    _lost_at: float | None = None
    _next: float = 0.0
    _ended: bool = False
    history: list[tuple[float, str]] = field(default_factory=list)   #: (time, state) changes

    def poll(self, now: float) -> None:
        if now < self._next:
            return
        self._next = now + CHECK_EVERY
        try:
            st = self.feed.status()
        except Exception:  # noqa: BLE001 - a feed that cannot say must not stop the show
            return
        old, self.status = self.status, st
        if old is None or old.state == st.state:
            return
        self.history.append((now, st.state))
        if st.state == "ended" and not self._ended:
            self._ended = True
            if self.say_end:
                self.say("info", f"the audio file {st.device} ended: the show runs on at its last tempo")
        elif old.connected and not st.connected and st.state == "disconnected":
            self._lost_at = now
            self.dropouts += 1
            why = f" ({st.error.splitlines()[0][:160]})" if st.error else ""
            self.say("warning", f"audio input lost: {st.device}{why}. The show runs on at the last tempo; "
                                "vj reconnects by itself when the device is back (tap or set a tempo meanwhile). "
                                "Fix: check the interface, its cable and its driver (JACK, PipeWire)")
        elif st.connected and self._lost_at is not None:
            gone = now - self._lost_at
            self._lost_at = None
            self.lost_s += gone
            self.longest_s = max(self.longest_s, gone)
            self.say("info", f"audio input back: {st.device}, after {gone:.1f} s without it")

    def label(self, base: str) -> str:
        """The input's line for the panel and HUD: ``base``, marked while the input is lost."""
        if self._lost_at is not None:
            return f"{base}  LOST (reconnecting)"
        return base

    def summary(self, now: float) -> dict:
        lost = self.lost_s + (now - self._lost_at if self._lost_at is not None else 0.0)
        return {"dropouts": self.dropouts, "lost_s": round(lost, 2), "longest_lost_s": round(
            max(self.longest_s, now - self._lost_at if self._lost_at is not None else 0.0), 2),
            "connected_at_end": bool(self.status.connected) if self.status is not None else None,
            "state_at_end": self.status.state if self.status is not None else ""}
