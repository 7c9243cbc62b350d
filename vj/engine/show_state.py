"""The show engine's mutable state between steps: the segment on screen, the flight in the air, the pending
switch (package-private: :mod:`vj.engine.show` and :mod:`vj.engine.show_events` share it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

#: a flight planned on a 1 whose landing the bar line moved from (the tracker finding the new song's tempo, its known
#: downbeat) lands on the moved 1 when that is at least this many beats ahead, else on the 1 a bar later: its
#: progress is stretched or squeezed to it, and a 1 left less than a beat ahead would rush the flight's end
RETARGET_MIN_BEATS = 1.0


@dataclass(slots=True)
class Segment:
    index: int
    instance: int
    start_beat: float   #: beat position at which it filled the screen
    start_time: float   #: time its playback started (it starts while flying in)
    focus: tuple[float, float]
    log2_size: float = 0.0       #: drift so far, accumulated so a live speed change never rescales the past
    last_pw: float | None = None
    follow: bool = False         #: the focus follows the clip's track (no SetFocus override when it entered)
    opening: bool = False        #: the show's first clip (no flight brought it in)


@dataclass(slots=True)
class Transition:
    to_index: int
    instance: int
    start_beat: float
    end_beat: float
    start_time: float
    fixed: tuple[float, float]      #: P, the zoom's fixed point on screen
    a_center: tuple[float, float]   #: A's layer at the start
    a_size: float
    b_center: tuple[float, float]   #: B's layer centre at the start (B's focus then lies on A's focus)
    b_focus: tuple[float, float] = (0.5, 0.5)  #: B's focus in its layer: where it emerges from, its mask's centre
    song: bool = False              #: this flight brings in an armed song (StartSong)
    #: planned to land on a 1 (an automatic or a song's flight; a performer's switch lands on the beat it asked
    #: for): where the bar line moves under it (R, a known downbeat, the tracker's bar), it lands on the moved 1
    on_one: bool = False
    style: str = ""                 #: "" the zoom-through, else the ISF transition that blends A into B
    #: the flight's progress starts here in warped beats (``surge``) when it was moved to land on a moved bar line;
    #: None: at ``start_beat``
    warp_start: float | None = None

    def land_at(self, end: float, p: float, warp: Callable[[float], float]) -> None:
        """Land at beat ``end`` instead, the progress carried on from beat ``p`` (``warp``: beats to warped beats):
        what is flown so far stays, the rest is stretched or squeezed linearly in warped beats."""
        pw, pw1 = warp(p), warp(end)
        pw0 = self.warp_start if self.warp_start is not None else warp(self.start_beat)
        tau = min(max((pw - pw0) / (warp(self.end_beat) - pw0), 0.0), 1.0 - 1e-9)
        self.warp_start = pw - tau * (pw1 - pw) / (1.0 - tau)   # progress tau at pw, 1 at pw1
        self.end_beat = end

    def keep_on_the_one(self, clock, p: float, warp: Callable[[float], float]) -> None:
        """A flight planned on a 1 lands on a 1: where the bar line moved under it (the tracker found a new song's
        tempo or bar, a known downbeat resynced, the performer pressed R), it lands on the moved downbeat nearest
        the one it planned, its progress carried on from where it is (the demo's song changes landed on a 2 or 4).
        ``clock``: the show's :class:`~vj.engine.clock.ShowClock`."""
        bpb = clock.beats_per_bar
        if p >= self.end_beat:
            return
        end = float(clock.next_downbeat(self.end_beat - bpb / 2.0))
        if end == self.end_beat:
            return
        if end < p + RETARGET_MIN_BEATS:
            end += bpb
        self.land_at(end, p, warp)


@dataclass(slots=True)
class ShowState:
    current: Segment
    transition: Transition | None = None
    next_index: int = 0
    switch_requested: bool = False
    request_p: float = 0.0   #: beat position when the switch was asked for
    deferred_end: float | None = None  #: a rescheduled automatic flight's end, kept until it flies
    song_change: bool = False  #: a new song flies in on the next downbeat that leaves a whole flight
    blackout: bool = False
    messages: list[str] = field(default_factory=list)
