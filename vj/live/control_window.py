"""The performer's window on another screen: a preview of the output and the control panel.

pyglet windows share GL objects, so the preview (drawn by the panel, :mod:`vj.live.ui.panel`) samples
the output image itself: no copy, and what it shows is exactly what the projector shows.  The HUD is
drawn over this preview, never over the projector.
"""

from __future__ import annotations

import moderngl

from .ui.host import BACKGROUND

#: preview width in the control window, pixels (the panel sits to its right)
PREVIEW_W = 640
HEIGHT = 900


class ControlWindow:
    """A second pyglet window on a screen other than the output's."""

    def __init__(self, pyglet, screens: list, output_screen: int | None, panel_width: int):
        others = [sc for i, sc in enumerate(screens) if i != output_screen] or screens
        config = pyglet.gl.Config(major_version=3, minor_version=3, forward_compatible=True, double_buffer=True)
        height = min(HEIGHT, max(600, others[0].height - 80))
        self.window = pyglet.window.Window(width=PREVIEW_W + panel_width, height=height, caption="vj control",
                                           config=config, vsync=False, resizable=False)
        self.window.set_location(others[0].x + 40, others[0].y + 40)
        self.ctx = moderngl.create_context()

    @property
    def height(self) -> int:
        return self.window.height

    def begin(self) -> None:
        """Make this window current and clear it (then the panel draws)."""
        self.window.switch_to()
        fw, fh = self.window.get_framebuffer_size()
        self.ctx.screen.use()
        self.ctx.viewport = (0, 0, fw, fh)
        self.ctx.screen.clear(*BACKGROUND, 1.0)

    def end(self) -> None:
        self.window.flip()

    def close(self) -> None:
        self.window.close()
