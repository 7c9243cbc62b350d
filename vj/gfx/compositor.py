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
import numpy as np

from ..engine.frame import FrameDesc, LayerDesc
from ..engine.framing import FITS, Framing, cover, framing
from .bgra import make_bgra
from .clip_texture import ClipTexture
from .shaders import load_program
from .context import release_framebuffer

MAX_LAYERS = 2
#: render sizes are rounded to this many pixels (NV12 needs even sizes; 8 keeps llvmpipe's tiles whole)
SIZE_STEP = 8
#: the blurred copy behind a ``blur`` clip is read from the mip level about this many texels wide
BLUR_TEXELS = 24
#: the colour match compares B with A in a square this many times B's size about the point B emerges
#: from: A's picture that B grows over in the flight's first half
NEIGHBOURHOOD = 2.0
#: ... and B's own picture within this share of its layer about its focus (what its soft mask shows)
B_CORE = 0.35
#: the match's contrast gain is kept within these factors (a flat patch of sky must not be blown up)
GAIN_RANGE = (0.5, 2.0)
#: B's haze (its detail fading toward its border while it is small) is read from the mip level about this
#: many texels wide: a blur of ~1/32 of B's width, its colours without its texture
HAZE_TEXELS = 32


def _set(prog: moderngl.Program, name: str, value) -> None:
    """Set a uniform the compiler may have optimised away in some variant."""
    if name in prog:
        prog[name].value = value
BLUR_VARIANTS = (4, 6, 8)
#: the emerging clip is drawn in a pass of its own over its mask's rectangle (the base clip alone everywhere
#: first) while that rectangle is at most this share of the image: the two-layer pass cost 8.0 ms over
#: the whole 448x252 image on llvmpipe, against 1.4 ms for the base clip alone (2026-12-05); above about
#: half the image the extra base pass costs more than the scissor saves
EMERGING_SPLIT = 0.5


class Compositor:
    """Owns the programs and the output image for one output size."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int] = (1920, 1080), fps: float = 60.0,
                 shutter: float = 0.5, fast_present: bool = False):
        """``fast_present``: the output image is stored BGRA and present() copies it with a plain fetch
        (vj.gfx.bgra: llvmpipe's fast path for the live window's scale-up; the pixels are the same)."""
        self.ctx = ctx
        self.fast_present = fast_present
        self._present_prog: tuple[moderngl.Program, moderngl.VertexArray] | None = None
        self.size = size
        self.fps = fps
        self.shutter = shutter  #: fraction of a frame the virtual shutter is open (motion blur)
        #: adaptive quality (vj.live.quality) may render below ``size`` and switch the blur pass off;
        #: offline rendering never does (render_scale stays 1)
        self.render_scale = 1.0
        self.render_size = size
        self.motion_blur = True
        self.bicubic_upscale = True     #: scale a smaller render up bicubic (else bilinear: cheaper on weak GL)
        #: sample magnified clips bicubic (else bilinear): adaptive quality's low levels turn it off with the
        #: scale-up's, as a picture rendered below half size and scaled up bilinear cannot show the difference
        self.bicubic_clips = True
        self._upscale = None
        self._opaque: moderngl.Texture | None = None   #: opaque_output()'s copy
        self.yuv_program = load_program(ctx, "fullscreen.vert", "yuv_to_rgb.frag")
        self._zoom_variants: dict[tuple, tuple[moderngl.Program, moderngl.VertexArray]] = {}
        self._output_variants: dict[int, tuple[moderngl.Program, moderngl.VertexArray]] = {}
        self._nv12 = None
        self.yuv_vao = ctx.vertex_array(self.yuv_program, [])
        self._allocate(size)

    def _allocate(self, size: tuple[int, int]) -> None:
        self.composite_tex = self.ctx.texture(size, 4, dtype="f1")
        self.composite_tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.composite_tex.repeat_x = self.composite_tex.repeat_y = False
        self.composite_fbo = self.ctx.framebuffer(color_attachments=[self.composite_tex])
        self.output_tex = self.ctx.texture(size, 4, dtype="f1")
        if self.fast_present:
            make_bgra(self.output_tex)
        self.output_tex.repeat_x = self.output_tex.repeat_y = False
        self.output_fbo = self.ctx.framebuffer(color_attachments=[self.output_tex])
        self._mask_fbo: moderngl.Framebuffer | None = None

    def set_render_scale(self, scale: float) -> None:
        """Render at ``scale`` x the output size from the next frame on (present() scales it back up)."""
        w = max(SIZE_STEP, round(self.size[0] * scale / SIZE_STEP) * SIZE_STEP)
        h = max(SIZE_STEP, round(self.size[1] * scale / SIZE_STEP) * SIZE_STEP)
        self.render_scale = scale
        target = (w, h) if scale < 1.0 else self.size
        if target == self.render_size:
            return
        release_framebuffer(self.composite_fbo)
        release_framebuffer(self.output_fbo)
        self.composite_tex.release()
        self.output_tex.release()
        self.render_size = target
        self._allocate(target)

    def new_clip_texture(self, scale: float = 1.0) -> ClipTexture:
        """``scale`` < 1: the clip's pictures are kept at that fraction of their size (adaptive quality); and
        while adaptive quality renders below full size, no wider than the render (ClipTexture's ``max_width``)."""
        return ClipTexture(self.ctx, self.yuv_program, self.yuv_vao, scale=scale,
                           max_width=self.render_size[0] if self.render_scale < 1.0 else 0)

    def framing(self, layer: LayerDesc, tex: ClipTexture) -> Framing:
        """How ``layer``'s picture sits in it at this output's aspect (the engine maps focus points the same way)."""
        aspect = layer.aspect if layer.aspect > 0 else tex.size[0] / max(tex.size[1], 1)
        return framing(aspect, self.size[0] / self.size[1], layer.fit)

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

    def _zoom_variant(self, layers: int, flags: tuple[tuple[bool, bool, int], ...],
                      emerging: tuple[bool, bool, bool] = (False, False, False)
                      ) -> tuple[moderngl.Program, moderngl.VertexArray]:
        """The zoom shader specialised for the layer count, each layer's filter and fit, and which of the
        emerging clip's soft mask, haze and colour match are on (compiled once, cached)."""
        flags = tuple(flags) + ((False, False, 0),) * (MAX_LAYERS - len(flags))
        key = (layers, flags, emerging)
        if key not in self._zoom_variants:
            defines = {"LAYERS": layers}
            for i, (bicubic, mip, fit) in enumerate(flags):
                defines[f"BICUBIC{i}"] = int(bicubic)
                defines[f"MIP{i}"] = int(mip)
                defines[f"FIT{i}"] = fit
            for name, on in zip(("SOFT1", "HAZE1", "MATCH1"), emerging):
                defines[name] = int(on)
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
            frame = self.framing(layer, tex)
            magnification = layer.size * self.render_size[0] * frame.sx / tex.size[0]
            fit = FITS.index(layer.fit) if layer.fit in FITS else 0
            fit = 0 if frame == Framing() else fit   # the clip has the output's shape: nothing to frame
            lod = math.log2(max(tex.size[0], 1) / BLUR_TEXELS) if fit == 2 else 0.0
            haze = math.log2(max(tex.size[0], 1) / HAZE_TEXELS) if unit == 1 and layer.haze > 0.0 else 0.0
            tex.use_for(magnification, unit, levels=math.ceil(max(lod, haze)))
            params.append((layer, tex, frame, lod, (self.bicubic_clips and magnification > 1.05, magnification < 0.5, fit),
                           haze))
        match = None
        emerging = (False, False, False)
        if len(params) == 2:
            b = params[1][0]
            match = colour_match(params[0][:3], params[1][:3]) if b.match > 0 else None
            emerging = (b.soft > 0.0, b.haze > 0.0, match is not None)
        flags = tuple(p[4] for p in params)
        self._mask_fbo = fbo
        fbo.use()
        self.ctx.viewport = (0, 0, *self.render_size)
        rect = self._emerging_rect(params[1][0]) if len(params) == 2 else None
        if rect is not None and params[1][4][2] != 0 and params[1][0].bars > 0.0:
            # a framed B's bars fade in over the whole screen, not only inside its mask: one full pass (23.7 ms
            # against 10.8 with the scissor at 448x252 on llvmpipe, B a third of the screen; 2026-12-07)
            rect = None
        if rect is not None:
            # the base clip alone over the whole image, then both layers only inside the emerging clip's mask
            # rectangle (a scissor): outside it the two-layer shader draws the base clip alone anyway, pixel
            # for pixel, and llvmpipe runs every branch of a fragment shader for every pixel, so B's soft mask,
            # haze and colour match cost the whole screen while B is a small patch (EMERGING_SPLIT)
            self._zoom_pass(self._zoom_variant(1, flags[:1]), params[:1], None, brightness)
            self.ctx.scissor = rect
            try:
                self._zoom_pass(self._zoom_variant(2, flags, emerging), params, match, brightness)
            finally:
                self.ctx.scissor = None
        else:
            self._zoom_pass(self._zoom_variant(len(params), flags, emerging), params, match, brightness)

    def _emerging_rect(self, layer: LayerDesc) -> tuple[int, int, int, int] | None:
        """The pixels the emerging layer's mask can reach (x, y, w, h, GL rows up), or None when that is most
        of the image (one pass is cheaper then)."""
        reach = layer.size * (0.5 + max(layer.grow, 0.0))
        w, h = self.render_size
        x0, x1 = max(0.0, layer.center[0] - reach), min(1.0, layer.center[0] + reach)
        y0, y1 = max(0.0, layer.center[1] - reach), min(1.0, layer.center[1] + reach)
        if x1 <= x0 or y1 <= y0 or (x1 - x0) * (y1 - y0) > EMERGING_SPLIT:
            return None
        px0, py0 = max(0, math.floor(x0 * w) - 1), max(0, math.floor(y0 * h) - 1)
        px1, py1 = min(w, math.ceil(x1 * w) + 1), min(h, math.ceil(y1 * h) + 1)
        return (px0, py0, px1 - px0, py1 - py0)

    def _zoom_pass(self, variant: tuple[moderngl.Program, moderngl.VertexArray], params: list, match,
                   brightness: float) -> None:
        """One draw of the zoom shader with ``params``' layers (bound and framed by :meth:`_draw_layers`)."""
        prog, vao = variant
        out_aspect = self.size[0] / self.size[1]
        for i, (layer, tex, frame, lod, _, haze) in enumerate(params):
            _set(prog, f"u_center{i}", layer.center)
            _set(prog, f"u_size{i}", layer.size)
            _set(prog, f"u_frame{i}", frame.uniform())
            aspect = layer.aspect if layer.aspect > 0 else tex.size[0] / max(tex.size[1], 1)
            _set(prog, f"u_cover{i}", cover(aspect, out_aspect).uniform())
            _set(prog, f"u_blur_lod{i}", lod)
            _set(prog, f"u_alpha{i}", layer.alpha)
            if i == 1:
                _set(prog, "u_feather1", layer.feather)
                _set(prog, "u_focus1", layer.focus)
                _set(prog, "u_soft1", layer.soft)
                _set(prog, "u_haze1", layer.haze)
                _set(prog, "u_grow1", layer.grow)
                _set(prog, "u_bars1", layer.bars)
                _set(prog, "u_haze_lod1", haze)
                _set(prog, "u_match1", layer.match if match is not None else 0.0)
                gain, mean_b, mean_a = match if match is not None else ((1.0,) * 3, (0.5,) * 3, (0.5,) * 3)
                _set(prog, "u_match_gain1", gain)
                _set(prog, "u_match_b1", mean_b)
                _set(prog, "u_match_a1", mean_a)
        _set(prog, "u_brightness", brightness)
        vao.render(moderngl.TRIANGLES, vertices=3)

    def read_mask(self) -> np.ndarray:
        """The emerging clip's mask as the last frame drew it (rows x columns float 0..1, top row first):
        what the seam score (``vj.render.seam``) measures the picture's edges against."""
        fbo = self._mask_fbo or self.output_fbo
        rgba = np.frombuffer(fbo.read(components=4, alignment=1), np.uint8).reshape(self.render_size[1], self.render_size[0], 4)
        return rgba[..., 3].astype(np.float32) / 255.0

    def blur_amount(self, desc: FrameDesc) -> tuple[float, int]:
        """(ln-scale covered while the shutter is open, sample count) for the radial blur."""
        amount = max(desc.zoom_rate, 0.0) * desc.blur * self.shutter / self.fps
        # the longest streak is at the far corner from the zoom centre
        cx, cy = desc.zoom_center
        reach = math.hypot(max(cx, 1 - cx) * self.render_size[0], max(cy, 1 - cy) * self.render_size[1])
        streak_px = reach * (1.0 - math.exp(-amount))
        if streak_px < 1.0 or not self.motion_blur:
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
        self.ctx.viewport = (0, 0, *self.render_size)
        vao.render(moderngl.TRIANGLES, vertices=3)

    def present(self, fbo: moderngl.Framebuffer, viewport: tuple[int, int, int, int]) -> None:
        """Copy the finished output image into ``fbo`` (a window's screen), scaled into ``viewport``
        (bicubic when the image was rendered below the output size)."""
        if self.render_size != self.size and self.bicubic_upscale:
            if self._upscale is None:
                up = load_program(self.ctx, "fullscreen.vert", "upscale.frag")
                up["u_image"].value = 0
                self._upscale = (up, self.ctx.vertex_array(up, []))
            prog, vao = self._upscale
            prog["u_brightness"].value = 1.0
        elif self.fast_present:
            if self._present_prog is None:
                p = load_program(self.ctx, "fullscreen.vert", "present.frag")
                p["u_image"].value = 0
                self._present_prog = (p, self.ctx.vertex_array(p, []))
            prog, vao = self._present_prog
        else:
            prog, vao = self._output_variant(1)
            prog["u_brightness"].value = 1.0
        prog["u_flip"].value = 0.0
        self.output_tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.output_tex.use(0)
        fbo.use()
        self.ctx.viewport = viewport
        self.ctx.disable(moderngl.BLEND)   # opaque: what a panel drew before (blending on) never shows through
        vao.render(moderngl.TRIANGLES, vertices=3)

    def opaque_output(self) -> moderngl.Texture:
        """A copy of the output image without its alpha (RGB: sampled, alpha is 1), for a picture drawn with
        blending: the control window's preview (ImGui blends every image it draws).  The output's alpha is the
        emerging clip's mask (kept for the seam score), so the preview showed the panel's background wherever
        no clip was emerging.  Call it in the output's GL context (framebuffers are not shared)."""
        if self._opaque is None or self._opaque.size != self.render_size:
            if self._opaque is not None:
                self._opaque.release()
            self._opaque = self.ctx.texture(self.render_size, 3, dtype="f1")
            self._opaque.filter = (moderngl.LINEAR, moderngl.LINEAR)
            self._opaque.repeat_x = self._opaque.repeat_y = False   # its edges do not wrap round
        self.ctx.copy_framebuffer(self._opaque, self.output_fbo)
        return self._opaque

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
        release_framebuffer(self.composite_fbo)
        release_framebuffer(self.output_fbo)
        for obj in (self.composite_tex, self.output_tex, self.yuv_vao, self.yuv_program, self._opaque):
            if obj is not None:
                obj.release()
        self._opaque = None
        for prog, vao in (list(self._zoom_variants.values()) + list(self._output_variants.values())
                          + ([self._upscale] if self._upscale else [])
                          + ([self._present_prog] if self._present_prog else [])):
            vao.release()
            prog.release()
        self._zoom_variants.clear()
        self._output_variants.clear()
        self._upscale = self._present_prog = None
        if self._nv12 is not None:
            y_fbo, uv_fbo, progs, texs = self._nv12
            release_framebuffer(y_fbo)
            release_framebuffer(uv_fbo)
            for obj in texs:
                obj.release()
            for prog, vao in progs:
                vao.release()
                prog.release()
            self._nv12 = None


def _region(thumb: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray | None:
    """The thumbnail's pixels inside ``box`` (x0, y0, x1, y1 in 0..1 source coordinates), at least 2x2."""
    h, w = thumb.shape[:2]
    x0, x1 = sorted((min(max(box[0], 0.0), 1.0), min(max(box[2], 0.0), 1.0)))
    y0, y1 = sorted((min(max(box[1], 0.0), 1.0), min(max(box[3], 0.0), 1.0)))
    i0, i1 = int(y0 * h), max(int(math.ceil(y1 * h)), int(y0 * h) + 2)
    j0, j1 = int(x0 * w), max(int(math.ceil(x1 * w)), int(x0 * w) + 2)
    cut = thumb[max(0, min(i0, h - 2)):min(i1, h), max(0, min(j0, w - 2)):min(j1, w)]
    return cut.reshape(-1, 3) if cut.size >= 12 else None


def colour_match(a: tuple[LayerDesc, ClipTexture, Framing], b: tuple[LayerDesc, ClipTexture, Framing]
                 ) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]] | None:
    """(gain, B's mean, A's mean) per RGB channel: what pulls B's colour and contrast toward A's picture
    around the point B emerges from (a colour transfer of means and deviations, after Reinhard et al. 2001).
    None when a texture has no statistics yet."""
    (la, ta, fa), (lb, tb, fb) = a, b
    if ta.thumb is None or tb.thumb is None:
        return None
    # the point B emerges from, on screen, and the square of A around it that B grows over
    px = lb.center[0] + (lb.focus[0] - 0.5) * lb.size
    py = lb.center[1] + (lb.focus[1] - 0.5) * lb.size
    half = NEIGHBOURHOOD * lb.size / 2.0

    def in_a(x: float, y: float) -> tuple[float, float]:
        return fa.to_source(((x - la.center[0]) / la.size + 0.5, (y - la.center[1]) / la.size + 0.5))

    ax0, ay0 = in_a(max(px - half, 0.0), max(py - half, 0.0))
    ax1, ay1 = in_a(min(px + half, 1.0), min(py + half, 1.0))
    bx0, by0 = fb.to_source((lb.focus[0] - B_CORE, lb.focus[1] - B_CORE))
    bx1, by1 = fb.to_source((lb.focus[0] + B_CORE, lb.focus[1] + B_CORE))
    ra, rb = _region(ta.thumb, (ax0, ay0, ax1, ay1)), _region(tb.thumb, (bx0, by0, bx1, by1))
    if ra is None or rb is None:
        return None
    mean_a, mean_b = ra.mean(0), rb.mean(0)
    gain = np.clip(ra.std(0) / np.maximum(rb.std(0), 0.02), *GAIN_RANGE)
    return tuple(map(float, gain)), tuple(map(float, mean_b)), tuple(map(float, mean_a))
