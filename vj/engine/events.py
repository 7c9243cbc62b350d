"""Control events: the one vocabulary keyboard, OSC, MIDI and setlist cues all speak."""

from __future__ import annotations

from dataclasses import dataclass
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


Event = Union[Cue, NextClip, PrevClip, SwitchNow, Blackout, SetRules, ClipFailed]
