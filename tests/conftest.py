"""Shared fixtures: real media made on the fly (tiny, so the whole suite stays fast)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import av
import numpy as np
import pytest


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


@pytest.fixture
def make_clip() -> Callable[..., Path]:
    """``make_clip(path, size=(64, 36), seconds=1.0, fps=30, ...)``: write a real H.264 clip (see write_clip)."""
    return write_clip
