"""The control side of the player as one object: ImGui and the panel on one window, whether that window
keeps its back buffer across a flip (then the panel is drawn only when due), the HUD's lines, screenshots."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Mapping

import moderngl
import numpy as np

from ...bank import Clip
from ...engine.frame import FrameDesc
from ...fileio import write_png
from .damage import Damage
from .host import BACKGROUND, ImguiHost
from .panel import PANEL_WIDTH, Action, ControlPanel, PanelInput
from .thumbs import ThumbCache
from ...gfx.context import release_framebuffer

#: frames the back-buffer check looks at (a marker pixel of another colour each time)
KEEPS_CHECKS = 4


class ControlSide:
    """ImGui and the panel on ``window`` (whose GL context ``ctx`` is), the panel's column at ``x0``."""

    def __init__(self, window, ctx: moderngl.Context, clips: Mapping[str, Clip], x0: int, preview_w: int = 0):
        window.switch_to()
        self.window = window
        self.ctx = ctx
        self.host = ImguiHost(window)
        self.panel = ControlPanel(clips, ThumbCache(ctx), x0, PANEL_WIDTH, preview_w=preview_w)
        self.keeps: bool | None = None      #: the window keeps its back buffer across flips (None: not known yet)
        self._marker: tuple[int, int, int] | None = None
        self._checks = 0
        self.cpu = 0.0                      #: seconds the last panel frame took to build and submit
        self.damage = Damage()              #: what the back buffer shows of the panel, for partial redraws
        self._rects: tuple | None = None    #: the background fill: program, vertex buffer, vertex array

    @property
    def capture_keys(self) -> bool:
        return self.host.capture_keys

    def draw(self, inp: PanelInput, below: tuple[float, float, float, float] | None,
             partial: bool = False) -> list[Action]:
        """A panel frame; ``partial``: the window keeps its back buffer, so only the parts that changed since
        the last panel frame are cleared and drawn again (:mod:`vj.live.ui.damage`; all of it after
        ``damage.invalidate()``)."""
        t0 = time.perf_counter()
        self.host.begin()
        actions = self.panel.draw(inp, self.window.height, below)
        if partial:
            self.host.end(self.damage, self._clear)
        else:
            self.host.end()
        self.cpu = time.perf_counter() - t0
        return actions

    def _clear(self, boxes: np.ndarray) -> None:
        """Fill boxes of the window ((n, 4) x0, y0, x1, y1, pixels, top-left origin) with the panel's
        background, in one draw (a scissored clear costs llvmpipe ~2 ms each)."""
        if not len(boxes):
            return
        x0, y0, x1, y1 = np.asarray(boxes, np.float32).T
        quads = np.stack([x0, y0, x1, y0, x1, y1, x0, y0, x1, y1, x0, y1], axis=1).astype(np.float32).tobytes()
        if self._rects is None or self._rects[1].size < len(quads):
            from ...gfx.shaders import load_program
            if self._rects is not None:   # a bigger buffer
                self._rects[2].release()
                self._rects[1].release()
            prog = self._rects[0] if self._rects is not None else load_program(self.ctx, "rects.vert", "rects.frag")
            prog["u_colour"].value = BACKGROUND
            vbo = self.ctx.buffer(reserve=max(len(quads), 64 * 1024))
            self._rects = (prog, vbo, self.ctx.vertex_array(prog, [(vbo, "2f", "in_pos")]))
        prog, vbo, vao = self._rects
        vbo.orphan()   # fresh storage: writing into what the last frame's fill still reads makes llvmpipe wait (1.3 ms)
        vbo.write(quads)
        prog["u_size"].value = tuple(float(v) for v in self.window.get_framebuffer_size())
        self.ctx.disable(moderngl.BLEND)
        vao.render(moderngl.TRIANGLES, vertices=len(boxes) * 6)

    def mark(self) -> None:
        """While it is not known yet: a marker pixel at the window's bottom-left corner, read back next frame."""
        if self.keeps is not None:
            return
        self._checks += 1
        self._marker = (40 + 50 * (self._checks % 4), 200 - 30 * (self._checks % 3), 90)
        self.ctx.scissor = (0, 0, 1, 1)
        self.ctx.screen.clear(*(c / 255 for c in self._marker), 1.0)
        self.ctx.scissor = None

    def check_keeps(self) -> None:
        """Does the window keep its back buffer across a flip?  The marker drawn last frame must still be there,
        ``KEEPS_CHECKS`` times in a row (another colour each time: a real flip shows an older frame's)."""
        if self.keeps is not None or self._marker is None:
            return
        probe = self.ctx.texture((1, 1), 4)
        fbo = self.ctx.framebuffer(color_attachments=[probe])
        try:
            self.ctx.copy_framebuffer(fbo, self.ctx.screen)
            got = tuple(fbo.read(components=3))
        finally:
            release_framebuffer(fbo)
            probe.release()
        if got != self._marker:
            self.keeps = False
        elif self._checks >= KEEPS_CHECKS:
            self.keeps = True
        self._marker = None

    def close(self) -> None:
        try:
            self.window.switch_to()
            self.panel.thumbs.release()
            if self._rects is not None:
                for obj in self._rects[::-1]:
                    obj.release()
                self._rects = None
        finally:
            self.host.close()


def hud_lines(stats, quality, desc: FrameDesc, feed_label: str, surfaces: str) -> list[str]:
    """The HUD: frame rate and drops, the render level, the clips, latency, the audio source, the surfaces."""
    rep = desc.report
    fps = 1.0 / np.mean(stats.intervals.recent) if stats.intervals.recent else 0.0
    lines = [f"{fps:5.1f} fps   late {stats.late}   dropped {stats.dropped}   render {quality.level.describe()}"
             + (f" ({quality.mode})" if quality.mode == "fixed" else ""),
             f"clip {desc.current_clip} -> {desc.next_clip}"
             + (f"   flight {desc.transition * 100:3.0f}%" if desc.transition >= 0 else ""),
             f"latency {rep.latency * 1000:+.0f} ms   {feed_label}"]
    return lines + ([surfaces] if surfaces else [])


def screenshot(ctx: moderngl.Context, window, path: Path) -> None:
    """What a window shows, via a copy of its back buffer (reading the default framebuffer directly trips GL errors)."""
    fw, fh = window.get_framebuffer_size()
    tex = ctx.texture((fw, fh), 4)
    fbo = ctx.framebuffer(color_attachments=[tex])
    ctx.copy_framebuffer(fbo, ctx.screen)
    img = np.frombuffer(fbo.read(components=3), np.uint8).reshape(fh, fw, 3)[::-1]
    release_framebuffer(fbo)
    tex.release()
    write_png(path, img)
