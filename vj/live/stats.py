"""Frame statistics for `vj play --stats`: what a VJ would notice, in numbers."""

from __future__ import annotations

import json
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

#: seconds of frames summed up in one entry of ``frame_time_windows`` (a long show's drift, 360 entries an hour)
WINDOW_S = 10.0


@dataclass(slots=True)
class FrameStats:
    """Frame intervals and render times of a live run, plus switch stalls.

    A frame is *late* when its interval exceeds 1.5 refresh periods; the frames it
    skipped are *dropped* (an interval of 3 periods dropped 2).  Times are kept as C doubles (8 bytes
    a frame, not a 32-byte Python float: a 3-hour show at 60 fps keeps 10 MB, not 40), and every
    ``WINDOW_S`` seconds of frames are summed up in :attr:`windows`, so a long show's drift shows.
    """

    period: float
    intervals: array = field(default_factory=lambda: array("d"))
    render: array = field(default_factory=lambda: array("d"))
    late: int = 0
    dropped: int = 0
    switches: int = 0
    stalls: list[int] = field(default_factory=list)   #: frames each new clip waited for its first picture
    gpu: array = field(default_factory=lambda: array("d"))    #: GPU time of each frame's draw (timer queries)
    panel: array = field(default_factory=lambda: array("d"))  #: seconds the control panel took to build and submit
    render_scale: array = field(default_factory=lambda: array("d"))  #: adaptive quality's render scale, per frame
    #: seconds of each step of Player.run, per frame (where a frame's time goes)
    steps: dict[str, array] = field(default_factory=lambda: {k: array("d") for k in
                                                              ("input+hear", "tick+draw", "present+panel+flip")})
    #: [show seconds at the window's end, frames, p50, p95, max frame time (ms), render p50 (ms)] per window
    windows: list[list[float]] = field(default_factory=list)
    _elapsed: float = 0.0
    _mark: int = 0        #: index into ``intervals`` where the current window starts
    _render_mark: int = 0

    def frame(self, interval: float | None, render_seconds: float) -> None:
        self.render.append(render_seconds)
        if interval is None:
            return
        self.intervals.append(interval)
        if interval > 1.5 * self.period:
            self.late += 1
            self.dropped += max(0, round(interval / self.period) - 1)
        self._elapsed += interval
        if self._elapsed >= (len(self.windows) + 1) * WINDOW_S:
            iv = np.frombuffer(self.intervals, np.float64)[self._mark:] * 1000.0
            rd = np.frombuffer(self.render, np.float64)[self._render_mark:] * 1000.0
            p50, p95, top = np.percentile(iv, (50, 95, 100))
            self.windows.append([round(self._elapsed, 1), len(iv), round(float(p50), 2), round(float(p95), 2),
                                 round(float(top), 2), round(float(np.median(rd)), 2)])
            self._mark, self._render_mark = len(self.intervals), len(self.render)

    def summary(self) -> dict:
        def pct(xs: array, q: float) -> float:
            return float(np.percentile(np.frombuffer(xs, np.float64) * 1000.0, q)) if len(xs) else 0.0
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
            "frame_time_windows": {"window_s": WINDOW_S,
                                   "columns": ["t_s", "frames", "p50_ms", "p95_ms", "max_ms", "render_p50_ms"],
                                   "rows": self.windows},
        }

    def _scale(self) -> dict:
        """The render scale at the end and the one the second half of the run spent most frames at."""
        if not self.render_scale:
            return {"render_scale": 1.0, "render_scale_settled": 1.0}
        half = self.render_scale[len(self.render_scale) // 2:]
        values, counts = np.unique(np.array(half), return_counts=True)
        return {"render_scale": round(self.render_scale[-1], 3),
                "render_scale_settled": round(float(values[np.argmax(counts)]), 3)}

    def write(self, path: Path, extra: dict | None = None) -> None:
        data = self.summary() | (extra or {})
        Path(path).write_text(json.dumps(data, indent=2) + "\n")
