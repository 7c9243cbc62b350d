"""The show engine: pure and deterministic.

Time, an audio snapshot and control events go in; a :class:`FrameDesc` (what to
draw, with a :class:`ShowReport` of where the show is) comes out.  No devices, files,
threads or GL here, so the live player and the offline rehearsal run exactly the same
show.  ``RULES`` is the one table of show settings (names, ranges, units, help).
"""

from .events import (AutoTempo, Blackout, ClipFailed, ClipRestored, Cue, Event, ExternalTempo, NextClip, Nudge, PrevClip, Resync,
                     SetEffect, SetFlight, SetFocus, SetLatency, SetRules, SetTempo, SongEnds, StartSong, SwitchNow, TapTempo, TempoScale,
                     ToggleEffect)
from .frame import EffectDesc, FrameDesc, LayerDesc, ShowReport
from .rules import RULES, TEMPO_RANGE, Rule, ShowRules
from .clipref import LOOP_MODES, ClipRef
from .show import ShowEngine

__all__ = [
    "AutoTempo", "EffectDesc", "ExternalTempo", "SetEffect", "SetFlight", "SetFocus", "SetTempo", "SongEnds", "StartSong", "Nudge", "Resync", "SetLatency", "TapTempo", "TempoScale",
    "Blackout", "ClipFailed", "ClipRestored", "ClipRef", "Cue", "Event", "FrameDesc", "LayerDesc", "LOOP_MODES", "NextClip", "PrevClip",
    "RULES", "Rule", "SetRules", "ShowEngine", "ShowReport", "ShowRules", "SwitchNow", "TEMPO_RANGE", "ToggleEffect",
]
