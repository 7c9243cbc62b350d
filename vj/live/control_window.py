"""The performer's window on another screen: a preview of the output and the control panel.

pyglet windows share GL objects, so the preview samples the output image itself: no copy,
and what it shows is exactly what the projector shows.
"""

from __future__ import annotations

from typing import Callable

import moderngl

from ..gfx.compositor import Compositor
from ..gfx.shaders import load_program

#: preview width in the control window, pixels (the panel sits to its right)
PREVIEW_W = 480
HEIGHT = 720


class ControlWindow:
    """A second pyglet window on a screen other than the output's."""

    def __init__(self, pyglet, screens: list, output_screen: int | None, compositor: Compositor, panel_width: int):
        others = [sc for i, sc in enumerate(screens) if i != output_screen] or screens
        config = pyglet.gl.Config(major_version=3, minor_version=3, forward_compatible=True, double_buffer=True)
        self.window = pyglet.window.Window(width=PREVIEW_W + panel_width, height=HEIGHT, caption="vj control",
                                           config=config, vsync=False, resizable=False)
        self.window.set_location(others[0].x + 40, others[0].y + 40)
        self.ctx = moderngl.create_context()
        self.prog = load_program(self.ctx, "fullscreen.vert", "output.frag", defines={"SAMPLES": 1})
        self.prog["u_flip"].value = 0.0
        self.prog["u_brightness"].value = 1.0
        self.vao = self.ctx.vertex_array(self.prog, [])
        out = compositor.output_tex
        self.tex = self.ctx.external_texture(out.glo, out.size, 4, 0, "f1")
        self.out_size = compositor.size

    @property
    def height(self) -> int:
        return self.window.height

    def draw(self, draw_panel: Callable[[], None]) -> None:
        """The preview at the top left, the panel (``draw_panel``) beside it; flips this window."""
        win = self.window
        win.switch_to()
        ctx = self.ctx
        fw, fh = win.get_framebuffer_size()
        ctx.screen.use()
        ctx.viewport = (0, 0, fw, fh)
        ctx.screen.clear(0.06, 0.06, 0.08, 1.0)
        out_w, out_h = self.out_size
        ph = int(PREVIEW_W * out_h / out_w)
        self.tex.use(0)
        ctx.viewport = (0, fh - ph, PREVIEW_W, ph)
        self.vao.render(moderngl.TRIANGLES, vertices=3)
        ctx.viewport = (0, 0, fw, fh)
        draw_panel()
        win.flip()

    def close(self) -> None:
        self.window.close()
