"""Control events: the one vocabulary keyboard, OSC, MIDI and setlist cues all speak."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True, slots=True)
class Cue:
    """Make ``clip_id`` the next clip; with ``switch`` also fly into it on the next beat."""

    clip_id: str
    switch: bool = False


@dataclass(frozen=True, slots=True)
class NextClip:
    """Fly into the next clip in order, starting on the next beat."""


@dataclass(frozen=True, slots=True)
class PrevClip:
    """Fly into the previous clip in order, starting on the next beat."""


@dataclass(frozen=True, slots=True)
class SwitchNow:
    """Start the zoom-through to the queued next clip on the next beat."""


@dataclass(frozen=True, slots=True)
class Blackout:
    on: bool


@dataclass(frozen=True, slots=True)
class SetRules:
    """Change show rules live, e.g. ``SetRules({'switch_bars': 4})``; unknown names are rejected."""

    changes: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ClipFailed:
    """A clip cannot be played (it failed to open or decode): leave it out of the show."""

    clip_id: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TapTempo:
    """The performer tapped a beat at time ``at`` (show seconds); taps set a manual grid."""

    at: float


@dataclass(frozen=True, slots=True)
class AutoTempo:
    """Back to the audio tracker after tapping (keeps any x2 or /2, nudge and resync)."""


@dataclass(frozen=True, slots=True)
class Nudge:
    """Move the beat grid later (positive) or earlier (negative), in seconds."""

    seconds: float


@dataclass(frozen=True, slots=True)
class TempoScale:
    """Double (2.0) or halve (0.5) the tempo the show follows; 1.0 resets."""

    factor: float


@dataclass(frozen=True, slots=True)
class Resync:
    """The beat nearest ``at`` is a downbeat: the bar starts there."""

    at: float


@dataclass(frozen=True, slots=True)
class SetLatency:
    """Schedule visuals this many seconds ahead (input + display latency)."""

    seconds: float


@dataclass(frozen=True, slots=True)
class StartSong:
    """Change song: rotate through ``clip_ids`` from now on, the first one flying in on the next
    downbeat that leaves a whole flight; ``rules`` are the song's show rules (e.g. switch_bars)."""

    clip_ids: tuple[str, ...]
    rules: dict = field(default_factory=dict)


Event = Union[Cue, NextClip, PrevClip, SwitchNow, Blackout, SetRules, ClipFailed,
              TapTempo, AutoTempo, Nudge, TempoScale, Resync, SetLatency, StartSong]
