"""The decode thread: loop modes and play time, in/out points, errors, non-4:2:0 sources (real files)."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest

from vj.video.decoder import ClipDecoder, DecodeSpec


def numbered_clip(path, n=10, fps=10, size=(64, 32), codec="libx264", pix_fmt="yuv420p", colour=None):
    """Frame k has luma ~ 20 * k, so the frame shown can be read back from the pixels."""
    w, h = size
    with av.open(str(path), "w") as c:
        s = c.add_stream(codec, rate=Fraction(fps, 1))
        s.width, s.height, s.pix_fmt = w, h, pix_fmt
        if codec == "libx264":
            s.options = {"preset": "ultrafast", "qp": "0"}
        for k in range(n):
            rgb = np.full((h, w, 3), colour if colour is not None else 20 * k + 10, np.uint8)
            for p in s.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path


def shown(dec, t):
    f = dec.frame_at(t, wait=True)
    return round((float(f.planes[0][4, 4]) - 16) * 255 / 219 / 20 - 0.5 + 1e-9) if f is not None else None


def play(spec, times):
    dec = ClipDecoder(spec)
    try:
        return [shown(dec, t) for t in times]
    finally:
        dec.close(wait=True)


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return numbered_clip(tmp_path_factory.mktemp("dec") / "n.mp4")


def test_loop_plays_every_frame_in_order_and_wraps(clip):
    times = [k / 10 + 0.01 for k in range(25)]
    assert play(DecodeSpec(clip, loop="loop"), times) == [k % 10 for k in range(25)]


def test_hold_stops_on_the_last_frame(clip):
    assert play(DecodeSpec(clip, loop="hold"), [0.01, 0.55, 0.95, 2.0, 5.0]) == [0, 5, 9, 9, 9]


def test_pingpong_goes_back_without_repeating_the_ends(clip):
    times = [k / 10 + 0.01 for k in range(20)]
    assert play(DecodeSpec(clip, loop="pingpong"), times) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1]


def test_in_and_out_points(clip):
    times = [k / 10 + 0.01 for k in range(8)]
    assert play(DecodeSpec(clip, in_point=0.3, out_point=0.7, loop="loop"), times) == [3, 4, 5, 6, 3, 4, 5, 6]


def test_a_missing_file_is_an_error_not_a_crash(tmp_path):
    dec = ClipDecoder(DecodeSpec(tmp_path / "gone.mp4"))
    assert dec.frame_at(0.0, wait=True) is None
    assert dec.failed and "gone.mp4" in dec.failed
    dec.close(wait=True)


def test_rgb_sources_are_converted_with_the_right_matrix(tmp_path):
    # a pure green RGB clip (lossless, no YUV inside) must come out as BT.709 limited green
    path = numbered_clip(tmp_path / "g.mov", n=3, codec="qtrle", pix_fmt="rgb24", colour=(0, 255, 0))
    dec = ClipDecoder(DecodeSpec(path, colorspace="bt709", color_range="full"))
    f = dec.frame_at(0.0, wait=True)
    dec.close(wait=True)
    assert (f.colorspace, f.color_range) == ("bt709", "limited")
    y, u, v = (int(p[4, 4]) for p in f.planes)
    assert abs(y - 173) <= 2 and abs(u - 42) <= 2 and abs(v - 26) <= 2


@pytest.mark.parametrize("mode", ["loop", "hold", "pingpong"])
def test_engine_media_time_agrees_with_the_decoder(clip, mode):
    from vj.engine import ClipRef
    ref = ClipRef("n", end=1.0, loop=mode, fps=10.0)
    times = [k / 10 + 0.01 for k in range(30)]
    shown_frames = play(DecodeSpec(clip, loop=mode), times)
    assert [int(ref.media_time(t) * 10 + 1e-6) for t in times] == shown_frames
