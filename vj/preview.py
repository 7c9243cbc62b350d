"""Filmstrip previews: a clip's first seconds as one small PNG, for browsing a bank.

A VJ picks clips by look, not by file name.  One row of frames from the first ~2 s
shows both the image and the motion, and at ~96 px high 700 of them stay small.
PNG is written with PyAV's own png encoder (vj.fileio), so previews add no dependency.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from .fileio import write_png
from .probe import FIX_DAMAGED, ProbeError, open_video, why

FRAMES = 6
SPAN = 2.0  # seconds of the clip's start that the strip covers
HEIGHT = 96
GAP = 2  # dark pixels between frames


def filmstrip_frames(path: Path, *, frames: int = FRAMES, span: float = SPAN, height: int = HEIGHT,
                     start: float = 0.0) -> list[np.ndarray]:
    """Decode the clip from ``start`` and return ``frames`` RGB arrays ``height`` px high, evenly over ``span`` s.

    Decodes sequentially (no seeking: AI clips often have one keyframe per clip, so a
    seek would decode the same frames anyway) and stops once the span is covered.
    """
    container = open_video(path)
    picked: list[np.ndarray] = []
    with container:
        if not container.streams.video:
            raise ProbeError("has no video stream.", "use a video file (mp4, mov, mkv, webm...)")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        t0 = float(stream.start_time * stream.time_base) if stream.start_time is not None and stream.time_base else 0.0
        targets = [start + span * i / frames for i in range(frames)]
        sar = stream.sample_aspect_ratio or stream.codec_context.sample_aspect_ratio
        width = None
        try:
            if start > 0 and stream.time_base:
                container.seek(int((t0 + start) / stream.time_base), stream=stream, backward=True)
            for frame in container.decode(stream):
                t = (frame.time or 0.0) - t0
                if t + 1e-6 < start:
                    continue
                hits = 0
                while targets and t + 1e-6 >= targets[0]:
                    targets.pop(0)
                    hits += 1
                if hits:
                    if width is None:
                        display = frame.width * (float(sar) if sar else 1.0)
                        width = max(2, round(display * height / frame.height))
                    rgb = frame.reformat(width=width, height=height, format="rgb24").to_ndarray()
                    picked.extend([rgb] * hits)
                if not targets:
                    break
        except (av.FFmpegError, OSError) as exc:
            if not picked:
                raise ProbeError(f"cannot decode frames for its preview ({why(exc)}).", FIX_DAMAGED) from None
    if not picked:
        raise ProbeError("contains no decodable frame.", FIX_DAMAGED)
    while len(picked) < frames:  # clip shorter than the span: repeat its last frame
        picked.append(picked[-1])
    return picked


def tile(images: list[np.ndarray], gap: int = GAP) -> np.ndarray:
    """Lay equal-height RGB images out in one row with a dark gap between them."""
    h = images[0].shape[0]
    total = sum(im.shape[1] for im in images) + gap * (len(images) - 1)
    out = np.full((h, total, 3), 16, np.uint8)
    x = 0
    for im in images:
        out[:, x:x + im.shape[1]] = im
        x += im.shape[1] + gap
    return out


def write_filmstrip(clip: Path, dest: Path, *, start: float = 0.0, **kw: object) -> Path:
    """Render ``clip``'s filmstrip to ``dest`` (written atomically); raises ProbeError."""
    return write_png(dest, tile(filmstrip_frames(clip, start=start, **kw)))  # type: ignore[arg-type]
