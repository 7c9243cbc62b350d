"""The zoom compositor: draws a :class:`~vj.engine.FrameDesc` into an offscreen image.

Screen and file share this path: a window shows the output texture, a file writer
reads it back.  Passes: the clip layers in one pass (mipmaps / bicubic), then, only while the
zoom is fast, an output pass
(radial motion blur, brightness).
"""

from __future__ import annotations

import math
from typing import Mapping

import moderngl

from ..engine.frame import FrameDesc
from .clip_texture import ClipTexture
from .shaders import load_program

MAX_LAYERS = 2


def _set(prog: moderngl.Program, name: str, value) -> None:
    """Set a uniform the compiler may have optimised away in some variant."""
    if name in prog:
        prog[name].value = value
BLUR_VARIANTS = (4, 6, 8)


class Compositor:
    """Owns the programs and the output image for one output size."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int] = (1920, 1080), fps: float = 60.0,
                 shutter: float = 0.5):
        self.ctx = ctx
        self.size = size
        self.fps = fps
        self.shutter = shutter  #: fraction of a frame the virtual shutter is open (motion blur)
        self.yuv_program = load_program(ctx, "fullscreen.vert", "yuv_to_rgb.frag")
        self._zoom_variants: dict[tuple, tuple[moderngl.Program, moderngl.VertexArray]] = {}
        self._output_variants: dict[int, tuple[moderngl.Program, moderngl.VertexArray]] = {}
        self._nv12 = None
        self.yuv_vao = ctx.vertex_array(self.yuv_program, [])
        self.composite_tex = ctx.texture(size, 4, dtype="f1")
        self.composite_tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.composite_tex.repeat_x = self.composite_tex.repeat_y = False
        self.composite_fbo = ctx.framebuffer(color_attachments=[self.composite_tex])
        self.output_tex = ctx.texture(size, 4, dtype="f1")
        self.output_fbo = ctx.framebuffer(color_attachments=[self.output_tex])

    def new_clip_texture(self) -> ClipTexture:
        return ClipTexture(self.ctx, self.yuv_program, self.yuv_vao)

    def _cover(self, clip_size: tuple[int, int]) -> tuple[float, float]:
        """Scale from screen-aspect uv to clip uv so a clip of another aspect fills the frame."""
        out_aspect = self.size[0] / self.size[1]
        clip_aspect = clip_size[0] / clip_size[1]
        if clip_aspect > out_aspect:
            return (out_aspect / clip_aspect, 1.0)
        return (1.0, clip_aspect / out_aspect)

    def render(self, desc: FrameDesc, textures: Mapping[int, ClipTexture]) -> moderngl.Texture:
        """Draw ``desc``; ``textures`` maps layer instance -> its clip texture.  Layers without a ready texture are skipped."""
        amount, samples = self.blur_amount(desc)
        blur = samples > 1
        # without blur the layers go straight to the output image: one pass
        self._draw_layers(desc, textures, self.composite_fbo if blur else self.output_fbo,
                          brightness=1.0 if blur else desc.brightness)
        if blur:
            self._output_pass(desc)
        return self.output_tex

    def _zoom_variant(self, layers: int, flags: tuple[tuple[bool, bool], ...]) -> tuple[moderngl.Program, moderngl.VertexArray]:
        """The zoom shader specialised for the layer count and each layer's filter (compiled once, cached)."""
        flags = tuple(flags) + ((False, False),) * (MAX_LAYERS - len(flags))
        key = (layers, flags)
        if key not in self._zoom_variants:
            defines = {"LAYERS": layers}
            for i, (bicubic, mip) in enumerate(flags):
                defines[f"BICUBIC{i}"] = int(bicubic)
                defines[f"MIP{i}"] = int(mip)
            prog = load_program(self.ctx, "fullscreen.vert", "zoom.frag", defines=defines)
            _set(prog, "u_flip", 1.0)  # optimised away in the no-layer variant
            for name, unit in (("u_tex0", 0), ("u_tex1", 1)):
                _set(prog, name, unit)
            self._zoom_variants[key] = (prog, self.ctx.vertex_array(prog, []))
        return self._zoom_variants[key]

    def _draw_layers(self, desc: FrameDesc, textures: Mapping[int, ClipTexture], fbo: moderngl.Framebuffer,
                     brightness: float) -> None:
        ready = [(layer, textures[layer.instance]) for layer in desc.layers
                 if layer.instance in textures and textures[layer.instance].ready and layer.alpha > 0.0]
        # the engine draws at most two layers (base + emerging); keep the two front-most
        ready = ready[-MAX_LAYERS:]
        params = []
        for unit, (layer, tex) in enumerate(ready):
            cover = self._cover(tex.size)
            magnification = layer.size * self.size[0] / (tex.size[0] * cover[0])
            tex.use_for(magnification, unit)
            params.append((layer, cover, (magnification > 1.05, magnification < 0.5)))
        prog, vao = self._zoom_variant(len(params), tuple(p[2] for p in params))
        for i, (layer, cover, _) in enumerate(params):
            _set(prog, f"u_center{i}", layer.center)
            _set(prog, f"u_size{i}", layer.size)
            _set(prog, f"u_cover{i}", cover)
            _set(prog, f"u_alpha{i}", layer.alpha)
            if i == 1:
                _set(prog, "u_feather1", layer.feather)
        _set(prog, "u_brightness", brightness)
        fbo.use()
        self.ctx.viewport = (0, 0, *self.size)
        vao.render(moderngl.TRIANGLES, vertices=3)

    def blur_amount(self, desc: FrameDesc) -> tuple[float, int]:
        """(ln-scale covered while the shutter is open, sample count) for the radial blur."""
        amount = max(desc.zoom_rate, 0.0) * desc.blur * self.shutter / self.fps
        # the longest streak is at the far corner from the zoom centre
        cx, cy = desc.zoom_center
        reach = math.hypot(max(cx, 1 - cx) * self.size[0], max(cy, 1 - cy) * self.size[1])
        streak_px = reach * (1.0 - math.exp(-amount))
        if streak_px < 1.0:
            return amount, 1
        # a few fixed variants: enough taps that the streak has no gaps wider than ~3 px
        wanted = 2 + int(streak_px / 3.0)
        return amount, next((n for n in BLUR_VARIANTS if n >= wanted), BLUR_VARIANTS[-1])

    def _output_variant(self, samples: int) -> tuple[moderngl.Program, moderngl.VertexArray]:
        if samples not in self._output_variants:
            prog = load_program(self.ctx, "fullscreen.vert", "output.frag", defines={"SAMPLES": samples})
            prog["u_image"].value = 0
            self._output_variants[samples] = (prog, self.ctx.vertex_array(prog, []))
        return self._output_variants[samples]

    def _output_pass(self, desc: FrameDesc) -> None:
        """Radial motion blur and brightness, from the composite into the output image."""
        amount, samples = self.blur_amount(desc)
        prog, vao = self._output_variant(samples)
        prog["u_flip"].value = 1.0
        if samples > 1:
            prog["u_zoom_center"].value = desc.zoom_center
            prog["u_scale"].value = [math.exp(-amount * k / (samples - 1)) for k in range(samples)]
        prog["u_brightness"].value = desc.brightness
        self.composite_tex.use(0)
        self.output_fbo.use()
        self.ctx.viewport = (0, 0, *self.size)
        vao.render(moderngl.TRIANGLES, vertices=3)

    def present(self, fbo: moderngl.Framebuffer, viewport: tuple[int, int, int, int]) -> None:
        """Copy the finished output image into ``fbo`` (a window's screen), scaled into ``viewport``."""
        prog, vao = self._output_variant(1)
        prog["u_flip"].value = 0.0
        prog["u_brightness"].value = 1.0
        self.output_tex.use(0)
        fbo.use()
        self.ctx.viewport = viewport
        vao.render(moderngl.TRIANGLES, vertices=3)

    def read(self) -> bytes:
        """The output image as RGBA bytes, top row first."""
        return self.output_fbo.read(components=4, alignment=1)

    def read_nv12(self) -> tuple[bytes, bytes]:
        """The output image as BT.709 limited-range NV12 (Y plane, interleaved UV plane), converted on the GPU."""
        if self._nv12 is None:
            w, h = self.size
            y_tex = self.ctx.texture((w, h), 1, dtype="f1")
            uv_tex = self.ctx.texture((w // 2, h // 2), 2, dtype="f1")
            progs = []
            for plane in (0, 1):
                prog = load_program(self.ctx, "fullscreen.vert", "rgb_to_yuv.frag", defines={"PLANE": plane})
                prog["u_flip"].value = 1.0
                prog["u_image"].value = 0
                progs.append((prog, self.ctx.vertex_array(prog, [])))
            self._nv12 = (self.ctx.framebuffer(color_attachments=[y_tex]), self.ctx.framebuffer(color_attachments=[uv_tex]),
                          progs, (y_tex, uv_tex))
        y_fbo, uv_fbo, progs, _ = self._nv12
        self.output_tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.output_tex.use(0)
        for fbo, (prog, vao) in zip((y_fbo, uv_fbo), progs):
            fbo.use()
            self.ctx.viewport = (0, 0, *fbo.size)
            vao.render(moderngl.TRIANGLES, vertices=3)
        return y_fbo.read(components=1, alignment=1), uv_fbo.read(components=2, alignment=1)

    def release(self) -> None:
        for obj in (self.composite_fbo, self.composite_tex, self.output_fbo, self.output_tex,
                    self.yuv_vao, self.yuv_program):
            obj.release()
        for prog, vao in list(self._zoom_variants.values()) + list(self._output_variants.values()):
            vao.release()
            prog.release()
        self._zoom_variants.clear()
        self._output_variants.clear()
        if self._nv12 is not None:
            y_fbo, uv_fbo, progs, texs = self._nv12
            for obj in (y_fbo, uv_fbo, *texs):
                obj.release()
            for prog, vao in progs:
                vao.release()
                prog.release()
            self._nv12 = None
