"""An ISF file's JSON header, parsed into typed descriptors (no GL here).

ISF (the Interactive Shader Format, VDMX's shader format) is a GLSL fragment
shader that starts with a ``/*{ ... }*/`` JSON comment declaring its inputs,
render passes and imported images.  :func:`parse_isf` reads that header, upgrades
ISF v1 files the way VDMX does (``PERSISTENT_BUFFERS`` -> ``PERSISTENT`` passes,
``vv_`` names), infers the kind (filter, transition, generator) and gives the
inputs as :class:`IsfInput` descriptors the control table can turn into targets.
Every problem is a :class:`~vj.errors.Problem` naming the file and its line.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, VjError

#: Input types and the GLSL uniform each becomes.
GLSL_TYPES = {"float": "float", "bool": "bool", "long": "int", "color": "vec4", "point2D": "vec2",
              "event": "bool", "image": "sampler2D", "audio": "sampler2D", "audioFFT": "sampler2D"}
#: Types a performer (or a binding) sets; images and audio are fed by the host.
VALUE_TYPES = ("float", "bool", "long", "color", "point2D", "event")
IMAGE_TYPES = ("image", "audio", "audioFFT")

KINDS = ("filter", "transition", "generator")


class IsfError(VjError):
    """An ISF file vj cannot use; ``problems`` say where and why.  The show leaves it out."""


@dataclass(frozen=True, slots=True)
class IsfInput:
    """One declared input: what the control table, the panel and bindings need to drive it.

    ``default``/``min``/``max`` are floats for float, ints for long and bool/event
    (0/1), tuples for color (4) and point2D (2), ``None`` where the file gives none
    (images and audio have none).  ``values``/``labels`` list a long's choices;
    ``samples`` is an audio input's requested width (its ``MAX``), 0 for "any".
    """

    name: str
    type: str
    label: str
    default: Any = None
    min: Any = None
    max: Any = None
    identity: Any = None
    values: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    samples: int = 0

    @property
    def glsl_type(self) -> str:
        return GLSL_TYPES[self.type]

    @property
    def is_value(self) -> bool:
        """True for inputs a performer sets (not image/audio inputs, which the host feeds)."""
        return self.type in VALUE_TYPES

    def params(self) -> tuple[tuple[str, str, float | None, float | None], ...]:
        """The scalar components as ``(suffix, kind, lo, hi)``: kind "f" float or "i" integer.

        A control target for this input takes these, in order: one for float, bool,
        long and event, two (x, y) for point2D, four (r, g, b, a) for colour.
        """
        if self.type == "float":
            return (("", "f", self.min, self.max),)
        if self.type in ("bool", "event"):
            return (("", "i", 0, 1),)
        if self.type == "long":
            lo = min(self.values) if self.values else self.min
            hi = max(self.values) if self.values else self.max
            return (("", "i", lo, hi),)
        if self.type == "point2D":
            lo, hi = self.min or (None, None), self.max or (None, None)
            return tuple((axis, "f", lo[i], hi[i]) for i, axis in enumerate("xy"))
        if self.type == "color":
            return tuple((c, "f", 0.0, 1.0) for c in "rgba")
        return ()

    def coerce(self, value: Any) -> Any:
        """``value`` as this input's uniform value, clamped to MIN..MAX (widened to take in DEFAULT);
        the default when unusable.

        Live values come from OSC, MIDI and audio bindings: a wrong type must never
        stop the show, so it falls back to the default instead of raising.
        """
        try:
            if self.type == "float":
                v = float(value)
                if not math.isfinite(v):
                    return self.default
                return _clamp(v, *_hull(self.min, self.max, self.default))
            if self.type in ("bool", "event"):
                return bool(value)
            if self.type == "long":
                v = int(round(float(value)))
                if self.values and v not in self.values:
                    return min(self.values, key=lambda c: abs(c - v))
                return int(_clamp(v, *_hull(self.min, self.max, self.default)))
            if self.type in ("point2D", "color"):
                n = 2 if self.type == "point2D" else 4
                vals = [float(x) for x in value]
                if self.type == "color" and len(vals) == 3:
                    vals.append(1.0)
                if len(vals) != n or not all(math.isfinite(x) for x in vals):
                    return self.default
                if self.type == "color":
                    return tuple(_clamp(x, 0.0, 1.0) for x in vals)
                lo, hi = self.min or (None, None), self.max or (None, None)
                return tuple(_clamp(x, lo[i], hi[i]) for i, x in enumerate(vals))
        except (TypeError, ValueError):
            return self.default
        return value


@dataclass(frozen=True, slots=True)
class IsfPass:
    """One render pass: into ``target`` (a named buffer) or, without one, into the output."""

    target: str | None = None
    persistent: bool = False
    float: bool = False
    width: str = "$WIDTH"
    height: str = "$HEIGHT"


@dataclass(frozen=True, slots=True)
class IsfImport:
    """An image file the shader imports (``IMPORTED``), resolved next to the ISF file.

    A cube map (``"TYPE": "cube"``) has six ``faces`` (+X, -X, +Y, -Y, +Z, -Z); ``path`` is the first.
    """

    name: str
    path: Path
    faces: tuple[Path, ...] = ()

    @property
    def cube(self) -> bool:
        return bool(self.faces)


@dataclass(frozen=True, slots=True)
class IsfSpec:
    """Everything an ISF file declares, plus its GLSL bodies and where they start in the file."""

    path: Path
    kind: str
    inputs: tuple[IsfInput, ...]
    passes: tuple[IsfPass, ...]
    imports: tuple[IsfImport, ...]
    fragment: str                 #: the GLSL after the JSON header, header lines blanked
    vertex: str | None = None     #: the companion .vs, if any
    vertex_path: Path | None = None
    version: int = 2
    description: str = ""
    credit: str = ""
    categories: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())  #: what the v1 upgrade changed, for the curious

    def input(self, name: str) -> IsfInput | None:
        for inp in self.inputs:
            if inp.name == name:
                return inp
        return None

    @property
    def controls(self) -> tuple[IsfInput, ...]:
        """The inputs a performer drives (everything but images and audio)."""
        return tuple(i for i in self.inputs if i.is_value)

    @property
    def uses_date(self) -> bool:
        return bool(re.search(r"\bDATE\b", self.fragment + (self.vertex or "")))


def _hull(lo, hi, default):
    """MIN..MAX widened to take in the DEFAULT: files in the wild have defaults outside their range
    (Vidvox's Twirl: DEFAULT 5, MAX 1); hosts use such a default as it is, so setting it must work too."""
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        lo = None if lo is None else min(lo, default)
        hi = None if hi is None else max(hi, default)
    return lo, hi


def _clamp(v, lo, hi):
    if lo is not None and v < lo:
        v = lo
    if hi is not None and v > hi:
        v = hi
    return v


_HEADER = re.compile(r"\A\ufeff?\s*/\*")


def split_header(text: str) -> tuple[str, int, str]:
    """(json text, offset of the JSON in ``text``, the GLSL body with the header blanked to newlines).

    The body keeps every line where it was, so a GLSL line number maps straight back to the file.
    """
    m = _HEADER.match(text)
    if not m:
        raise ValueError("the file does not start with an ISF header (a /*{ ... }*/ JSON comment)")
    end = text.find("*/", m.end())
    if end < 0:
        raise ValueError("the ISF header comment opened with /* is never closed with */")
    json_text = text[m.end():end]
    body = re.sub(r"[^\n]", " ", text[:end + 2]) + text[end + 2:]
    return json_text, m.end(), body


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _loads_lenient(json_text: str) -> dict:
    """Strict JSON first; then without trailing commas and // comments (common hand edits)."""
    try:
        return json.loads(json_text)
    except json.JSONDecodeError as first:
        relaxed = re.sub(r"^\s*//[^\n]*", "", json_text, flags=re.M)
        relaxed = re.sub(r",(\s*[}\]])", r"\1", relaxed)
        try:
            return json.loads(relaxed)
        except json.JSONDecodeError:
            raise first from None


def parse_isf(path: Path | str, text: str | None = None, vertex: str | None = None) -> IsfSpec:
    """Parse ``path`` (or ``text`` given for it).  Raises :class:`IsfError` with located problems.

    The companion vertex shader ``NAME.vs`` (or ``NAME.vert``) is read when present.
    """
    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise IsfError(Problem(path, f"cannot read the ISF file ({exc.strerror or exc})",
                                   fix="check the path and that the file is readable")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        json_text, json_offset, body = split_header(text)
    except ValueError as exc:
        raise IsfError(Problem(path, str(exc), line=1,
                               fix="an ISF file starts with /*{ \"INPUTS\": [...] }*/ before the GLSL")) from None
    try:
        meta = _loads_lenient(json_text)
    except json.JSONDecodeError as exc:
        line = _line_of(text, json_offset) + exc.lineno - 1
        raise IsfError(Problem(path, f"the JSON header is not valid JSON: {exc.msg}", line=line,
                               fix="check commas, quotes and brackets on that line")) from None
    if not isinstance(meta, dict):
        raise IsfError(Problem(path, "the JSON header must be an object { ... }", line=_line_of(text, json_offset)))

    def where(key: str) -> int:
        """The file line where ``key`` first appears in the header (for messages)."""
        i = text.find(f'"{key}"', json_offset)
        return _line_of(text, i) if i >= 0 else _line_of(text, json_offset)

    notes: list[str] = []
    version = 2
    if "PERSISTENT_BUFFERS" in meta or "vv_FragNormCoord" in body or \
            (vertex and ("vv_vertShaderInit" in vertex or "vv_FragNormCoord" in vertex)):
        version = 1
    vsn = str(meta.get("ISFVSN", "")).strip()
    if vsn.startswith("1"):
        version = 1

    problems: list[Problem] = []
    inputs: list[IsfInput] = []
    seen: set[str] = set()
    raw_inputs = meta.get("INPUTS", [])
    if not isinstance(raw_inputs, list):
        raise IsfError(Problem(path, "INPUTS must be a list of input objects", line=where("INPUTS")))
    for i, raw in enumerate(raw_inputs):
        try:
            inp = _parse_input(raw)
        except ValueError as exc:
            name = raw.get("NAME", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
            problems.append(Problem(path, str(exc), line=where(str(name)) if isinstance(name, str) else None,
                                    where=f"input {name!r}", fix=_input_fix(raw)))
            continue
        if inp.name in seen:
            problems.append(Problem(path, f"input {inp.name!r} is declared twice", line=where(inp.name),
                                    fix="give every input its own NAME"))
            continue
        seen.add(inp.name)
        inputs.append(inp)

    passes = _parse_passes(meta, path, where, problems, notes)
    imports = _parse_imports(meta, path, where, problems)
    if problems:
        raise IsfError(problems)

    names = {i.name for i in inputs}
    kind = "generator"
    if {"startImage", "endImage"} <= names and any(i.name == "progress" and i.type == "float" for i in inputs):
        kind = "transition"
    elif any(i.name == "inputImage" and i.type == "image" for i in inputs):
        kind = "filter"

    vertex_path = None
    if vertex is None:
        for ext in (".vs", ".vert"):
            cand = path.with_suffix(ext)
            if cand.exists():
                vertex_path = cand
                vertex = cand.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
                break
    cats = meta.get("CATEGORIES", ())
    return IsfSpec(path=path, kind=kind, inputs=tuple(inputs), passes=tuple(passes), imports=tuple(imports),
                   fragment=body, vertex=vertex, vertex_path=vertex_path, version=version,
                   description=str(meta.get("DESCRIPTION", "") or ""), credit=str(meta.get("CREDIT", "") or ""),
                   categories=tuple(str(c) for c in cats) if isinstance(cats, list) else (), notes=tuple(notes))


def _num(v, what: str) -> float:
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)) and math.isfinite(v):
        return float(v)
    if isinstance(v, str):
        if v.strip().lower() in ("true", "false", "yes", "no"):  # "DEFAULT": "FALSE" in the wild
            return 1.0 if v.strip().lower() in ("true", "yes") else 0.0
        try:
            return float(v)
        except ValueError:
            pass
    raise ValueError(f"{what} must be a number, not {v!r}")


def _is_number(v) -> bool:
    try:
        _num(v, "")
        return True
    except ValueError:
        return False


def _vec(v, n: int, what: str) -> tuple[float, ...]:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return (float(v),) * n
    if not isinstance(v, (list, tuple)) or len(v) < (3 if n == 4 else n) or len(v) > n:
        raise ValueError(f"{what} must be a list of {n} numbers, not {v!r}")
    vals = [_num(x, what) for x in v]
    if n == 4 and len(vals) == 3:
        vals.append(1.0)
    return tuple(vals)


#: input TYPEs authors write that ISF spells otherwise (MadMapper's int, GLSL's and other hosts' names)
TYPE_SPELLINGS = {"int": "long", "integer": "long", "number": "float", "boolean": "bool", "switch": "bool",
                  "colour": "color", "vec4": "color", "vec2": "point2D", "point": "point2D", "point2d": "point2D",
                  "sampler2D": "image", "trigger": "event", "fft": "audioFFT"}


def _input_fix(raw: Any) -> str | None:
    """The fix for an input that cannot be read: the ISF spelling of a TYPE written another way."""
    typ = raw.get("TYPE") if isinstance(raw, dict) else None
    if not isinstance(typ, str) or typ in GLSL_TYPES:
        return None
    alt = TYPE_SPELLINGS.get(typ) or TYPE_SPELLINGS.get(typ.lower())
    return (f'write "TYPE": "{alt}"' + (" (a whole number: MIN and MAX, or VALUES with LABELS for a menu)"
                                        if alt == "long" else "")) if alt else "use one of the ISF types: " + ", ".join(GLSL_TYPES)


def _parse_input(raw: Any) -> IsfInput:
    if not isinstance(raw, dict):
        raise ValueError(f"an input must be an object with NAME and TYPE, not {raw!r}")
    name, typ = raw.get("NAME"), raw.get("TYPE")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name or ""):
        raise ValueError(f"NAME {name!r} is not a GLSL identifier")
    if typ not in GLSL_TYPES:
        raise ValueError(f"TYPE {typ!r} is not an ISF input type (one of {', '.join(GLSL_TYPES)})")
    label = str(raw.get("LABEL") or name)
    d, lo, hi, ident = raw.get("DEFAULT"), raw.get("MIN"), raw.get("MAX"), raw.get("IDENTITY")
    values: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    samples = 0
    if typ == "float":
        lo = None if lo is None else _num(lo, "MIN")
        hi = None if hi is None else _num(hi, "MAX")
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        d = _clamp(0.0, lo, hi) if d is None else _num(d, "DEFAULT")
        ident = None if ident is None else _num(ident, "IDENTITY")
    elif typ in ("bool", "event"):
        d = False if d is None or typ == "event" else bool(_num(d, "DEFAULT"))
        lo, hi = 0, 1
    elif typ == "long":
        vals = raw.get("VALUES")
        if vals is not None:
            if not isinstance(vals, list) or not vals:
                raise ValueError("VALUES must be a non-empty list of whole numbers")
            labs = raw.get("LABELS") or []
            labels = tuple(str(x) for x in labs) if isinstance(labs, list) else ()
            if all(isinstance(v, str) for v in vals) and not all(_is_number(v) for v in vals):
                # VALUES given as names (seen in the wild): they are the labels; the values are 0, 1, 2...
                labels = labels or tuple(vals)
                if isinstance(d, str) and d in vals:
                    d = vals.index(d)
                vals = list(range(len(vals)))
            values = tuple(int(_num(v, "VALUES")) for v in vals)
        lo = None if lo is None else int(_num(lo, "MIN"))
        hi = None if hi is None else int(_num(hi, "MAX"))
        if d is None:
            d = values[0] if values else _clamp(0, lo, hi)
        d = int(_num(d, "DEFAULT"))
    elif typ == "color":
        d = (0.0, 0.0, 0.0, 1.0) if d is None else _vec(d, 4, "DEFAULT")
        lo = None if lo is None else _vec(lo, 4, "MIN")
        hi = None if hi is None else _vec(hi, 4, "MAX")
    elif typ == "point2D":
        lo = None if lo is None else _vec(lo, 2, "MIN")
        hi = None if hi is None else _vec(hi, 2, "MAX")
        d = (0.0, 0.0) if d is None else _vec(d, 2, "DEFAULT")
    else:  # image, audio, audioFFT: fed by the host
        if typ in ("audio", "audioFFT") and hi is not None:
            samples = max(0, int(_num(hi, "MAX")))
        d = lo = hi = None
    return IsfInput(name=name, type=typ, label=label, default=d, min=lo, max=hi, identity=ident,
                    values=values, labels=labels, samples=samples)


def _parse_passes(meta: dict, path: Path, where, problems: list[Problem], notes: list[str]) -> list[IsfPass]:
    raw = meta.get("PASSES")
    if raw is None:
        raw = [{}]
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(path, "PASSES must be a list of pass objects", line=where("PASSES")))
        return []
    # ISF v1: PERSISTENT_BUFFERS names (a list, or an object with sizes) mark those targets persistent
    v1 = meta.get("PERSISTENT_BUFFERS")
    v1_bufs: dict[str, dict] = {}
    if isinstance(v1, list):
        v1_bufs = {str(n): {} for n in v1}
    elif isinstance(v1, dict):
        v1_bufs = {str(k): (v if isinstance(v, dict) else {}) for k, v in v1.items()}
    elif isinstance(v1, str):
        v1_bufs = {v1: {}}
    passes = []
    for i, p in enumerate(raw):
        if not isinstance(p, dict):
            problems.append(Problem(path, f"pass {i} must be an object", line=where("PASSES")))
            continue
        target = p.get("TARGET")
        if target is not None and (not isinstance(target, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", target)):
            problems.append(Problem(path, f"pass {i}: TARGET {target!r} is not a GLSL identifier", line=where("TARGET")))
            continue
        extra = v1_bufs.get(target or "", {})
        persistent = bool(p.get("PERSISTENT", False)) or target in v1_bufs
        if target in v1_bufs:
            notes.append(f"v1: buffer {target!r} made PERSISTENT")
        is_float = bool(p.get("FLOAT", extra.get("FLOAT", False)))
        w = p.get("WIDTH", extra.get("WIDTH", "$WIDTH"))
        h = p.get("HEIGHT", extra.get("HEIGHT", "$HEIGHT"))
        passes.append(IsfPass(target=target or None, persistent=persistent, float=is_float,
                              width=str(w), height=str(h)))
    return passes


def _parse_imports(meta: dict, path: Path, where, problems: list[Problem]) -> list[IsfImport]:
    raw = meta.get("IMPORTED")
    if not raw:
        return []
    items: list[tuple[str, Any]] = []
    if isinstance(raw, dict):
        items = [(str(k), v) for k, v in raw.items()]
    elif isinstance(raw, list):
        items = [(str(v.get("NAME", "")), v) for v in raw if isinstance(v, dict)]
    out = []
    for name, v in items:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            problems.append(Problem(path, f"imported image name {name!r} is not a GLSL identifier", line=where("IMPORTED")))
            continue
        files = v.get("PATH") if isinstance(v, dict) else None
        if isinstance(v, dict) and str(v.get("TYPE", "")).lower() == "cube":
            if not (isinstance(files, list) and len(files) == 6 and all(isinstance(f, str) for f in files)):
                problems.append(Problem(path, f"cube map {name!r} needs a PATH list of six image files (+X, -X, +Y, -Y, +Z, -Z)",
                                        line=where(name)))
                continue
            faces = tuple(path.parent / f for f in files)
            out.append(IsfImport(name=name, path=faces[0], faces=faces))
            continue
        if not isinstance(files, str):
            problems.append(Problem(path, f"imported image {name!r} needs a PATH to one image file "
                                          "(or TYPE \"cube\" and six)", line=where(name or "IMPORTED")))
            continue
        out.append(IsfImport(name=name, path=path.parent / files))
    return out
