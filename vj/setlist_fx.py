"""A setlist's ISF effects and transitions: which shader, under which name, with which bindings.

A song's ``[[songs.effects]]`` tables are its effect chain on the output, in order; its
``transition`` draws its flights instead of the zoom-through; a section switches effects on and
off, re-binds their inputs (``effects.kaleido = {on = true, segments = 8}``) and changes the
transition.  Every value an input gets is compiled here (:mod:`vj.engine.bindings`), against the
shader's own header (types and names), so every mistake is found when the setlist is read, with the
setlist's line and the fix; a shader whose header is broken is reported at its own file and line.
The GLSL is compiled later, on the GL thread (vj.render.effects), where a failure leaves that one
effect out and the show goes on.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from . import SHADERS
from .engine.bindings import Binding, BindingError, compile_binding
from .errors import Problem
from .isf.spec import IsfError, IsfInput, parse_isf
from .tomlloc import LineIndex

#: the shaders vj ships (written for the show: docs/ISF.md)
SHIPPED = SHADERS / "isf"
#: a song's transition written as this means the zoom-through (the default)
ZOOM = "zoom"
#: keys of an effect or transition table that are not shader inputs
EFFECT_KEYS = ("shader", "name", "on")
#: transition inputs vj drives itself (from the flight), not the setlist
DRIVEN = {"transition": ("progress",)}
#: the image inputs the show feeds (the picture, the two clips); any other image input takes a picture file
FED = ("inputImage", "startImage", "endImage")
#: what an image input's file may be (anything FFmpeg decodes as one picture; these are the usual ones)
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".gif")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class EffectSpec:
    """An ISF shader as a setlist uses it: its name for the controls, its file, its inputs and bindings."""

    name: str                                   #: its controls are fx/NAME/INPUT (and fx/NAME/on)
    shader: Path
    kind: str                                   #: "filter" (an effect) or "transition"
    inputs: tuple[IsfInput, ...]                #: the inputs a performer or a binding sets
    bindings: tuple[tuple[str, Binding], ...] = ()   #: what the setlist sets, by input name
    on: bool = True
    line: int | None = None
    images: tuple[tuple[str, Path], ...] = ()  #: image inputs the setlist gives a picture file, by input name

    def input(self, name: str) -> IsfInput | None:
        return next((i for i in self.inputs if i.name == name), None)


@dataclass(frozen=True, slots=True)
class EffectChange:
    """What a section does to an effect of its song: switch it (``on``), bind some inputs anew."""

    name: str
    on: bool | None = None
    bindings: tuple[tuple[str, Binding], ...] = ()


def slug(text: str) -> str:
    """A control name from a shader's name: "Beat Trails" -> "beat_trails"."""
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return s if s and s[0].isalnum() else f"fx_{s}"


def shipped_names() -> list[str]:
    return sorted(p.stem for p in SHIPPED.glob("*.fs"))


def resolve_shader(text: str, base: Path) -> Path | None:
    """The .fs file ``text`` names: a path (relative to the setlist's folder), else a shader in the
    setlist folder's ``isf/`` or one vj ships.  None when there is none."""
    if text.endswith((".fs", ".frag")) or "/" in text or os.sep in text or text.startswith("~"):
        p = Path(text).expanduser()
        p = p if p.is_absolute() else base / p
        return Path(os.path.normpath(p)) if p.is_file() else None
    for folder in (base / "isf", SHIPPED):
        p = folder / f"{text}.fs"
        if p.is_file():
            return p
    return None


class _Reader:
    """Reads the effect and transition tables of one setlist, collecting problems with lines."""

    def __init__(self, path: Path, lines: LineIndex):
        self.path = path
        self.base = path.parent
        self.lines = lines
        self.problems: list[Problem] = []
        self._specs: dict[Path, Any] = {}
        #: the names of the song's effects refused (their problem said): a section naming one is not said again
        self.refused: set[str] = set()

    def problem(self, message: str, fix: str, line: int | None, where: str) -> None:
        self.problems.append(Problem(self.path, message, fix, line, where))

    def _header(self, shader: Path, line: int | None, where: str):
        """The shader's parsed header (once per file), or None with its problems reported at the shader's lines."""
        if shader not in self._specs:
            try:
                self._specs[shader] = parse_isf(shader)
            except IsfError as exc:
                self._specs[shader] = None
                for p in exc.problems:
                    if isinstance(p, Problem):
                        used = f"used by {self.path.name}:{line} ({where})" if line else f"used by {self.path.name} ({where})"
                        self.problems.append(Problem(p.path, p.message, p.fix, p.line,
                                                     f"{used}{', ' + p.where if p.where else ''}"))
                    else:
                        self.problem(str(p), "fix the shader or remove it from the setlist", line, where)
        return self._specs[shader]

    def shader(self, table: Mapping[str, Any], kind: str, line: int | None, where: str,
               key_line) -> EffectSpec | None:
        """An effect (``kind`` "filter") or transition table: ``{shader = ..., name = ..., on = ..., INPUT = ...}``."""
        text = table.get("shader")
        if not isinstance(text, str) or not text:
            self.problem("missing shader", f'write shader = "NAME" (shipped: {", ".join(shipped_names())}) or a '
                         'path to an .fs file, relative to this setlist', line, where)
            return None
        path = resolve_shader(text, self.base)
        if path is None:
            names = shipped_names()
            close = difflib.get_close_matches(text, names, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.problem(f"no ISF shader '{text}'", f"{hint}name a shipped one ({', '.join(names)}), one in "
                         f"{self.base / 'isf'}, or give the path of an .fs file", key_line("shader"), where)
            return None
        spec = self._header(path, key_line("shader"), where)
        if spec is None:
            return None
        if spec.kind != kind:
            # "(it has startImage, ...)" after "is a filter, not a transition" read as if the filter had them
            want = "an effect (an effect is a filter: it has an inputImage)" if kind == "filter" else \
                "a transition (a transition has startImage, endImage and progress)"
            if kind == "transition" and spec.kind == "filter":
                fix = f'use it as an effect ([[songs.effects]] with shader = "{text}"), and name a transition here'
            elif kind == "filter" and spec.kind == "transition":
                fix = f'use it for the flights (transition = "{text}", in the song or a section), and name a filter here'
            elif spec.kind == "generator":   # it fits nowhere in a setlist
                fix = ("a show's pictures are its clips, so a generator has no place of its own; to lay it over them, "
                       'make it a filter: add {"NAME": "inputImage", "TYPE": "image"} to its INPUTS and mix its colour '
                       "with IMG_THIS_PIXEL(inputImage)")
            else:
                fix = "use it where it fits: effects are filters, a transition is a transition"
            self.problem(f"{path.name} is a {spec.kind}, not {want}", f"{fix} (`vj isf check DIR` shows each file's kind)",
                         key_line("shader"), where)
            return None
        name = table.get("name", slug(path.stem))
        if not isinstance(name, str) or not _NAME.match(name):
            self.problem(f"name {name!r} cannot be a control name",
                         'write lower-case letters, digits and _ (e.g. name = "trails"): its controls are fx/NAME/...',
                         key_line("name"), where)
            return None
        on = table.get("on", True)
        if not isinstance(on, bool):
            self.problem(f"on = {on!r} is not true or false", "write on = true or on = false", key_line("on"), where)
            on = True
        driven = DRIVEN.get(spec.kind, ())
        inputs = tuple(i for i in spec.controls if i.name not in driven)
        pictures = {i.name for i in spec.inputs if i.type == "image" and i.name not in FED}
        images = self.images({k: v for k, v in table.items() if k in pictures}, path, f"{where}, effect '{name}'",
                             key_line)
        bindings = self.bindings({k: v for k, v in table.items() if k not in pictures}, inputs, driven, path,
                                 f"{where}, effect '{name}'", key_line)
        return EffectSpec(name, path, spec.kind, inputs, bindings, on, line, images)

    def images(self, table: Mapping[str, Any], shader: Path, where: str, key_line) -> tuple[tuple[str, Path], ...]:
        """The shader's extra image inputs (a mask, a logo): each a picture file, relative to the setlist."""
        out = []
        for key, raw in table.items():
            fix = f'write {key} = "logo.png" (a picture file, relative to {self.path.name})'
            if not isinstance(raw, str) or not raw:
                self.problem(f"{key} is an image input of {shader.name}: it takes a picture file, not {raw!r}", fix,
                             key_line(key), f"{where}, field '{key}'")
                continue
            p = Path(raw).expanduser()
            p = Path(os.path.normpath(p if p.is_absolute() else self.base / p))
            if not p.is_file():
                near = _near_pictures(p, raw)
                self.problem(f"no picture file {raw!r} for {key} (looked at {p})",
                             f"did you mean {' or '.join(repr(n) for n in near)}? " + fix if near else fix,
                             key_line(key), f"{where}, field '{key}'")
            elif p.suffix.lower() not in PICTURE_SUFFIXES:
                self.problem(f"{p.name} is not a picture file for {key}", f"{fix}; one of {', '.join(PICTURE_SUFFIXES)}",
                             key_line(key), f"{where}, field '{key}'")
            else:
                out.append((key, p))
        return tuple(out)

    def bindings(self, table: Mapping[str, Any], inputs: tuple[IsfInput, ...], driven: tuple[str, ...], shader: Path,
                 where: str, key_line) -> tuple[tuple[str, Binding], ...]:
        by_name = {i.name: i for i in inputs}
        out = []
        for key, raw in table.items():
            if key in EFFECT_KEYS:
                continue
            inp = by_name.get(key)
            if inp is None:
                if key in driven:
                    why = f"vj drives {key} itself (from the flight's timing)"
                    fix = f"remove {key}"
                else:
                    close = difflib.get_close_matches(key, list(by_name), n=1)
                    why = f"{shader.name} has no input '{key}'"
                    fix = (f"did you mean '{close[0]}'? " if close else "") + \
                        f"its inputs: {', '.join(by_name) or 'none'}; and shader, name, on"
                self.problem(why, fix, key_line(key), f"{where}, field '{key}'")
                continue
            if inp.type == "long" and inp.values and isinstance(raw, (int, float)) and not isinstance(raw, bool) \
                    and raw not in inp.values:   # a menu: the shader would get the nearest value, unsaid
                menu = ", ".join(f"{v} ({t})" if t else str(v)
                                 for v, t in zip(inp.values, inp.labels or ("",) * len(inp.values)))
                self.problem(f"{raw:g} is not one of the values of {key}, a menu", f"write one of {menu}", key_line(key),
                             f"{where}, field '{key}'")
                continue
            try:
                out.append((key, compile_binding(raw, inp.type)))
            except BindingError as exc:
                self.problem(str(exc), exc.fix, key_line(key), f"{where}, field '{key}'")
        return tuple(out)

    # -- the setlist's tables ----------------------------------------------------------------
    def song_effects(self, tables: Any, first: int, where: str, at: int | None = None) -> tuple[EffectSpec, ...]:
        """``[[songs.effects]]`` (``first``: how many such tables came before in the file); ``at``: the line of an
        inline ``effects = [...]``, where all of its problems point."""
        out: list[EffectSpec] = []
        self.refused = set()
        if not isinstance(tables, (list, tuple)) or not all(isinstance(t, dict) for t in tables):
            self.problem("effects must be [[songs.effects]] tables", 'write [[songs.effects]] then shader = "NAME"',
                         self.lines.key("effects", "songs"), where)
            return ()
        for k, table in enumerate(tables):
            n = first + k
            line = at or self.lines.table("songs.effects", n)
            ewhere = f"{where}, effect {k + 1}"
            fx = self.shader(table, "filter", line, ewhere,
                             lambda key, n=n: at or self.lines.key(key, "songs.effects", n))
            if fx is None:
                shader = table.get("shader")
                self.refused.add(table["name"] if isinstance(table.get("name"), str) else
                                 slug(Path(shader).stem) if isinstance(shader, str) else "")
                continue
            if any(e.name == fx.name for e in out):
                self.problem(f"two effects of the song are named '{fx.name}'",
                             'give one its own name (name = "..."): the name is how controls reach it', line, ewhere)
                continue
            out.append(fx)
        return tuple(out)

    def transition(self, raw: Any, line: int | None, where: str) -> EffectSpec | str | None:
        """A song's or section's ``transition``: "zoom", a shader's name or path, or a table."""
        if raw is None:
            return None
        if raw == ZOOM:
            return ZOOM
        table = {"shader": raw} if isinstance(raw, str) else raw
        if not isinstance(table, dict):
            self.problem(f"transition = {raw!r} is neither a shader nor a table",
                         'write transition = "Slice Wipe", = "zoom", or = {shader = "Slice Wipe", slices = 12}',
                         line, where)
            return None
        return self.shader(table, "transition", line, f"{where}, transition", lambda key: line)

    def section_effects(self, raw: Any, song: tuple[EffectSpec, ...], n: int, where: str) -> tuple[EffectChange, ...]:
        """A section's ``effects = {NAME = {on = true, INPUT = ...}}``: changes to the song's effects."""
        if raw is None:
            return ()

        def line(name: str = "") -> int | None:
            return self.lines.key(f"effects.{name}" if name else "effects", "songs.sections", n)

        if not isinstance(raw, dict):
            self.problem("effects in a section is a table of the song's effects",
                         "write effects.NAME = {on = true} (NAME: an effect of the song)", line(), where)
            return ()
        by_name = {e.name: e for e in song}
        out = []
        for name, change in raw.items():
            fx = by_name.get(name)
            ewhere = f"{where}, effect '{name}'"
            if fx is None and name in self.refused:
                continue            # the effect's own problem is said at its [[songs.effects]]
            if fx is None:
                close = difflib.get_close_matches(name, list(by_name), n=1)
                self.problem(f"the song has no effect named '{name}'",
                             (f"did you mean '{close[0]}'? " if close else "") +
                             f"the song's effects: {', '.join(by_name) or 'none (add [[songs.effects]])'}", line(name),
                             ewhere)
                continue
            if not isinstance(change, dict):
                self.problem(f"effects.{name} = {change!r} is not a table", f"write effects.{name} = {{on = true}}",
                             line(name), ewhere)
                continue
            if "shader" in change or "name" in change:
                self.problem("a section cannot change an effect's shader or name",
                             "declare another effect in the song (on = false) and switch it on here", line(name), ewhere)
                continue
            on = change.get("on")
            if on is not None and not isinstance(on, bool):
                self.problem(f"on = {on!r} is not true or false", "write on = true or on = false", line(name), ewhere)
                on = None
            header = self._specs.get(fx.shader)
            pictures = [k for k in change if header is not None and k not in FED and
                        any(i.name == k and i.type == "image" for i in header.inputs)]
            for k in pictures:
                self.problem(f"a section cannot change {fx.name}'s picture '{k}'",
                             "set it in the effect's own [[songs.effects]] table (or declare another effect with "
                             "the other picture, on = false, and switch it on here)", line(name), ewhere)
            change = {k: v for k, v in change.items() if k not in pictures}
            bindings = self.bindings(change, fx.inputs, (), fx.shader, ewhere, lambda key, name=name: line(name))
            out.append(EffectChange(name, on, bindings))
        return tuple(out)

    def names_agree(self, songs: list[tuple[str, tuple[EffectSpec | str | None, ...]]]) -> None:
        """One name, one shader, across the setlist: a control fx/NAME/... must mean one thing."""
        seen: dict[str, tuple[Path, str]] = {}
        for where, specs in songs:
            for fx in specs:
                if not isinstance(fx, EffectSpec):
                    continue
                first = seen.setdefault(fx.name, (fx.shader, where))
                if first[0] != fx.shader:
                    self.problem(f"the name '{fx.name}' is {first[0].name} in {first[1]} but {fx.shader.name} here",
                                 "give one of them another name: its controls fx/NAME/... must mean one shader",
                                 fx.line, where)


def _near_pictures(p: Path, raw: str) -> list[str]:
    """Picture files beside where ``raw`` points whose names are close to it (logo.jpg for a logo.png), as the
    setlist would write them."""
    try:
        names = [f.name for f in p.parent.iterdir() if f.suffix.lower() in PICTURE_SUFFIXES and f.is_file()]
    except OSError:
        return []
    close = [n for n in names if Path(n).stem == p.stem] or difflib.get_close_matches(p.name, names, n=2, cutoff=0.6)
    head = raw[: len(raw) - len(Path(raw).name)]
    return [head + n for n in close[:2]]


def reader(path: Path, lines: LineIndex) -> _Reader:
    """A reader for one setlist's effect tables (vj.setlist calls it)."""
    return _Reader(path, lines)


def in_use(effects: tuple[EffectSpec, ...], transition: EffectSpec | str | None,
           sections: tuple = ()) -> tuple[EffectSpec, ...]:
    """The shaders a song uses (its effects, its transition and its sections' transitions), each once."""
    out: dict[str, EffectSpec] = {e.name: e for e in effects}
    for t in (transition, *(getattr(s, "transition", None) for s in sections)):
        if isinstance(t, EffectSpec):
            out.setdefault(t.name, t)
    return tuple(out.values())
