"""Measuring a clip's look at import: PyAV decodes small frames, numpy and OpenCV describe them.

Cost is decoding: a short clip (the usual AI clip, 2-10 s) is decoded once from its in-point to its
end at the analysis size; a longer one is read at its sample times by seeking.  Colour is CIE L*a*b*
(OpenCV), structure the gradient energy of L* in four orientations, motion DIS optical flow between
frames ``PAIR_DT`` apart (the same flow the focus estimator uses).
"""

from __future__ import annotations

import math
from pathlib import Path

import av
import cv2
import numpy as np
from av.video.reformatter import Interpolation, VideoReformatter

from .descriptor import CHANNELS, GRID, ClipLook

#: analysis width (px): 4x4 cells of 40 px keep horizon lines and edges, and DIS runs in ~1 ms
WIDTH = 160
#: seconds between grids (at most MAX_SAMPLES, spread evenly over longer clips)
SAMPLE_EVERY = 0.5
MAX_SAMPLES = 12
#: clips up to this many seconds are decoded straight through; longer ones are read by seeking
STRAIGHT = 12.0
#: seconds between the frames of a flow pair, as the focus estimator
PAIR_DT = 0.1


class LookError(Exception):
    """The clip could not be read (the reason in a performer's words)."""


def _cells(rgb: np.ndarray) -> np.ndarray:
    """GRID x GRID x CHANNELS means of one RGB frame (uint8)."""
    lab = cv2.cvtColor(rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    gx = cv2.Sobel(lab[..., 0], cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(lab[..., 0], cv2.CV_32F, 0, 1, ksize=3)
    mag = np.hypot(gx, gy)
    ang = (np.degrees(np.arctan2(gy, gx)) + 180.0) % 180.0
    bins = [mag * np.maximum(0.0, 1.0 - np.minimum(np.abs(ang - c), 180.0 - np.abs(ang - c)) / 45.0)
            for c in (0.0, 45.0, 90.0, 135.0)]
    planes = np.stack([lab[..., 0], lab[..., 1], lab[..., 2], lab[..., 0] ** 2, lab[..., 1] ** 2, lab[..., 2] ** 2,
                       *bins], axis=-1)
    h, w = rgb.shape[:2]
    out = np.zeros((GRID, GRID, CHANNELS), np.float64)
    for r in range(GRID):
        for c in range(GRID):
            out[r, c] = planes[r * h // GRID:(r + 1) * h // GRID, c * w // GRID:(c + 1) * w // GRID].reshape(-1, CHANNELS).mean(0)
    return out


class _Reader:
    def __init__(self, path: Path):
        try:
            self.container = av.open(str(path))
        except (av.FFmpegError, OSError) as exc:
            raise LookError(f"cannot open as video ({exc})") from None
        if not self.container.streams.video:
            self.container.close()
            raise LookError("has no video stream")
        self.stream = s = self.container.streams.video[0]
        s.thread_type = "AUTO"
        w, h = s.codec_context.width or 320, s.codec_context.height or 180
        self.size = (WIDTH, max(2, int(round(h * WIDTH / w / 2)) * 2))
        self.reformatter = VideoReformatter()
        rate = s.average_rate or s.guessed_rate
        self.fps = float(rate) if rate else 30.0

    def frames(self, t0: float, t1: float, seek: bool):
        """(time, rgb) of the frames with time in [t0, t1)."""
        if seek and t0 > 0 and self.stream.time_base:
            self.container.seek(int(t0 / self.stream.time_base), stream=self.stream, backward=True)
        elif seek:
            self.container.seek(0, stream=self.stream, backward=True)
        half = 0.5 / self.fps
        try:
            for frame in self.container.decode(self.stream):
                if frame.time is None:
                    continue
                t = float(frame.time)
                if t < t0 - half:
                    continue
                if t >= t1 - half:
                    break
                small = self.reformatter.reformat(frame, width=self.size[0], height=self.size[1], format="rgb24",
                                                  interpolation=Interpolation.AREA)
                yield t, small.to_ndarray()
        except av.FFmpegError:
            return  # a damaged tail: what decoded is measured (vj bank check reports the damage)

    def close(self) -> None:
        self.container.close()


def _grey(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def measure_look(path: Path | str, *, in_point: float = 0.0, out_point: float | None = None,
                 duration: float | None = None) -> ClipLook:
    """Measure the clip at ``path`` between ``in_point`` and ``out_point`` (or its end); LookError if unreadable."""
    reader = _Reader(Path(path))
    try:
        return _measure(reader, in_point, out_point, duration)
    except (av.FFmpegError, cv2.error, ValueError) as exc:
        raise LookError(f"could not be measured ({exc})") from None
    finally:
        reader.close()


def _measure(reader: _Reader, in_point: float, out_point: float | None, duration: float | None) -> ClipLook:
    if duration is None:
        s = reader.stream
        duration = float(s.duration * s.time_base) if s.duration is not None and s.time_base else \
            (reader.container.duration / 1e6 if reader.container.duration else 10.0)
    end = min(out_point, duration) if out_point is not None else duration
    length = max(end - in_point, 1.0 / reader.fps)
    n = min(MAX_SAMPLES, max(2, int(round(length / SAMPLE_EVERY)) + 1))
    wanted = [in_point + (length - 1.0 / reader.fps) * i / (n - 1) for i in range(n)]
    step = max(1, int(round(PAIR_DT * reader.fps)))
    if length <= STRAIGHT:
        frames = list(reader.frames(in_point, end, seek=in_point > 0))
    else:  # a long clip: a few frames at each sample time (and a flow pair), then its last frames
        frames = []
        for t in wanted:
            frames += list(reader.frames(t, min(t + (step + 1.5) / reader.fps, end), seek=True))
        frames = sorted({round(t, 4): (t, f) for t, f in frames}.values(), key=lambda x: x[0])
    if not frames:
        raise LookError("has no frame that decodes")
    times = [t for t, _ in frames]
    picks = sorted({min(range(len(times)), key=lambda i: abs(times[i] - t)) for t in wanted})
    grids = tuple(tuple(round(float(v), 3) for v in _cells(frames[i][1]).ravel()) for i in picks)
    grey = [_grey(f).astype(np.float32) for _, f in frames]
    diffs = [float(np.abs(b - a).mean()) for a, b in zip(grey, grey[1:]) if True]
    consecutive = [d for (ta, _), (tb, _), d in zip(frames, frames[1:], diffs) if tb - ta < 1.5 / reader.fps]
    frame_diff = float(np.median(consecutive)) if consecutive else 0.0
    loop_diff = float(np.abs(grey[-1] - grey[0]).mean()) if len(grey) > 1 else 0.0
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    speeds = []
    for i in picks:
        j = min(range(len(times)), key=lambda k: abs(times[k] - (times[i] + PAIR_DT)))
        if j == i or abs(times[j] - times[i]) < 0.5 / reader.fps:
            continue
        a, b = (grey[i], grey[j]) if j > i else (grey[j], grey[i])
        flow = dis.calc(a.astype(np.uint8), b.astype(np.uint8), None)
        speeds.append(float(np.median(np.hypot(flow[..., 0], flow[..., 1]))) / reader.size[0] / abs(times[j] - times[i]))
    motion = float(np.median(speeds)) if speeds else 0.0
    return ClipLook(times=tuple(round(times[i], 3) for i in picks), grids=grids, motion=round(motion, 4),
                    frame_diff=round(frame_diff, 3), loop_diff=round(loop_diff, 3))
