"""Bindings: how the music moves an effect's input, as a setlist declares it.

A value in a setlist's effect table is a constant (``amount = 0.4``), an expression over the
music (``amount = "bass_att * 0.8"``) or an envelope the beat triggers
(``beat = {source = "beat", shape = "decay", beats = 0.5}``).  They are compiled once, when the
setlist is read (every mistake is found before the show, with the fix), and evaluated per frame
from :class:`Signals`, which the show loop builds from the audio snapshot and the show clock.

The expression language is small on purpose: numbers, the signals below, ``+ - * / % **``,
comparisons (1 or 0), ``a if c else b`` and a few functions.  It is parsed with Python's own
parser and walked over a whitelist, never ``eval``'d: a setlist shared between VJs must not run code.
Evaluation never raises (a division by zero gives the input's default), because the show never stops.
"""

from __future__ import annotations

import ast
import difflib
import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

#: the signals an expression may name: name -> (what it is, for the docs and the error messages)
SIGNALS: dict[str, str] = {
    "bass": "bass level, 0..1 (automatic gain)",
    "mid": "mid level, 0..1",
    "high": "high (treble) level, 0..1",
    "bass_att": "bass, fast attack and slow release (smoother than bass)",
    "mid_att": "mid, fast attack and slow release",
    "high_att": "high, fast attack and slow release",
    "level": "overall loudness (RMS, not gain-controlled: silence reads 0)",
    "onset": "onset strength of the latest audio hop, 0..1",
    "beat": "beat phase, 0 on each beat rising to 1 just before the next (the show clock: latency included)",
    "bar": "bar phase, 0 on each downbeat rising to 1 just before the next",
    "beats": "beats since the show started (continuous)",
    "bars": "bars since the show started (continuous)",
    "bpm": "the tempo the show follows",
    "time": "show time in seconds",
}
#: other spellings people write, read as the signal they mean
SIGNAL_ALIASES = {"treble": "high", "treble_att": "high_att", "rms": "level", "volume": "level"}
_CONSTANTS = {"pi": math.pi, "tau": 2.0 * math.pi, "e": math.e}


def _fract(x: float) -> float:
    return x - math.floor(x)


def _smoothstep(a: float, b: float, x: float) -> float:
    if a == b:
        return 0.0 if x < a else 1.0
    u = min(max((x - a) / (b - a), 0.0), 1.0)
    return u * u * (3.0 - 2.0 * u)


#: functions an expression may call: name -> (function, number of arguments or None for "one or more")
FUNCTIONS: dict[str, tuple[Callable[..., float], int | None]] = {
    "sin": (math.sin, 1), "cos": (math.cos, 1), "abs": (abs, 1), "sqrt": (math.sqrt, 1), "exp": (math.exp, 1),
    "log": (math.log, 1), "floor": (math.floor, 1), "ceil": (math.ceil, 1), "fract": (_fract, 1),
    "min": (min, None), "max": (max, None), "pow": (math.pow, 2), "step": (lambda edge, x: 1.0 if x >= edge else 0.0, 2),
    "clamp": (lambda x, lo, hi: min(max(x, lo), hi), 3), "mix": (lambda a, b, t: a + (b - a) * t, 3),
    "smoothstep": (_smoothstep, 3),
}
_BINOPS: dict[type, Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.Mod: lambda a, b: a - b * math.floor(a / b), ast.Pow: math.pow,
}
_CMPS: dict[type, Callable[[float, float], bool]] = {
    ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b, ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
}
#: the longest expression read (a setlist line, not a program)
MAX_EXPRESSION = 400

#: envelope sources: what triggers them
SOURCES = ("beat", "bar", "onset")
#: envelope shapes: value at ``x`` = (beats since the trigger) / (the envelope's length in beats)
SHAPES: dict[str, tuple[Callable[[float], float], str]] = {
    "decay": (lambda x: math.exp(-x * math.log(100.0)), "1 on the trigger, falling to 1 % after `beats`"),
    "ramp": (lambda x: max(0.0, 1.0 - x), "1 on the trigger, straight down to 0 after `beats`"),
    "gate": (lambda x: 1.0 if x < 1.0 else 0.0, "1 for `beats` after the trigger, then 0"),
    "rise": (lambda x: min(1.0, x), "0 on the trigger, straight up to 1 after `beats`, then held"),
    "sine": (lambda x: 0.5 - 0.5 * math.cos(2.0 * math.pi * x), "a smooth swell: 0 on the trigger, 1 half-way through `beats`, 0 again at `beats`"),
}
ENVELOPE_KEYS = ("source", "shape", "beats", "every", "range")


class BindingError(ValueError):
    """A binding that cannot be compiled: ``str(exc)`` says what, ``fix`` how to write it."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.fix = fix


@dataclass(frozen=True, slots=True)
class Signals:
    """What bindings read in one frame: the audio snapshot's bands and the show clock.

    ``beats``/``bars`` are the show clock's positions (the latency offset included, so a visual hit
    is scheduled from the predicted beat); ``prev_beats``/``prev_bars`` those of the frame before
    (an event input fires when a trigger falls between the two).  ``since_onset`` is seconds since
    the latest detected onset (infinite before the first).
    """

    time: float = 0.0
    bpm: float = 120.0
    beats: float = 0.0
    bars: float = 0.0
    beats_per_bar: int = 4
    prev_beats: float = 0.0
    prev_bars: float = 0.0
    bass: float = 0.0
    mid: float = 0.0
    high: float = 0.0
    bass_att: float = 0.0
    mid_att: float = 0.0
    high_att: float = 0.0
    level: float = 0.0
    onset: float = 0.0
    since_onset: float = math.inf
    onset_fired: bool = False

    def value(self, name: str) -> float:
        if name == "beat":
            return _fract(self.beats)
        if name == "bar":
            return _fract(self.bars)
        return float(getattr(self, name))


class Expression:
    """A compiled expression: ``Expression("bass_att * 0.8")(signals) -> float``."""

    __slots__ = ("text", "_fn", "names")

    def __init__(self, text: str):
        self.text = text
        if len(text) > MAX_EXPRESSION:
            raise BindingError(f"the expression is {len(text)} characters long (at most {MAX_EXPRESSION})",
                               "write a shorter expression")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            col = f" at character {exc.offset}" if exc.offset else ""
            raise BindingError(f"cannot read the expression {text!r}{col} ({exc.msg})",
                               'write numbers, signals and + - * / ** ( ), e.g. "0.2 + bass_att * 0.8"') from None
        self.names: set[str] = set()
        self._fn = self._compile(tree.body)

    def __call__(self, sig: Signals) -> float:
        try:
            v = float(self._fn(sig))
        except (ArithmeticError, ValueError, TypeError, OverflowError):
            return math.nan
        return v

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def _compile(self, node: ast.AST) -> Callable[[Signals], float]:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            c = float(node.value)
            return lambda sig: c
        if isinstance(node, ast.Name):
            name = SIGNAL_ALIASES.get(node.id, node.id)
            if name in SIGNALS:
                self.names.add(name)
                return lambda sig: sig.value(name)
            if name in _CONSTANTS:
                c = _CONSTANTS[name]
                return lambda sig: c
            close = difflib.get_close_matches(node.id, [*SIGNALS, *SIGNAL_ALIASES, *_CONSTANTS], n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise BindingError(f"unknown name '{node.id}' in {self.text!r}",
                               f"{hint}signals are {', '.join(SIGNALS)}")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            op, a, b = _BINOPS[type(node.op)], self._compile(node.left), self._compile(node.right)
            return lambda sig: op(a(sig), b(sig))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitXor):
            raise BindingError(f"'^' in {self.text!r}", "write a power as a ** b or pow(a, b)")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            a = self._compile(node.operand)
            return (lambda sig: -a(sig)) if isinstance(node.op, ast.USub) else a
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _CMPS:
            op, a, b = _CMPS[type(node.ops[0])], self._compile(node.left), self._compile(node.comparators[0])
            return lambda sig: 1.0 if op(a(sig), b(sig)) else 0.0
        if isinstance(node, ast.IfExp):
            test, yes, no = self._compile(node.test), self._compile(node.body), self._compile(node.orelse)
            return lambda sig: yes(sig) if test(sig) else no(sig)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            entry = FUNCTIONS.get(node.func.id)
            if entry is None:
                close = difflib.get_close_matches(node.func.id, list(FUNCTIONS), n=1)
                hint = f"did you mean {close[0]}()? " if close else ""
                raise BindingError(f"unknown function '{node.func.id}' in {self.text!r}",
                                   f"{hint}functions are {', '.join(FUNCTIONS)}")
            fn, arity = entry
            if (arity is not None and len(node.args) != arity) or (arity is None and not node.args):
                want = f"{arity} argument{'s' if arity != 1 else ''}" if arity else "one or more arguments"
                raise BindingError(f"{node.func.id}() takes {want}, got {len(node.args)} in {self.text!r}",
                                   f"write {node.func.id}() with {want}")
            args = [self._compile(a) for a in node.args]
            return lambda sig: fn(*(a(sig) for a in args))
        raise BindingError(f"{type(node).__name__.lower()} is not allowed in an expression ({self.text!r})",
                           "use numbers, signals, + - * / % **, comparisons, a if c else b and the functions "
                           f"{', '.join(FUNCTIONS)}")


@dataclass(frozen=True, slots=True)
class Envelope:
    """A shape the beat (or the bar, or an onset) triggers: ``{source = "beat", shape = "decay", beats = 0.5}``.

    ``every``: triggers on every Nth beat or bar only; ``range``: the values it moves between
    (0..1 by default).  Its value depends only on the show clock (onsets: on when they fell), so
    the same show gives the same envelope live and in a rehearsal.
    """

    source: str = "beat"
    shape: str = "decay"
    beats: float = 1.0
    every: int = 1
    lo: float = 0.0
    hi: float = 1.0

    def since(self, sig: Signals) -> float:
        """Beats since the latest trigger (infinite before any)."""
        if self.source == "beat":
            return sig.beats - self.every * math.floor(sig.beats / self.every)
        if self.source == "bar":
            return (sig.bars - self.every * math.floor(sig.bars / self.every)) * sig.beats_per_bar
        return sig.since_onset * sig.bpm / 60.0

    def fired(self, sig: Signals) -> bool:
        """Whether a trigger fell since the previous frame (for ``event`` inputs)."""
        if self.source == "onset":
            return sig.onset_fired
        now, prev = (sig.beats, sig.prev_beats) if self.source == "beat" else (sig.bars, sig.prev_bars)
        return math.floor(now / self.every) > math.floor(prev / self.every)

    def __call__(self, sig: Signals) -> float:
        u = self.since(sig)
        env = SHAPES[self.shape][0](u / self.beats) if math.isfinite(u) else (1.0 if self.shape == "rise" else 0.0)
        return self.lo + (self.hi - self.lo) * env


def envelope(table: Mapping[str, Any]) -> Envelope:
    """An :class:`Envelope` from its setlist table; BindingError naming the wrong key and its fix."""
    unknown = [k for k in table if k not in ENVELOPE_KEYS]
    if unknown:
        raise BindingError(f"unknown key '{unknown[0]}' in an envelope",
                           f"an envelope has {', '.join(ENVELOPE_KEYS)}, e.g. {{source = \"beat\", shape = \"decay\", beats = 0.5}}")
    source = table.get("source", "beat")
    if source not in SOURCES:
        raise BindingError(f"source {source!r} is not one of {', '.join(SOURCES)}",
                           'write source = "beat", "bar" or "onset"')
    shape = table.get("shape", "decay")
    if shape not in SHAPES:
        raise BindingError(f"shape {shape!r} is not one of {', '.join(SHAPES)}",
                           "; ".join(f"{k}: {v[1]}" for k, v in SHAPES.items()))
    beats = table.get("beats", 1.0)
    if isinstance(beats, bool) or not isinstance(beats, (int, float)) or not 0.01 <= beats <= 64:
        raise BindingError(f"beats = {beats!r} is not a length of 0.01..64 beats", "write beats = 0.5 (half a beat)")
    every = table.get("every", 1)
    if isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= 64:
        raise BindingError(f"every = {every!r} is not a whole number 1..64", "write every = 2 for every other beat (or bar)")
    if "every" in table and source == "onset":
        raise BindingError("every does not apply to onsets", "remove every, or use source = \"beat\" or \"bar\"")
    rng = table.get("range", (0.0, 1.0))
    if (not isinstance(rng, (list, tuple)) or len(rng) != 2
            or not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in rng)):
        raise BindingError(f"range = {rng!r} is not two numbers", "write range = [LOW, HIGH], e.g. range = [0.2, 1.0]")
    return Envelope(source, shape, float(beats), every, float(rng[0]), float(rng[1]))


#: a component of a binding: a constant, an expression or an envelope
Component = float | Expression | Envelope

#: how many numbers an input type takes
WIDTHS = {"float": 1, "long": 1, "bool": 1, "event": 1, "point2D": 2, "color": 4}


@dataclass(frozen=True, slots=True)
class Binding:
    """What drives one input: one component per number (colour: r, g, b, a; point: x, y).

    ``constant`` is True when nothing in it moves (a plain value), so a live control replaces it
    without anything being lost.
    """

    type: str
    parts: tuple[Component, ...]

    @property
    def constant(self) -> bool:
        return all(isinstance(p, float) for p in self.parts)

    def __call__(self, sig: Signals) -> Any:
        """The input's value this frame (not clamped: the shader's input clamps it; NaN where an expression failed)."""
        if self.type == "event":
            p = self.parts[0]
            if isinstance(p, Envelope):
                return p.fired(sig)
            return bool(_part(p, sig) > 0.5)
        vals = [_part(p, sig) for p in self.parts]
        if self.type == "bool":
            return vals[0] > 0.5
        if self.type == "long":
            return round(vals[0]) if math.isfinite(vals[0]) else vals[0]
        return vals[0] if len(vals) == 1 else tuple(vals)


def _part(p: Component, sig: Signals) -> float:
    return p if isinstance(p, float) else p(sig)


def _component(raw: Any) -> Component:
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):
            raise BindingError(f"{raw!r} is not a finite number", "write a number")
        return float(raw)
    if isinstance(raw, str):
        return Expression(raw)
    if isinstance(raw, Mapping):
        return envelope(raw)
    raise BindingError(f"{raw!r} is not a number, an expression or an envelope",
                       'write a number, an expression such as "bass_att * 0.8", or {source = "beat", shape = "decay"}')


def compile_binding(raw: Any, type: str) -> Binding:
    """The binding of an input of ISF type ``type`` from its setlist value; BindingError with the fix."""
    width = WIDTHS.get(type)
    if width is None:
        raise BindingError(f"an input of type {type} cannot be set from a setlist",
                           "image and audio inputs are fed by vj itself")
    if width == 1:
        if isinstance(raw, (list, tuple)):
            raise BindingError(f"a list for an input of type {type}", "write one value")
        return Binding(type, (_component(raw),))
    what = "x, y" if type == "point2D" else "r, g, b (and a)"
    if not isinstance(raw, (list, tuple)) or not (len(raw) == width or (type == "color" and len(raw) == 3)):
        raise BindingError(f"a {type} takes {width} values ({what})",
                           f"write [{', '.join('0.5' for _ in range(width))}]; each may be an expression string")
    parts = tuple(_component(x) for x in raw)
    if any(isinstance(p, Envelope) for p in parts):
        raise BindingError(f"an envelope inside a {type}", 'use an expression per component, e.g. "0.5 + 0.5 * beat"')
    if type == "color" and len(parts) == 3:
        parts += (1.0,)
    return Binding(type, parts)


def constant(value: Any, type: str) -> Binding:
    """A fixed value as a binding (a live control's value)."""
    if isinstance(value, (list, tuple)):
        return Binding(type, tuple(float(v) for v in value))
    return Binding(type, (float(value),))


def describe_signals() -> str:
    """The signals as a Markdown table (docs/ISF.md)."""
    lines = ["| signal | what it is |", "| --- | --- |"]
    lines += [f"| `{k}` | {v} |" for k, v in SIGNALS.items()]
    return "\n".join(lines) + "\n"


def describe_shapes() -> str:
    lines = ["| shape | value over time |", "| --- | --- |"]
    lines += [f"| `{k}` | {v[1]} |" for k, v in SHAPES.items()]
    return "\n".join(lines) + "\n"
