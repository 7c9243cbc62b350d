"""The show engine: pure and deterministic.

Time, an audio snapshot and control events go in; a :class:`FrameDesc` (what to
draw) comes out.  No devices, files, threads or GL here, so the live player and
the offline rehearsal run exactly the same show.
"""

from .events import (AutoTempo, Blackout, ClipFailed, Cue, Event, ExternalTempo, NextClip, Nudge, PrevClip, Resync,
                     SetFocus, SetLatency, SetRules, SetTempo, StartSong, SwitchNow, TapTempo, TempoScale)
from .frame import FrameDesc, LayerDesc
from .rules import ShowRules
from .show import ClipRef, ShowEngine

__all__ = [
    "AutoTempo", "ExternalTempo", "SetFocus", "SetTempo", "StartSong", "Nudge", "Resync", "SetLatency", "TapTempo", "TempoScale",
    "Blackout", "ClipFailed", "ClipRef", "Cue", "Event", "FrameDesc", "LayerDesc", "NextClip", "PrevClip",
    "SetRules", "ShowEngine", "ShowRules", "SwitchNow",
]
