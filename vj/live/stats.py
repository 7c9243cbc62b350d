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
        }

    def write(self, path: Path, extra: dict | None = None) -> None:
        data = self.summary() | (extra or {})
        Path(path).write_text(json.dumps(data, indent=2) + "\n")
