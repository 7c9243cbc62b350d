"""A song's sections and cues, fired as engine events when the show reaches their bar or time.

Pure and shared by live play and rehearsal (it runs in the show loop), so a cue lands on the
same bar in both.  Bars are counted on the show clock from the song's bar 1: its first known downbeat
(ShowLoop), else where the song begins (the show's start; a later song: the downbeat its first clip lands on).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..engine import Blackout, Cue, Event, SetFlight, SetRules
from ..engine.rules import BY_FIELD
from ..setlist import Section
from ..setlist_fx import ZOOM
from .plan import SongPlan


@dataclass(frozen=True, slots=True)
class Fired:
    """A section that fired: when, in which song, and what it was (for the report)."""

    time: float
    song: int
    label: str
    what: str


def section_events(sec: Section, clip_id: str | None) -> list[Event]:
    """What a section does, as engine events (``clip_id``: its cue as the show names the clip)."""
    events: list[Event] = []
    if sec.rules:
        events.append(SetRules(dict(sec.rules)))
    if sec.blackout is not None:
        events.append(Blackout(sec.blackout))
    if sec.transition is not None:
        events.append(SetFlight(_flight_name(sec.transition)))
    if clip_id is not None:
        events.append(Cue(clip_id, switch=True))
    return events


def _flight_name(transition) -> str:
    """A section's transition as the engine names flights: "" the zoom-through, else the transition's name."""
    return "" if transition == ZOOM else transition.name


def flight_after(plan: SongPlan | None, sections) -> str:
    """The flight style of a song after ``sections`` of it fired (its own, then each section's change)."""
    flight = plan.flight if plan is not None else ""
    for sec in sections:
        if sec.transition is not None:
            flight = _flight_name(sec.transition)
    return flight


def describe(sec: Section) -> str:
    """What a section changes, in the setlist's words ("switch_bars=2, zoom_speed=0.25, cue portals")."""
    shown = {BY_FIELD[k].name or k: BY_FIELD[k].public(v) for k, v in sec.rules.items()}
    parts = [f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in shown.items()]
    if sec.cue is not None:
        parts.append(f"cue {sec.cue}")
    if sec.blackout is not None:
        parts.append("blackout" if sec.blackout else "blackout off")
    for change in sec.effects:
        what = [] if change.on is None else ["on" if change.on else "off"]
        what += [name for name, _ in change.bindings]
        parts.append(f"fx {change.name} {' '.join(what)}".rstrip())
    if sec.transition is not None:
        parts.append(f"transition {_flight_name(sec.transition) or ZOOM}")
    return ", ".join(parts)


class SectionSchedule:
    """The sections of the song that is playing; ``due`` returns the events whose moment has come."""

    def __init__(self, sections: tuple[Section, ...] = ()):
        self.sections = sections
        self.t0 = 0.0
        self.bar0 = 0
        self.fired: set[int] = set()

    def restart(self, sections: tuple[Section, ...], t0: float, bar0: int) -> None:
        self.sections, self.t0, self.bar0, self.fired = sections, t0, bar0, set()

    def due(self, t: float, bar_position: float) -> list[Section]:
        """Sections reached at show time ``t`` with the show clock at ``bar_position`` (bars since the show began)."""
        bar = math.floor(bar_position + 1e-6) - self.bar0 + 1 if bar_position > -1e8 else -1  # 1-based
        out = []
        for k, sec in enumerate(self.sections):
            if k in self.fired:
                continue
            if (sec.bar is not None and bar >= sec.bar) or (sec.time is not None and t - self.t0 >= sec.time):
                self.fired.add(k)
                out.append(sec)
        return out
