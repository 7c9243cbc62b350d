"""Frame statistics for `vj play --stats`: what a VJ would notice, in numbers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(slots=True)
class FrameStats:
    """Frame intervals and render times of a live run, plus switch stalls.

    A frame is *late* when its interval exceeds 1.5 refresh periods; the frames it
    skipped are *dropped* (an interval of 3 periods dropped 2).
    """

    period: float
    intervals: list[float] = field(default_factory=list)
    render: list[float] = field(default_factory=list)
    late: int = 0
    dropped: int = 0
    switches: int = 0
    stalls: list[int] = field(default_factory=list)   #: frames each new clip waited for its first picture
    gpu: list[float] = field(default_factory=list)      #: GPU time of each frame's draw (timer queries), where measured
    panel: list[float] = field(default_factory=list)    #: seconds the control panel took to build and submit
    render_scale: list[float] = field(default_factory=list)  #: adaptive quality's render scale, per frame
    #: seconds of each step of Player.run, per frame (where a frame's time goes)
    steps: dict[str, list[float]] = field(default_factory=lambda: {"input+hear": [], "tick+draw": [],
                                                                    "present+panel+flip": []})

    def frame(self, interval: float | None, render_seconds: float) -> None:
        self.render.append(render_seconds)
        if interval is None:
            return
        self.intervals.append(interval)
        if interval > 1.5 * self.period:
            self.late += 1
            self.dropped += max(0, round(interval / self.period) - 1)

    def summary(self) -> dict:
        def pct(xs: list[float], q: float) -> float:
            return float(np.percentile(np.array(xs) * 1000.0, q)) if xs else 0.0
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
