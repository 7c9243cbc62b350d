"""The live window's fast present (vj.gfx.bgra + shaders/present.frag) shows the same pixels as the plain one.

llvmpipe copies a BGRA-stored image to the window on its "linear" rasteriser; a shader that is not a bare
fetch there came out with red and blue swapped in some 64x64 tiles (Mesa 22.3), so the picture is compared
pixel by pixel with the general path, at the output size (1:1) and scaled up from adaptive quality's lowest
render scale, in a window under Xvfb.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np

from servers import xvfb

SCRIPT = textwrap.dedent('''
    import sys, numpy as np
    from vj.gfx.compositor import Compositor
    from vj.gfx.window import create_window

    W, H = 480, 270
    window, ctx = create_window((W + 60, H), vsync=False)   # the picture beside a strip, as beside the panel
    window.switch_to(); window.dispatch_events()
    out = {}
    for scale in (1.0, 0.35):
        for fast in (True, False):
            rng = np.random.default_rng(7)   # the same picture for both paths
            comp = Compositor(ctx, (W, H), fps=30, fast_present=fast)
            if scale < 1.0:
                comp.set_render_scale(scale)
            rw, rh = comp.render_size
            # 8x8 blocks of unrelated red, green and blue: a red/blue swap or a stale tile shows at once
            img = rng.integers(0, 256, (rh // 8 + 1, rw // 8 + 1, 4), dtype=np.uint8).repeat(8, 0).repeat(8, 1)
            img = np.ascontiguousarray(img[:rh, :rw]); img[..., 3] = 255
            src = ctx.texture((rw, rh), 4, img.tobytes())
            src_fbo = ctx.framebuffer(color_attachments=[src])
            ctx.copy_framebuffer(comp.output_fbo, src_fbo)
            ctx.screen.use(); ctx.viewport = (0, 0, W + 60, H)
            ctx.screen.clear(0.0, 0.0, 0.0, 1.0)
            comp.present(ctx.screen, (0, 0, W, H))
            shot = ctx.texture((W + 60, H), 4)
            fbo = ctx.framebuffer(color_attachments=[shot])
            ctx.copy_framebuffer(fbo, ctx.screen)
            out[f"{scale}-{int(fast)}"] = np.frombuffer(fbo.read(components=3), np.uint8).reshape(H, W + 60, 3)
            out[f"{scale}-src"] = img[..., :3]
            window.flip()
            for obj in (fbo, shot, src_fbo, src):
                obj.release()
            comp.release()
    print(ctx.info["GL_RENDERER"], file=sys.stderr)
    np.savez(sys.argv[1], **out)
''')


def test_the_fast_present_shows_the_same_picture(tmp_path):
    path = tmp_path / "shots.npz"
    with xvfb("640x480x24"):
        r = subprocess.run([sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    shots = np.load(path)
    # at the output size the picture is the image itself (rows bottom-up in the window) ...
    direct = shots["1.0-1"][::-1, :480].astype(int)
    assert np.array_equal(direct, shots["1.0-src"].astype(int))
    # ... and either way, 1:1 or scaled up bilinear, the fast path and the general one agree to a level
    for scale in ("1.0", "0.35"):
        fast, plain = shots[f"{scale}-1"].astype(int), shots[f"{scale}-0"].astype(int)
        assert plain[:, :480].std() > 40          # a picture, not a blank window
        assert np.abs(fast - plain).max() <= 1, scale
        assert fast[:, 480:].max() == 0             # nothing drawn beside the picture's area
