"""Tempo sources and manual control between the tracker and the show.

A processor like the others: a BeatState and the time in, a BeatState out.  Pure
(no clock of its own), so the performer's corrections replay identically.

Which source drives the show, highest first (docs/CONTROL.md):

1. manual: taps, or a tempo typed/sent (``set``) -- the performer's latest word, until ``auto``;
2. an external clock (MIDI clock, Ableton Link) while it runs and keeps updating;
3. the audio beat tracker.

x2 and /2, nudge and resync then apply to whichever source drives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..audio.snapshot import BeatState

#: taps further apart than this (40 BPM) start a new tap sequence
TAP_RESET = 1.5
#: taps closer than this (300 BPM) are a bounce or a double press: ignored
TAP_MIN = 0.2
#: the most a performer's nudges move the beat grid, in total (seconds either way): half a beat at
#: 60 BPM; beyond it a nudge is a different beat, which a resync (R) says better
NUDGE_LIMIT = 0.5
#: taps used for the tempo estimate
TAP_WINDOW = 8
#: an external clock that has not updated for this long (seconds) no longer drives the show
EXTERNAL_TIMEOUT = 1.0


@dataclass(frozen=True, slots=True)
class Grid:
    """A fixed beat grid: beat number ``beat`` falls at time ``at``, one beat every ``period`` s."""

    period: float
    at: float
    beat: float
    source: str

    def state(self, t: float, beats_per_bar: int) -> BeatState:
        k = math.floor((t - self.at) / self.period + self.beat + 1e-9)
        last = self.at + (k - self.beat) * self.period
        return BeatState(bpm=60.0 / self.period, confidence=1.0, beat_count=k, last_beat=last,
                         next_beat=last + self.period, beats_per_bar=beats_per_bar,
                         bar_beat=k % beats_per_bar, source=self.source)


@dataclass(slots=True)
class TempoControl:
    """Holds the performer's tempo overrides and applies them to the tracker's state."""

    beats_per_bar: int = 4
    taps: list[float] = field(default_factory=list)
    tapping: bool = False        #: a tapped grid replaces the tracker
    scale: float = 1.0           #: 2.0 = double time, 0.5 = half time
    offset: float = 0.0          #: nudge, seconds (positive = later)
    downbeat_at: float | None = None  #: resync: the beat nearest this time is a downbeat
    manual: Grid | None = None   #: a tempo set by hand (OSC, MIDI, typed): beats like taps
    external: Grid | None = None  #: the latest word of an external clock
    external_seen: float = -math.inf  #: show time it arrived

    # -- events -----------------------------------------------------------------
    def tap(self, at: float) -> None:
        if self.taps and 0.0 <= at - self.taps[-1] < TAP_MIN:
            return
        if self.taps and (at - self.taps[-1] > TAP_RESET or at <= self.taps[-1]):
            self.taps = []
        self.taps = (self.taps + [at])[-TAP_WINDOW:]
        if len(self.taps) >= 2:
            self.tapping = True
            self.manual = None

    def set_bpm(self, bpm: float, at: float, beat: float = 0.0, source: str = "set") -> None:
        """A manual grid at ``bpm`` with beat number ``beat`` at ``at`` (keep the bar phase by passing it)."""
        self.manual = Grid(60.0 / bpm, at, beat, source)
        self.tapping = False
        self.taps = []

    def set_external(self, grid: Grid | None, now: float) -> None:
        """The external clock's latest word (``None``: it stopped)."""
        self.external = grid
        self.external_seen = now

    def auto(self) -> None:
        self.tapping = False
        self.taps = []
        self.manual = None

    def nudge(self, seconds: float) -> bool:
        """Move the grid by ``seconds``; the total stays within ±``NUDGE_LIMIT`` (False when it was held there)."""
        want = self.offset + seconds
        self.offset = min(NUDGE_LIMIT, max(-NUDGE_LIMIT, want))
        return abs(want - self.offset) < 1e-9

    def manual_tempo(self) -> tuple[str, float] | None:
        """The tempo set or tapped by hand, as (source, BPM); None while another source drives."""
        if self.tapping and len(self.taps) >= 2:
            period = self.tapped_grid().period
            return ("tap", 60.0 / period) if period > 0 else None
        if self.manual is not None:
            return self.manual.source, 60.0 / self.manual.period
        return None

    def set_scale(self, factor: float) -> None:
        if factor == 1.0:
            self.scale = 1.0
        else:
            self.scale = min(4.0, max(0.25, self.scale * factor))

    def resync(self, at: float) -> None:
        self.downbeat_at = at

    def beats_since_resync(self, t: float, beat: BeatState) -> float | None:
        """Beats from the 1 the resync in force made (the beat nearest ``downbeat_at``) to ``t``, on ``beat`` (the
        state :meth:`apply` returned); None without a resync or a tempo."""
        if self.downbeat_at is None or not beat.locked:
            return None
        return beat.beat_position(t) - round(beat.beat_position(self.downbeat_at))

    def new_song(self) -> None:
        """A song change: the bar line a resync set was the previous song's (extrapolated into the next song at
        its tempo it would put the 1 anywhere), so the tracker's own downbeat holds until the next resync."""
        self.downbeat_at = None

    # -- processing ---------------------------------------------------------------
    def tapped_grid(self) -> Grid:
        """The beat grid of the taps: period from a least-squares fit, phase from the taps (beat 0 at tap 0)."""
        n = len(self.taps)
        xs = list(range(n))
        mx = sum(xs) / n
        my = sum(self.taps) / n
        var = sum((x - mx) ** 2 for x in xs)
        period = sum((x - mx) * (y - my) for x, y in zip(xs, self.taps)) / var
        anchor = my - period * mx  # time of tap 0 on the fitted line
        return Grid(period, anchor, 0.0, "tap")

    def driving(self, t: float, beat: BeatState) -> BeatState:
        """The beat state of the source that drives the show at ``t`` (before x2, nudge, resync)."""
        if self.tapping and len(self.taps) >= 2:
            return self.tapped_grid().state(t, self.beats_per_bar)
        if self.manual is not None:
            return self.manual.state(t, self.beats_per_bar)
        if self.external is not None and t - self.external_seen <= EXTERNAL_TIMEOUT:
            return self.external.state(t, self.beats_per_bar)
        return beat

    def apply(self, t: float, beat: BeatState) -> BeatState:
        beat = self.driving(t, beat)
        if not beat.locked:
            return beat
        if self.offset:
            beat = replace(beat, last_beat=beat.last_beat + self.offset, next_beat=beat.next_beat + self.offset)
        if self.scale != 1.0:
            beat = _scaled(beat, self.scale, t)
        if self.downbeat_at is not None:
            idx = round(beat.beat_position(self.downbeat_at))
            beat = replace(beat, bar_beat=(beat.beat_count - idx) % beat.beats_per_bar)
        if self.scale != 1.0 or self.offset:
            parts = [beat.source]
            if self.scale != 1.0:
                parts.append(f"x{self.scale:g}")
            if self.offset:
                parts.append(f"{self.offset * 1000:+.0f}ms")
            beat = replace(beat, source=" ".join(parts))
        return beat


def _scaled(beat: BeatState, factor: float, t: float) -> BeatState:
    """The same grid at ``factor`` times the tempo (2: a beat between each beat; 0.5: every other beat)."""
    period = (beat.next_beat - beat.last_beat) / factor
    pos = beat.beat_position(t) * factor          # continuous count on the new grid
    k = math.floor(pos + 1e-9)
    last = beat.last_beat + (k - beat.beat_count * factor) * period
    bar_beat = int(round(beat.bar_beat * factor + (k - beat.beat_count * factor))) % beat.beats_per_bar
    bpm = beat.bpm * factor if beat.bpm > 0.0 else 60.0 / period
    return replace(beat, bpm=bpm, beat_count=k, last_beat=last, next_beat=last + period, bar_beat=bar_beat)
