"""One render path: a pyglet window (GLX under Xvfb) and headless EGL give the same pixels."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from servers import xvfb

SCRIPT = textwrap.dedent('''
    import sys, numpy as np
    from vj.engine.frame import FrameDesc, LayerDesc
    from vj.gfx.compositor import Compositor
    from vj.video.frames import YuvFrame

    def scene(comp, speed):
        w, h = 96, 54
        yy, xx = np.mgrid[0:h, 0:w]
        y = (16 + (xx * 219) // w).astype(np.uint8)
        u = np.full((h // 2, w // 2), 90, np.uint8); v = ((np.mgrid[0:h // 2, 0:w // 2][0] * 8) + 16).astype(np.uint8)
        a, b = comp.new_clip_texture(), comp.new_clip_texture()
        a.upload(YuvFrame(0, 0, w, h, (y, u, v), "bt709", "limited", 1))
        b.upload(YuvFrame(0, 0, w, h, (255 - y, v.copy(), u.copy()), "bt601", "limited", 2))
        desc = FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.6, 0.45), 3.0), LayerDesc("b", 1, 0, 0, (0.4, 0.5), 0.3, feather=0.1)),
                         zoom_center=(0.4, 0.5), zoom_rate=speed, blur=1.0)
        comp.render(desc, {0: a, 1: b})
        return desc, np.frombuffer(comp.read(), np.uint8)

    if sys.argv[1] == "egl":
        from vj.gfx.context import headless_context
        ctx = headless_context()
        _, img = scene(Compositor(ctx, (320, 180), fps=30), float(sys.argv[4]))
    else:
        import pyglet
        from vj.gfx.window import create_window, present
        window, ctx = create_window((320, 180), vsync=False)
        comp = Compositor(ctx, (320, 180), fps=30)
        desc, img = scene(comp, float(sys.argv[4]))
        window.switch_to(); window.dispatch_events()
        present(comp, desc, ctx, window)
        # what reached the window: copy the default framebuffer into a texture we can read safely
        shot = ctx.texture((320, 180), 4)
        fbo = ctx.framebuffer(color_attachments=[shot])
        ctx.copy_framebuffer(fbo, ctx.screen)
        screen = np.frombuffer(fbo.read(components=4), np.uint8).reshape(180, 320, 4)[::-1]
        np.save(sys.argv[3], screen)
        window.flip()
        print(ctx.info["GL_RENDERER"], file=sys.stderr)
        window.close()
    np.save(sys.argv[2], img.reshape(180, 320, 4))
''')


def render_in(mode: str, tmp_path, speed: float):
    out = tmp_path / f"{mode}-{speed}.npy"
    screen = tmp_path / f"{mode}-{speed}-screen.npy"
    subprocess.run([sys.executable, "-c", SCRIPT, mode, str(out), str(screen), str(speed)], check=True, timeout=120)
    return np.load(out), (np.load(screen) if screen.exists() else None)


@pytest.mark.parametrize("speed", [0.0, 3.0])  # without and with the motion-blur pass
def test_window_and_headless_render_the_same_pixels(tmp_path, speed):
    egl, _ = render_in("egl", tmp_path, speed)
    with xvfb():
        win, screen = render_in("window", tmp_path, speed)
    assert egl.std() > 10  # a real picture, not a blank
    diff = np.abs(egl.astype(int) - win.astype(int))
    assert diff.max() <= 1, diff.max()
    # and the window shows that picture (same pixels on its screen)
    assert np.abs(screen[..., :3].astype(int) - egl[..., :3].astype(int)).max() <= 1
