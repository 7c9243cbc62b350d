"""The compositor on a real GL context (EGL; Mesa llvmpipe in CI)."""

from __future__ import annotations


import av
import numpy as np
import pytest
from av.video.reformatter import ColorRange, Colorspace, VideoReformatter

from vj.audio.snapshot import AudioSnapshot, BeatState
from vj.engine import ClipRef, ShowEngine, ShowRules
from vj.engine.frame import FrameDesc, LayerDesc
from vj.gfx.compositor import Compositor
from vj.gfx.context import headless_context
from vj.video.frames import YuvFrame


@pytest.fixture(scope="module")
def ctx():
    c = headless_context()
    yield c
    c.release()


def solid(y: int, u: int, v: int, w=64, h=36, serial=0) -> YuvFrame:
    return YuvFrame(0.0, 0.0, w, h, (np.full((h, w), y, np.uint8), np.full((h // 2, w // 2), u, np.uint8),
                                     np.full((h // 2, w // 2), v, np.uint8)), "bt601", "limited", serial)


RED = (81, 90, 240)     # BT.601 limited red
GREEN = (145, 54, 34)   # BT.601 limited green


def image(comp: Compositor) -> np.ndarray:
    w, h = comp.size
    return np.frombuffer(comp.read(), np.uint8).reshape(h, w, 4)[..., :3].astype(int)


def flight_frames(rules: ShowRules, focus=(0.3, 0.35)):
    """Frames of the first zoom-through of a two-clip show on a perfect 120 BPM grid."""
    eng = ShowEngine([ClipRef("a", focus=focus, end=10.0), ClipRef("b", end=10.0)], rules)
    out = []
    for n in range(30 * 12):
        t = n / 30
        k = int(t // 0.5)
        beat = BeatState(bpm=120, confidence=1, beat_count=k, last_beat=k * 0.5, next_beat=(k + 1) * 0.5, bar_beat=k % 4)
        f = eng.step(t, AudioSnapshot(time=t, beat=beat))
        if f.transition >= 0 and f.current_clip == "a":
            out.append(f)
        elif out:
            break  # only the first flight
    return out


def test_zoom_through_geometry(ctx):
    # the plain rectangle (blend 0), its own colours (colour_match 0): the geometry alone
    rules = ShowRules(switch_bars=2, zoom_through=8.0, feather=0.0, pulse=0.0, motion_blur=0.0, blend=0.0,
                      colour_match=0.0)
    comp = Compositor(ctx, (320, 180), fps=30)
    frames = flight_frames(rules)
    assert len(frames) > 20
    shares, centroids, expected = [], [], []
    for f in frames:
        texs = {f.layers[0].instance: comp.new_clip_texture(), f.layers[1].instance: comp.new_clip_texture()}
        texs[f.layers[0].instance].upload(solid(*RED, serial=1))
        texs[f.layers[1].instance].upload(solid(*GREEN, serial=2))
        comp.render(f, texs)
        img = image(comp)
        b_mask = img[..., 1] > img[..., 0]
        shares.append(b_mask.mean())
        ys, xs = np.nonzero(b_mask)
        centroids.append(((xs.mean() + 0.5) / 320, (ys.mean() + 0.5) / 180))
        expected.append(min(f.layers[1].size, 1.0) ** 2)
        for t in texs.values():
            t.release()
    # B's share of the frame: starts at 1/Z^2, follows (g/Z)^2, and grows monotonically
    assert shares[0] == pytest.approx(1 / 8.0 ** 2, rel=0.35)
    assert np.allclose(shares, expected, atol=0.02)
    assert all(b >= a for a, b in zip(shares, shares[1:]))
    # B grows out of the focus point (0.3, 0.35) and ends centred
    assert centroids[0] == pytest.approx((0.3, 0.35), abs=0.03)
    assert centroids[-1][0] > centroids[0][0] and centroids[-1][1] > centroids[0][1]
    comp.release()


def test_feathered_edge_is_soft(ctx):
    comp = Compositor(ctx, (200, 200), fps=30)
    a, b = comp.new_clip_texture(), comp.new_clip_texture()
    a.upload(solid(*RED, serial=1))
    b.upload(solid(*GREEN, serial=2))
    hard = FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0), LayerDesc("b", 1, 0, 0, (0.5, 0.5), 0.5)))
    soft = FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0), LayerDesc("b", 1, 0, 0, (0.5, 0.5), 0.5, feather=0.2)))
    comp.render(hard, {0: a, 1: b})
    row_hard = image(comp)[100, :, 1]
    comp.render(soft, {0: a, 1: b})
    row_soft = image(comp)[100, :, 1]
    mid = lambda row: np.sum((row > row.min() + 10) & (row < row.max() - 10))
    assert mid(row_hard) <= 2
    assert mid(row_soft) >= 10  # a ramp, not a step


def test_minified_layer_is_mipmapped_not_aliased(ctx):
    # a 1-pixel checkerboard shrunk 8x must average to grey, not sparkle
    w, h = 256, 144
    yy, xx = np.mgrid[0:h, 0:w]
    y = np.where((xx + yy) % 2 == 0, 16, 235).astype(np.uint8)
    c = np.full((h // 2, w // 2), 128, np.uint8)
    comp = Compositor(ctx, (256, 144), fps=30)
    tex = comp.new_clip_texture()
    tex.upload(YuvFrame(0, 0, w, h, (y, c, c.copy()), "bt709", "limited", 1))
    comp.render(FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 0.125),)), {0: tex})
    img = image(comp)
    inner = img[72 - 6:72 + 6, 128 - 12:128 + 12, 1]
    assert abs(inner.mean() - 127) < 12
    assert inner.std() < 6


@pytest.mark.parametrize("colorspace,rng", [("bt601", "limited"), ("bt709", "limited"), ("bt709", "full"), ("bt601", "full")])
def test_yuv_to_rgb_matches_swscale(ctx, colorspace, rng):
    w, h = 256, 256  # gentle chroma gradients: this tests the matrix, not chroma upsampling
    yy, xx = np.mgrid[0:h, 0:w]
    lo, hi = (16, 235) if rng == "limited" else (0, 255)
    clo, chi = (16, 240) if rng == "limited" else (0, 255)
    y = (lo + (hi - lo) * (xx / (w - 1))).astype(np.uint8)
    cy, cx = np.mgrid[0:h // 2, 0:w // 2]
    u = (clo + (chi - clo) * (cy / (h // 2 - 1))).astype(np.uint8)
    v = (clo + (chi - clo) * (1 - cx / (w // 2 - 1))).astype(np.uint8)
    # reference: swscale through PyAV
    frame = av.VideoFrame(w, h, "yuv420p")
    for plane, data in zip(frame.planes, (y, u, v)):
        buf = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)
        buf[: data.shape[0], : data.shape[1]] = data
    ref = VideoReformatter().reformat(
        frame, format="rgb24", src_colorspace=Colorspace.ITU601 if colorspace == "bt601" else Colorspace.ITU709,
        src_color_range=ColorRange.MPEG if rng == "limited" else ColorRange.JPEG,
        interpolation="BICUBIC").to_ndarray().astype(int)
    comp = Compositor(ctx, (w, h), fps=30)
    tex = comp.new_clip_texture()
    tex.upload(YuvFrame(0, 0, w, h, (y, u, v), colorspace, rng, 1))
    comp.render(FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),)), {0: tex})
    got = image(comp)
    diff = np.abs(got - ref)[2:-2, 2:-2]  # edges: chroma siting differs by design
    assert diff.mean() < 1.5, diff.mean()  # swscale's own fixed-point path is ~1-2 levels off exact
    assert np.percentile(diff, 99) <= 4, np.percentile(diff, 99)
    # the matrices really differ: decoding with the other matrix would be visibly wrong
    other = "bt709" if colorspace == "bt601" else "bt601"
    tex.upload(YuvFrame(0, 0, w, h, (y, u, v), other, rng, 2))
    comp.render(FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),)), {0: tex})
    assert np.abs(image(comp) - ref)[2:-2, 2:-2].max() > 10


def test_padded_planes_are_cropped(ctx):
    # line_size wider than the picture: the padding must never show
    w, h, ls = 60, 32, 64
    y = np.full((h, ls), 235, np.uint8)
    y[:, w:] = 16  # padding is black; the picture is white
    c = np.full((h // 2, ls // 2), 128, np.uint8)
    comp = Compositor(ctx, (w, h), fps=30)
    tex = comp.new_clip_texture()
    tex.upload(YuvFrame(0, 0, w, h, (y, c, c.copy()), "bt709", "limited", 1))
    comp.render(FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),)), {0: tex})
    assert image(comp).min() >= 250


def test_motion_blur_smears_radially_only_when_fast(ctx):
    w, h = 160, 90
    yy, xx = np.mgrid[0:h, 0:w]
    y = np.where((xx // 8 + yy // 8) % 2 == 0, 16, 235).astype(np.uint8)
    c = np.full((h // 2, w // 2), 128, np.uint8)
    comp = Compositor(ctx, (w, h), fps=30)
    tex = comp.new_clip_texture()
    tex.upload(YuvFrame(0, 0, w, h, (y, c, c.copy()), "bt709", "limited", 1))
    layer = (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),)
    comp.render(FrameDesc(0, layer, zoom_rate=0.0, blur=1.0), {0: tex})
    sharp = image(comp)
    comp.render(FrameDesc(0, layer, zoom_center=(0.5, 0.5), zoom_rate=6.0, blur=1.0), {0: tex})
    blurred = image(comp)
    # the centre barely moves; the corners smear
    assert np.abs(sharp[40:50, 75:85] - blurred[40:50, 75:85]).mean() < 20
    assert np.abs(sharp[:15, :25] - blurred[:15, :25]).mean() > 20
    assert comp.blur_amount(FrameDesc(0, layer, zoom_rate=0.01, blur=1.0))[1] == 1


def test_blackout(ctx):
    comp = Compositor(ctx, (64, 36), fps=30)
    tex = comp.new_clip_texture()
    tex.upload(solid(*GREEN, serial=1))
    layers = (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),)
    comp.render(FrameDesc(0, layers), {0: tex})
    assert image(comp)[..., 1].min() > 100          # the same frame without blackout: green everywhere
    comp.render(FrameDesc(0, layers, brightness=0.0), {0: tex})
    assert image(comp).max() == 0
    comp.render(FrameDesc(0, layers, zoom_rate=8.0, blur=2.0, brightness=0.0), {0: tex})
    assert image(comp).max() == 0                   # black in the motion-blur pass too


# Published equations (ITU-R BT.601 / BT.709, 8-bit limited range), written out independently of vj.gfx.colour.
def textbook_rgb(y, u, v, colorspace):
    if colorspace == "bt601":
        r = 1.164 * (y - 16) + 1.596 * (v - 128)
        g = 1.164 * (y - 16) - 0.392 * (u - 128) - 0.813 * (v - 128)
        b = 1.164 * (y - 16) + 2.017 * (u - 128)
    else:
        r = 1.164 * (y - 16) + 1.793 * (v - 128)
        g = 1.164 * (y - 16) - 0.213 * (u - 128) - 0.533 * (v - 128)
        b = 1.164 * (y - 16) + 2.112 * (u - 128)
    return np.clip([r, g, b], 0, 255)


@pytest.mark.parametrize("colorspace", ["bt601", "bt709"])
def test_yuv_to_rgb_exact_on_flat_colours(ctx, colorspace):
    comp = Compositor(ctx, (32, 32), fps=30)
    tex = comp.new_clip_texture()
    for serial, (y, u, v) in enumerate([(16, 128, 128), (235, 128, 128), (81, 90, 240), (145, 54, 34),
                                        (41, 240, 110), (170, 166, 16), (126, 100, 150)]):
        tex.upload(solid(y, u, v, 32, 32, serial=serial + 1).__class__(0, 0, 32, 32, solid(y, u, v, 32, 32).planes,
                                                                     colorspace, "limited", serial + 1))
        comp.render(FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),)), {0: tex})
        got = image(comp)[16, 16]
        assert np.abs(got - textbook_rgb(y, u, v, colorspace)).max() <= 1.5, (y, u, v, got)


def test_no_ready_layer_draws_black_not_an_error(ctx):
    comp = Compositor(ctx, (64, 36), fps=30)
    comp.render(FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),)), {})  # live: clip not decoded yet
    assert image(comp).max() == 0


def test_gpu_nv12_readback_matches_swscale(ctx):
    # a colourful smooth image through the output path, then GPU RGB->NV12 vs swscale's RGB->YUV
    w, h = 128, 72
    yy, xx = np.mgrid[0:h, 0:w]
    y = (16 + 219 * xx / (w - 1)).astype(np.uint8)
    cy, cx = np.mgrid[0:h // 2, 0:w // 2]
    u = (40 + 170 * cy / (h // 2 - 1)).astype(np.uint8)
    v = (200 - 150 * cx / (w // 2 - 1)).astype(np.uint8)
    comp = Compositor(ctx, (w, h), fps=30)
    tex = comp.new_clip_texture()
    tex.upload(YuvFrame(0, 0, w, h, (y, u, v), "bt709", "limited", 1))
    comp.render(FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),)), {0: tex})
    rgba = np.frombuffer(comp.read(), np.uint8).reshape(h, w, 4)
    y_plane, uv = comp.read_nv12()
    got_y = np.frombuffer(y_plane, np.uint8).reshape(h, w).astype(int)
    got_uv = np.frombuffer(uv, np.uint8).reshape(h // 2, w // 2, 2).astype(int)
    ref = VideoReformatter().reformat(av.VideoFrame.from_ndarray(np.ascontiguousarray(rgba[..., :3]), format="rgb24"),
                                      format="yuv420p", dst_colorspace=Colorspace.ITU709, dst_color_range=ColorRange.MPEG)
    ref_y = np.frombuffer(ref.planes[0], np.uint8).reshape(-1, ref.planes[0].line_size)[:h, :w].astype(int)
    ref_u = np.frombuffer(ref.planes[1], np.uint8).reshape(-1, ref.planes[1].line_size)[:h // 2, :w // 2].astype(int)
    ref_v = np.frombuffer(ref.planes[2], np.uint8).reshape(-1, ref.planes[2].line_size)[:h // 2, :w // 2].astype(int)
    assert np.abs(got_y - ref_y).max() <= 2
    assert np.abs(got_uv[..., 0] - ref_u)[1:-1, 1:-1].max() <= 3
    assert np.abs(got_uv[..., 1] - ref_v)[1:-1, 1:-1].max() <= 3


def _flight_images(ctx, rules: ShowRules, b_frame: YuvFrame, taus=(0.05, 0.97), **override):
    """The composite at flight progress ``taus`` (red A, ``b_frame`` B), layers as the engine made them
    (with ``override`` on B's layer)."""
    from dataclasses import replace
    comp = Compositor(ctx, (320, 180), fps=30)
    frames = flight_frames(rules, focus=(0.5, 0.5))
    out = []
    for tau in taus:
        f = min(frames, key=lambda fr: abs(fr.transition - tau))
        f = replace(f, layers=(f.layers[0], replace(f.layers[1], **override)))
        texs = {f.layers[0].instance: comp.new_clip_texture(), f.layers[1].instance: comp.new_clip_texture()}
        texs[f.layers[0].instance].upload(solid(*RED, w=320, h=180, serial=1))
        texs[f.layers[1].instance].upload(b_frame)
        comp.render(f, texs)
        out.append((f, image(comp)))
        for t in texs.values():
            t.release()
    comp.release()
    return out


def test_the_emerging_clip_grows_out_of_its_focus_and_takes_the_whole_screen_before_it_lands(ctx):
    rules = ShowRules(switch_bars=2, zoom_through=8.0, pulse=0.0, motion_blur=0.0, colour_match=0.0)
    green = solid(*GREEN, w=320, h=180, serial=2)
    (early, img0), (late, img1) = _flight_images(ctx, rules, green)
    b = img0[..., 1] > img0[..., 0]
    # early: a soft patch about the focus, not B's rectangle (whose corners stay A's)
    x0 = (early.layers[1].center[0] - early.layers[1].size / 2) * 320
    y0 = (early.layers[1].center[1] - early.layers[1].size / 2) * 180
    assert b[90, 160]
    assert not b[int(y0) + 1, int(x0) + 1]
    assert img0[..., 1][90, 160] - img0[..., 1][90, int(x0) + 2] > 60            # fading toward the rectangle's edge
    # late (B just under the screen's size): no ring of A is left framing B, up to the screen's corners
    assert late.layers[1].size < 1.0 and late.layers[1].grow > 0.0
    corners = img1[[0, 0, -1, -1], [0, -1, 0, -1]]
    assert (corners[:, 1] > corners[:, 0]).all(), corners
    # ... which the rectangle alone (the mask not reaching past it) leaves
    (_, img2), = _flight_images(ctx, rules, green, taus=(0.97,), grow=0.0)
    assert (img2[0, :, 0] > img2[0, :, 1]).any()


def test_the_emerging_clip_takes_the_colours_around_it_early_and_its_own_later(ctx):
    rules = ShowRules(switch_bars=2, zoom_through=8.0, pulse=0.0, motion_blur=0.0, blend=0.0)
    green = solid(*GREEN, w=320, h=180, serial=2)
    (early, img0), (late, img1) = _flight_images(ctx, rules, green, taus=(0.05, 0.9))
    assert early.layers[1].match > 0.9 and late.layers[1].match == 0.0
    red = img0[0, 0]
    assert np.abs(img0[90, 160] - red).max() < 40                                 # matched to A's red
    assert img1[90, 160][1] > img1[90, 160][0] + 100                               # its own green, as it takes over


def test_the_small_emerging_clip_brings_its_detail_in_from_its_focus(ctx):
    rules = ShowRules(switch_bars=2, zoom_through=8.0, pulse=0.0, motion_blur=0.0, colour_match=0.0)
    yy, xx = np.mgrid[0:180, 0:320]
    stripes = np.where((xx // 8) % 2 == 0, 40, 220).astype(np.uint8)   # coarse: still stripes at 1/8 size
    c = np.full((90, 160), 128, np.uint8)
    b_frame = YuvFrame(0, 0, 320, 180, (stripes, c, c.copy()), "bt601", "limited", 2)
    (f, hazy), = _flight_images(ctx, rules, b_frame, taus=(0.15,))
    (_, sharp), = _flight_images(ctx, rules, b_frame, taus=(0.15,), haze=0.0)
    assert f.layers[1].haze > 0.5
    size = f.layers[1].size * 320
    x = f.layers[1].center[0] * 320
    core = slice(int(x - 0.1 * size), int(x + 0.1 * size))
    rim = slice(int(x + 0.25 * size), int(x + 0.4 * size))        # about where B's mask is one half
    contrast = lambda img, cols: float(img[88:92, cols, 1].std())
    assert contrast(hazy, rim) < 0.6 * contrast(sharp, rim)        # the stripes fade toward B's border
    assert contrast(hazy, core) > 0.7 * contrast(sharp, core)      # and are there about its focus


def test_colour_statistics_follow_the_frame_on_the_texture(ctx):
    """The small RGB copy the colour match reads is of the frame uploaded last (made when asked for, so a
    frame never asked about costs nothing), and a held still keeps it."""
    from vj.gfx.clip_texture import thumbnail
    comp = Compositor(ctx, (64, 36), fps=30)
    tex = comp.new_clip_texture()
    tex.upload(solid(60, 128, 128, serial=1))
    tex.upload(solid(200, 90, 170, serial=2))
    want = thumbnail(solid(200, 90, 170))
    assert tex.thumb.shape == want.shape and np.allclose(tex.thumb, want)
    assert tex.thumb[..., 0].mean() > tex.thumb[..., 2].mean() + 0.2   # reddish, not the grey first frame
    still = comp.new_clip_texture()
    still.copy_from(tex)
    assert np.allclose(still.thumb, want)
    tex.release()
    assert tex.thumb is None


def test_bilinear_quality_levels_sample_clips_bilinear(ctx):
    # adaptive quality's bilinear levels (render below half size, scaled up bilinear) turn the clips' own
    # bicubic sampling off too: the picture changes (a magnified checkerboard's edges), and back on, it is as before
    comp = Compositor(ctx, (128, 72), fps=30)
    yy, xx = np.mgrid[0:18, 0:32]
    y = np.where((yy // 3 + xx // 3) % 2 == 0, 40, 220).astype(np.uint8)
    frame = YuvFrame(0.0, 0.0, 32, 18, (y, np.full((9, 16), 128, np.uint8), np.full((9, 16), 128, np.uint8)),
                     "bt601", "limited", 1)
    tex = comp.new_clip_texture()
    tex.upload(frame)
    desc = FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),))
    comp.render(desc, {0: tex})
    bicubic = image(comp)
    comp.bicubic_clips = False
    comp.render(desc, {0: tex})
    bilinear = image(comp)
    comp.bicubic_clips = True
    comp.render(desc, {0: tex})
    assert np.abs(bicubic - bilinear).max() > 8
    assert np.array_equal(image(comp), bicubic)
    comp.release()


def test_the_renderer_quality_setting_reaches_the_clips_sampling(ctx):
    from vj.render.renderer import ShowRenderer
    renderer = ShowRenderer(Compositor(ctx, (64, 36), fps=30), {}, live=True)
    try:
        renderer.set_quality(0.35, False, 0.5, bicubic=False)
        assert not renderer.compositor.bicubic_clips and not renderer.compositor.bicubic_upscale
        renderer.set_quality(0.85, True, 1.0, bicubic=True)
        assert renderer.compositor.bicubic_clips
    finally:
        renderer.close()
        renderer.compositor.release()


def test_a_released_compositor_leaves_the_context_clean_for_the_next(ctx, monkeypatch):
    # a compositor (or a clip texture, or a quality change) releasing the framebuffer that is bound used to
    # leave moderngl binding it back after every later framebuffer it made: GL_INVALID_OPERATION each time,
    # and a mipmap build in that state drew the next clip black
    from vj.gfx.clip_texture import ClipTexture
    first = Compositor(ctx, (320, 180), fps=30)
    old = first.new_clip_texture()
    old.upload(solid(*GREEN, serial=1))
    first.render(FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),)), {0: old})
    old.release()
    first.set_render_scale(0.5)   # a quality change: the targets made again
    first.release()
    _ = ctx.error
    # the first clip texture of a process primes llvmpipe's mipmap blit (not in the show's first flight)
    monkeypatch.setattr(ClipTexture, "mipmaps_primed", False)
    comp = Compositor(ctx, (256, 144), fps=30)
    tex = comp.new_clip_texture()
    tex.upload(solid(*RED, w=256, h=144, serial=2))
    assert ClipTexture.mipmaps_primed
    assert ctx.error == "GL_NO_ERROR"
    comp.render(FrameDesc(0, (LayerDesc("b", 0, 0, 0, (0.5, 0.5), 0.125),)), {0: tex})
    r, g, b = image(comp)[72 - 4:72 + 4, 128 - 8:128 + 8].reshape(-1, 3).mean(0)
    assert r > 200 and g < 60 and b < 60, (r, g, b)   # the clip, minified: red, not black
    comp.release()


def test_the_emerging_clip_drawn_in_its_own_rectangle_matches_the_one_pass_draw(ctx, monkeypatch):
    """While B is small, the base clip is drawn alone and both layers only inside B's mask rectangle
    (EMERGING_SPLIT: llvmpipe pays for B's shader over the whole image otherwise).  Every pixel, the mask in
    alpha included, must be what the single two-layer pass draws: B at the centre, at an edge, grown."""
    import vj.gfx.compositor as compositor

    rng = np.random.default_rng(7)
    w, h = 160, 90

    def textured(serial):
        y = rng.integers(16, 235, (h, w), dtype=np.uint8)
        c = rng.integers(16, 240, (h // 2, w // 2), dtype=np.uint8)
        return YuvFrame(0.0, 0.0, w, h, (y, c, c.copy()), "bt709", "limited", serial)

    comp = Compositor(ctx, (320, 180))
    texs = {0: comp.new_clip_texture(), 1: comp.new_clip_texture()}
    texs[0].upload(textured(1))
    texs[1].upload(textured(2))
    cases = [((0.5, 0.5), 0.2, 0.0), ((0.45, 0.4), 0.35, 0.15), ((0.06, 0.93), 0.3, 0.1), ((0.9, 0.1), 0.5, 0.15)]
    drawn = {}
    for split in (0.0, compositor.EMERGING_SPLIT):   # one pass always, then split while B is small
        monkeypatch.setattr(compositor, "EMERGING_SPLIT", split)
        for center, size, grow in cases:
            desc = FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.55, 0.5), 2.5),
                                 LayerDesc("b", 1, 0, 0, center, size, feather=0.05, soft=0.7, haze=0.5, match=0.5,
                                           grow=grow, focus=(0.4, 0.6))))
            comp.render(desc, texs)
            drawn.setdefault((center, size), []).append(np.frombuffer(comp.read(), np.uint8).copy())
    for key, (single, split) in drawn.items():
        assert np.array_equal(split, single), key
    comp.release()


def test_clips_opened_while_rendering_small_are_kept_no_wider_than_the_render(ctx):
    """Adaptive quality below full size: a clip's converted picture is no wider than the render (its
    conversion pass costs its pixels on software GL); at full size clips keep their own size."""
    comp = Compositor(ctx, (640, 360))
    full = comp.new_clip_texture()
    full.upload(solid(*RED, w=320, h=180, serial=1))
    comp.set_render_scale(0.35)
    small = comp.new_clip_texture()
    small.upload(solid(*RED, w=320, h=180, serial=2))
    assert full.size == (320, 180)
    assert small.size[0] <= comp.render_size[0] < 320 and abs(small.size[0] / small.size[1] - 16 / 9) < 0.02
    desc = FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0),))
    comp.render(desc, {0: small})
    w, h = comp.render_size
    picture = np.frombuffer(comp.read(), np.uint8).reshape(h, w, 4)[..., :3].astype(int)
    assert np.abs(picture[1:-1, 1:-1] - (255, 0, 0)).max() <= 3   # the whole picture, red to its edges
    for t in (full, small):
        t.release()
    comp.release()
