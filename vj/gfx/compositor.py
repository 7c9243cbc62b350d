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
MAX_BLUR_SAMPLES = 12


class Compositor:
    """Owns the programs and the output image for one output size."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int] = (1920, 1080), fps: float = 60.0,
                 shutter: float = 0.5):
        self.ctx = ctx
        self.size = size
        self.fps = fps
        self.shutter = shutter  #: fraction of a frame the virtual shutter is open (motion blur)
        self.yuv_program = load_program(ctx, "fullscreen.vert", "yuv_to_rgb.frag")
        self.zoom_program = load_program(ctx, "fullscreen.vert", "zoom.frag")
        self.output_program = load_program(ctx, "fullscreen.vert", "output.frag")
        self.yuv_vao = ctx.vertex_array(self.yuv_program, [])
        self.zoom_vao = ctx.vertex_array(self.zoom_program, [])
        self.output_vao = ctx.vertex_array(self.output_program, [])
        self.composite_tex = ctx.texture(size, 4, dtype="f1")
        self.composite_tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.composite_tex.repeat_x = self.composite_tex.repeat_y = False
        self.composite_fbo = ctx.framebuffer(color_attachments=[self.composite_tex])
        self.output_tex = ctx.texture(size, 4, dtype="f1")
        self.output_fbo = ctx.framebuffer(color_attachments=[self.output_tex])
        self.zoom_program["u_flip"].value = 1.0
        self.zoom_program["u_tex0"].value = 0
        self.zoom_program["u_tex1"].value = 1

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
            self.draw_output(desc, self.output_fbo, flip=True)
        return self.output_tex

    def _draw_layers(self, desc: FrameDesc, textures: Mapping[int, ClipTexture], fbo: moderngl.Framebuffer,
                     brightness: float) -> None:
        prog = self.zoom_program
        ready = [(layer, textures[layer.instance]) for layer in desc.layers
                 if layer.instance in textures and textures[layer.instance].ready and layer.alpha > 0.0]
        # the engine draws at most two layers (base + emerging); keep the two front-most
        ready = ready[-MAX_LAYERS:]
        centers, sizes, covers, feathers, alphas, bicubic = [], [], [], [], [], []
        for unit, (layer, tex) in enumerate(ready):
            cover = self._cover(tex.size)
            magnification = layer.size * self.size[0] / (tex.size[0] * cover[0])
            tex.use_for(magnification < 1.0, unit)
            centers.append(layer.center)
            sizes.append(layer.size)
            covers.append(cover)
            feathers.append(layer.feather if unit > 0 else 0.0)
            alphas.append(layer.alpha)
            bicubic.append(1 if magnification > 1.05 else 0)
        pad = MAX_LAYERS - len(ready)
        prog["u_count"].value = len(ready)
        prog["u_center"].value = centers + [(0.5, 0.5)] * pad
        prog["u_size"].value = sizes + [1.0] * pad
        prog["u_cover"].value = covers + [(1.0, 1.0)] * pad
        prog["u_feather"].value = feathers + [0.0] * pad
        prog["u_alpha"].value = alphas + [0.0] * pad
        prog["u_bicubic"].value = bicubic + [0] * pad
        prog["u_brightness"].value = brightness
        fbo.use()
        self.ctx.viewport = (0, 0, *self.size)
        self.zoom_vao.render(moderngl.TRIANGLES, vertices=3)

    def blur_amount(self, desc: FrameDesc) -> tuple[float, int]:
        """(ln-scale covered while the shutter is open, sample count) for the radial blur."""
        amount = max(desc.zoom_speed, 0.0) * desc.blur * self.shutter / self.fps
        # the longest streak is at the far corner from the zoom centre
        cx, cy = desc.zoom_center
        reach = math.hypot(max(cx, 1 - cx) * self.size[0], max(cy, 1 - cy) * self.size[1])
        streak_px = reach * (1.0 - math.exp(-amount))
        samples = 1 if streak_px < 1.0 else min(MAX_BLUR_SAMPLES, 2 + int(streak_px / 2.0))
        return amount, samples

    def draw_output(self, desc: FrameDesc, fbo: moderngl.Framebuffer, *, flip: bool,
                    viewport: tuple[int, int, int, int] | None = None) -> None:
        """The output pass into ``fbo`` (the offscreen image, or a window's screen)."""
        prog = self.output_program
        amount, samples = self.blur_amount(desc)
        prog["u_flip"].value = 1.0 if flip else 0.0
        prog["u_image"].value = 0
        prog["u_zoom_center"].value = desc.zoom_center
        prog["u_blur"].value = amount
        prog["u_samples"].value = samples
        prog["u_brightness"].value = desc.brightness
        self.composite_tex.use(0)
        fbo.use()
        self.ctx.viewport = viewport or (0, 0, *self.size)
        self.output_vao.render(moderngl.TRIANGLES, vertices=3)

    def read(self) -> bytes:
        """The output image as RGBA bytes, top row first."""
        return self.output_fbo.read(components=4, alignment=1)

    def release(self) -> None:
        for obj in (self.composite_fbo, self.composite_tex, self.output_fbo, self.output_tex,
                    self.yuv_vao, self.zoom_vao, self.output_vao,
                    self.yuv_program, self.zoom_program, self.output_program):
            obj.release()
