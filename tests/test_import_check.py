"""Issue 14, fault 9 (and 10): `vj bank import` decodes each clip's ends instead of trusting its header.

Real files: H.264 clips cut short (an .mkv whose header still probes: the campaign's case), a clip
above the size envelope (a real 2592x1458 encode), a still, one whose frames repeat, one whose end
repeats its start, a one-frame clip (which a check once called "probably truncated").  Run through
the real `vj bank import` command.
"""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from media import write_clip
from vj.clip_check import Envelope, check_clip
from vj.probe import decode_check, probe


def write_frames(path: Path, frames: list[np.ndarray], fps: int = 30, lossless: bool = False) -> Path:
    """Encode exactly these RGB frames (H.264; ``lossless``: qp 0, a repeated frame decodes bit for bit)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    h, w = frames[0].shape[:2]
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=fps)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.options = {"preset": "ultrafast", **({"qp": "0"} if lossless else {})}
        for i, rgb in enumerate(frames):
            f = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            f.pts, f.time_base = i, Fraction(1, fps)
            for p in s.encode(f):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path


def _picture(i: int, w: int = 96, h: int = 54) -> np.ndarray:
    rng = np.random.default_rng(i)
    return np.repeat(np.repeat(rng.integers(0, 255, (h // 6, w // 6, 3), dtype=np.uint8), 6, 0), 6, 1)


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("import") / "src"
    write_clip(src / "good.mp4", size=(96, 54), seconds=3.0, seed=1)
    whole = write_clip(src / "cut.mkv", size=(96, 54), seconds=3.7, seed=2)
    whole.write_bytes(whole.read_bytes()[: whole.stat().st_size // 5])        # the header still probes
    write_clip(src / "one.mp4", size=(96, 54), seconds=1 / 30, seed=3)         # one frame, whole
    write_frames(src / "still.mp4", [_picture(0)] * 45)
    write_frames(src / "stutter.mp4", [_picture(i // 5) for i in range(90)])  # each picture 5 frames: 6 real fps
    loop = [_picture(10 + i) for i in range(30)]
    write_frames(src / "twice.mp4", loop + [_picture(50 + i) for i in range(30)] + loop)   # 3 s, ends as it began
    return src


def test_each_fault_is_flagged_and_the_good_clips_are_not(clips):
    findings = {}
    for f in sorted(clips.iterdir()):
        report = check_clip(f, probe(f))
        findings[f.name] = sorted({x.kind for x in report.findings})
        assert report.decode_fps > 0 or report.findings
    assert findings == {"cut.mkv": ["truncated"], "good.mp4": [], "one.mp4": [], "still.mp4": ["repeats"],
                        "stutter.mp4": ["repeats"], "twice.mp4": ["repeats"]}, findings


def test_a_slow_60fps_pan_is_neither_a_still_nor_repeated_frames(tmp_path):
    """An AI clip's slow drift at 60 fps moves each 32x18 thumbnail by under a level per frame (the
    check once flagged such a clip "every decoded frame is the same picture"); over a second it moves a lot."""
    rng = np.random.default_rng(7)
    coarse = rng.integers(0, 255, (6, 12, 3)).astype(np.float32)

    def picture(dx: float) -> np.ndarray:                        # a smooth picture, panned by dx pixels
        yy, xx = np.mgrid[0:108, 0:192] / 25.0
        xx = xx + dx / 25.0
        y0, x0 = np.floor(yy).astype(int), np.floor(xx).astype(int)
        fy, fx = (yy - y0)[..., None], (xx - x0)[..., None]
        return (coarse[y0, x0] * (1 - fy) * (1 - fx) + coarse[y0 + 1, x0] * fy * (1 - fx)
                + coarse[y0, x0 + 1] * (1 - fy) * fx + coarse[y0 + 1, x0 + 1] * fy * fx).astype(np.uint8)

    slow = write_frames(tmp_path / "slow.mp4", [picture(0.4 * i) for i in range(150)], fps=60)
    report = check_clip(slow, probe(slow))
    assert report.findings == [], [f.problem for f in report.findings]
    # the same pan at 6 real fps (each picture 10 frames) repeats frames, and says about how many it has
    held = write_frames(tmp_path / "held.mp4", [picture(4.0 * (i // 10)) for i in range(150)], fps=60)
    (finding,) = check_clip(held, probe(held)).findings
    assert finding.kind == "repeats" and "about 6 real fps" in finding.problem.message, finding.problem


def test_repeated_frames_are_flagged_bit_exact_or_under_grain(tmp_path):
    """A repeat is a picture held, whatever its steps: bit-exact (a lossless encode, 1 real fps) or under
    fresh film grain on every frame (2 real fps): neither drifts, so neither passes for a slow zoom."""
    exact = write_frames(tmp_path / "exact.mp4", [_picture(i // 30) for i in range(90)], lossless=True)
    (finding,) = check_clip(exact, probe(exact)).findings
    assert finding.kind == "repeats" and "about 1 real fps" in finding.problem.message, finding.problem
    rng = np.random.default_rng(3)
    grain = [np.clip(_picture(i // 15).astype(int) + rng.integers(-6, 7, (54, 96, 3)), 0, 255).astype(np.uint8)
             for i in range(90)]
    grainy = write_frames(tmp_path / "grain.mp4", grain)
    (finding,) = check_clip(grainy, probe(grainy)).findings
    assert finding.kind == "repeats" and "about 2 real fps" in finding.problem.message, finding.problem


def test_a_one_frame_clip_is_not_called_truncated(clips):
    f = clips / "one.mp4"
    info = probe(f)
    assert info.frames == 1 and decode_check(f, info.duration, info.fps) is None


def test_the_size_and_frame_rate_envelope_is_configurable(clips, tmp_path):
    big = write_clip(tmp_path / "big.mp4", size=(2592, 1458), seconds=0.2, fps=30)   # over 2560x1440
    report = check_clip(big, probe(big))
    assert "size" in {x.kind for x in report.findings}, report.findings
    good = clips / "good.mp4"
    small = check_clip(good, probe(good), Envelope(max_size=(64, 36), fps_range=(40.0, 60.0)))
    assert {x.kind for x in small.findings} == {"size", "frame rate"}, small.findings
    text = " ".join(str(x.problem) for x in small.findings)
    assert "96x54 is larger than 64x36" in text and "30 fps, is outside 40-60 fps" in text
    slow = check_clip(good, probe(good), Envelope(speed=1e6))      # no machine decodes a million times real time
    assert [x.kind for x in slow.findings] == ["slow"] and "decodes at" in str(slow.findings[0].problem)


def _import(src: Path, banks: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vj", "bank", "import", str(src), "--name", "b", "--no-focus",
                           "--banks-dir", str(banks), *extra], capture_output=True, text=True, timeout=300)


def test_vj_bank_import_says_what_it_flagged_and_strict_fails(clips, tmp_path):
    r = _import(clips, tmp_path / "banks")
    assert r.returncode == 0, r.stderr
    assert "6 added" in r.stderr and "4 flagged (1 truncated, 3 repeats)" in r.stderr, r.stderr
    assert "clip 'cut'" in r.stderr and "cut short" in r.stderr
    assert "--strict" in r.stderr
    strict = _import(clips, tmp_path / "banks2", "--strict")
    assert strict.returncode == 1 and "4 flagged" in strict.stderr, strict.stderr
    # the flagged clips are in the bank (a performer may want a still); play skips what fails
    assert (tmp_path / "banks2" / "b" / "bank.toml").read_text().count("\n[[clips]]") == 6


def test_a_clip_cut_short_is_said_when_it_plays_not_looped_silently(clips, tmp_path):
    """Fault 9's second half: in rehearsal a truncated .mkv looped its first 0.6 s for its whole slot unsaid."""
    from vj.video.decoder import ClipDecoder, DecodeSpec

    notes = {}
    for name in ("cut.mkv", "good.mp4"):
        f = clips / name
        dec = ClipDecoder(DecodeSpec(f, expect_end=probe(f).duration))
        try:
            frame = dec.frame_at(4.0, wait=True)      # past the end of the first pass: the clip has looped
            assert frame is not None and dec.error is None
            notes[name] = dec.note
        finally:
            dec.close(wait=True)
    assert notes["good.mp4"] is None
    assert notes["cut.mkv"] is not None and "cut short" in notes["cut.mkv"] and "of its 3.70 s" in notes["cut.mkv"]
    assert "decodes only 0.6" in notes["cut.mkv"], notes


def test_a_clip_cut_past_its_first_second_is_said_to_stop_where_it_stops(tmp_path):
    """A 4 s .mkv cut after 1.2 s: import said "decodes only up to 1.00 s" (the end of the first second it
    decodes), `vj bank check` and the player 1.23 s; the performer was told two places to set `out`."""
    import re

    whole = write_clip(tmp_path / "cut.mkv", size=(96, 54), seconds=4.0, seed=7)
    whole.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.4)])
    info = probe(whole)
    said = [f.problem.message for f in check_clip(whole, info).findings if f.kind == "truncated"]
    assert len(said) == 1, said
    at = float(re.search(r"decodes only up to ([0-9.]+) s", said[0]).group(1))
    check = decode_check(whole, info.duration, info.fps)
    assert check is not None and f"up to {at:.2f} s" in check, (said, check)
    assert at > 1.05, said    # past the first second: found from the frames decoded toward the end


def test_a_crossfaded_clip_cut_short_loops_what_decodes_and_says_so(clips):
    """`loop = "auto"` crossfades a moving clip; that loop took its length from the header, so a clip cut short
    froze on its last decoded frame for the seconds that never came, every pass, and said nothing."""
    from vj.video.decoder import ClipDecoder, DecodeSpec

    f = clips / "cut.mkv"
    end = probe(f).duration
    dec = ClipDecoder(DecodeSpec(f, loop="crossfade", crossfade=0.5, end=end, expect_end=end))
    try:
        shown = [dec.frame_at(i / 30, wait=True) for i in range(int(2 * end * 30))]   # two header lengths
        assert all(fr is not None for fr in shown) and dec.error is None
        # the picture keeps moving: no held frame longer than a few frames' time
        held = max(b.play_time - a.play_time for a, b in zip(shown, shown[1:]))
        assert held < 0.2, held
        assert dec.note is not None and "cut short" in dec.note and "loops what decodes" in dec.note, dec.note
    finally:
        dec.close(wait=True)


def test_import_names_the_clips_fill_would_crop_hard_and_not_4_3_ones(tmp_path):
    """A portrait phone clip under the default `fill` shows a third of its picture on a 16:9 projector:
    import says so and how to frame it; a 4:3 clip (a quarter cropped, documented) and a bank whose framing
    was chosen get no such line."""
    src = tmp_path / "src"
    write_clip(src / "phone.mp4", size=(36, 64), seconds=0.5, seed=4)
    write_clip(src / "tv.mp4", size=(64, 48), seconds=0.5, seed=5)
    r = _import(src, tmp_path / "banks")
    assert r.returncode == 0, r.stderr
    lines = [x for x in r.stderr.splitlines() if "framing" in x]
    assert len(lines) == 1 and "clip 'phone'" in lines[0] and "32%" in lines[0] and 'fit = "blur"' in lines[0], r.stderr
    blurred = tmp_path / "chosen" / "b"
    blurred.mkdir(parents=True)
    (blurred / "bank.toml").write_text('[bank]\nfit = "fill"\n')   # chosen, even as the default
    r = _import(src, tmp_path / "chosen")
    assert r.returncode == 0 and "2 added" in r.stderr and "framing" not in r.stderr, r.stderr
