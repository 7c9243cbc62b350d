"""The demo content is real media: tiny clips rendered by our shaders and decoded with PyAV, and a
synthesized track checked against its own ground-truth beat grid."""

from __future__ import annotations

import hashlib
from pathlib import Path

import av
import numpy as np
import pytest

from vj.demo.scenes import SCENES, SPECS, DemoClip, SceneRenderer, render_demo_clips, render_scene
from vj.demo.track import DemoTrack, render_demo_track, synth_track

SIZE = (160, 96)
FPS = 30
SECONDS = 1.0

pytestmark = pytest.mark.slow


# ---- helpers -------------------------------------------------------------------------------------

def planes(frame: av.VideoFrame) -> list[np.ndarray]:
    """Y, U, V planes as float arrays (cropping the padded line size)."""
    out = []
    for p in frame.planes:
        a = np.frombuffer(p, np.uint8).reshape(p.height, p.line_size)[:, : p.width]
        out.append(a.astype(np.float64))
    return out


def decode(path: Path) -> tuple[av.video.stream.VideoStream, list[av.VideoFrame], float]:
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        frames = list(c.decode(s))
        duration = float(s.duration * s.time_base)
        return s, frames, duration


def lumas(path: Path) -> list[np.ndarray]:
    return [planes(f)[0] for f in decode(path)[1]]


def yuv_to_rgb(y: np.ndarray, u: np.ndarray, v: np.ndarray, matrix: str) -> np.ndarray:
    """Limited-range YUV -> RGB (0..255) by the textbook equations, independent of vj.gfx."""
    kr, kb = {"bt601": (0.299, 0.114), "bt709": (0.2126, 0.0722)}[matrix]
    u = np.repeat(np.repeat(u, 2, 0), 2, 1)[: y.shape[0], : y.shape[1]]
    v = np.repeat(np.repeat(v, 2, 0), 2, 1)[: y.shape[0], : y.shape[1]]
    yy, uu, vv = (y - 16) / 219, (u - 128) / 224, (v - 128) / 224
    r = yy + 2 * (1 - kr) * vv
    b = yy + 2 * (1 - kb) * uu
    g = (yy - kr * r - kb * b) / (1 - kr - kb)
    return np.stack([r, g, b], -1) * 255


def bilinear(img: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    h, w = img.shape
    x = np.clip(x, 0, w - 1.001)
    y = np.clip(y, 0, h - 1.001)
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    return (img[y0, x0] * (1 - fx) * (1 - fy) + img[y0, x0 + 1] * fx * (1 - fy)
            + img[y0 + 1, x0] * (1 - fx) * fy + img[y0 + 1, x0 + 1] * fx * fy)


def zoom_errors(frames: list[np.ndarray], focus: tuple[float, float], scales: list[float]) -> dict[float, float]:
    """How well each later frame, shrunk about the focus by s, matches the frame before it.

    Flying forward, what sits at offset v from the vanishing point moves out to s*v (s > 1), so
    sampling frame k+1 at focus + s*v should reproduce frame k.  Summed over all pairs and only
    over pixels that changed (static sky counts for nothing), in a square around the focus that
    stays inside the image for every scale.
    """
    h, w = frames[0].shape
    fx, fy = focus[0] * w, focus[1] * h
    reach = min(fx, w - fx, fy, h - fy) / max(scales)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    vx, vy = xs - fx, ys - fy
    square = (np.abs(vx) <= reach) & (np.abs(vy) <= reach)
    total = dict.fromkeys(scales, 0.0)
    for a, b in zip(frames[:-1], frames[1:]):
        m = square & (np.abs(a - b) > 6)
        for s in scales:
            total[s] += float(np.abs(bilinear(b, fx + vx[m] * s, fy + vy[m] * s) - a[m]).sum())
    return total


SCALES = [0.8, 0.9, 0.95, 0.98, 1.0, 1.02, 1.05, 1.1, 1.25]


def forward_ratio(frames: list[np.ndarray], focus: tuple[float, float]) -> tuple[float, float]:
    """(best expanding fit / best shrinking fit, best expanding fit / no zoom): both < 1 forward."""
    e = zoom_errors(frames, focus, SCALES)
    fwd = min(v for s, v in e.items() if s > 1)
    back = min(v for s, v in e.items() if s < 1)
    return fwd / back, fwd / e[1.0]


# ---- demo clips ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[DemoClip], list[tuple[int, int]]]:
    dest = tmp_path_factory.mktemp("demo")
    calls: list[tuple[int, int]] = []
    clips = render_demo_clips(dest, size=SIZE, seconds=SECONDS, fps=FPS, progress=lambda d, t: calls.append((d, t)))
    return dest, clips, calls


def test_demo_bank_has_distinct_described_scenes(bank) -> None:
    dest, clips, calls = bank
    assert len(SCENES) >= 8 and [c.file for c in clips] == [f"{n}.mp4" for n in SCENES]
    assert calls[0] == (0, len(SCENES)) and calls[-1] == (len(SCENES), len(SCENES))
    for c in clips:
        assert (dest / c.file).is_file()
        assert len(c.prompt) > 40 and c.tags and all(isinstance(t, str) for t in c.tags)
        assert 0.0 < c.focus[0] < 1.0 and 0.0 < c.focus[1] < 1.0 and 0.0 <= c.energy <= 1.0
    focuses = {c.focus for c in clips}
    assert len(focuses) == len(clips)                                  # every vanishing point differs
    assert sum(abs(x - 0.5) > 0.04 or abs(y - 0.5) > 0.04 for x, y in focuses) >= len(clips) - 2
    assert len({c.energy for c in clips}) >= 5


def test_clip_decodes_with_right_frames_size_duration_and_tags(bank) -> None:
    dest, clips, _ = bank
    for c in clips:
        stream, frames, duration = decode(dest / c.file)
        assert stream.codec_context.name == "h264" and stream.codec_context.pix_fmt == "yuv420p"
        assert len(frames) == round(SECONDS * FPS) == stream.frames
        assert (frames[0].width, frames[0].height) == SIZE
        assert duration == pytest.approx(SECONDS, abs=0.5 / FPS)
        assert [f.pts * f.time_base for f in frames] == sorted(f.pts * f.time_base for f in frames)
        assert (frames[0].colorspace, frames[0].color_range) == (1, 1)   # BT.709, limited (MPEG) range
        y = planes(frames[len(frames) // 2])[0]
        assert 8 < y.min() and y.max() < 245 and y.std() > 8              # limited range, not blank


def test_frames_change_over_time_and_scenes_differ(bank) -> None:
    dest, clips, _ = bank
    firsts = []
    for c in clips:
        ys = lumas(dest / c.file)
        steps = [np.abs(a - b).mean() for a, b in zip(ys[:-1], ys[1:])]
        assert min(steps) > 0.5, f"{c.file} stalls"
        firsts.append(ys[0])
    for i in range(len(firsts)):
        for j in range(i + 1, len(firsts)):
            assert np.abs(firsts[i] - firsts[j]).mean() > 10, (clips[i].file, clips[j].file)


@pytest.mark.parametrize("name", SCENES)
def test_scene_flies_forward_toward_its_focus(bank, name: str) -> None:
    dest, clips, _ = bank
    clip = next(c for c in clips if c.file == f"{name}.mp4")
    ys = lumas(dest / clip.file)
    vs_back, vs_still = forward_ratio(ys, clip.focus)
    assert vs_back < 0.9 and vs_still < 0.95, (vs_back, vs_still)
    # the same measure on the clip played backward must say "backward": the check can fail
    rev_back, _ = forward_ratio(ys[::-1], clip.focus)
    assert rev_back > 1.1, rev_back


def zoom_error_about(frames: list[np.ndarray], centre: tuple[float, float], region: np.ndarray) -> float:
    """Best expanding-zoom fit (as in zoom_errors) about ``centre``, on a fixed set of pixels."""
    h, w = frames[0].shape
    fx, fy = centre[0] * w, centre[1] * h
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    best = np.inf
    for s in (1.02, 1.05, 1.1):
        total = 0.0
        for a, b in zip(frames[:-1:3], frames[1::3]):
            m = region & (np.abs(a - b) > 6)
            total += float(np.abs(bilinear(b, fx + (xs[m] - fx) * s, fy + (ys[m] - fy) * s) - a[m]).sum())
        best = min(best, total)
    return best


@pytest.mark.parametrize("name", SCENES)
def test_focus_is_the_vanishing_point(bank, name: str) -> None:
    """Zooming about the recorded focus explains the motion as well as about any point 0.1 away.

    The check resolves the focus to about 0.1 of the frame: a renderer that ignored the focus
    (always zooming about the centre) fails it for most scenes; the pillar forest, whose motion
    is mostly sideways, only just tells the points apart.
    """
    dest, clips, _ = bank
    clip = next(c for c in clips if c.file == f"{name}.mp4")
    ys = lumas(dest / clip.file)
    h, w = ys[0].shape
    (fx, fy), (gy, gx) = clip.focus, np.mgrid[0:h, 0:w]
    region = (np.abs(gx - fx * w) <= min(fx, 1 - fx) * w * 0.8) & (np.abs(gy - fy * h) <= min(fy, 1 - fy) * h * 0.8)
    errors = {(dx, dy): zoom_error_about(ys, (fx + dx, fy + dy), region)
              for dx in (-0.1, 0.0, 0.1) for dy in (-0.1, 0.0, 0.1)}
    assert errors[0.0, 0.0] <= 1.03 * min(errors.values()), {k: round(v / errors[0.0, 0.0], 3) for k, v in errors.items()}


def test_clips_loop_seamlessly(bank) -> None:
    """The frame after the last is the first: the jump last -> first is an ordinary step."""
    dest, clips, _ = bank
    for c in clips:
        ys = lumas(dest / c.file)
        steps = [np.abs(a - b).mean() for a, b in zip(ys[:-1], ys[1:])]
        assert np.abs(ys[-1] - ys[0]).mean() < 1.5 * np.median(steps), c.file


def test_render_is_bit_identical(tmp_path: Path) -> None:
    a = render_scene("portals", tmp_path / "a.mp4", size=SIZE, seconds=0.5, fps=FPS)
    with SceneRenderer(SIZE) as r:                                    # a fresh GL context, same bytes
        render_scene("portals", tmp_path / "b.mp4", size=SIZE, seconds=0.5, fps=FPS, renderer=r)
    digest = [hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("a.mp4", "b.mp4")]
    assert a.file == "a.mp4" and digest[0] == digest[1]
    render_scene("portals", tmp_path / "c.mp4", size=SIZE, seconds=0.5, fps=FPS + 1)
    assert hashlib.sha256((tmp_path / "c.mp4").read_bytes()).hexdigest() != digest[0]


@pytest.mark.parametrize("matrix,tag", [("bt709", 1), ("bt601", 6)])
def test_colour_matrix_is_tagged_and_applied(tmp_path: Path, matrix: str, tag: int) -> None:
    """Decode with the tagged matrix and get the rendered colours back; the other matrix does not."""
    path = tmp_path / f"{matrix}.mp4"
    render_scene("synthwave", path, size=SIZE, seconds=0.3, fps=FPS, colorspace=matrix)
    with SceneRenderer(SIZE) as r:
        source = [f[..., :3].astype(np.float64) for f in r.frames("synthwave", 0.3, FPS)]
    stream, frames, _ = decode(path)
    assert (frames[0].colorspace, frames[0].color_range, stream.codec_context.colorspace) == (tag, 1, tag)
    other = {"bt601": "bt709", "bt709": "bt601"}[matrix]
    for frame, src in zip(frames, source):
        y, u, v = planes(frame)
        right = np.abs(yuv_to_rgb(y, u, v, matrix).mean((0, 1)) - src.mean((0, 1))).max()
        wrong = np.abs(yuv_to_rgb(y, u, v, other).mean((0, 1)) - src.mean((0, 1))).max()
        assert right < 1.5 and wrong > 4.0, (right, wrong)


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown demo scene"):
        render_scene("nope", tmp_path / "x.mp4", size=SIZE)
    with pytest.raises(ValueError, match="colorspace"):
        render_scene("tunnel", tmp_path / "x.mp4", size=SIZE, colorspace="bt2020")
    with pytest.raises(ValueError, match="even"):
        render_scene("tunnel", tmp_path / "x.mp4", size=(161, 96))


def test_travel_is_whole_periods() -> None:
    for spec in SPECS.values():
        for seconds in (0.5, 1.0, 6.0, 7.3):
            n = spec.travel(seconds) / spec.period
            assert n >= 1 and abs(n - round(n)) < 1e-9


# ---- demo track ----------------------------------------------------------------------------------

def low_band_envelope(samples: np.ndarray, sr: int, cutoff: float = 200.0) -> np.ndarray:
    """Amplitude envelope (analytic signal) of the band below ``cutoff``: where the kick lives."""
    mono = samples.astype(np.float64).mean(axis=1)
    spec = np.fft.rfft(mono)
    f = np.fft.rfftfreq(len(mono), 1.0 / sr)
    full = np.zeros(len(mono), complex)
    full[: len(spec)] = np.where(f < cutoff, spec, 0.0) * 2.0
    full[0] /= 2.0
    return np.abs(np.fft.ifft(full))


def peak_offsets(env: np.ndarray, sr: int, beats: np.ndarray, window: float = 0.06) -> np.ndarray:
    out = []
    for b in beats:
        i0, i1 = int((b - window) * sr), int((b + window) * sr)
        out.append((i0 + int(np.argmax(env[i0:i1]))) / sr - b)
    return np.array(out)


@pytest.fixture(scope="module")
def track() -> tuple[np.ndarray, DemoTrack]:
    return synth_track(seconds=20.0, lead_in=0.37, seed=3)


def test_track_length_level_and_lead_in(track) -> None:
    samples, t = track
    sr = t.sample_rate
    assert samples.dtype == np.float32 and samples.ndim == 2 and samples.shape[1] == 2
    assert len(samples) == round(20.37 * sr) and t.duration == pytest.approx(20.37, abs=1e-6)
    peak_db = 20 * np.log10(np.abs(samples).max())
    assert -1.2 < peak_db < -0.8                                     # about -1 dBFS, never clipping
    assert not np.any(samples[: int(0.37 * sr) - 1])                 # digital silence before the music
    assert np.abs(samples[int(0.37 * sr): int(0.40 * sr)]).max() > 0.3  # the first kick right on time
    assert t.beats[0] == pytest.approx(0.37) and np.allclose(np.diff(t.beats), 60.0 / t.bpm)
    assert t.beats[-1] < t.duration and t.beats[-1] + 60.0 / t.bpm >= t.duration - 1e-9
    assert np.array_equal(t.downbeats, t.beats[::4])
    rms = np.sqrt((samples[int(0.37 * sr):] ** 2).mean())
    assert 20 * np.log10(rms) > -16                                   # a full mix, not a click track


def test_kicks_sit_on_the_beat_grid(track) -> None:
    samples, t = track
    env = low_band_envelope(samples, t.sample_rate)
    kicks = t.kick_beats()
    assert 0 < len(kicks) < len(t.beats)                              # the breakdown drops the kick
    kicks = kicks[kicks < t.duration - 0.5]                           # not in the final fade-out
    offsets = peak_offsets(env, t.sample_rate, kicks)
    assert np.abs(offsets).max() < 0.008, offsets                     # peaks within a few ms
    sr, half = t.sample_rate, 30.0 / t.bpm
    inside = kicks[kicks + half + 0.03 < t.duration]
    on = np.median([env[int(b * sr): int((b + 0.03) * sr)].max() for b in inside])
    off = np.median([env[int((b + half) * sr): int((b + half + 0.03) * sr)].max() for b in inside])
    assert on > 2.0 * off                                             # off-beats (bass) stay weaker
    a, b = next((s, e) for name, s, e in t.sections if name == "breakdown")
    quiet = [env[int(x * sr): int((x + 0.03) * sr)].max() for x in t.beats if a <= x < b]
    assert quiet and max(quiet) < 0.6 * on                            # no kick in the breakdown


def test_a_real_beat_tracker_locks_on(track) -> None:
    """aubio (vj's live tracker) finds the tempo and the grid within a few seconds."""
    aubio = pytest.importorskip("aubio")
    samples, t = track
    hop = 512
    tempo = aubio.tempo("default", 1024, hop, t.sample_rate)
    tempo.set_silence(float("-inf"))                                 # else it drops beats after silence
    mono = samples.mean(axis=1).astype(np.float32)
    found = []
    for i in range(0, len(mono) - hop, hop):
        if tempo(mono[i:i + hop])[0]:
            found.append(tempo.get_last_s())
    locked = np.array([b for b in found if b > 6.0])
    errors = np.array([np.abs(t.beats - b).min() for b in locked])
    assert tempo.get_bpm() == pytest.approx(t.bpm, rel=0.03)
    assert len(locked) > 20 and np.mean(errors < 0.07) > 0.9, errors


def test_track_is_deterministic_per_seed() -> None:
    a, ta = synth_track(seconds=3.0, seed=5)
    b, _ = synth_track(seconds=3.0, seed=5)
    c, _ = synth_track(seconds=3.0, seed=6)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert ta.sections == (("groove", 0.0, 3.0),)


@pytest.mark.parametrize("suffix", [".flac", ".wav"])
def test_rendered_track_round_trips(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"demo{suffix}"
    t = render_demo_track(path, bpm=128.0, seconds=2.0, sample_rate=22050, seed=1, lead_in=0.25)
    samples, _ = synth_track(bpm=128.0, seconds=2.0, sample_rate=22050, seed=1, lead_in=0.25)
    assert t.path == path and t.bpm == 128.0 and t.beats[0] == pytest.approx(0.25)
    with av.open(str(path)) as c:
        s = c.streams.audio[0]
        assert (s.rate, s.channels) == (22050, 2)
        data = np.concatenate([f.to_ndarray().reshape(-1, 2) for f in c.decode(s)])
    assert data.dtype == np.int16 and len(data) == len(samples)
    assert np.abs(data / 32767.0 - samples).max() < 1.5 / 32767      # sample-exact, 16-bit
    first = path.read_bytes()
    render_demo_track(path, bpm=128.0, seconds=2.0, sample_rate=22050, seed=1, lead_in=0.25)
    assert path.read_bytes() == first


def test_unknown_track_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="use one of"):
        render_demo_track(tmp_path / "demo.xyz", seconds=1.0)
