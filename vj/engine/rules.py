"""Show rules: how the music moves the zoom.  All musical quantities are in beats/bars."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class ShowRules:
    """Defaults give a slow push-in during a clip and a one-bar flythrough every 8 bars."""

    switch_bars: int = 8            #: zoom-through to the next clip every N bars
    beats_per_bar: int = 4
    transition_beats: float = 4.0   #: flythrough length; it ends on a downbeat
    zoom_through: float = 16.0      #: Z: the next clip appears at 1/Z of the screen
    drift_per_bar: float = 0.125    #: doublings of scale per bar while a clip plays
    max_drift: float = 1.5          #: cap on doublings over a clip's life (sharpness of 720p sources)
    pulse: float = 0.5              #: beat surge: share of each beat's zoom front-loaded onto the beat (0 disables)
    pulse_decay: float = 0.3        #: pulse decay constant, in beats
    motion_blur: float = 1.0        #: radial blur strength during fast zoom (0 disables)
    feather: float = 0.12           #: soft edge of the emerging clip, fraction of its size
    fallback_bpm: float = 120.0     #: tempo used until the tracker locks
    latency: float = 0.0            #: seconds to schedule visuals ahead (live display latency)

    def __post_init__(self) -> None:
        problems = []
        if self.switch_bars < 1:
            problems.append("switch_bars must be >= 1")
        if self.beats_per_bar not in (2, 3, 4, 5, 6, 7):
            problems.append("beats_per_bar must be 2..7")
        if not 0.25 <= self.transition_beats <= self.switch_bars * self.beats_per_bar:
            problems.append("transition_beats must be between 0.25 and the switch interval")
        if self.zoom_through < 2.0:
            problems.append("zoom_through must be >= 2")
        if not 20.0 <= self.fallback_bpm <= 400.0:
            problems.append("fallback_bpm must be 20..400")
        if problems:
            raise ValueError("; ".join(problems))

    def with_changes(self, changes: dict[str, Any]) -> "ShowRules":
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown show rule(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return replace(self, **changes)

    @property
    def drift_per_beat(self) -> float:
        """Doublings per beat of the slow push-in, capped so a clip never blurs past ``max_drift``."""
        per_bar = min(self.drift_per_bar, self.max_drift / self.switch_bars)
        return per_bar / self.beats_per_bar
