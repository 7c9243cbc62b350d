"""Frame statistics for `vj play --stats`: what a VJ would notice, in numbers."""

from __future__ import annotations

import heapq
import json
import math
from array import array
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..fileio import atomic_write

#: seconds of frames summed up in one entry of ``frame_time_windows`` (a long show's drift, 360 entries an hour)
WINDOW_S = 10.0
#: a Series' histogram: log-spaced bins from LOW_S to HIGH_S seconds, each BIN_RATIO wider than the last, so a
#: percentile is within 0.25 % of the exact one (4,156 bins: 33 KB a series, whatever the show's length)
LOW_S, HIGH_S, BIN_RATIO = 1e-6, 1e3, 1.005
_LOG_LOW, _LOG_STEP = math.log(LOW_S), math.log(BIN_RATIO)
_BINS = int(math.ceil((math.log(HIGH_S) - _LOG_LOW) / _LOG_STEP)) + 1
#: values a Series keeps as they were (the HUD's frame rate over the last second at 30 fps)
RECENT = 30
#: late frames kept with where their time went, the longest first (enough to see a pattern, a few KB in the JSON)
LATE_KEPT = 20


class Series:
    """One per-frame quantity in constant memory, for a show of any length (the soak, issue 14: per-frame
    arrays grew 0.1 MB a minute at 30 fps, half of its RSS budget): a fine histogram for the whole run's
    percentiles, the exact maximum, count and sum, and the last RECENT values."""

    __slots__ = ("counts", "n", "total", "top", "recent")

    def __init__(self) -> None:
        self.counts = array("q", bytes(8 * _BINS))
        self.n, self.total, self.top = 0, 0.0, 0.0
        self.recent: deque[float] = deque(maxlen=RECENT)

    def append(self, x: float) -> None:
        i = int((math.log(x) - _LOG_LOW) / _LOG_STEP) if x > LOW_S else 0
        self.counts[min(i, _BINS - 1)] += 1
        self.n += 1
        self.total += x
        self.top = max(self.top, x)
        self.recent.append(x)

    def __len__(self) -> int:
        return self.n

    def mean(self) -> float:
        return self.total / self.n if self.n else 0.0

    def percentile(self, q: float) -> float:
        """The q-th percentile (0-100): the centre of the bin it falls in (the maximum for q = 100)."""
        if not self.n:
            return 0.0
        if q >= 100:
            return self.top
        i = int(np.searchsorted(np.cumsum(np.frombuffer(self.counts, np.int64)), q / 100.0 * self.n, side="left"))
        return min(self.top, math.exp(_LOG_LOW + (i + 0.5) * _LOG_STEP))


@dataclass(slots=True)
class FrameStats:
    """Frame intervals and render times of a live run, plus switch stalls.

    A frame is *late* when its interval exceeds 1.5 refresh periods; the frames it
    skipped are *dropped* (an interval of 3 periods dropped 2).  Every per-frame quantity is a
    :class:`Series` (constant memory: a 3-hour show keeps what a minute keeps), and every
    ``WINDOW_S`` seconds of frames are summed up in :attr:`windows`, so a long show's drift shows.
    """

    period: float
    intervals: Series = field(default_factory=Series)
    render: Series = field(default_factory=Series)
    late: int = 0
    dropped: int = 0
    switches: int = 0
    stalls: list[int] = field(default_factory=list)   #: frames each new clip waited for its first picture
    gpu: Series = field(default_factory=Series)    #: GPU time of each frame's draw (timer queries)
    panel: Series = field(default_factory=Series)  #: seconds the control panel took to build and submit
    #: adaptive quality's render scale: (frame, scale) at the start and at each change
    scales: list[tuple[int, float]] = field(default_factory=list)
    #: seconds of each step of Player.run, per frame (where a frame's time goes)
    steps: dict[str, Series] = field(default_factory=lambda: {k: Series() for k in
                                                               ("input+hear", "tick+draw", "present+panel+flip")})
    #: [show seconds at the window's end, frames, p50, p95, max frame time (ms), render p50 (ms)] per window
    windows: list[list[float]] = field(default_factory=list)
    #: late frames whose work (input to flip, the pacing wait left out) took more than a period; the other late
    #: frames started late (the system woke the frame thread late from its pacing wait)
    late_work: int = 0
    #: the LATE_KEPT longest late frames: (interval, show seconds, work, the process's CPU seconds during the
    #: work (all threads: a work much longer than the process's CPU time waited for cores), each step), a min-heap
    late_log: list[tuple] = field(default_factory=list)
    _elapsed: float = 0.0
    _window: array = field(default_factory=lambda: array("d"))          #: this window's intervals
    _window_render: array = field(default_factory=lambda: array("d"))   #: this window's render times

    def frame(self, interval: float | None, render_seconds: float, cpu_seconds: float = float("nan")) -> None:
        self.render.append(render_seconds)
        self._window_render.append(render_seconds)
        if interval is None:
            return
        self.intervals.append(interval)
        self._window.append(interval)
        self._elapsed += interval
        if interval > 1.5 * self.period:
            self.late += 1
            self.dropped += max(0, round(interval / self.period) - 1)
            self.late_work += render_seconds > self.period
            entry = (interval, self._elapsed, render_seconds, cpu_seconds,
                     tuple(v.recent[-1] if v.recent else 0.0 for v in self.steps.values()))
            (heapq.heappush if len(self.late_log) < LATE_KEPT else heapq.heappushpop)(self.late_log, entry)
        if self._elapsed >= (len(self.windows) + 1) * WINDOW_S:
            iv = np.frombuffer(self._window, np.float64) * 1000.0
            rd = np.frombuffer(self._window_render, np.float64) * 1000.0
            p50, p95, top = np.percentile(iv, (50, 95, 100))
            self.windows.append([round(self._elapsed, 1), len(iv), round(float(p50), 2), round(float(p95), 2),
                                 round(float(top), 2), round(float(np.median(rd)), 2)])
            self._window, self._window_render = array("d"), array("d")

    def scale(self, value: float) -> None:
        """This frame's render scale (kept only when it changes)."""
        if not self.scales or self.scales[-1][1] != value:
            self.scales.append((len(self.render), value))

    def summary(self) -> dict:
        def pct(xs: Series, q: float) -> float:
            return xs.percentile(q) * 1000.0
        return {
            "frames": len(self.render),
            "target_fps": round(1.0 / self.period, 3),
            "frame_time_ms": {"p50": pct(self.intervals, 50), "p95": pct(self.intervals, 95),
                              "p99": pct(self.intervals, 99), "max": pct(self.intervals, 100)},
            "render_time_ms": {"p50": pct(self.render, 50), "p95": pct(self.render, 95), "p99": pct(self.render, 99)},
            "late_frames": self.late,
            "dropped_frames": self.dropped,
            "switches": self.switches,
            "worst_switch_stall_frames": max(self.stalls) if self.stalls else 0,
            "gpu_time_ms": {"p50": pct(self.gpu, 50), "p95": pct(self.gpu, 95)} if self.gpu else None,
            "panel_ms": {"p50": pct(self.panel, 50), "p95": pct(self.panel, 95)} if self.panel else None,
            **self._scale(),
            "step_ms_p50": {k: round(pct(v, 50), 2) for k, v in self.steps.items()},
            "late_work": self.late_work,
            "late_start": self.late - self.late_work,
            "worst_late_frames": {"columns": ["t_s", "interval_ms", "work_ms", "process_cpu_ms",
                                              *(f"{k}_ms" for k in self.steps)],
                                  "rows": [[round(t, 2), round(1e3 * iv, 1), round(1e3 * w, 1),
                                            None if math.isnan(c) else round(1e3 * c, 1),
                                            *(round(1e3 * x, 1) for x in st)]
                                           for iv, t, w, c, st in sorted(self.late_log, key=lambda e: e[1])]},
            "frame_time_windows": {"window_s": WINDOW_S,
                                   "columns": ["t_s", "frames", "p50_ms", "p95_ms", "max_ms", "render_p50_ms"],
                                   "rows": self.windows},
        }

    def _scale(self) -> dict:
        """The render scale at the end and the one the second half of the run spent most frames at."""
        if not self.scales:
            return {"render_scale": 1.0, "render_scale_settled": 1.0}
        end, half = len(self.render), len(self.render) // 2
        frames: dict[float, int] = {}
        for (start, value), (stop, _) in zip(self.scales, [*self.scales[1:], (end, None)]):
            frames[value] = frames.get(value, 0) + max(0, stop - max(start, half))
        return {"render_scale": round(self.scales[-1][1], 3),
                "render_scale_settled": round(max(frames, key=lambda v: (frames[v], -v)), 3)}

    def write(self, path: Path, extra: dict | None = None) -> None:
        data = self.summary() | (extra or {})
        atomic_write(Path(path), json.dumps(data, indent=2) + "\n")
