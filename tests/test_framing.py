"""Honest framing: a clip of another shape than the screen is cropped (fill), letterboxed (fit) or shown
over a blurred copy of itself (blur); its focus is in its own frame's coordinates and the engine maps it
through the crop.  Real clips encoded here, real GL, real decoders."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from showkit import PerfectTracker, silence_until
from vj.bank import load_bank
from vj.engine import ShowRules
from vj.engine.framing import framing
from vj.engine.frame import FrameDesc, LayerDesc
from vj.gfx.compositor import Compositor
from vj.gfx.context import headless_context
from vj.render.renderer import ShowRenderer
from vj.show.loop import ShowLoop
from vj.show.plan import SongPlan
from vj.video.frames import YuvFrame


def encode(path: Path, rgb_at, size: tuple[int, int], seconds: float = 4.0, fps: int = 30) -> Path:
    w, h = size
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=fps)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.options = {"preset": "ultrafast", "crf": "12"}
        s.codec_context.time_base = Fraction(1, fps)
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(rgb_at(i), format="rgb24")
            frame.pts = i
            for p in s.encode(frame):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path


def dot_clip(w: int, h: int, at: tuple[float, float]):
    """Dark grey with a white dot at ``at`` (source coordinates)."""
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.full((h, w, 3), 50, np.uint8)
    img[np.hypot(xx + 0.5 - at[0] * w, yy + 0.5 - at[1] * h) < 4] = 255
    return lambda i: img


@pytest.fixture(scope="module")
def ctx():
    c = headless_context()
    yield c
    c.release()


@pytest.fixture(scope="module")
def bank43(tmp_path_factory):
    root = tmp_path_factory.mktemp("framing")
    encode(root / "tall.mp4", dot_clip(160, 120, (0.8, 0.2)), (160, 120))          # 4:3
    encode(root / "green.mp4", lambda i: np.full((72, 128, 3), (30, 220, 40), np.uint8), (128, 72))
    (root / "bank.toml").write_text('[[clips]]\nid = "tall"\nfile = "tall.mp4"\nfocus = [0.8, 0.2]\n\n'
                                    '[[clips]]\nid = "green"\nfile = "green.mp4"\n')
    return root


def test_a_focus_in_a_43_clip_emerges_at_its_own_point_through_the_crop(ctx, bank43):
    bank = load_bank(bank43)
    assert [c.fit for c in bank.clips] == ["fill", "fill"]
    rules = ShowRules(switch_bars=1, transition_beats=2, pulse=0.0, motion_blur=0.0, colour_match=0.0, blend=0.0,
                      feather=0.0)
    comp = Compositor(ctx, (320, 180), fps=30)
    loop = ShowLoop([SongPlan("s", bank, None, rules)], analyzer=PerfectTracker(120.0), aspect=320 / 180)
    renderer = ShowRenderer(comp, loop.clips, live=False)
    dot = emerged = None
    try:
        for n in range(30 * 5):
            t = n / 30
            desc = loop.tick(t, silence_until(loop, t))
            renderer.draw(desc)
            img = np.frombuffer(comp.read(), np.uint8).reshape(180, 320, 4)[..., :3].astype(int)
            if desc.transition < 0 and dot is None and n > 3:
                ys, xs = np.nonzero(img.min(axis=2) > 200)
                dot = ((xs.mean() + 0.5) / 320, (ys.mean() + 0.5) / 180)
            elif desc.transition >= 0:
                ys, xs = np.nonzero((img[..., 1] > 150) & (img[..., 0] < 100))
                emerged = ((xs.mean() + 0.5) / 320, (ys.mean() + 0.5) / 180)
                break
    finally:
        renderer.close()
        comp.release()
    # the 4:3 clip fills 16:9: its top and bottom eighths are cropped, so source y 0.2 is screen y 0.1
    assert dot == pytest.approx((0.8, 0.1), abs=0.02)
    # B grows out of the dot: in the source's own coordinates, (0.8, 0.2), not the screen's (0.8, 0.2)
    assert emerged == pytest.approx(dot, abs=0.02)
    src_y = framing(4 / 3, 16 / 9, "fill").to_source(emerged)[1]
    assert src_y == pytest.approx(0.2, abs=0.02)


def _frame(rgb: np.ndarray, serial: int = 1) -> YuvFrame:
    """An RGB picture as a BT.709 limited YUV 4:2:0 frame."""
    h, w = rgb.shape[:2]
    f = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p", dst_colorspace=1)
    planes = tuple(np.frombuffer(p, np.uint8).reshape(-1, p.line_size) for p in f.planes)
    return YuvFrame(0.0, 0.0, w, h, planes, "bt709", "limited", serial)


@pytest.mark.parametrize("fit", ["fill", "fit", "blur"])
def test_fit_letterboxes_and_blur_fills_the_bars_with_the_clip_itself(ctx, fit):
    # a 4:3 picture, red on the left half and blue on the right, on a 16:9 screen
    rgb = np.zeros((120, 160, 3), np.uint8)
    rgb[:, :80] = (220, 30, 30)
    rgb[:, 80:] = (30, 30, 220)
    comp = Compositor(ctx, (320, 180), fps=30)
    tex = comp.new_clip_texture()
    tex.upload(_frame(rgb))
    comp.render(FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.5, 0.5), 1.0, fit=fit, aspect=4 / 3),)), {0: tex})
    img = np.frombuffer(comp.read(), np.uint8).reshape(180, 320, 4)[..., :3].astype(int)
    tex.release()
    comp.release()
    left_bar, right_bar = img[:, :30].reshape(-1, 3).mean(0), img[:, -30:].reshape(-1, 3).mean(0)
    inner_left = img[:, 60:100].reshape(-1, 3).mean(0)
    if fit == "fill":   # the whole screen is picture: the left edge is red, the right blue
        assert left_bar[0] > 180 and right_bar[2] > 180
        assert img[5, 40, 0] > 180 and img[174, 40, 0] > 180   # cropped top and bottom: no bars
    elif fit == "fit":  # pillarboxed: black bars an eighth of the width each side, the picture whole between
        assert left_bar.max() < 8 and right_bar.max() < 8
        assert inner_left[0] > 180
    else:               # the bars show the picture enlarged and blurred, darker than the picture itself
        assert 40 < left_bar[0] < inner_left[0] and left_bar[2] < left_bar[0]
        assert 40 < right_bar[2] and right_bar[0] < right_bar[2]


def test_filmstrips_mark_the_crop(bank43, tmp_path):
    from vj.bank import import_bank
    from vj.probe import ProbeCache
    from vj.preview import DIM

    result = import_bank(bank43, "imported", banks_dir=tmp_path, focus=False)
    strip = tmp_path / "imported" / ".vj" / "previews" / "tall.png"
    with av.open(str(strip)) as c:
        img = next(c.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    assert result.previews == 2
    col = img[:, 64]   # the first frame (128 px wide at 96 px high), through the dot's column... any column
    # rows outside the middle 3/4 (what a 16:9 screen shows) are dimmed, a line marks the edge
    assert col[2].mean() == pytest.approx(50 * DIM, abs=6) and col[48].mean() == pytest.approx(50, abs=6)
    assert col[11].mean() > 150 and col[84].mean() > 150
    with av.open(str(tmp_path / "imported" / ".vj" / "previews" / "green.png")) as c:
        green = next(c.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    assert green[:, :170, 1].min() > 150   # a 16:9 clip: nothing cropped, nothing marked


def test_filmstrips_follow_each_clips_fit_and_a_fit_change_never_serves_the_old_strip(bank43, tmp_path):
    """A blur clip's strip marked the fill crop (its top and bottom dimmed, as if cut off): a performer took it for
    a clip that loses its edges.  Now a fit or blur clip's frames are screen-shaped, the whole picture between its
    bars (black, hatched, a line on the picture's edge) or over its blurred fill; the strip's name carries the
    framing, so a clip whose fit changed shows no strip until import draws its new one, never the old one."""
    import shutil

    from vj.bank import import_bank, load_bank
    from vj.preview import BLUR_DARK, DIM, HEIGHT, MARK

    bank = tmp_path / "b"
    shutil.copytree(bank43, bank)
    toml = bank / "bank.toml"
    import_bank(bank, "b", banks_dir=tmp_path, focus=False)
    assert load_bank(bank).clip("tall").preview.name == "tall.png"          # fill: as before
    written = toml.read_text()
    for fit in ("fit", "blur"):
        toml.write_text(written.replace('id = "tall"\n', f'id = "tall"\nfit = "{fit}"\n'))
        assert load_bank(bank).clip("tall").fit == fit
        assert load_bank(bank).clip("tall").preview is None                 # not the fill strip of before
        result = import_bank(bank, "b", banks_dir=tmp_path, focus=False)
        assert result.previews == 1                                          # only the strip that changed
        b = load_bank(bank)
        assert b.clip("green").preview.name == "green.png"                  # 16:9: the same in every fit
        strip = b.clip("tall").preview
        assert strip.name == f"tall@{fit}.png"
        with av.open(str(strip)) as c:
            img = next(c.decode(video=0)).to_ndarray(format="rgb24").astype(int)
        w = round(HEIGHT * 16 / 9)                                           # a frame is screen-shaped
        assert img.shape[1] == 6 * w + 5 * 2
        frame = img[:, :w]
        x0 = (w - 128) // 2                                                   # the 4:3 picture, 128 px, centred
        # the whole picture, undimmed: its top and bottom rows too (fill dimmed them to 50 * DIM)
        assert frame[2, x0 + 64].mean() == pytest.approx(50, abs=6) and frame[93, x0 + 64].mean() == pytest.approx(50, abs=6)
        assert abs(50 * DIM - frame[2, x0 + 64].mean()) > 15
        bars = np.concatenate([frame[:, :x0 - 2], frame[:, x0 + 130:]], axis=1)
        if fit == "fit":   # black bars (a faint hatch), the line on the picture's edge
            assert bars.max() <= 45 and np.median(bars) == 0
            lines = [x for x in range(w) if tuple(frame[48, x]) == MARK]
            assert lines[0] == x0 - 1 and lines[1] in (x0 + 128, x0 + 129) and len(lines) == 2, lines
        else:              # its blurred fill, darkened: grey 50 of the picture times BLUR_DARK
            assert np.median(bars) == pytest.approx(50 * BLUR_DARK, abs=6)


def test_the_rehearsal_reports_thumbnail_of_a_clip_follows_its_fit(tmp_path):
    """The report copied each clip's strip once, named by clip id: after a fit change it kept the old framing."""
    from vj.preview import strip_copy

    previews, thumbs = tmp_path / "previews", tmp_path / "thumbs"
    previews.mkdir()
    (previews / "tall.png").write_bytes(b"fill strip")
    (previews / "tall@blur.png").write_bytes(b"blur strip")
    assert strip_copy(previews / "tall.png", thumbs / "night").read_bytes() == b"fill strip"
    assert strip_copy(previews / "tall@blur.png", thumbs / "night").read_bytes() == b"blur strip"


@pytest.mark.parametrize("fit", ["fit", "blur"])
def test_a_framed_clip_flies_in_without_its_bars_popping_in(ctx, tmp_path, fit):
    # A: a bright 16:9 picture; B: a 4:3 clip shown with fit = "fit" (black bars a eighth of the width each
    # side once it has landed) or "blur" (its own blurred copy, darkened, there).  Where B's left bar lands,
    # the screen must go from A's picture to the bar gradually during the flight, not within the last few
    # frames (it fell 150 grey levels in 4 frames: a flash of black at every landing of a letterboxed clip)
    yy, xx = np.mgrid[0:72, 0:128]
    bright = np.stack([200 + 30 * np.sin(xx / 5.0), 190 + 30 * np.sin(yy / 4.0), np.full(xx.shape, 170.0)], -1)
    encode(tmp_path / "bright.mp4", lambda i: bright.astype(np.uint8), (128, 72), seconds=8.0)
    encode(tmp_path / "boxed.mp4", lambda i: np.full((120, 160, 3), (40, 160, 60), np.uint8), (160, 120),
           seconds=8.0)
    (tmp_path / "bank.toml").write_text('[[clips]]\nid = "bright"\nfile = "bright.mp4"\n\n'
                                        f'[[clips]]\nid = "boxed"\nfile = "boxed.mp4"\nfit = "{fit}"\n')
    bank = load_bank(tmp_path)
    rules = ShowRules(switch_bars=2, transition_beats=4, pulse=0.0, motion_blur=0.0)
    comp = Compositor(ctx, (320, 180), fps=30)
    loop = ShowLoop([SongPlan("s", bank, None, rules)], analyzer=PerfectTracker(120.0), aspect=320 / 180)
    renderer = ShowRenderer(comp, loop.clips, live=False)
    bar, flying = [], []
    try:
        for n in range(30 * 7):
            t = n / 30
            desc = loop.tick(t, silence_until(loop, t))
            renderer.draw(desc)
            img = np.frombuffer(comp.read(), np.uint8).reshape(180, 320, 4)[..., :3].astype(float)
            bar.append(img[:, 4:30].mean())
            flying.append(desc.transition >= 0)
    finally:
        renderer.close()
        comp.release()
    start = flying.index(True)
    end = start + flying[start:].index(False)
    assert bar[start] > 150                  # A's bright picture at the bar's place when B appears
    if fit == "fit":
        assert max(bar[end:end + 10]) < 8        # B landed: its bars are black
    else:                                        # ... or its own colour, blurred and darkened
        assert 30 < min(bar[end:end + 10]) and max(bar[end:end + 10]) < 80
    steps = np.abs(np.diff(bar[start:end + 2]))
    assert steps.max() < 15, f"the bar region jumps by {steps.max():.0f} grey levels in one frame"
