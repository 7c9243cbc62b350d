"""The effect rack: which ISF effects are on the output this frame, and every input's value.

Pure and per frame, in the show loop (so `vj play` and `vj rehearse` decide the same): the song's
chain from the setlist, switched and re-bound by its sections and by live controls
(``fx/NAME/INPUT`` -> :class:`~vj.engine.events.SetEffect`), each binding evaluated on the frame's
:class:`~vj.engine.bindings.Signals` (the audio snapshot and the show clock).  The result goes into
the frame description (``FrameDesc.effects``, ``FrameDesc.flight_fx``) complete: the renderer draws
exactly these values, never reading a clock or the audio itself.

Live controls replace an input's binding until the song changes (or a section binds it anew): on
stage, the fader a performer grabs is theirs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

from ..audio.snapshot import AudioSnapshot
from ..engine import EffectDesc, FrameDesc, SetEffect, ToggleEffect
from ..engine.bindings import Binding, Signals, constant
from ..setlist import Section
from ..setlist_fx import EffectChange, EffectSpec, in_use
from .plan import SongPlan


@dataclass(slots=True)
class _Slot:
    """One effect of the song playing: its shader, whether it is on, and what drives each input."""

    spec: EffectSpec
    on: bool
    bindings: dict[str, Binding] = field(default_factory=dict)
    epoch: int = 0
    #: what live controls set (fx/NAME/INPUT, fx/NAME/on, fx/toggle) and no section has set anew since:
    #: the performer's, kept when a saved setlist is reloaded
    live: dict[str, Binding] = field(default_factory=dict)
    live_on: bool | None = None


def song_shaders(plans: Sequence[SongPlan]) -> dict[str, EffectSpec]:
    """Every shader a show uses, by its name (effects, transitions, section transitions)."""
    out: dict[str, EffectSpec] = {}
    for p in plans:
        for spec in in_use(p.effects, p.transition, p.sections):
            out.setdefault(spec.name, spec)
    return out


class EffectRack:
    """The effects of the song playing, as data: ``describe(desc, snapshot)`` adds them to a frame."""

    def __init__(self, plans: Sequence[SongPlan]):
        self.plans = list(plans)
        self.song = 0
        self._chain: list[_Slot] = []
        self._transitions: dict[str, _Slot] = {}
        self._epochs = 0
        self._events: set[tuple[str, str]] = set()   #: event inputs fired by a control, for one frame
        self._prev: tuple[float, float] | None = None
        self._last_onset = -math.inf
        self.messages: list[str] = []
        self.start_song(0)

    # -- what the show does to it --------------------------------------------------------------
    def start_song(self, index: int, sections: Iterable[Section] = ()) -> None:
        """The chain of song ``index`` from now on (then ``sections`` already passed, in order).  An effect
        that stays on under the same name and shader keeps its trails."""
        old = {s.spec.name: s for s in self._chain if s.on}
        self.song = index
        plan = self.plans[index] if index < len(self.plans) else None
        self._chain = []
        for spec in (plan.effects if plan is not None else ()):
            slot = _Slot(spec, spec.on, dict(spec.bindings))
            was = old.get(spec.name)
            if slot.on:
                slot.epoch = was.epoch if was is not None and was.spec.shader == spec.shader else self._next_epoch()
            self._chain.append(slot)
        self._transitions = {name: _Slot(spec, True, dict(spec.bindings))
                             for name, spec in song_shaders(self.plans).items() if spec.kind == "transition"}
        for spec in in_use((), plan.transition if plan is not None else None, plan.sections if plan is not None else ()):
            self._transitions[spec.name] = _Slot(spec, True, dict(spec.bindings))  # the song's own settings first
        self._events.clear()
        for sec in sections:
            self.section(sec)

    def section(self, sec: Section) -> None:
        """A section of the song fired: its effect changes apply (its transition goes to the engine)."""
        for change in sec.effects:
            self._change(change)

    def _change(self, change: EffectChange) -> None:
        slot = self._slot(change.name)
        if slot is None:
            return
        if change.on is not None:
            self._switch(slot, change.on)
            slot.live_on = None
        slot.bindings.update(change.bindings)
        for k in change.bindings:
            slot.live.pop(k, None)

    def _switch(self, slot: _Slot, on: bool) -> None:
        if on and not slot.on:
            slot.epoch = self._next_epoch()
        slot.on = on

    def _next_epoch(self) -> int:
        self._epochs += 1
        return self._epochs

    def _slot(self, name: str) -> _Slot | None:
        return next((s for s in self._chain if s.spec.name == name), None) or self._transitions.get(name)

    def control(self, ev: SetEffect | ToggleEffect) -> None:
        """A live control moved ``fx/EFFECT/INPUT``, or ``fx/toggle`` switched the song's Nth effect."""
        if isinstance(ev, ToggleEffect):
            if not 1 <= ev.slot <= len(self._chain):
                here = ", ".join(f"{k} {s.spec.name}" for k, s in enumerate(self._chain, 1)) or "none"
                self.messages.append(f"fx/toggle {ev.slot}: the song playing has {len(self._chain)} effect"
                                     f"{'' if len(self._chain) == 1 else 's'} ({here})")
                return
            slot = self._chain[ev.slot - 1]
            self._switch(slot, not slot.on)
            slot.live_on = slot.on
            return
        slot = self._slot(ev.effect)
        if slot is None:
            here = ", ".join(s.spec.name for s in self._chain) or "none"
            self.messages.append(f"fx/{ev.effect}: the song playing has no effect '{ev.effect}' (its effects: {here})")
            return
        if ev.input == "on":
            if slot.spec.kind == "transition":
                self.messages.append(f"fx/{ev.effect}/on: a transition is switched by the setlist's transition key")
                return
            self._switch(slot, bool(ev.value))
            slot.live_on = slot.on
            return
        inp = slot.spec.input(ev.input)
        if inp is None:
            self.messages.append(f"fx/{ev.effect}/{ev.input}: {slot.spec.shader.name} has no input '{ev.input}'")
            return
        if inp.type == "event":
            if ev.value:
                self._events.add((ev.effect, ev.input))
            return
        try:
            slot.bindings[ev.input] = slot.live[ev.input] = constant(ev.value, inp.type)
        except (TypeError, ValueError):
            self.messages.append(f"fx/{ev.effect}/{ev.input}: {ev.value!r} is not a value for a {inp.type}")

    def reload(self, plans: Sequence[SongPlan], sections: Iterable[Section]) -> None:
        """A reloaded setlist: the playing song's chain as the file now says, with the ``sections`` passed, and
        what the performer set live on an effect that keeps its name and shader (a save is not a song change)."""
        before = {(s.spec.name, s.spec.shader): s for s in (*self._chain, *self._transitions.values())}
        self.plans = list(plans)
        self.start_song(self.song, sections)
        for slot in (*self._chain, *self._transitions.values()):
            was = before.get((slot.spec.name, slot.spec.shader))
            if was is None:
                continue
            names = {i.name for i in slot.spec.inputs}
            slot.live = {k: b for k, b in was.live.items() if k in names}
            slot.bindings.update(slot.live)
            if was.live_on is not None:
                if was.live_on and was.on and not slot.on:
                    slot.on, slot.epoch = True, was.epoch   # on all along: its trails go on
                self._switch(slot, was.live_on)
                slot.live_on = was.live_on

    def live_settings(self) -> tuple[tuple[str, bool | None, tuple[tuple[str, Any], ...]], ...]:
        """What the performer set live on the song's effects and transitions (name, on or None, (input, value)
        pairs): kept by the autosave, so a resumed show has them (:class:`vj.show.resume.ResumePoint`)."""
        out = []
        for slot in (*self._chain, *self._transitions.values()):
            values = tuple((k, b.parts[0] if len(b.parts) == 1 else list(b.parts)) for k, b in slot.live.items()
                           if b.constant)
            if slot.live_on is not None or values:
                out.append((slot.spec.name, slot.live_on, values))
        return tuple(out)

    # -- the frame --------------------------------------------------------------------------------
    def signals(self, desc: FrameDesc, snap: AudioSnapshot) -> Signals:
        """What bindings read this frame (and the state they need next frame)."""
        rep = desc.report
        if snap.onset_fired:
            self._last_onset = desc.time
        prev = self._prev if self._prev is not None else (desc.beat_position, rep.bar_position)
        self._prev = (desc.beat_position, rep.bar_position)
        return Signals(time=desc.time, bpm=desc.bpm if desc.bpm > 0 else 120.0, beats=desc.beat_position,
                       bars=rep.bar_position, beats_per_bar=rep.beats_per_bar, prev_beats=prev[0], prev_bars=prev[1],
                       bass=snap.bass, mid=snap.mid, high=snap.treble, bass_att=snap.bass_att, mid_att=snap.mid_att,
                       high_att=snap.treble_att, level=snap.rms, onset=snap.onset,
                       since_onset=max(0.0, desc.time - self._last_onset), onset_fired=snap.onset_fired)

    def _desc(self, slot: _Slot, sig: Signals) -> EffectDesc:
        values = []
        for inp in slot.spec.inputs:
            b = slot.bindings.get(inp.name)
            if (slot.spec.name, inp.name) in self._events:
                v: Any = True
            elif b is None:
                v = inp.default
            else:
                v = b(sig)
                if isinstance(v, float) and not math.isfinite(v):
                    v = inp.default
            values.append((inp.name, inp.coerce(v)))
        return EffectDesc(slot.spec.name, str(slot.spec.shader), tuple(values), slot.epoch,
                          tuple((k, str(f)) for k, f in slot.spec.images))

    def describe(self, desc: FrameDesc, snap: AudioSnapshot) -> FrameDesc:
        """``desc`` with the effects of this frame and the transition of its flight, values evaluated."""
        sig = self.signals(desc, snap)
        effects = tuple(self._desc(s, sig) for s in self._chain if s.on)
        # the effects that are off, for feedback only: their bindings evaluated as an effect's on screen are
        # (Python arithmetic, no GL), so a fader follows what a section set on an effect before it is switched
        # on.  Measured (/tmp bench, 8 effects of 4 inputs, 2 bound to the music, loaded 2-core machine): 8 off
        # effects cost 100-185 us a frame as 8 on ones do, 17 us when they were skipped
        fx_off = tuple(self._desc(s, sig) for s in self._chain if not s.on)
        flight_fx = None
        if desc.flight and desc.transition >= 0.0:
            slot = self._transitions.get(desc.flight)
            if slot is not None:
                flight_fx = self._desc(slot, sig)
        self._events.clear()
        said, self.messages = self.messages, []
        if not effects and not fx_off and flight_fx is None and not said:
            return desc
        report = replace(desc.report, messages=desc.report.messages + tuple(said)) if said else desc.report
        return replace(desc, effects=effects, flight_fx=flight_fx, fx_off=fx_off, report=report)

    # -- for the panel and the docs -----------------------------------------------------------------
    @property
    def chain(self) -> tuple[tuple[str, bool], ...]:
        """The song's effects in order, each with whether it is on."""
        return tuple((s.spec.name, s.on) for s in self._chain)
