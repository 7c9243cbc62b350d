"""A clip on the GPU: three single-channel plane textures, converted once per new frame
into a mipmapped RGBA texture that the compositor samples (trilinear when minified)."""

from __future__ import annotations

import functools
import math

import moderngl
import numpy as np

from ..video.frames import YuvFrame
from .colour import yuv_to_rgb_matrix
from .context import release_framebuffer

#: columns of the small RGB copy kept of each frame for colour statistics (the zoom-through's colour match):
#: point samples, so a region's standard deviation keeps the texture's contrast (an area average would not)
THUMB_COLUMNS = 64


def thumbnail(frame: YuvFrame, columns: int = THUMB_COLUMNS) -> np.ndarray:
    """A small float RGB copy of ``frame`` (rows x columns x 3, 0..1), by point sampling its planes (~0.1 ms)."""
    step = max(1, frame.width // columns)
    y = frame.planes[0][:frame.height:step, :frame.width:step].astype(np.float32)
    rows, cols = y.shape
    ci = np.minimum(np.arange(rows) * step // 2, frame.planes[1].shape[0] - 1)
    cj = np.minimum(np.arange(cols) * step // 2, (frame.width + 1) // 2 - 1)
    u = frame.planes[1][ci][:, cj].astype(np.float32)
    v = frame.planes[2][ci][:, cj].astype(np.float32)
    m = yuv_to_rgb_matrix(frame.colorspace, frame.color_range).T  # row-major again
    yuv1 = np.stack([y / 255.0, u / 255.0, v / 255.0, np.ones_like(y)], axis=-1)
    return np.clip(yuv1 @ m[:3].T, 0.0, 1.0)


@functools.lru_cache(maxsize=8)
def _matrix_bytes(colorspace: str, color_range: str) -> bytes:
    """The conversion matrix as the shader's uniform wants it (a handful of kinds per show)."""
    return yuv_to_rgb_matrix(colorspace, color_range).tobytes()


class ClipTexture:
    """Holds the last uploaded frame of one clip instance; it stays valid if decoding fails."""

    def __init__(self, ctx: moderngl.Context, program: moderngl.Program, vao: moderngl.VertexArray,
                 scale: float = 1.0, max_width: int = 0):
        """``scale`` < 1: the RGB picture is kept at that fraction of the decoded size (the conversion pass
        averages the planes down), so conversion, mipmaps and sampling cost less; adaptive quality's last step.
        ``max_width`` > 0: nor wider than that (adaptive quality's render width when it renders below full
        size: the conversion pass costs its pixels, 4.8 ms for a 640x360 clip on llvmpipe, and a clip wider
        than the picture it is drawn into shows little more while it is magnified)."""
        self.ctx = ctx
        self.scale = scale
        self.max_width = max_width
        self.program = program
        self.vao = vao
        self.planes: list[moderngl.Texture] = []
        self.rgb: moderngl.Texture | None = None
        self.fbo: moderngl.Framebuffer | None = None
        self.size: tuple[int, int] = (0, 0)
        self.serial: int | None = None   #: serial of the frame on the texture
        self.uploads = 0
        self._layout: tuple | None = None
        self._mips_stale = True
        self._mip_levels = 0
        self._thumb: np.ndarray | None = None
        self._thumb_of: YuvFrame | None = None   #: the frame on the texture, until its thumbnail is asked for

    @property
    def thumb(self) -> np.ndarray | None:
        """A small RGB copy of the frame on the texture (colour statistics), made when first asked for:
        only a flight's colour match reads it, while every clip uploads 30 frames a second (making it at
        each upload was 40 % of the upload's time on the frame thread, py-spy at 1280x720/60 on llvmpipe)."""
        if self._thumb is None and self._thumb_of is not None:
            self._thumb, self._thumb_of = thumbnail(self._thumb_of), None
        return self._thumb

    def use_for(self, magnification: float, unit: int, levels: int = 0) -> None:
        """Bind for sampling at ``magnification`` (screen pixels per texel).

        Mipmaps are built only for frames drawn at less than half size, and only up to
        the level needed: most of the time a clip is magnified (zooming in), and below
        2x minification bilinear sampling does not shimmer visibly.
        """
        if magnification < 0.5 or levels > 0:
            level = max(1, min(12, math.ceil(math.log2(1.0 / magnification)))) if magnification < 0.5 else 0
            level = max(level, levels)  # ``levels``: a blurred copy is read from that mip level
            if self._mips_stale or level > self._mip_levels:
                self.rgb.build_mipmaps(0, level)
                self._mips_stale = False
                self._mip_levels = level
            self.rgb.filter = (moderngl.LINEAR_MIPMAP_LINEAR, moderngl.LINEAR)
        else:
            self.rgb.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.rgb.use(unit)

    @property
    def ready(self) -> bool:
        return self.rgb is not None and self.serial is not None

    #: whether a clip texture of this process has built its mipmaps once (see ``_allocate``)
    mipmaps_primed = False

    def _free(self) -> None:
        """The plane textures and the RGB texture with its framebuffer released (a new size, or the end)."""
        for tex in self.planes:
            tex.release()
        if self.fbo is not None:
            release_framebuffer(self.fbo)
            self.rgb.release()
        self.planes, self.rgb, self.fbo = [], None, None

    def _allocate(self, frame: YuvFrame) -> None:
        self._free()
        ls = frame.line_sizes
        rows = (frame.planes[0].shape[0], frame.planes[1].shape[0], frame.planes[2].shape[0])
        for i in range(3):
            tex = self.ctx.texture((ls[i], rows[i]), 1, dtype="f1", alignment=1)
            tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
            tex.repeat_x = tex.repeat_y = False
            self.planes.append(tex)
        scale = self.scale
        if self.max_width > 0 and frame.width * scale > self.max_width:
            scale = self.max_width / frame.width
        size = (max(2, math.ceil(frame.width * scale)), max(2, math.ceil(frame.height * scale)))
        self.rgb = self.ctx.texture(size, 4, dtype="f1")
        self.rgb.repeat_x = self.rgb.repeat_y = False
        self.rgb.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.fbo = self.ctx.framebuffer(color_attachments=[self.rgb])
        if not ClipTexture.mipmaps_primed:
            # the first clip texture of the process builds its whole mipmap chain once, when it is
            # allocated (before the show, or at pre-roll): llvmpipe compiles its mipmap blit at the first
            # build, and that took 78 ms in a show's first flight (1280x720/60).  Building on every
            # allocation instead cost more than it saved (2.0 % dropped frames against 0.7 %); on a
            # scratch texture it left 53 ms in the first flight.  (These mipmaps are of the empty
            # texture: the upload that follows marks them stale, so they are built again when needed.)
            ClipTexture.mipmaps_primed = True
            self.rgb.build_mipmaps()
        self.size = size
        self._layout = (frame.width, frame.height, ls, rows, self.scale)

    def holds(self, frame: YuvFrame) -> bool:
        """Whether ``frame`` is the one on the texture already (uploading it would do nothing)."""
        return frame.serial == self.serial and self.rgb is not None

    def upload(self, frame: YuvFrame) -> bool:
        """Upload and convert ``frame`` unless it is already on the texture; True if it was new."""
        if self.holds(frame):
            return False
        layout = (frame.width, frame.height, frame.line_sizes,
                  (frame.planes[0].shape[0], frame.planes[1].shape[0], frame.planes[2].shape[0]), self.scale)
        if layout != self._layout:
            self._allocate(frame)
        for tex, plane in zip(self.planes, frame.planes):
            tex.write(plane)
        ls = frame.line_sizes
        prog = self.program
        prog["u_crop_y"].value = (frame.width / ls[0], 1.0)
        cw = (frame.width + 1) // 2
        prog["u_crop_c"].value = (cw / ls[1], 1.0)
        prog["u_clamp_c"].value = ((cw - 0.5) / ls[1], 1.0)
        prog["u_yuv2rgb"].write(_matrix_bytes(frame.colorspace, frame.color_range))
        prog["u_flip"].value = 1.0
        for unit, name in enumerate(("u_y", "u_u", "u_v")):
            prog[name].value = unit
            self.planes[unit].use(unit)
        self.fbo.use()
        self.ctx.viewport = (0, 0, *self.size)
        self.vao.render(moderngl.TRIANGLES, vertices=3)
        self._mips_stale = True
        self._mip_levels = 0
        self._thumb, self._thumb_of = None, frame
        self.serial = frame.serial
        self.uploads += 1
        return True

    def release(self) -> None:
        self._free()
        self.serial, self._layout = None, None
        self._thumb, self._thumb_of = None, None

    def copy_from(self, other: "ClipTexture") -> None:
        """Hold a copy of ``other``'s picture (a still: nothing is uploaded to it afterwards)."""
        if not other.ready:
            return
        self.release()
        self.rgb = self.ctx.texture(other.size, 4, dtype="f1")
        self.rgb.repeat_x = self.rgb.repeat_y = False
        self.rgb.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.fbo = self.ctx.framebuffer(color_attachments=[self.rgb])
        self.ctx.copy_framebuffer(self.fbo, other.fbo)
        self.size = other.size
        self.serial = other.serial
        self._thumb = other.thumb
        self._mips_stale = True
        self._mip_levels = 0
