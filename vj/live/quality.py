"""Adaptive quality: the frame rate is held, the picture gives way.

Each frame the player reports what the frame cost (CPU: from the frame's start to its flip; GPU: a
timer query around the draw, where the driver has one).  When frames cost more than the refresh
budget the controller steps down a ladder: first the internal render scale (the picture is scaled back
up with a bicubic filter), then the motion-blur pass, then the size clips are kept at.  When there
has been room to spare for a while it steps back up, and a level that failed soon after it was
restored waits longer before it is tried again (hysteresis), so quality does not flicker.

The controller is pure (numbers in, a level out): tests drive it with a cost model; the player drives
it with measured times.  ``vj rehearse`` never uses it: offline frames are always full quality.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

MODES = ("auto", "fixed")


@dataclass(frozen=True, slots=True)
class Level:
    scale: float             #: internal render size / output size
    motion_blur: bool
    clip_scale: float        #: clips' pictures kept at this fraction of their decoded size
    bicubic: bool = True     #: the picture is scaled up to the window bicubic (else bilinear)
    uploads: int = 0         #: new clip frames converted per output frame at most (0: all; see ClipSources)

    @property
    def pixels(self) -> float:
        """Share of the full-quality pixel work, from the passes' costs on llvmpipe at 1280x720 (bench/play.py's
        machine): the layers and blur at the render size (about half, the blur pass a fifth of that), the
        scale-up to the window at the output size (bicubic about 2.5x bilinear), the clips' conversion."""
        render = 0.5 * self.scale ** 2 * (1.0 if self.motion_blur else 0.8)
        present = 0.3 if self.bicubic and self.scale < 1.0 else 0.12   # full size: a one-tap copy
        return render + present + 0.12 * self.clip_scale ** 2

    def describe(self) -> str:
        extra = ("" if self.bicubic or self.scale >= 1.0 else " bilinear") + ("" if self.motion_blur else ", no blur") \
            + ("" if self.clip_scale >= 1.0 else f", clips at {self.clip_scale:g}x")
        return f"{self.scale:.2f}x{extra}"


#: Scale steps of about 0.7x in pixels each, scaled up bicubic down to half the width; below that the
#: scale-up pass (at the full output size) costs more than the picture it scales, so it turns bilinear and
#: the scale goes on down to a third of the width (a 1280x720 output rendered at 448x248), and the clips'
#: new frames are converted one per output frame (a flight's two clips take turns); then blur off, then
#: half-size clips.
LADDER: tuple[Level, ...] = (
    *(Level(s, True, 1.0) for s in (1.0, 0.85, 0.7, 0.6, 0.5)),
    *(Level(s, True, 1.0, bicubic=False, uploads=1) for s in (0.5, 0.42, 0.35)),
    Level(0.35, False, 1.0, bicubic=False, uploads=1),
    Level(0.35, False, 0.5, bicubic=False, uploads=1),
)
#: share of the refresh period a frame may cost: the rest is the flip, the pacing sleep and jitter
HEADROOM = 0.8
#: frames a decision looks at (a third of a second at 60 Hz: one slow frame is not a trend)
WINDOW = 20
#: frames after a change before the next decision (the new size's cost must show first)
SETTLE = 12
#: seconds of room to spare before a level is restored; doubled each time a restored level fails soon
RESTORE_AFTER = 3.0
RESTORE_MAX = 60.0
#: a restored level "failed soon" when it is left again within this many seconds
FAILED_SOON = 10.0
#: to step up, the next level's predicted cost must stay under this share of the budget
UP_MARGIN = 0.85
#: frames this many times over the budget step down several levels at once (as far as the pixel model
#: predicts); nearer the budget one level at a time, so a level the model misjudges is not skipped past
JUMP_OVER = 2.0

#: GL renderers that rasterise on the CPU (Mesa's llvmpipe, softpipe, swrast).  With them adaptive quality
#: starts at ``SOFTWARE_START`` (0.35x bilinear, no blur, clips at full size) and climbs when there is
#: room, instead of starting at full quality and stepping down through late frames: on llvmpipe at
#: 1280x720/60 full quality costs ~4x the budget, every start settled at 0.35x within 2 s, and those
#: first seconds were about half of a 60 s show's dropped frames (bench/play.py, 2026-12-05).
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast")
SOFTWARE_START = len(LADDER) - 2


def start_level(gl_renderer: str) -> int:
    """The ladder level adaptive quality starts at on this GL renderer (its ``GL_RENDERER`` string)."""
    name = gl_renderer.lower()
    return SOFTWARE_START if any(r in name for r in SOFTWARE_RENDERERS) else 0


class QualityController:
    """Chooses a :class:`Level` from frame costs; ``mode`` "fixed" keeps full quality."""

    def __init__(self, period: float, mode: str = "auto", headroom: float = HEADROOM, start: int = 0):
        """``start``: the ladder level to begin at in auto mode (``start_level``); fixed is always level 0."""
        if mode not in MODES:
            raise ValueError(f"quality must be one of {', '.join(MODES)}, not {mode!r}")
        self.period = period
        self.mode = mode
        self.budget = period * headroom
        self.index = start if mode == "auto" else 0
        self.costs: deque[float] = deque(maxlen=int(RESTORE_AFTER / period) + 1)
        self.late: deque[bool] = deque(maxlen=WINDOW)
        self.since_change = 0             #: frames since the level last changed
        self.changes = 0
        self.history: list[tuple[int, float]] = []   #: (frame, scale) at each change, for --stats
        self._frames = 0
        self._wait = {i: RESTORE_AFTER for i in range(len(LADDER))}  #: seconds of room before restoring level i
        self._restored_at: dict[int, int] = {}       #: level -> frame it was restored at

    @property
    def level(self) -> Level:
        return LADDER[self.index]

    def frame(self, cpu_s: float, gpu_s: float | None = None, interval_s: float | None = None) -> Level | None:
        """One frame's cost; returns the new level when it changes (else None)."""
        self._frames += 1
        self.since_change += 1
        cost = max(cpu_s, gpu_s or 0.0)
        self.costs.append(cost)
        self.late.append(interval_s is not None and interval_s > 1.5 * self.period)
        if self.mode == "fixed" or self.since_change < SETTLE or len(self.costs) < WINDOW:
            return None
        recent = np.fromiter(list(self.costs)[-WINDOW:], float)
        median = float(np.median(recent))
        over = median > self.budget or sum(self.late) >= 3
        if over and self.index < len(LADDER) - 1:
            # far over (JUMP_OVER): down as far as the frames predict it takes (cost scaled by pixel work:
            # an underestimate of the cost below, as part of a frame does not scale, so it never goes further
            # than it must).  At the start on llvmpipe full quality costs ~4x the budget, and one level at a
            # time took 1.1 s of late frames, most of a 60 s show's dropped ones (bench/play.py, 2026-12-05)
            target = self.index + 1
            while median > JUMP_OVER * self.budget and target < len(LADDER) - 1 \
                    and median * LADDER[target].pixels / self.level.pixels > self.budget:
                target += 1
            return self._move(target)
        if not over and self.index > 0 and not any(self.late):
            # restore as far up as the frames predict room for (cost scaled by pixel work: an overestimate,
            # as part of a frame does not scale), each level only after its own wait
            window = np.fromiter(self.costs, float)
            cost = float(np.percentile(window[-min(len(window), int(RESTORE_AFTER / self.period)):], 90))
            target = self.index
            for i in range(self.index - 1, -1, -1):
                waited = self.since_change * self.period >= self._wait[i]
                if not waited or cost * LADDER[i].pixels / self.level.pixels >= UP_MARGIN * self.budget:
                    break
                target = i
            if target < self.index:
                return self._move(target)
        return None

    def _move(self, index: int) -> Level:
        up = index < self.index
        if not up:  # leaving a level that was restored only a moment ago: wait longer before trying it again
            at = self._restored_at.pop(self.index, None)
            if at is not None and (self._frames - at) * self.period < FAILED_SOON:
                for i in range(self.index + 1):
                    self._wait[i] = min(RESTORE_MAX, self._wait[i] * 2)
        else:
            self._restored_at[index] = self._frames
        self.index = index
        self.since_change = 0
        self.changes += 1
        self.late.clear()
        self.history.append((self._frames, self.level.scale))
        return self.level


class GpuTimer:
    """GL timer queries around the draw, read one frame late so reading never waits for the GPU.
    ``last`` stays None where the driver has no timer queries."""

    def __init__(self, ctx):
        try:
            self._queries = [ctx.query(time=True), ctx.query(time=True)]
        except Exception:  # no ARB_timer_query: the CPU time alone decides
            self._queries = []
        self._n = 0
        self.last: float | None = None

    def __enter__(self):
        if self._queries:
            self._queries[self._n % 2].__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if not self._queries:
            return
        self._queries[self._n % 2].__exit__(*exc)
        self._n += 1
        if self._n >= 2:
            try:
                self.last = self._queries[self._n % 2].elapsed / 1e9   # the previous frame's query
            except Exception:
                self._queries = []
                self.last = None
