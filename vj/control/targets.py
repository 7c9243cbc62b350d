"""The control address space: every thing a performer can do to the show, in one table.

Keyboard, OSC, MIDI maps and MIDI learn all name these targets, so a control works
the same from any surface, and docs/CONTROL.md and docs/OSC.md are generated from
this table (they cannot drift from the code).  A target has typed, ranged
parameters; :func:`command` checks them and says what is wrong and how to fix it.

``TARGETS`` are the show's own controls.  The ISF effects a setlist uses add theirs
(``fx/NAME/INPUT``, one per input of each shader, and ``fx/NAME/on``), generated from the
shaders' headers by :func:`effect_targets`; the player installs them with
:func:`set_effect_targets`, after which ``BY_NAME`` (what every surface looks names up in)
and :func:`all_targets` hold them too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

from ..engine.rules import BY_CONTROL, TEMPO_RANGE, Rule


KIND_NAMES = {"f": "float", "i": "int", "s": "string"}
#: relative rounding of a 32-bit float (2**-24 is half its last place), with room: a value this close
#: outside a float parameter's range is its end, sent as OSC's float32
FLOAT32_SLACK = 1e-7


class ControlError(ValueError):
    """A control message that cannot be applied (unknown target, wrong type, out of range)."""


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: str                 #: "f" float, "i" integer, "s" string (OSC type tags)
    lo: float | None = None
    hi: float | None = None
    unit: str = ""
    help: str = ""
    #: a menu's values (an ISF ``long`` with ``VALUES``), in the shader's order, and their labels: no other
    #: number in the range is one of them
    choices: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()

    def menu(self) -> str:
        """'0 (Soft), 2 (Hard), 5 (Wild)': a menu's values as the setlist's message says them."""
        labels = self.labels or ("",) * len(self.choices)
        return ", ".join(f"{v} ({t})" if t else str(v) for v, t in zip(self.choices, labels))

    def check(self, value: object) -> object:
        """``value`` converted to this parameter's type, or a ControlError saying why not."""
        if self.kind == "s":
            if not isinstance(value, str):
                raise ControlError(f"{self.name}: expected a string, got {type(value).__name__} {value!r}")
            if len(value) > 256:
                raise ControlError(f"{self.name}: string of {len(value)} characters is too long (at most 256)")
            return value
        if isinstance(value, bool):
            value = int(value)
        if not isinstance(value, (int, float)):
            raise ControlError(f"{self.name}: expected a number, got {type(value).__name__} {value!r}")
        if not math.isfinite(value):
            raise ControlError(f"{self.name}: {value} is not a finite number")
        if self.kind == "i":
            if value != int(value):
                raise ControlError(f"{self.name}: expected a whole number, got {value}")
            value = int(value)
        else:
            value = float(value)
        if self.kind == "f":  # OSC sends 32-bit floats: a fader at its end sends float32(0.95) > 0.95
            if self.lo is not None and self.lo - FLOAT32_SLACK * max(1.0, abs(self.lo)) <= value < self.lo:
                value = float(self.lo)
            if self.hi is not None and self.hi < value <= self.hi + FLOAT32_SLACK * max(1.0, abs(self.hi)):
                value = float(self.hi)
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise ControlError(f"{self.name}: {value:g} is out of range {self.lo:g}..{self.hi:g}{self.unit and ' ' + self.unit}")
        if self.choices and value not in self.choices:   # the shader would get the nearest value, unsaid
            raise ControlError(f"{self.name}: {value:g} is not one of the menu's values {self.menu()}")
        return value

    def describe(self) -> str:
        if self.choices:
            return f"{self.name} (int, one of {', '.join(map(str, self.choices))})"
        rng = f" {self.lo:g}..{self.hi:g}" if self.lo is not None and self.hi is not None else ""
        unit = " " + self.unit if self.unit else ""
        return f"{self.name} ({KIND_NAMES[self.kind]}{rng}{unit})"


@dataclass(frozen=True, slots=True)
class Target:
    name: str                      #: "tempo/bpm"; the OSC address is "/vj/" + name
    params: tuple[Param, ...]
    help: str
    momentary: bool = False        #: a trigger (button press); MIDI fires it on press only
    #: what a bare press sends (a pad, an OSC message without arguments): an ISF event's ``(1,)``, "fire"
    press: tuple = ()

    @property
    def group(self) -> str:
        return self.name.split("/", 1)[0]

    @property
    def address(self) -> str:
        return "/vj/" + self.name

    @property
    def typetags(self) -> str:
        return "".join(p.kind for p in self.params)


@dataclass(frozen=True, slots=True)
class Command:
    """A checked request to change the show, from any surface."""

    target: str
    args: tuple = ()
    stamp: float | None = None     #: time.monotonic() when it arrived (taps keep their exact time)
    origin: str = ""               #: "key", "osc 127.0.0.1:9000", "midi APC mini", ...


def _t(name: str, help: str, *params: Param, momentary: bool = False) -> Target:
    return Target(name, tuple(params), help, momentary or not params)


def _setting(name: str) -> Target:
    """The control of a show setting, generated from the rules table (vj.engine.rules.RULES)."""
    r: Rule = BY_CONTROL[name]
    return _t(name, r.help, Param(r.param, "i" if r.kind is int else "f", r.lo * r.scale, r.hi * r.scale,
                                  r.unit if r.scale != 1.0 else ""))


_CLIP = Param("clip", "i", 1, 999, help="1-based position in the current song's clips")
TARGETS: tuple[Target, ...] = (
    _t("clip/next", "fly into the next clip, starting on the next beat"),
    _t("clip/prev", "fly into the previous clip, starting on the next beat"),
    _t("clip/cue", "fly into clip N of the current song on the next beat", _CLIP, momentary=True),
    _t("clip/cue_id", "fly into the clip with this id on the next beat", Param("id", "s"), momentary=True),
    _t("clip/queue", "make clip N the next clip, without switching early (it flies in at the next planned switch)",
       _CLIP, momentary=True),
    _t("clip/switch", "start the flight into the queued clip on the next beat"),
    _t("song/next", "arm the next song of the setlist: it flies in on a downbeat"),
    _t("song/prev", "arm the previous song of the setlist"),
    _t("song/select", "arm song N of the setlist", Param("song", "i", 1, 999), momentary=True),
    _t("bank/select", "rotate through the clips of bank N of the setlist (keeping the song's rules)",
       Param("bank", "i", 1, 999), momentary=True),
    _t("tempo/tap", "tap tempo: two or more taps set a manual beat grid"),
    _t("tempo/bpm", "set the tempo by hand (keeps the beat phase); tempo/auto hands back",
       Param("bpm", "f", *TEMPO_RANGE, "BPM"), momentary=True),
    _t("tempo/auto", "back to the automatic tempo sources (external clock, else the audio tracker)"),
    _t("tempo/resync", "the beat nearest now is a downbeat: the bar starts there"),
    _t("tempo/double", "double the tempo the show follows"),
    _t("tempo/half", "halve the tempo the show follows"),
    _t("tempo/normal", "undo double and half"),
    _t("tempo/nudge", "move the beat grid later (+) or earlier (-)", Param("ms", "f", -250, 250, "ms"),
       momentary=True),
    _setting("tempo/latency"),
    _t("tempo/latency_step", "change the latency offset by this much", Param("ms", "f", -250, 250, "ms"),
       momentary=True),
    _setting("zoom/speed"),
    _t("zoom/speed_step", "multiply the zoom speed (1.25 faster, 0.8 slower)", Param("factor", "f", 0.25, 4),
       momentary=True),
    _setting("zoom/pulse"),
    _setting("zoom/depth"),
    _t("zoom/focus", "where the camera heads in the next clip (0..1 of the clip's own frame, top-left origin); applies from its entry",
       Param("x", "f", 0, 1), Param("y", "f", 0, 1)),
    _setting("switch/bars"),
    _setting("switch/flight_beats"),
    _setting("effect/blur"),
    _setting("effect/feather"),
    _setting("effect/blend"),
    _setting("effect/colour_match"),
    _t("fx/toggle", "switch effect N of the song playing (the setlist's order) on or off; its own controls: fx/NAME/...",
       Param("effect", "i", 1, 99), momentary=True),
    _t("output/blackout", "blackout on (1) or off (0)", Param("on", "i", 0, 1)),
    _t("output/blackout_toggle", "blackout on / off"),
    _t("output/fullscreen", "output window fullscreen on / off"),
    _t("output/hud", "HUD on / off"),
    _t("query/state", "ask for the whole show state now (sent back as feedback)"),
    _t("midi/learn", "MIDI learn: the next control moved on a MIDI controller is mapped to this control",
       Param("control", "s"), momentary=True),
    _t("midi/learn_cancel", "stop a MIDI learn in progress"),
)
BY_NAME: dict[str, Target] = {t.name: t for t in TARGETS}

#: the group of the effects' controls: fx/NAME/INPUT
FX = "fx"
_effects: tuple[Target, ...] = ()


def effect_targets(name: str, shader: str, inputs: Iterable[Any], *, switch: bool = True) -> tuple[Target, ...]:
    """The controls of one ISF shader the show uses under ``name``: ``fx/NAME/on`` (with ``switch``: effects,
    not transitions) and ``fx/NAME/INPUT`` per input, typed and ranged as its header says.

    ``inputs`` are the shader's value inputs (:class:`vj.isf.IsfInput`: ``name``, ``type``, ``label``,
    ``params()``); a point takes x, y, a colour r, g, b, a, an event is a trigger."""
    out = []
    if switch:
        out.append(Target(f"{FX}/{name}/on", (Param("on", "i", 0, 1),), f"effect {name} ({shader}) on (1) or off (0)"))
    for inp in inputs:
        parts = inp.params()
        menu = tuple(getattr(inp, "values", ())) if inp.type == "long" else ()
        labels = tuple(getattr(inp, "labels", ())) if menu else ()
        params = tuple(Param(suffix or "value", kind, lo, hi, choices=menu, labels=labels)
                       for suffix, kind, lo, hi in parts)
        label = inp.label if inp.label and inp.label != inp.name else inp.name.replace("_", " ")
        what = {"event": "trigger", "bool": "switch"}.get(inp.type, inp.type)
        if inp.type == "long":
            what = "choice" if getattr(inp, "values", ()) else "whole number"
        choices = f": {', '.join(f'{v} {t}' for v, t in zip(inp.values, inp.labels))}" if getattr(inp, "labels", ()) else ""
        out.append(Target(f"{FX}/{name}/{inp.name}", params, f"{name} ({shader}): {label} ({what}{choices})",
                          momentary=inp.type == "event", press=(1,) if inp.type == "event" else ()))
    return tuple(out)


def set_effect_targets(targets: Iterable[Target]) -> None:
    """The effect controls of the show playing (replacing those of the one before: a reloaded setlist)."""
    global _effects
    new = tuple(targets)
    BY_NAME.update({t.name: t for t in new})
    for stale in {t.name for t in _effects} - {t.name for t in new}:
        BY_NAME.pop(stale, None)
    _effects = new


def all_targets() -> tuple[Target, ...]:
    """Every control of the show playing: the show's own, then its effects'."""
    return TARGETS + _effects


def latest_wins(target: Target) -> bool:
    """Whether only a control's newest value counts (faders, switches), so a flood may replace older ones."""
    return bool(target.params) and not target.momentary or target.name == "tempo/bpm"


def command(target: str, *args: object, stamp: float | None = None, origin: str = "") -> Command:
    """A checked :class:`Command`; ControlError (with the fix) when the target or arguments are wrong."""
    t = BY_NAME.get(target)
    if t is None:
        close = [n for n in BY_NAME if n.split("/")[-1] == target.split("/")[-1] or n.startswith(target.split("/")[0] + "/")]
        hint = f"; did you mean {', '.join(close[:4])}?" if close else "; see docs/CONTROL.md for the list"
        raise ControlError(f"unknown control '{target}'{hint}")
    if len(args) != len(t.params):
        want = ", ".join(p.describe() for p in t.params) or "no arguments"
        raise ControlError(f"{target}: expected {len(t.params)} argument(s) ({want}), got {len(args)}")
    try:
        checked = tuple(p.check(a) for p, a in zip(t.params, args))
    except ControlError as exc:
        want = ", ".join(p.describe() for p in t.params)
        raise ControlError(f"{target}: {exc}. Fix: send {want}") from None
    return Command(target, checked, stamp, origin)


def reference_markdown(targets: Iterable[Target] = TARGETS) -> str:
    """The address space as a Markdown table (docs/CONTROL.md is this, generated)."""
    lines = ["| control | OSC address | arguments | what it does |", "| --- | --- | --- | --- |"]
    for t in targets:
        args = ", ".join(p.describe() for p in t.params) or "none"
        lines.append(f"| `{t.name}` | `{t.address}` | {args} | {t.help} |")
    return "\n".join(lines) + "\n"


CONTROL_DOC_HEAD = """# Controls

<!-- Generated from vj/control/targets.py (and the shipped ISF effects' headers) by `python -m vj.docs --write`;
do not edit. -->

Every control of the show, by name.  The keyboard, OSC (`/vj/` + name, docs/OSC.md) and MIDI maps
(docs/MIDI.md) all name these controls, so a control does the same thing from any surface.  Values
outside a control's range, wrong types and unknown names are refused with a message that says what
to send instead; the show carries on.

## Tempo sources

Which source drives the show, highest first:

1. **manual**: taps (`tempo/tap`, Space) or a tempo set by hand (`tempo/bpm`), until `tempo/auto` (A);
2. **an external clock**: MIDI clock or Ableton Link, while it runs and keeps sending (it hands back
   to the tracker 1 s after it goes quiet, or at once when a MIDI clock stops);
3. **the audio beat tracker**.

`tempo/double`, `tempo/half`, `tempo/nudge` and `tempo/resync` then apply to whichever source drives.
A resync holds until the song changes (the next song starts on the tracker's bar line) or until the song's
track reaches its next known downbeat (`downbeat` in the setlist, docs/SETLISTS.md#known-downbeats).
The HUD and the control panel show the source in brackets (`[comb]`, `[tap]`, `[set]`,
`[midi clock]`, `[link]`, with `x2` or a nudge when one applies).

## The controls

"""


EFFECTS_DOC_HEAD = """
## Effect controls

Every ISF effect and transition a setlist uses gets controls of its own, generated from the
shader's header when the show starts (and again when a saved setlist is reloaded): `fx/NAME/on`
switches an effect, `fx/NAME/INPUT` sets an input, typed and ranged as the shader declares it
(a point takes x and y, a colour r, g, b and a; an event is a trigger).  NAME is the effect's
`name` in the setlist, by default its shader's name in lower case with `_` for spaces
(`Beat Trails` -> `beat_trails`).  A control replaces the input's setlist binding until the song
changes (docs/ISF.md).  These are the controls of the effects vj ships, under their default names:

"""


def control_doc(effects: Iterable[Target] = ()) -> str:
    """docs/CONTROL.md (``effects``: the effect controls to list, vj.docs gives the shipped ones)."""
    effects = tuple(effects)
    return CONTROL_DOC_HEAD + reference_markdown() + (EFFECTS_DOC_HEAD + reference_markdown(effects) if effects else "")
