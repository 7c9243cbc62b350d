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
class ClipRestored:
    """A clip that failed plays again (its file came back whole): it rejoins the show."""

    clip_id: str


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
class SetTempo:
    """The performer typed or sent a tempo: a manual grid at ``bpm``, keeping the current beat phase
    (or with a beat at ``at`` when nothing is locked).  ``AutoTempo`` returns to the automatic sources."""

    bpm: float
    at: float
    source: str = "set"


@dataclass(frozen=True, slots=True)
class ExternalTempo:
    """A clock outside vj (MIDI clock, Ableton Link) says: beat number ``beat`` falls at show time ``at``,
    at ``bpm``.  It drives the show while fresh (updates at least every ``EXTERNAL_TIMEOUT`` s);
    ``running=False`` (clock stopped) hands back to the audio tracker at once.  ``beat`` may be
    fractional; whole multiples of beats_per_bar are downbeats."""

    source: str
    bpm: float
    at: float
    beat: float = 0.0
    running: bool = True


@dataclass(frozen=True, slots=True)
class SetFocus:
    """Where the camera heads in ``clip_id`` (normalised, (0, 0) top-left): the point its successor
    emerges from.  It applies from the clip's next appearance on screen (moving it mid-shot would
    jump the picture); ``clip_id`` empty = the clip after the one on screen."""

    x: float
    y: float
    clip_id: str = ""


@dataclass(frozen=True, slots=True)
class StartSong:
    """Change song: rotate through ``clip_ids`` from now on, the first one flying in on the next
    downbeat that leaves a whole flight; ``rules`` are the song's show rules (e.g. switch_bars);
    ``flight`` how its flights are drawn (see :class:`SetFlight`; None keeps the one in force)."""

    clip_ids: tuple[str, ...]
    rules: dict = field(default_factory=dict)
    flow: bool = False   #: order "flow": each next clip is the one that best continues the picture (vj.look)
    flight: str | None = None


@dataclass(frozen=True, slots=True)
class SongEnds:
    """The playing song's track ends at show time ``at`` and the next song flies in then (known in rehearsal and
    ``vj play --tracks``; None: not known, as with a band, or the last song).  A clip's flight that would land
    too near that end is not started: the song-change flight follows the end at once, and the clip would only
    flash by."""

    at: float | None


@dataclass(frozen=True, slots=True)
class SetFlight:
    """How flights are drawn from the next one on: "" the zoom-through, else the name of an ISF
    transition (the two clips full-screen, blended by it with the same timing: it lands on the downbeat)."""

    name: str = ""


@dataclass(frozen=True, slots=True)
class SetEffect:
    """A control moved an effect's input (``fx/EFFECT/INPUT``): ``value`` replaces its binding until
    the song changes.  ``input`` "on" switches the effect on or off.  The show loop takes these
    (the engine draws no effects)."""

    effect: str
    input: str
    value: Any


@dataclass(frozen=True, slots=True)
class ToggleEffect:
    """Switch the playing song's ``slot``-th effect (1-based, the setlist's order) on or off: a key or a
    pad that needs no effect name (``fx/toggle``), so F1 works in every song."""

    slot: int


Event = Union[Cue, NextClip, PrevClip, SwitchNow, Blackout, SetRules, ClipFailed, ClipRestored,
              TapTempo, AutoTempo, Nudge, TempoScale, Resync, SetLatency, StartSong, SetTempo,
              ExternalTempo, SetFocus, SetFlight, SetEffect, ToggleEffect, SongEnds]
