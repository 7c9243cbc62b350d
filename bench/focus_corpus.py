"""Clips with a known heading, for measuring the focus estimator (bench/focus.py, tests/test_focus.py).

Real photographs and real video frames (tests/data/focus, see its README for sources and licences)
are moved by a virtual camera and encoded with PyAV:

* ``zoom``: flying toward a random point ``f``: each frame is the last scaled about ``f`` (the point
  where the picture expands from is ``f``, exactly).
* ``drift``: the same, while ``f`` drifts in a straight line (an AI flythrough whose heading wanders);
  the truth is ``f(t)``.
* ``static``, ``pan``, ``zoom-out``: no forward motion.  The estimator must say so (low confidence),
  so the show falls back to the centre.

With a video source, the video plays under the camera's motion: people walk, cars drive, bottles
ride a conveyor, all motion that is not the camera's.

The items themselves (and their split into tuning and held-out sets) are in bench/focus_items.py.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Callable, Iterator

import av
import cv2
import numpy as np

from focus_items import FORWARD, GROUPS, ITEMS, STILL, Item  # noqa: F401  (re-exported)

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "focus"
VERSION = 2  # part of the cache key with the item's fields (2: deterministic encoding, see encode())


@dataclass(frozen=True, slots=True)
class Truth:
    """The heading over time: f(t) = start + (end - start) * t / seconds (None: no forward motion)."""

    start: tuple[float, float] | None
    end: tuple[float, float] | None
    seconds: float

    def at(self, t: float) -> tuple[float, float] | None:
        if self.start is None or self.end is None:
            return None
        u = min(max(t / self.seconds, 0.0), 1.0)
        return (self.start[0] + (self.end[0] - self.start[0]) * u, self.start[1] + (self.end[1] - self.start[1]) * u)



# ---- the virtual camera ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Motion:
    """Per-item random draws (from the item's seed)."""

    start: tuple[float, float]   #: heading (zoom/drift) or pan direction start
    end: tuple[float, float]
    rate: float                  #: ln(scale) per second; negative for a zoom-out
    pan: tuple[float, float]     #: output px per second


def motion(item: Item) -> Motion:
    rng = np.random.default_rng(1000 + item.seed)
    f0 = (float(rng.uniform(0.2, 0.8)), float(rng.uniform(0.22, 0.78)))
    if item.motion == "drift":
        ang = rng.uniform(0, 2 * math.pi)
        d = rng.uniform(0.1, 0.2)
        f1 = (min(max(f0[0] + d * math.cos(ang), 0.15), 0.85), min(max(f0[1] + d * math.sin(ang), 0.15), 0.85))
    else:
        f1 = f0
    if item.motion == "zoom-out":
        f0 = f1 = (float(rng.uniform(0.4, 0.6)), float(rng.uniform(0.4, 0.6)))
    rate = float(rng.uniform(0.12, 0.5)) if item.rate is None else item.rate
    ang = rng.uniform(0, 2 * math.pi)
    speed = float(rng.uniform(0.08, 0.2)) * item.size[0]
    return Motion(f0, f1, -rate if item.motion == "zoom-out" else rate, (speed * math.cos(ang), speed * math.sin(ang)))


def truth(item: Item) -> Truth:
    m = motion(item)
    if not item.forward:
        return Truth(None, None, item.seconds)
    return Truth(m.start, m.end, item.seconds)


def _scale_about(c: tuple[float, float], k: float, turn: float = 0.0) -> np.ndarray:
    """Scale by ``k`` and turn by ``turn`` radians about ``c``: ``c`` stays where it is."""
    a, b = k * math.cos(turn), k * math.sin(turn)
    return np.array([[a, -b, c[0] - a * c[0] + b * c[1]], [b, a, c[1] - b * c[0] - a * c[1]], [0, 0, 1]], np.float64)


def _shift(v: tuple[float, float]) -> np.ndarray:
    return np.array([[1, 0, v[0]], [0, 1, v[1]], [0, 0, 1]], np.float64)


def _source_frames(path: Path, fps: int) -> Callable[[float], np.ndarray]:
    """frame(t) -> BGR picture: a photo, or the video frame on screen at t (looping)."""
    if path.suffix.lower() in (".jpg", ".png"):
        img = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if img is None:
            raise FileNotFoundError(path)
        return lambda t: img
    frames: list[tuple[float, np.ndarray]] = []
    with av.open(str(path)) as c:
        for fr in c.decode(c.streams.video[0]):
            frames.append((float(fr.time), fr.to_ndarray(format="bgr24")))
    times = [t for t, _ in frames]
    length = times[-1] + (times[-1] - times[-2] if len(times) > 1 else 1.0 / fps)

    def at(t: float) -> np.ndarray:
        t = math.fmod(t, length)
        i = max(0, int(np.searchsorted(times, t, side="right")) - 1)
        return frames[i][1]

    return at


def render_frames(item: Item) -> Iterator[np.ndarray]:
    """BGR frames of the item: the camera's transform applied to each source frame."""
    src = _source_frames(DATA / item.source, item.fps)
    first = src(0.0)
    sh, sw = first.shape[:2]
    w, h = item.size
    m = motion(item)
    n = max(2, round(item.seconds * item.fps))
    total_out = math.exp(-m.rate * item.seconds) if m.rate < 0 else 1.0
    # start zoomed in enough that pans and zoom-outs never leave the picture
    z0 = {"pan": 1.0 + 2.2 * math.hypot(*m.pan) * item.seconds / w, "zoom-out": 1.15 * total_out}.get(item.motion, 1.1)
    fit = max(w / sw, h / sh) * z0     # output px per source px
    rng = np.random.default_rng(2000 + item.seed)
    room_x, room_y = sw * fit - w, sh * fit - h
    ox, oy = -rng.uniform(0.3, 0.7) * room_x, -rng.uniform(0.3, 0.7) * room_y
    if item.motion == "pan":  # centred halfway through the pan
        ox = -room_x / 2 + m.pan[0] * item.seconds / 2
        oy = -room_y / 2 + m.pan[1] * item.seconds / 2
    a = np.array([[fit, 0, ox], [0, fit, oy], [0, 0, 1]], np.float64)   # source px -> output px
    tr = truth(item)
    jitter = rng.normal(0.0, item.shake / math.sqrt(2), (n, 2)) if item.shake else np.zeros((n, 2))
    for i in range(n):
        t = i / item.fps
        shown = _shift((float(jitter[i, 0]), float(jitter[i, 1]))) @ a  # shake moves the picture, not the path
        frame = cv2.warpAffine(src(t), shown[:2], (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)
        yield frame
        dt = 1.0 / item.fps
        if item.motion in ("zoom", "drift", "zoom-out"):
            f = tr.at(t) if item.forward else m.start
            assert f is not None
            a = _scale_about((f[0] * w, f[1] * h), math.exp(m.rate * dt), item.roll * dt) @ a
        elif item.motion == "pan":
            a = _shift((-m.pan[0] * dt, -m.pan[1] * dt)) @ a


def _key(item: Item) -> str:
    text = repr((VERSION, item, (DATA / item.source).stat().st_size))
    return hashlib.sha1(text.encode()).hexdigest()[:10]


#: x264 settings that make encoding deterministic (see :func:`encode`): C code only, one thread, no slices
ENCODER = {"x264-params": "asm=0:threads=1:sliced-threads=0:sync-lookahead=0"}


def encode(frames: Iterator[np.ndarray], path: Path, size: tuple[int, int], fps: int, full_range: bool = False,
           crf: int = 20) -> Path:
    """H.264 in MP4 via PyAV (x264 'veryfast', like a generator's export), the same bytes every time.

    x264's assembly made the same frames into different files from run to run (2026-12-05, AMD EPYC
    with AVX-512, PyAV 18.1: 1 encode in 8 of identical frames in one process differed from its first
    packet on, and 14 of 22 corpus items differed between three processes encoding them in shuffled
    orders), even on one thread; its C code (``asm=0``) on one thread without slices did not in 16 of
    16, nor across those processes, and is the same on every CPU.  So the clips, and the estimates
    measured on them, no longer move from run to run; ``ENCODER`` is the setting."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.mp4")
    with av.open(str(tmp), "w", options={"fflags": "+bitexact"}) as c:
        s = c.add_stream("libx264", rate=Fraction(fps, 1))
        s.width, s.height = size
        s.pix_fmt = "yuvj420p" if full_range else "yuv420p"
        s.codec_context.thread_count = 1
        s.codec_context.thread_type = "NONE"
        s.options = {"crf": str(crf), "preset": "veryfast", **ENCODER}
        for i, bgr in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(bgr), format="bgr24")
            frame = frame.reformat(format=s.pix_fmt)
            frame.pts, frame.time_base = i, Fraction(1, fps)
            for packet in s.encode(frame):
                c.mux(packet)
        for packet in s.encode():
            c.mux(packet)
    tmp.replace(path)
    return path


def make(item: Item, cache: Path) -> Path:
    """The item's clip (rendered once into ``cache``)."""
    path = cache / f"{item.name}-{_key(item)}.mp4"
    if not path.exists():
        encode(render_frames(item), path, item.size, item.fps, item.full_range, item.crf)
    return path


def error(focus: tuple[float, float], true: tuple[float, float], size: tuple[int, int]) -> float:
    """Distance in shares of the image width."""
    w, h = size
    return math.hypot((focus[0] - true[0]) * w, (focus[1] - true[1]) * h) / w
