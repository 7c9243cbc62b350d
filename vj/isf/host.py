"""The GL side of ISF: one loaded file, compiled, with its pass buffers, rendered into a texture.

An :class:`IsfShader` is one instance of one file at one output size.  It owns
its buffers (persistent ones keep their contents from frame to frame, so two
instances of the same feedback effect never share trails) and its output
texture.  ``render`` takes everything a frame needs as arguments: the show time,
the input values, the image textures and the audio; it never reads a clock or a
device, so the same call renders the same picture live and offline.
"""

from __future__ import annotations

import json
import re
import time as _time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import moderngl
import numpy as np

from ..errors import Problem, shown
from .expr import SizeError, pass_size
from .glsl import Generated, compiler_problems, generate, glsl_version
from .images import SILENCE, IsfAudio, cube_from_pictures, load_picture, texture_from_picture
from .spec import IsfError, IsfSpec, parse_isf, split_header

#: Two triangles over the viewport, as isf_position (-1..1)
_QUAD = np.array([-1, -1, 1, -1, -1, 1, -1, 1, 1, -1, 1, 1], np.float32)


def _release_fbos(ctx: moderngl.Context, *fbos: moderngl.Framebuffer | None) -> None:
    """Release framebuffers, first unbinding them if bound: moderngl re-binds the current framebuffer
    after creating a new one, and re-binding a deleted one is GL_INVALID_OPERATION."""
    live = [f for f in fbos if f is not None]
    cur = ctx.fbo
    if cur is not None and any(cur.glo == f.glo for f in live):
        ctx.detect_framebuffer(0).use()
    for f in live:
        f.release()


@dataclass
class _Target:
    """A pass target: two textures, read one while writing the other (feedback needs both)."""

    name: str
    persistent: bool
    float: bool
    size: tuple[int, int] = (0, 0)
    read: moderngl.Texture | None = None
    write: moderngl.Texture | None = None
    read_fbo: moderngl.Framebuffer | None = None
    write_fbo: moderngl.Framebuffer | None = None

    def ensure(self, ctx: moderngl.Context, size: tuple[int, int]) -> None:
        """Allocate at ``size`` (cleared to transparent black); a new size starts empty again."""
        if size == self.size and self.read is not None:
            return
        self.release(ctx)
        dtype = "f4" if self.float else "f1"
        self.read, self.write = (ctx.texture(size, 4, dtype=dtype) for _ in range(2))
        self.read_fbo = ctx.framebuffer(color_attachments=[self.read])
        self.write_fbo = ctx.framebuffer(color_attachments=[self.write])
        for fbo in (self.read_fbo, self.write_fbo):
            fbo.clear(0.0, 0.0, 0.0, 0.0)
        self.size = size

    def swap(self) -> None:
        self.read, self.write = self.write, self.read
        self.read_fbo, self.write_fbo = self.write_fbo, self.read_fbo

    def release(self, ctx: moderngl.Context) -> None:
        _release_fbos(ctx, self.read_fbo, self.write_fbo)
        for tex in (self.read, self.write):
            if tex is not None:
                tex.release()
        self.read = self.write = self.read_fbo = self.write_fbo = None
        self.size = (0, 0)


@dataclass
class _Program:
    """One compiled variant: the program, its active uniforms and its vertex array."""

    program: moderngl.Program
    uniforms: dict
    vao: moderngl.VertexArray

    def apply(self, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            uni = self.uniforms.get(name)
            if uni is not None:
                uni.value = value

    def release(self) -> None:
        self.vao.release()
        self.program.release()


#: Multi-pass files branch on PASSINDEX.  llvmpipe runs untaken branches' work anyway (measured on the
#: compositor, docs/PERFORMANCE.md), so each pass gets its own program with PASSINDEX a constant and the
#: other passes' code compiled away: Vidvox's Bloom (7 passes) at 720p went from 280-330 to 85-110 ms a frame
#: on llvmpipe in one run; the pixels are identical (tests/test_isf_host.py).
SPECIALISE_PASSES = True


def header_line(path: Path, needle: str) -> int | None:
    """The line of ``path`` where the JSON string ``needle`` first appears in its header, for problems found
    after parsing (an imported image that is not there, a pass size that cannot be computed)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        header, offset, _ = split_header(text)
    except (OSError, ValueError):
        return None
    i = text.find(json.dumps(needle), offset, offset + len(header))
    return text.count("\n", 0, i) + 1 if i >= 0 else None


def _import_line(spec: IsfSpec, name: str, file: Path) -> int | None:
    """The header line of an imported image: its PATH as written (relative to the ISF file), else its name."""
    try:
        rel = Path(file).relative_to(spec.path.parent).as_posix()
    except ValueError:
        rel = Path(file).name
    return header_line(spec.path, rel) or header_line(spec.path, name)


class IsfShader:
    """One ISF file, compiled for ``ctx``, rendering at ``size``.  Build with :meth:`load`."""

    def __init__(self, ctx: moderngl.Context, spec: IsfSpec, size: tuple[int, int] = (1280, 720)):
        self.ctx = ctx
        self.spec = spec
        self.size = (int(size[0]), int(size[1]))
        # everything release() touches exists from the start, so a failed load can clean up after itself
        self._programs: list[_Program] = []
        self._targets: dict[str, _Target] = {}
        self._imports: dict[str, moderngl.Texture] = {}
        self._audio: dict[str, tuple[Any, moderngl.Texture]] = {}
        self._output: moderngl.Texture | None = None
        self._output_fbo: moderngl.Framebuffer | None = None
        self._quad = self._sampler = self._blank = None
        version = glsl_version(ctx.version_code)
        self.generated: Generated = generate(spec, version)
        self._quad = ctx.buffer(_QUAD.tobytes())
        specialise = SPECIALISE_PASSES and len(spec.passes) > 1 and \
            "PASSINDEX" in spec.fragment + (spec.vertex or "")
        try:
            for index in (range(len(spec.passes)) if specialise else (None,)):
                gen = self.generated if index is None else generate(spec, version, pass_index=index)
                self._programs.append(self._compile(gen))
        except IsfError:
            self.release()
            raise
        # texture units by name, the same in every variant
        self._units: dict[str, int] = {name: unit for unit, name in enumerate(
            n for n in self.generated.image_names if any(n in prog.uniforms for prog in self._programs))}
        for prog in self._programs:
            prog.apply({name: unit for name, unit in self._units.items()})
        self._frame: dict[str, Any] = {}  # this frame's uniform values, applied to each pass's program
        self._custom_vertex = spec.vertex is not None
        self._sampler = ctx.sampler(filter=(moderngl.LINEAR, moderngl.LINEAR), repeat_x=False, repeat_y=False)
        self._blank = ctx.texture((1, 1), 4, bytes(4))
        for p in spec.passes:
            if p.target and p.target not in self._targets:
                self._targets[p.target] = _Target(p.target, p.persistent, p.float)
            elif p.target:  # a target written by several passes: persistent/float if any says so
                t = self._targets[p.target]
                t.persistent |= p.persistent
                t.float |= p.float
        self.frame_index = 0
        self._last_time: float | None = None
        try:
            for imp in spec.imports:
                try:
                    self._imports[imp.name] = (cube_from_pictures(ctx, [load_picture(f) for f in imp.faces]) if imp.cube
                                               else texture_from_picture(ctx, load_picture(imp.path)))
                except FileNotFoundError as exc:   # said as a performer reads it, not as Python's errno line
                    gone = Path(exc.filename or imp.path)
                    raise IsfError(Problem(spec.path, f"the imported image {gone.name!r} "
                                                      f"is not there (looked in {shown(gone.parent)})",
                                           where=f"IMPORTED {imp.name!r}", line=_import_line(spec, imp.name, gone),
                                           fix=f"put the image next to {spec.path.name} or fix its PATH")) from None
                except Exception as exc:  # noqa: BLE001 - any decode failure is the file's problem
                    raise IsfError(Problem(spec.path, f"cannot read the imported image {imp.path.name!r} as a "
                                                      f"picture ({getattr(exc, 'strerror', None) or exc})", where=f"IMPORTED {imp.name!r}",
                                           line=_import_line(spec, imp.name, imp.path),
                                           fix="save it again as PNG or JPEG, or fix its PATH")) from None
            self._pass_sizes(self.values())  # a bad size expression is the file's problem at load, not mid-show
        except IsfError:
            self.release()
            raise

    # ----------------------------------------------------------------- construction
    @classmethod
    def load(cls, ctx: moderngl.Context, path: Path | str, size: tuple[int, int] = (1280, 720)) -> "IsfShader":
        """Parse and compile ``path``.  Raises :class:`IsfError` (with located problems) if it cannot be used."""
        return cls(ctx, parse_isf(path), size)

    def _compile(self, gen: Generated) -> _Program:
        ctx = self.ctx
        try:
            program = ctx.program(vertex_shader=gen.vertex, fragment_shader=gen.fragment)
        except moderngl.Error as exc:
            raise IsfError(compiler_problems(str(exc), self.spec, gen)) from None
        except Exception as exc:  # noqa: BLE001 - moderngl raises plain KeyErrors etc. for odd sources
            raise IsfError(Problem(self.spec.path, f"the shader cannot be compiled ({exc.__class__.__name__}: {exc})",
                                   fix="fix the shader; vj leaves this file out until then")) from None
        uniforms = {name: program[name] for name in program if isinstance(program[name], moderngl.Uniform)}
        if "isf_position" in program:
            vao = ctx.vertex_array(program, [(self._quad, "2f", "isf_position")])
        else:  # a vertex shader that never calls isf_vertShaderInit
            vao = ctx.vertex_array(program, [])
        return _Program(program, uniforms, vao)

    @property
    def program_count(self) -> int:
        """How many programs this file compiled to: one per pass for multi-pass files, else one."""
        return len(self._programs)

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def inputs(self):
        return self.spec.inputs

    @property
    def name(self) -> str:
        return self.spec.path.stem

    def resize(self, size: tuple[int, int]) -> None:
        """Render at a new output size from the next frame on (buffers re-made, feedback restarts)."""
        size = (int(size[0]), int(size[1]))
        if size != self.size:
            self.size = size
            self._release_output()

    def reset(self) -> None:
        """Forget the past: clear persistent buffers, FRAMEINDEX back to 0, TIMEDELTA restarts."""
        for t in self._targets.values():
            t.release(self.ctx)
        self.frame_index = 0
        self._last_time = None

    # ----------------------------------------------------------------- rendering
    def values(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every value input's uniform value: ``values`` where given (coerced, clamped), else the default."""
        values = values or {}
        return {i.name: (i.coerce(values[i.name]) if i.name in values else i.default) for i in self.spec.controls}

    def render(self, time: float, values: Mapping[str, Any] | None = None,
               images: Mapping[str, moderngl.Texture] | None = None, audio: IsfAudio | None = None,
               date: tuple[float, float, float, float] | None = None) -> moderngl.Texture:
        """Render one frame at show time ``time`` (seconds) and return the output texture.

        ``images`` maps image inputs (``inputImage``, ``startImage``...) to textures;
        a missing one reads as transparent black.  ``date`` is ISF's DATE (year, month,
        day, seconds since midnight), the local clock when not given.  The returned
        texture belongs to this shader and holds this frame until the next ``render``.
        """
        ctx = self.ctx
        vals = self.values(values)
        images = images or {}
        delta = 0.0 if self._last_time is None else max(0.0, time - self._last_time)
        self._last_time = time
        if date is None:
            now = _time.localtime()
            date = (now.tm_year, now.tm_mon, now.tm_mday, now.tm_hour * 3600 + now.tm_min * 60 + now.tm_sec)
        self._set("TIME", float(time))
        self._set("TIMEDELTA", float(delta))
        self._set("FRAMEINDEX", int(self.frame_index))
        self._set("DATE", tuple(float(x) for x in date))
        for name, v in vals.items():
            self._frame[self.generated.uniform(name)] = v

        sizes = self._pass_sizes(vals)  # first: a pass size may depend on input values ($blurAmount)
        for p, s in zip(self.spec.passes, sizes):
            if p.target:
                t = self._targets[p.target]
                t.ensure(ctx, s)
                if not t.persistent:  # a temporary buffer starts each frame empty
                    t.read_fbo.clear(0.0, 0.0, 0.0, 0.0)

        uniform = self.generated.uniform
        for inp in self.spec.inputs:
            if uniform(inp.name) not in self._units:
                continue
            if inp.type == "image":
                self._bind(uniform(inp.name), images.get(inp.name) or self._blank)
            else:
                self._bind(uniform(inp.name), self._audio_texture(inp, audio or SILENCE))
        for name, tex in self._imports.items():
            self._bind(uniform(name), tex)

        ctx.disable(moderngl.BLEND | moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        result: moderngl.Texture | None = None
        for index, (p, s) in enumerate(zip(self.spec.passes, sizes)):
            for t in self._targets.values():
                self._bind(uniform(t.name), t.read if t.read is not None else self._blank)
            self._set("PASSINDEX", index)
            self._set("RENDERSIZE", (float(s[0]), float(s[1])))
            prog = self._programs[index if len(self._programs) > 1 else 0]
            prog.apply(self._frame)
            fbo = self._targets[p.target].write_fbo if p.target else self._output_target()
            fbo.use()
            if self._custom_vertex:  # a vertex shader may not cover the frame: the rest is transparent
                fbo.clear(0.0, 0.0, 0.0, 0.0)
            prog.vao.render(moderngl.TRIANGLES, vertices=6)
            if p.target:
                t = self._targets[p.target]
                t.swap()
                result = t.read
            else:
                result = self._output
        for unit in self._units.values():  # leave texture units as we found them for other renderers
            self._sampler.clear(location=unit)
        self.frame_index += 1
        assert result is not None
        return result

    def _pass_sizes(self, vals: Mapping[str, Any]) -> list[tuple[int, int]]:
        env = {k: float(v) for k, v in vals.items() if isinstance(v, (int, float, bool))}
        sizes = []
        for p in self.spec.passes:
            if not p.target:
                sizes.append(self.size)
                continue
            try:
                sizes.append(pass_size(p.width, p.height, self.size, env))
            except SizeError as exc:
                bad = [e for e in (p.width, p.height) if isinstance(e, str) and
                       any(k in str(exc) for k in re.findall(r"\$\w+", e))]
                raise IsfError(Problem(self.spec.path, str(exc), where=f"pass target {p.target!r}",
                                       line=header_line(self.spec.path, bad[0]) if bad else header_line(self.spec.path, p.target),
                                       fix="use $WIDTH, $HEIGHT, numbers, input names and floor/ceil/max/min")) from None
        return sizes

    def _output_target(self) -> moderngl.Framebuffer:
        if self._output is None:
            self._output = self.ctx.texture(self.size, 4)
            self._output.filter = (moderngl.LINEAR, moderngl.LINEAR)
            self._output.repeat_x = self._output.repeat_y = False
            self._output_fbo = self.ctx.framebuffer(color_attachments=[self._output])
        return self._output_fbo

    def _set(self, name: str, value) -> None:
        """Set a uniform for this frame (applied to each pass's program just before it draws)."""
        self._frame[name] = value

    def _bind(self, name: str, tex: moderngl.Texture) -> None:
        unit = self._units.get(name)
        if unit is None:
            return
        tex.use(location=unit)
        self._sampler.use(location=unit)
        w, h = tex.size
        self._set(f"_{name}_imgSize", (float(w), float(h)))
        self._set(f"_{name}_imgRect", (0.0, 0.0, 1.0, 1.0))
        self._set(f"_{name}_flip", False)

    def _audio_texture(self, inp, audio: IsfAudio) -> moderngl.Texture:
        cached = self._audio.get(inp.name)
        if cached is not None and cached[0] is audio:
            return cached[1]
        img = audio.image(inp.type, inp.samples)
        h, w = img.shape[:2]
        tex = cached[1] if cached is not None and cached[1].size == (w, h) else None
        if tex is None:
            if cached is not None:
                cached[1].release()
            tex = self.ctx.texture((w, h), 4, dtype="f4")
        tex.write(np.ascontiguousarray(img).tobytes())
        self._audio[inp.name] = (audio, tex)
        return tex

    # ----------------------------------------------------------------- cleanup
    def _release_output(self) -> None:
        if self._output_fbo is not None:
            _release_fbos(self.ctx, self._output_fbo)
            self._output.release()
        self._output = self._output_fbo = None
        for t in self._targets.values():
            t.release(self.ctx)

    def release(self) -> None:
        """Free every GL object this shader made (its program, buffers, output, imported images)."""
        self._release_output()
        for tex in self._imports.values():
            tex.release()
        self._imports.clear()
        for _, tex in self._audio.values():
            tex.release()
        self._audio.clear()
        for prog in getattr(self, "_programs", ()):
            prog.release()
        self._programs = []
        for obj in ("_quad", "_sampler", "_blank"):
            o = getattr(self, obj, None)
            if o is not None:
                o.release()
                setattr(self, obj, None)
