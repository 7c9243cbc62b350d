"""Drawing a frame's ISF effects and ISF transitions (the GL half of vj.show.effects).

The frame description names each effect with every input's value (``FrameDesc.effects``) and the
transition of a flight (``FrameDesc.flight_fx``); this draws them on the compositor's output:

- **effects**: the compositor's output through each effect in order, the last one's picture drawn
  back into the compositor's output image (which the window presents and the video writer reads);
- **ISF flights**: the two clips drawn apart by the compositor (each a one-layer frame), blended by
  the transition with the flight's progress.

A shader is compiled the first time a show names it (or ahead, by :meth:`EffectChain.prepare`); one
that does not compile is reported once, with its file and ISF line, and left out: the rest of the
chain, the flight (as a crossfade) and the output go on.  Live, a shader file saved during the show is
compiled again (:meth:`EffectChain.watch`): the new version replaces the old one if it compiles, else
the show keeps the version it had (or, for a file that never compiled, goes on without it).  Each effect name gets its own instance, so
two effects on one file never share feedback buffers; a new ``epoch`` starts an effect's feedback
afresh.  Time is the frame's show time; ISF's DATE is the local clock live, and a fixed day in a
rehearsal, so a rehearsal renders the same pixels twice.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping

import moderngl
import numpy as np

from ..engine import EffectDesc, FrameDesc
from ..errors import Problem
from ..fileio import stamp
from ..gfx.compositor import Compositor
from ..gfx.shaders import load_program
from ..gfx.context import release_framebuffer
from ..isf import IsfAudio, IsfError, IsfFilter, IsfShader, IsfTransition, load_isf, load_picture, texture_from_picture

#: ISF's DATE in a rehearsal: (year, month, day); the seconds of the day are the show time
REHEARSAL_DAY = (2026, 1, 1)
#: how often `vj play` looks at its shader files for edits, in seconds (a stat per file: nothing; the
#: setlist watcher polls at the same pace)
WATCH_INTERVAL = 0.5


def _inputs_changed(name: str, old: IsfShader, new: IsfShader) -> str:
    """What a saved shader's new header means for its controls: they come from the setlist's reading of the
    header, so new inputs get theirs (and bindings) when the setlist is saved too."""
    before, after = [i.name for i in old.spec.controls], [i.name for i in new.spec.controls]
    added, gone = [a for a in after if a not in before], [b for b in before if b not in after]
    said = ""
    if added:
        said += (f"; new input {', '.join(added)} at its default until the setlist is saved (then "
                 f"{', '.join(f'fx/{name}/{a}' for a in added)} is its control)")
    if gone:
        said += f"; input {', '.join(gone)} gone (its control too when the setlist is saved)"
    return said


class EffectChain:
    """The ISF shaders of one show, on the compositor's GL context."""

    def __init__(self, compositor: Compositor, *, live: bool):
        self.compositor = compositor
        self.ctx: moderngl.Context = compositor.ctx
        self.live = live
        self._shaders: dict[tuple[str, str], IsfShader] = {}    #: (name, file) -> its instance
        self._failed: dict[str, str] = {}                        #: file -> why it is left out
        self._epochs: dict[tuple[str, str], int] = {}
        self._pictures: list[tuple[moderngl.Texture, moderngl.Framebuffer]] = []   #: flipped copies: A, B, the chain's
        self._flipper: tuple[moderngl.Program, moderngl.VertexArray] | None = None
        self._files: dict[str, moderngl.Texture | None] = {}     #: picture files of image inputs (None: unreadable)
        self._stamps: dict[str, tuple[int, int] | None] = {}     #: file -> its stamp when last compiled (or failed)
        self._edited: set[str] = set()                           #: files failed, then saved again: being retried
        self._next_look = 0.0
        self.messages: list[str] = []                            #: problems since the last take_messages()

    @property
    def size(self) -> tuple[int, int]:
        return tuple(self.compositor.output_tex.size)  # type: ignore[return-value]

    # -- shaders ---------------------------------------------------------------------------------
    def prepare(self, shaders: Iterable[tuple[str, str]]) -> None:
        """Compile these (name, file) pairs now (before the show, or when a setlist reload brings them)."""
        for name, path in shaders:
            self._shader(name, path)

    def _shader(self, name: str, path: str) -> IsfShader | None:
        key = (name, path)
        shader = self._shaders.get(key)
        if shader is not None:
            if shader.size != self.size:
                shader.resize(self.size)
            return shader
        if path in self._failed:
            return None
        self._stamps.setdefault(path, stamp(path))
        shader, why = self._compile(path)
        if shader is None:
            self._failed[path] = why
            self.messages.append(f"effect '{name}' left out: {why}")
            return None
        if path in self._edited:
            self.messages.append(f"effect '{name}': {Path(path).name} saved, now compiled and on")
            self._edited.discard(path)
        self._shaders[key] = shader
        return shader

    def _compile(self, path: str, fix: str | None = None) -> tuple[IsfShader | None, str]:
        """``path`` compiled at the output size, or None and why (its file and ISF line; ``fix`` in place
        of the problems' own)."""
        try:
            return load_isf(self.ctx, Path(path), self.size), ""
        except IsfError as exc:
            return None, "; ".join(str(replace(p, fix=fix) if fix is not None and isinstance(p, Problem) else p)
                                   for p in exc.problems)
        except Exception as exc:  # noqa: BLE001 - a shader must never stop the show
            return None, f"{path}: {type(exc).__name__}: {exc}"

    def watch(self, now: float | None = None) -> None:
        """Live only: compile again the shader files saved since they were compiled (at most every
        ``WATCH_INTERVAL`` seconds of ``now``, the monotonic clock).  A new version that compiles replaces
        the old one (its feedback starts afresh); one that does not is said with its file and line, and
        the show keeps the version it had.  A file that never compiled is tried again."""
        if not self.live:
            return
        now = time.monotonic() if now is None else now
        if now < self._next_look:
            return
        self._next_look = now + WATCH_INTERVAL
        for path, seen in list(self._stamps.items()):
            current = stamp(path)
            if current is None or current == seen:   # unchanged, or mid-save (an editor's rename)
                continue
            self._stamps[path] = current
            if path in self._failed:
                del self._failed[path]           # the next frame that names it compiles it again
                self._edited.add(path)
                continue
            for key in [k for k in self._shaders if k[1] == path]:
                shader, why = self._compile(path, fix="fix the shader and save it again; until then the show "
                                                      "keeps the version it had")
                if shader is None:
                    self.messages.append(f"effect '{key[0]}': the saved {Path(path).name} does not compile: {why}")
                    break
                if shader.spec.kind != self._shaders[key].spec.kind:   # drawn nowhere: as good as broken
                    kind = self._shaders[key].spec.kind
                    self.messages.append(
                        f"effect '{key[0]}': the saved {Path(path).name} is a {shader.spec.kind} now, not a {kind} "
                        f"({'it lost its inputImage' if kind == 'filter' else 'startImage, endImage and progress'}). "
                        "Fix: put it back and save again; until then the show keeps the version it had")
                    shader.release()
                    break
                old = self._shaders.pop(key)
                self.messages.append(f"effect '{key[0]}': {Path(path).name} saved, compiled again"
                                     + _inputs_changed(key[0], old, shader))
                old.release()
                self._shaders[key] = shader

    def failed(self) -> dict[str, str]:
        """The shader files left out, with why."""
        return dict(self._failed)

    def take_messages(self) -> list[str]:
        said, self.messages = self.messages, []
        return said

    def _date(self, desc: FrameDesc):
        return None if self.live else (*REHEARSAL_DAY, desc.time % 86400.0)

    def _audio(self, desc: FrameDesc) -> IsfAudio:
        snap = desc.audio
        if snap is None:
            return IsfAudio()
        spectrum = np.clip(snap.spectrum, 0.0, 1.0) if snap.spectrum.size else None
        return IsfAudio(waveform=snap.waveform if snap.waveform.size else None, spectrum=spectrum)

    def _images(self, fx: EffectDesc) -> dict[str, moderngl.Texture]:
        """The picture files of ``fx``'s image inputs, loaded once; one that cannot be read is said once and
        the input reads as transparent black (the effect goes on)."""
        out = {}
        for name, path in fx.images:
            if path not in self._files:
                try:
                    self._files[path] = texture_from_picture(self.ctx, load_picture(Path(path)))
                except Exception as exc:  # noqa: BLE001 - a bad picture must never stop the show
                    self._files[path] = None
                    self.messages.append(f"effect '{fx.name}': cannot read {name}'s picture {path} "
                                         f"({type(exc).__name__}: {exc}); it shows as transparent black until fixed")
            tex = self._files[path]
            if tex is not None:
                out[name] = tex
        return out

    def _ready(self, fx: EffectDesc) -> IsfShader | None:
        shader = self._shader(fx.name, fx.shader)
        if shader is not None and self._epochs.get((fx.name, fx.shader)) != fx.epoch:
            self._epochs[(fx.name, fx.shader)] = fx.epoch
            shader.reset()
        return shader

    # -- drawing ---------------------------------------------------------------------------------
    # The compositor keeps its pictures top row first (its readers want rows top-down); ISF shaders
    # work in GL's orientation (first row at the bottom: isf_FragNormCoord, points and angles have y
    # up).  Pictures go into the ISF world through one flipping copy and come back through another,
    # which also applies the frame's brightness (a blackout is black, trails and all).
    def flight(self, desc: FrameDesc, textures: Mapping) -> moderngl.Texture | None:
        """An ISF flight: the two clips drawn apart by the compositor and blended by the transition (a
        picture in GL's orientation); None when there is none or its transition cannot be used (the
        compositor then draws the flight as a crossfade)."""
        fx = desc.flight_fx
        if fx is None or len(desc.layers) != 2:
            return None
        shader = self._ready(fx)
        if not isinstance(shader, IsfTransition):
            return None
        a, b = desc.layers
        pictures = []
        for k, layer in enumerate((a, replace(b, alpha=1.0))):
            self.compositor.render(replace(desc, layers=(layer,), zoom_rate=desc.zoom_rate if k == 0 else 0.0),
                                   textures)
            pictures.append(self._flip_in(self.compositor.output_tex, k))
        try:
            return shader.blend(pictures[0], pictures[1], desc.transition, desc.time, fx.value_map(),
                                self._audio(desc), date=self._date(desc), images=self._images(fx))
        except Exception as exc:  # noqa: BLE001 - a shader must never stop the show
            self._drop(fx, exc)
            return None

    def apply(self, desc: FrameDesc, picture: moderngl.Texture | None = None) -> None:
        """The frame's effects, in order, on ``picture`` (an ISF flight's) or else on the compositor's
        output, the result written back into the compositor's output image."""
        self.watch()
        if picture is None and not desc.effects:
            return
        tex = picture if picture is not None else self._flip_in(self.compositor.output_tex, 2)
        audio = self._audio(desc)
        date = self._date(desc)
        for fx in desc.effects:
            shader = self._ready(fx)
            if not isinstance(shader, IsfFilter):
                continue
            try:
                tex = shader.apply(tex, desc.time, fx.value_map(), audio, self._images(fx), date=date)
            except Exception as exc:  # noqa: BLE001 - render does not raise for a loaded file; never stop the show
                self._drop(fx, exc)
        self._flip(tex, self.compositor.output_fbo, desc.brightness)

    def _drop(self, fx: EffectDesc, exc: Exception) -> None:
        self._failed[fx.shader] = f"{fx.shader}: {type(exc).__name__}: {exc}"
        shader = self._shaders.pop((fx.name, fx.shader), None)
        if shader is not None:
            shader.release()
        self.messages.append(f"effect '{fx.name}' left out: {self._failed[fx.shader]}")

    def _flip(self, tex: moderngl.Texture, fbo: moderngl.Framebuffer, brightness: float = 1.0) -> None:
        if self._flipper is None:
            prog = load_program(self.ctx, "fullscreen.vert", "output.frag", defines={"SAMPLES": 1})
            prog["u_image"].value = 0
            prog["u_flip"].value = 0.0    # drawn into an offscreen image: rows come out the other way up
            self._flipper = (prog, self.ctx.vertex_array(prog, []))
        prog, vao = self._flipper
        prog["u_brightness"].value = brightness
        tex.use(0)
        fbo.use()
        self.ctx.viewport = (0, 0, *fbo.size)
        vao.render(moderngl.TRIANGLES, vertices=3)

    def _flip_in(self, tex: moderngl.Texture, k: int) -> moderngl.Texture:
        """``tex`` (top row first, about to be drawn over) copied into picture ``k``, the other way up."""
        if len(self._pictures) <= k or self._pictures[k][0].size != tex.size:
            while len(self._pictures) <= k:
                self._pictures.append(self._picture(tex.size))
            if self._pictures[k][0].size != tex.size:
                self._release_picture(self._pictures[k])
                self._pictures[k] = self._picture(tex.size)
        t, fbo = self._pictures[k]
        self._flip(tex, fbo)
        return t

    def _picture(self, size: tuple[int, int]) -> tuple[moderngl.Texture, moderngl.Framebuffer]:
        t = self.ctx.texture(size, 4)
        t.filter = (moderngl.LINEAR, moderngl.LINEAR)
        t.repeat_x = t.repeat_y = False
        return t, self.ctx.framebuffer(color_attachments=[t])

    def _release_picture(self, pic) -> None:
        t, fbo = pic
        release_framebuffer(fbo)
        t.release()

    def release(self) -> None:
        for pic in self._pictures:
            self._release_picture(pic)
        self._pictures = []
        if self._flipper is not None:
            prog, vao = self._flipper
            vao.release()
            prog.release()
            self._flipper = None
        for shader in self._shaders.values():
            shader.release()
        self._shaders.clear()
        for tex in self._files.values():
            if tex is not None:
                tex.release()
        self._files.clear()
