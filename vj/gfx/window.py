"""A pyglet output window with a moderngl context (the on-screen backend).

The compositor draws into its own offscreen image in every backend; a window only
adds one more output pass onto its screen.  So the headless renderer and a window
produce the same pixels, and the app never needs to know which one it has.
"""

from __future__ import annotations

import moderngl

from ..engine.frame import FrameDesc
from .compositor import Compositor
from .context import software_gl_threads


def pick_screen(screens: list, index: int | None):
    """The screen ``--screen INDEX`` names, or None (out of range or not given: where pyglet opens a window)."""
    return screens[index] if index is not None and 0 <= index < len(screens) else None


def create_window(size: tuple[int, int] = (1280, 720), *, title: str = "vj", visible: bool = True,
                  vsync: bool = True, fullscreen: bool = False, screen_index: int | None = None):
    """Open a pyglet window (GL 3.3 core) and return ``(window, moderngl_context)``."""
    import pyglet

    software_gl_threads()   # before pyglet's window makes the GL context
    pyglet.options["debug_gl"] = False  # moderngl checks its own errors; pyglet's checks trip on them
    config = pyglet.gl.Config(major_version=3, minor_version=3, forward_compatible=True, double_buffer=True)
    display = pyglet.display.get_display()
    screens = display.get_screens()
    screen = pick_screen(screens, screen_index)
    window = pyglet.window.Window(width=size[0], height=size[1], caption=title, config=config, visible=visible,
                                  vsync=vsync, resizable=True, screen=screen)
    if screen is not None:
        # pyglet on X11 may ignore screen= (pyglet #763): move there first, then go fullscreen
        window.set_location(screen.x, screen.y)
    if fullscreen:
        window.set_fullscreen(True, screen=screen)
    ctx = moderngl.create_context()
    return window, ctx


def letterbox(area: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The viewport (x, y, w, h) an image of ``size`` takes inside ``area``, scaled to fit and centred."""
    ax, ay, aw, ah = area
    scale = min(aw / size[0], ah / size[1])
    vw, vh = int(size[0] * scale), int(size[1] * scale)
    return (ax + (aw - vw) // 2, ay + (ah - vh) // 2, vw, vh)


def present(compositor: Compositor, desc: FrameDesc, ctx: moderngl.Context, window,
            area: tuple[int, int, int, int] | None = None) -> None:
    """Draw the compositor's current image onto the window, letterboxed into ``area`` (x, y, w, h; default: all)."""
    fw, fh = window.get_framebuffer_size()
    ctx.screen.use()
    ctx.viewport = (0, 0, fw, fh)
    ctx.screen.clear(0.0, 0.0, 0.0, 1.0)
    compositor.present(ctx.screen, letterbox(area or (0, 0, fw, fh), compositor.size))


def flush() -> None:
    """glFlush on the window's (current) context: the driver starts drawing what was sent, and the call returns.

    moderngl has no flush.  On llvmpipe the frame's last passes are rasterised only at a flush, so without
    one before the player waits for a frame's deadline they were drawn inside the swap after the wait (4.3 ms
    of a "swap" whose copy takes 0.21 ms, PERFORMANCE.md), out of the next frame's time; flushed first,
    llvmpipe's threads draw them while the player sleeps."""
    from pyglet import gl

    gl.glFlush()
