"""Real media made on the fly for tests: clips (H.264), tracks (FLAC) with exact beat grids, PNG reading.

Tiny on purpose, so the whole suite stays fast.  Shared by the test modules (and by the
fixtures in conftest.py); no test module imports another.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def write_clip(path: Path, *, size: tuple[int, int] = (64, 36), seconds: float = 1.0, fps: int = 30,
               codec: str = "libx264", pix_fmt: str = "yuv420p", faststart: bool = False,
               colorspace: int | None = None, color_range: int | None = None, seed: int = 0) -> Path:
    """Encode a real clip: a moving bar over a colour ramp that changes every frame (never blank).

    ``colorspace``/``color_range`` are FFmpeg AVColorSpace/AVColorRange tags (1 = BT.709, 2 = full range).
    """
    w, h = size
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"movflags": "faststart"} if faststart else {}
    with av.open(str(path), "w", options=options) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, pix_fmt
        if codec == "libx264":
            stream.options = {"preset": "ultrafast"}
        if colorspace is not None:
            stream.codec_context.colorspace = colorspace
        if color_range is not None:
            stream.codec_context.color_range = color_range
        x = np.linspace(0, 255, w, dtype=np.float32)[None, :]
        n = max(1, round(seconds * fps))
        for i in range(n):
            rgb = np.zeros((h, w, 3), np.uint8)
            rgb[..., 0] = x.astype(np.uint8)
            rgb[..., 1] = (40 + 200 * i / n + seed * 37) % 256
            rgb[..., 2] = 255 - x.astype(np.uint8)
            col = (i * 3) % w
            rgb[:, col:col + 4] = 255
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            if colorspace is not None:
                frame.colorspace = colorspace
            if color_range is not None:
                frame.color_range = color_range
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


BPM = 120.0
LEAD_IN = 0.5
SECONDS = 13.0
RATE = 44100


def beat_grid(seconds: float = SECONDS) -> np.ndarray:
    return np.arange(LEAD_IN, seconds, 60.0 / BPM)


def write_track(path: Path, seconds: float = SECONDS) -> Path:
    """Kick on every beat, a hat on the off-beats, a bass note per bar: a 120 BPM test track."""
    n = int(seconds * RATE)
    audio = np.zeros(n, np.float32)
    t = np.arange(int(0.25 * RATE)) / RATE
    kick = (np.sin(2 * np.pi * (50 + 100 * np.exp(-t * 30)) * t) * np.exp(-t * 12)).astype(np.float32)
    hat = (np.random.default_rng(0).standard_normal(int(0.04 * RATE)) * np.exp(-np.arange(int(0.04 * RATE)) / 300)).astype(np.float32) * 0.2
    for k, b in enumerate(beat_grid(seconds)):
        i = int(round(b * RATE))
        seg = kick[: n - i]
        audio[i:i + len(seg)] += seg * (1.0 if k % 4 == 0 else 0.8)
        j = int(round((b + 30.0 / BPM) * RATE))
        if j < n:
            seg = hat[: n - j]
            audio[j:j + len(seg)] += seg
    audio /= np.abs(audio).max() * 1.12
    with av.open(str(path), "w") as c:
        s = c.add_stream("flac", rate=RATE)
        s.layout = "mono"
        frame = av.AudioFrame.from_ndarray(audio[None, :], format="flt", layout="mono")
        frame.sample_rate = RATE
        frame.pts = 0
        frame.time_base = Fraction(1, RATE)
        for p in s.encode(frame):
            c.mux(p)
        for p in s.encode(None):
            c.mux(p)
    return path


def png_pixels(path: Path) -> np.ndarray:
    """An RGB array of a PNG (decoded with PyAV, as vj writes them)."""
    with av.open(str(path)) as c:
        return next(c.decode(video=0)).to_ndarray(format="rgb24")
