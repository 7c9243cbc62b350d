"""Show rules: how the music moves the zoom, and the one table that names them for people.

``ShowRules`` holds the values (musical quantities in beats and bars).  ``RULES`` is the
vocabulary: for each field its public name, range, unit and help.  Setlist keys, control
targets (OSC, MIDI, keys), the status controllers display, and the docs are all generated
from ``RULES``, so a setting is spelled and ranged the same everywhere.  Values are
clamped into their range once, in :meth:`ShowRules.with_changes`, together with the one
rule that ties two settings: a flight is never longer than the switch interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any, Mapping

#: Tempi (BPM) a performer may set by hand or an external clock may send.  Below 20 a "beat" is
#: longer than 3 s and no longer reads as one; above 400 flights would be shorter than a frame at 30 fps.
TEMPO_RANGE = (20.0, 400.0)


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
        problems = [p for p in (BY_FIELD[f.name].problem(getattr(self, f.name)) for f in fields(self)) if p]
        if not problems and self.transition_beats > self.switch_bars * self.beats_per_bar:
            problems.append("transition_beats must be between 0.25 and the switch interval")
        if problems:
            raise ValueError("; ".join(problems))

    def with_changes(self, changes: Mapping[str, Any]) -> "ShowRules":
        """These rules with ``changes`` (field name -> value), each clamped into its range, and the
        flight shortened to the switch interval if it would outlast it (e.g. 1 bar of 3/4 with 4-beat
        flights).  ValueError for an unknown name or a value that is not a finite number."""
        unknown = sorted(set(changes) - set(BY_FIELD))
        if unknown:
            raise ValueError(f"unknown show rule(s): {', '.join(unknown)}; known: {', '.join(sorted(BY_FIELD))}")
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update({k: BY_FIELD[k].clamp(v) for k, v in changes.items()})
        values["transition_beats"] = float(min(values["transition_beats"], values["switch_bars"] * values["beats_per_bar"]))
        return replace(self, **values)

    @property
    def drift_per_beat(self) -> float:
        """Doublings per beat of the slow push-in, capped so a clip never blurs past ``max_drift``."""
        per_bar = min(self.drift_per_bar, self.max_drift / self.switch_bars)
        return per_bar / self.beats_per_bar


@dataclass(frozen=True, slots=True)
class Rule:
    """One show setting: its ``ShowRules`` field and how people see it.

    ``lo``/``hi`` are in the field's own units; people see ``value * scale`` in ``unit``
    (only latency differs: seconds inside, milliseconds outside).
    """

    field: str
    kind: type                  #: int or float
    lo: float
    hi: float
    unit: str
    help: str
    name: str = ""              #: public name: setlist key, status field, docs ("": not shown to people)
    control: str = ""           #: control target that sets it ("zoom/speed"), or "" for none
    param: str = ""             #: the control's parameter name
    scale: float = 1.0
    song: bool = False          #: a setlist song may set it
    section: bool = False       #: a setlist section may set it
    old_names: tuple[str, ...] = ()   #: earlier setlist spellings, still read

    def clamp(self, value: Any) -> int | float:
        """``value`` as this rule's type, inside its range; ValueError when it is not a usable number."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{self.field} must be a finite number, not {value!r}")
        if self.kind is int:
            if value != int(value):
                raise ValueError(f"{self.field} must be a whole number, not {value!r}")
            return int(min(max(int(value), self.lo), self.hi))
        return float(min(max(float(value), self.lo), self.hi))

    def problem(self, value: Any) -> str:
        """Why ``value`` is not valid for this rule ("" when it is)."""
        try:
            ok = self.clamp(value) == value
        except ValueError as exc:
            return str(exc)
        return "" if ok else f"{self.field} must be {self.lo:g}..{self.hi:g}"

    def public(self, value: float) -> float:
        """A field value as people see it (latency in ms, to 0.1 ms so a display does not flicker)."""
        return value if self.scale == 1.0 else round(value * self.scale, 1)

    @property
    def default(self) -> Any:
        return getattr(DEFAULT_RULES, self.field)

    def describe(self) -> str:
        """'switch_bars: whole number 1..256 bars (default 8)', for docs and setlist fixes."""
        what = "whole number" if self.kind is int else "number"
        unit = f" {self.unit}" if self.unit else ""
        return (f"{self.name or self.field}: {what} {self.lo * self.scale:g}..{self.hi * self.scale:g}{unit} "
                f"(default {self.public(self.default):g})")


#: The vocabulary of show settings, in the order people see them.
RULES: tuple[Rule, ...] = (
    Rule("switch_bars", int, 1, 256, "bars", "fly into the next clip every N bars", name="switch_bars",
         control="switch/bars", param="bars", song=True, section=True),
    Rule("beats_per_bar", int, 2, 7, "beats", "beats in a bar: 4 for 4/4, 3 for 3/4", name="beats_per_bar",
         song=True),
    Rule("transition_beats", float, 0.25, 16.0, "beats",
         "length of a flythrough, in beats (it ends on a downbeat; never longer than the switch interval)",
         name="flight_beats", control="switch/flight_beats", param="beats", song=True, section=True),
    Rule("drift_per_bar", float, 0.0, 1.0, "doublings/bar",
         "slow push-in while a clip plays, in doublings of scale per bar", name="zoom_speed", control="zoom/speed",
         param="doublings_per_bar", song=True, section=True),
    Rule("pulse", float, 0.0, 1.0, "", "beat pulse: share of each beat's zoom front-loaded onto the beat",
         name="pulse", control="zoom/pulse", param="amount", song=True, section=True),
    Rule("zoom_through", float, 2.0, 64.0, "", "zoom-through depth: the next clip emerges at 1/depth of the screen",
         name="zoom_depth", control="zoom/depth", param="depth", song=True, section=True),
    Rule("motion_blur", float, 0.0, 2.0, "", "radial motion blur during fast zoom (0 off)", name="blur",
         control="effect/blur", param="amount", song=True, section=True, old_names=("motion_blur",)),
    Rule("feather", float, 0.0, 0.5, "", "soft edge of the emerging clip, as a fraction of its size",
         name="feather", control="effect/feather", param="amount", song=True, section=True),
    Rule("latency", float, -1.0, 1.0, "ms", "schedule visuals this far ahead (input + display latency)",
         name="latency_ms", control="tempo/latency", param="ms", scale=1000.0),
    Rule("max_drift", float, 0.5, 4.0, "doublings", "cap on the push-in over a clip's life (zoom/speed_step moves it)"),
    Rule("pulse_decay", float, 0.01, 4.0, "beats", "how fast the beat pulse decays"),
    Rule("fallback_bpm", float, *TEMPO_RANGE, "BPM", "tempo used until the tracker locks"),
)
BY_FIELD: dict[str, Rule] = {r.field: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES if r.name}
BY_CONTROL: dict[str, Rule] = {r.control: r for r in RULES if r.control}
#: what controller displays follow: every rule a control sets (ShowStatus carries these by public name)
FADERS: tuple[Rule, ...] = tuple(r for r in RULES if r.control)
DEFAULT_RULES = ShowRules()


def public_values(rules: ShowRules, which: tuple[Rule, ...] = FADERS) -> dict[str, float]:
    """``rules`` by public name, as people see them (e.g. ``{"zoom_speed": 0.125, "latency_ms": 0.0, ...}``)."""
    return {r.name: r.public(getattr(rules, r.field)) for r in which}


def from_public(values: Mapping[str, Any]) -> dict[str, Any]:
    """Public names (or their old spellings) -> ``ShowRules`` field names, values unscaled."""
    out = {}
    for key, value in values.items():
        rule = BY_NAME.get(key) or next((r for r in RULES if key in r.old_names), None)
        if rule is None:
            raise ValueError(f"unknown show setting '{key}'; known: {', '.join(BY_NAME)}")
        out[rule.field] = value / rule.scale if rule.scale != 1.0 else value
    return out


# ---- the docs: generated from RULES ------------------------------------------------------

def rules_markdown() -> str:
    """Every show setting (docs/SHOW.md): public name, ShowRules field, range, default, control, setlist."""
    lines = ["| setting | `ShowRules` field | range | default | control | in setlists | meaning |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in RULES:
        where = ("songs and sections" if r.section else "songs") if r.song else "no"
        unit = f" {r.unit}" if r.unit else ""
        lines.append(f"| {f'`{r.name}`' if r.name else '(internal)'} | `{r.field}` | {r.lo * r.scale:g}..{r.hi * r.scale:g}"
                     f"{unit} | {r.public(r.default):g} | {f'`{r.control}`' if r.control else ''} | {where} | {r.help} |")
    return "\n".join(lines) + "\n"


def setlist_markdown() -> str:
    """The show settings a setlist song or section may set (docs/SETLISTS.md)."""
    lines = ["| key | type | default | in sections | meaning |", "| --- | --- | --- | --- | --- |"]
    for r in RULES:
        if not r.song:
            continue
        kind = "integer" if r.kind is int else "number"
        unit = f" {r.unit}" if r.unit else ""
        old = f" (also read as `{'`, `'.join(r.old_names)}`)" if r.old_names else ""
        lines.append(f"| `{r.name}`{old} | {kind}, {r.lo * r.scale:g}..{r.hi * r.scale:g}{unit} | "
                     f"`{r.public(r.default):g}` | {'yes' if r.section else 'no'} | {r.help} |")
    return "\n".join(lines) + "\n"
