"""MIDI map files (TOML): which note, CC, 14-bit CC pair or pitch bend drives which control.

A map file (docs/MIDI.md has the full reference)::

    [device]                          # optional: without it the map applies to every opened port
    name = "Akai APC mini"
    match = ["APC MINI"]              # input port name substrings (case-insensitive)
    exclude = ["mk2"]                 # ... but not ports whose name has one of these
    output = ["APC MINI"]             # where LED feedback goes (default: match)
    init = [[0, 32, 41, 2, 13, 14, 1]]  # SysEx (without F0/F7) sent when the device is opened
    exit = []                         # ... and when vj lets it go

    [[notes]]
    notes = [56, 57, 58]              # or note = 56; a list gives args first, first+1, ...
    target = "clip/cue"
    led = "clip"                      # LED feedback: auto, none, press, clip, song, beat, blackout, state
    led_on = 1                        # velocity / colour: current clip (or lit)
    led_next = 5                      # the queued next clip (or the off-beats of a beat flash)
    led_off = 0                       # unlit (a clip is there)

    [[cc]]
    cc = 48
    target = "zoom/speed"
    range = [0.0, 0.5]                # the fader's 0..127 spans this (default: the control's range)
    mode = "absolute"                 # absolute, relative_twos, relative_offset, relative_signed,
                                      # or press / toggle / hold for CC buttons
    takeover = true                   # soft takeover: wait until the fader crosses the value

    [[cc14]]                          # a 14-bit pair: MSB cc 1, LSB cc 33
    msb = 1
    target = "tempo/bpm"
    range = [60.0, 180.0]

    [[pitchbend]]
    channel = 1
    target = "zoom/pulse"

Every table may also have ``channel`` (1-16, default any) and ``port`` (only this input port,
a name substring).  Problems are reported all at once, each with file, line, field and fix,
like setlists; unknown targets get "did you mean".
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, VjError
from ..tomlloc import Field, LineIndex, choice_check, load_file, range_check, read_table
from .targets import BY_NAME, ControlError, Target, command

MAPS_DIR = Path(__file__).resolve().parent / "maps"
KINDS = ("notes", "cc", "cc14", "pitchbend")
BUTTON_MODES = ("press", "toggle", "hold")
VALUE_MODES = ("absolute", "relative_twos", "relative_offset", "relative_signed")
LED_KINDS = ("auto", "none", "press", "clip", "song", "beat", "blackout", "state")
RAW_MAX = {"notes": 127, "cc": 127, "cc14": 16383, "pitchbend": 16383}


@dataclass(frozen=True, slots=True)
class Mapping:
    """One control of a controller, bound to one target."""

    kind: str                     #: notes, cc, cc14, pitchbend
    number: int                   #: note / cc / MSB cc; 0 for pitch bend
    channel: int | None           #: 0-based; None = any
    target: str
    args: tuple = ()              #: for press mode
    mode: str = "press"
    lo: float = 0.0               #: value range (absolute, relative, toggle/hold off/on)
    hi: float = 1.0
    step: float = 0.0             #: relative: change per encoder step
    takeover: bool = True
    led: str = "none"
    led_on: int = 127
    led_off: int = 0
    led_next: int = 127
    index: int | None = None      #: the clip / song number this control stands for (clip/song LEDs)
    lsb: int | None = None        #: cc14: the LSB controller
    port: str | None = None       #: only on input ports whose name contains this
    where: str = ""               #: "file:line" for messages

    @property
    def key(self) -> tuple[str, int | None, int]:
        return (self.kind, self.channel, self.number)

    @property
    def integer(self) -> bool:
        t = BY_NAME.get(self.target)   # None: a reloaded setlist dropped the effect (the command says so)
        return t is not None and bool(t.params) and t.params[0].kind == "i"

    @property
    def choices(self) -> tuple[int, ...]:
        """A menu's values inside the mapping's range, in the shader's order (reversed when the range is):
        a fader goes through them in that order, an encoder steps from one to the next."""
        t = BY_NAME.get(self.target)   # None: gone with a reloaded setlist's effect: "KeyError: 'fx/...'" per move
        menu = t.params[0].choices if t is not None and t.params else ()
        lo, hi = min(self.lo, self.hi), max(self.lo, self.hi)
        inside = tuple(c for c in menu if lo <= c <= hi)
        return inside if self.lo <= self.hi else inside[::-1]

    def describe(self) -> str:
        what = {"notes": f"note {self.number}", "cc": f"cc {self.number}", "cc14": f"cc {self.number}/{self.lsb}",
                "pitchbend": "pitch bend"}[self.kind]
        ch = f" ch {self.channel + 1}" if self.channel is not None else ""
        args = " " + " ".join(str(a) for a in self.args) if self.args else ""
        return f"{what}{ch} -> {self.target}{args} ({self.mode})"


@dataclass(frozen=True, slots=True)
class MidiMap:
    path: Path
    name: str
    match: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    output: tuple[str, ...] = ()
    init: tuple[bytes, ...] = ()
    exit: tuple[bytes, ...] = ()
    feedback: bool = True
    mappings: tuple[Mapping, ...] = field(default=())

    @property
    def is_device(self) -> bool:
        return bool(self.match)

    def matches(self, port_name: str) -> bool:
        low = port_name.lower()
        return any(m.lower() in low for m in self.match) and not any(x.lower() in low for x in self.exclude)

    def output_matches(self, port_name: str) -> bool:
        low = port_name.lower()
        subs = self.output or self.match
        return any(m.lower() in low for m in subs) and not any(x.lower() in low for x in self.exclude)

    def ports(self) -> tuple[str, ...]:
        """Port substrings this map wants opened (its device, or mappings' ``port`` keys)."""
        return self.match or tuple(dict.fromkeys(m.port for m in self.mappings if m.port))

    def applies(self, mapping: Mapping, port_name: str) -> bool:
        if self.is_device and not self.matches(port_name):
            return False
        return mapping.port is None or mapping.port.lower() in port_name.lower()


# ---- reading ----------------------------------------------------------------------------------

def _sysex_check(v: Any) -> str | None:
    for msg in v:
        if not isinstance(msg, list) or not all(isinstance(b, int) and not isinstance(b, bool) and 0 <= b <= 127
                                                for b in msg):
            return "each SysEx message is a list of data bytes 0..127 (without F0 and F7)."
    return None


def _str_list(v: Any) -> str | None:
    return None if all(isinstance(s, str) and s for s in v) else "expected a list of non-empty strings."


DEVICE_FIELDS: tuple[Field, ...] = (
    Field("name", str, "", fix='write name = "Controller name".'),
    Field("match", list, (), item=str, check=_str_list,
          fix='list substrings of the input port name, e.g. match = ["APC MINI"] (`python -m vj.control.midi` lists them).'),
    Field("exclude", list, (), item=str, check=_str_list, fix='list port name substrings to skip, e.g. ["mk2"].'),
    Field("output", list, (), item=str, check=_str_list,
          fix="list substrings of the output port for LED feedback (default: the match list)."),
    Field("feedback", bool, True, fix="true sends LED feedback to the controller, false does not."),
    Field("init", list, (), item=list, check=_sysex_check,
          fix="a list of SysEx messages, each a list of data bytes, e.g. init = [[0, 32, 41, 2, 13, 14, 1]]."),
    Field("exit", list, (), item=list, check=_sysex_check, fix="a list of SysEx messages like init."),
)
_CH = Field("channel", int, None, check=range_check(1, 16), fix="MIDI channels are 1 to 16; remove it for any channel.")
_COMMON: tuple[Field, ...] = (
    _CH,
    Field("port", str, None, fix="a substring of the input port name, or remove it for every port of the map."),
    Field("target", str, None, fix="name a control from docs/CONTROL.md, e.g. target = \"clip/next\".",
          aliases=("control", "action", "address")),
    Field("args", list, (), fix="the control's arguments, e.g. args = [3] for clip/cue 3."),
    Field("mode", str, None, fix="one of " + ", ".join(BUTTON_MODES + VALUE_MODES) + "."),
    Field("range", list, None, item=float, length=2,
          fix="range = [low, high] inside the control's own range (high may be below low to invert)."),
    Field("step", float, None, check=range_check(0.0, None, lo_open=True),
          fix="the change per encoder step, a positive number."),
    Field("takeover", bool, True, fix="true: a fader waits until it crosses the current value (soft takeover)."),
    Field("first", int, 1, check=range_check(1, 999), fix="the argument of the first note of the list (1 or more)."),
    Field("led", str, "auto", check=choice_check(LED_KINDS), fix="one of " + ", ".join(LED_KINDS) + "."),
    Field("led_on", int, 127, check=range_check(0, 127), fix="a velocity / colour number 0..127."),
    Field("led_off", int, 0, check=range_check(0, 127), fix="a velocity / colour number 0..127."),
    Field("led_next", int, None, check=range_check(0, 127), fix="a velocity / colour number 0..127."),
)
_NUM = range_check(0, 127)
KIND_FIELDS: dict[str, tuple[Field, ...]] = {
    "notes": (Field("note", int, None, check=_NUM, fix="a note number 0..127."),
              Field("notes", list, None, item=int, fix="a list of note numbers 0..127.")) + _COMMON,
    "cc": (Field("cc", int, None, check=_NUM, fix="a controller number 0..127."),
           Field("ccs", list, None, item=int, fix="a list of controller numbers 0..127.")) + _COMMON,
    "cc14": (Field("msb", int, None, check=range_check(0, 31), fix="the MSB controller, 0..31."),
             Field("lsb", int, None, check=range_check(32, 63), fix="the LSB controller, 32..63 (default msb + 32).")
             ) + _COMMON,
    "pitchbend": _COMMON,
}
ROOT_FIELDS: tuple[Field, ...] = (Field("device", dict, {}, fix="write [device] as a table."),) + tuple(
    Field(k, list, (), item=dict, fix=f"write each mapping as a [[{k}]] table.") for k in KINDS)


def target_hint(name: str) -> str:
    parts = name.split("/")
    effects = list(dict.fromkeys(n.split("/")[1] for n in BY_NAME if n.startswith("fx/") and n.count("/") == 2))
    if len(parts) == 3 and parts[0] == "fx" and parts[1] not in effects:   # an effect this show does not have
        return (f"the show's setlist has no effect named '{parts[1]}' (its effects and transitions: {', '.join(effects) or 'none'}): "
                "fx/NAME/INPUT takes the name an effect has in the setlist (its name = ..., by default the shader's "
                "name in lower case with _ for spaces); ")
    close = difflib.get_close_matches(name, list(BY_NAME), n=3, cutoff=0.5)
    if not close:
        group = name.split("/")[0]
        close = [n for n in BY_NAME if n.startswith(group + "/")][:4]
    return f"did you mean {', '.join(close)}? " if close else ""


def _value_param(t: Target):
    nums = [p for p in t.params if p.kind in "fi"]
    return nums[0] if len(t.params) == 1 and nums else None


def _words(kind: str, v: Any, i: int, path: Path, lines: LineIndex, where: str) -> list[Problem]:
    """A table's ``target`` and ``mode`` checked as words, whatever else is wrong in it: each problem of a
    file is said at once, not one per table and run."""
    probs: list[Problem] = []
    if not isinstance(v, dict):
        return probs
    name, mode = v.get("target"), v.get("mode")
    if isinstance(name, str) and name not in BY_NAME:
        probs.append(Problem(path, f"unknown control '{name}'.", f"{target_hint(name)}See docs/CONTROL.md for every control.",
                             lines.key("target", kind, i), f"{where}, field 'target'"))
    if isinstance(mode, str) and mode not in BUTTON_MODES + VALUE_MODES:
        close = difflib.get_close_matches(mode, BUTTON_MODES + VALUE_MODES, n=1, cutoff=0.6)
        probs.append(Problem(path, f"unknown mode '{mode}'.", (f"did you mean '{close[0]}'? Use" if close else "use") +
                             " one of " + ", ".join(BUTTON_MODES + VALUE_MODES) + ".",
                             lines.key("mode", kind, i), f"{where}, field 'mode'"))
    return probs


def _mapping(kind: str, v: dict, i: int, path: Path, lines: LineIndex, where: str) -> tuple[list[Mapping], list[Problem]]:
    probs: list[Problem] = []

    def bad(key: str, message: str, fix: str) -> None:
        probs.append(Problem(path, message, fix, lines.key(key, kind, i), f"{where}, field '{key}'"))

    name = v.get("target")
    if name is None:
        bad("target", "missing required key 'target'.", 'add target = "..." naming a control from docs/CONTROL.md.')
        return [], probs
    words = _words(kind, v, i, path, lines, where)   # an unknown control or mode: said as when the table is wrong
    if words:
        return [], words
    t = BY_NAME[name]
    # which numbers
    numbers: list[int] = [0]
    listed = False
    if kind in ("notes", "cc"):
        one, many = ("note", "notes") if kind == "notes" else ("cc", "ccs")
        if (v.get(one) is None) == (v.get(many) is None):
            bad(one, f"give either {one} = N or {many} = [N, ...] (exactly one).", f"write {one} = 60 or {many} = [60, 61].")
            return [], probs
        if v.get(many) is not None:
            numbers, listed = list(v[many]), True
            if not numbers or any(not 0 <= n <= 127 for n in numbers):
                bad(many, f"{many} must list numbers 0..127.", f"e.g. {many} = [56, 57, 58].")
                return [], probs
        else:
            numbers = [v[one]]
    elif kind == "cc14":
        if v.get("msb") is None:
            bad("msb", "missing required key 'msb'.", "add msb = N (0..31); the LSB is msb + 32 unless lsb is given.")
            return [], probs
        numbers = [v["msb"]]
    value_kind = kind in ("cc14", "pitchbend")
    p = _value_param(t)
    mode = v.get("mode")
    if mode is None:
        if value_kind or (kind == "cc" and p is not None and not listed and not v.get("args")):
            mode = "absolute"
        elif kind == "notes" and p is not None and not t.momentary and not v.get("args"):
            mode = "toggle"
        else:
            mode = "press"
    allowed = {"notes": BUTTON_MODES, "cc": BUTTON_MODES + VALUE_MODES, "cc14": ("absolute",),
               "pitchbend": ("absolute",)}[kind]
    if mode not in allowed:
        bad("mode", f"mode '{mode}' does not work for [[{kind}]].", "use one of " + ", ".join(allowed) + ".")
        return [], probs
    lo = hi = 0.0
    if mode in VALUE_MODES + ("toggle", "hold"):
        if p is None:
            want = ", ".join(q.describe() for q in t.params) or "no value"
            bad("mode", f"{name} takes {want}, so a {mode} control cannot set it.",
                "map it with mode = \"press\" (and args), or choose a control that takes one number.")
            return [], probs
        rng = v.get("range")
        lo, hi = (rng if rng is not None else (p.lo, p.hi))
        if lo is None or hi is None:
            bad("range", f"{name} has no range of its own.", "give range = [low, high].")
            return [], probs
        for edge in (lo, hi):
            try:
                p.check(int(edge) if p.kind == "i" and float(edge).is_integer() else edge)
            except ControlError as exc:
                bad("range", f"range {exc}.", f"make both ends values of the menu: {p.menu()}." if p.choices
                    else f"keep the range inside {p.lo:g}..{p.hi:g}.")
                return [], probs
    args_list: list[tuple] = []
    led = v.get("led", "auto")
    for j, num in enumerate(numbers):
        args = tuple(v.get("args") or ())
        if mode == "press":
            if listed and not v.get("args") and not t.press:
                args = (v.get("first", 1) + j,)
            args = args or t.press   # a pad on an ISF event fires it
            try:
                command(name, *args)
            except ControlError as exc:
                key = "args" if v.get("args") or not listed else ("notes" if kind == "notes" else "ccs")
                bad(key, f"{exc}.", "give args that the control takes (see docs/CONTROL.md)" +
                    ("; a list of notes gives each one its number (first, first+1, ...) as the argument" if listed else "") + ".")
                return [], probs
        args_list.append(args)
    if led == "auto":
        led = ("clip" if name in ("clip/cue", "clip/queue") else "song" if name == "song/select" else
               "blackout" if name.startswith("output/blackout") else "state" if mode in ("toggle", "hold") else
               "press" if mode == "press" else "none")
    if led in ("clip", "song") and not (args_list and args_list[0] and isinstance(args_list[0][0], int)):
        bad("led", f"led = \"{led}\" needs a control that names a {led} number (e.g. clip/cue 3).",
            'use led = "press" or "none" here.')
        return [], probs
    if led == "state" and mode not in ("toggle", "hold"):
        bad("led", 'led = "state" needs mode = "toggle" or "hold".', 'use led = "press" or "none".')
        return [], probs
    step = v.get("step") or ((1.0 if p is not None and p.kind == "i" else abs(hi - lo) / 127.0) if mode in VALUE_MODES else 0.0)
    channel = v.get("channel")
    led_next = v.get("led_next")
    out = []
    for num, args in zip(numbers, args_list):
        out.append(Mapping(kind=kind, number=num, channel=channel - 1 if channel else None, target=name, args=args,
                           mode=mode, lo=float(lo), hi=float(hi), step=float(step), takeover=v.get("takeover", True),
                           led=led, led_on=v.get("led_on", 127), led_off=v.get("led_off", 0),
                           led_next=led_next if led_next is not None else v.get("led_on", 127),
                           index=args[0] if args and isinstance(args[0], int) else None,
                           lsb=(v.get("lsb") or num + 32) if kind == "cc14" else None, port=v.get("port"),
                           where=f"{path}:{lines.table(kind, i)}"))
    return out, probs


def read_map(path: Path, text: str | None = None) -> tuple[MidiMap | None, list[Problem]]:
    """A map file (or ``text`` as if it were that file), and every problem in it."""
    path = Path(os.path.abspath(Path(path).expanduser()))
    data, lines, problem = load_file(path, text)
    if problem is not None or data is None or lines is None:
        return None, [problem] if problem else []
    root, problems = read_table(data, ROOT_FIELDS, path=path, lines=lines, table="", index=None, where="map")
    dev, probs = read_table(root.get("device", {}), DEVICE_FIELDS, path=path, lines=lines, table="device",
                            index=None, where="[device]")
    problems += probs
    mappings: list[Mapping] = []
    for kind in KINDS:
        for i, table in enumerate(root.get(kind, ())):
            where = f"[[{kind}]] #{i + 1}"
            values, probs = read_table(table, KIND_FIELDS[kind], path=path, lines=lines, table=kind, index=i,
                                       where=where)
            problems += probs
            if probs:   # the table cannot be built, but a misspelt control or mode is said now, not on the next try
                said = {p.where for p in probs}
                problems += [p for p in _words(kind, table, i, path, lines, where) if p.where not in said]
                continue
            ms, probs = _mapping(kind, values, i, path, lines, where)
            problems += probs
            mappings += ms
    problems.sort(key=lambda p: p.line or 0)
    midi_map = MidiMap(path=path, name=dev.get("name") or path.stem, match=tuple(dev.get("match", ())),
                       exclude=tuple(dev.get("exclude", ())), output=tuple(dev.get("output", ())),
                       init=tuple(bytes([0xF0, *m, 0xF7]) for m in dev.get("init", ())),
                       exit=tuple(bytes([0xF0, *m, 0xF7]) for m in dev.get("exit", ())),
                       feedback=dev.get("feedback", True), mappings=tuple(mappings))
    return midi_map, problems


def load_map(path: str | Path) -> MidiMap:
    """Read a map file; raises :class:`VjError` listing every problem (with lines and fixes)."""
    midi_map, problems = read_map(Path(path))
    if problems or midi_map is None:
        raise VjError(problems)
    return midi_map


def shipped_maps() -> list[Path]:
    return sorted(MAPS_DIR.glob("*.toml"))


def load_maps(paths: list[Path], *, shipped: bool = True) -> list[MidiMap]:
    """The shipped maps (lowest priority), then ``paths`` in order; every problem of every file at once."""
    problems: list[Problem | str] = []
    maps: list[MidiMap] = []
    for p in (shipped_maps() if shipped else []) + [Path(x) for x in paths]:
        m, probs = read_map(p)
        problems += probs
        if m is not None and not probs:
            maps.append(m)
    if problems:
        raise VjError(problems)
    return maps


def port_table(maps: list[MidiMap], port_name: str) -> dict[tuple[str, int | None, int], Mapping]:
    """Every mapping that applies to input ``port_name``, keyed by (kind, channel, number);
    later maps (and later tables of a file) win."""
    table: dict[tuple[str, int | None, int], Mapping] = {}
    for m in maps:
        for mapping in m.mappings:
            if m.applies(mapping, port_name):
                table[mapping.key] = mapping
    return table


def device_for(maps: list[MidiMap], port_name: str) -> MidiMap | None:
    """The device map of this port (the last matching one), if any."""
    found = [m for m in maps if m.is_device and m.matches(port_name)]
    return found[-1] if found else None
