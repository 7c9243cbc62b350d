"""Is a clip fit for the stage?  Decoded, not trusted from its header (`vj bank import`, issue 14 fault 9).

A file whose header still probes can be cut short (a copy or download that stopped), can decode too
slowly on this machine (a 4K clip on a laptop), can be a still or a few frames repeated.  The header
says none of that, so import decodes the first and the last second of each clip (a GOP or two,
quick) and judges what it got against an :class:`Envelope`:

- **truncated**: the first frame or the last second does not decode, or decoding stops early;
- **size**: the picture is larger than ``max_size`` (2560x1440 by default);
- **frame rate**: outside ``fps_range`` (12-60 by default);
- **slow**: the first second decoded slower than ``speed`` times real time here (two clips decode at
  once during a flight, so 2x is the least that plays smoothly);
- **repeats**: every decoded frame the same picture as the first (a still; a slow zoom is not one: its
  frames drift away from the first), fewer than half of them different from the one before (frames
  repeated: a lower real frame rate; a slow zoom's small steps count, as its picture drifts through them),
  or the last second the same pictures as the first.

Each finding is a :class:`~vj.errors.Problem` with the file, what was measured and the fix.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np

from .errors import Problem
from .probe import ProbeInfo, why

#: the largest picture that plays here by default: 2560x1440 (a 4K clip decoded at ~8 fps in the campaign)
MAX_SIZE = (2560, 1440)
#: frame rates a show plays well: below 12 fps motion stutters; above 60 the display drops frames anyway
FPS_RANGE = (12.0, 60.0)
#: decode speed needed, in multiples of real time (two clips decode at once during a flight)
SPEED = 2.0
#: share of distinct frames below which a clip "repeats frames"
MIN_DISTINCT = 0.5
#: seconds decoded at each end
SPAN = 1.0
#: mean difference (0-255) of two 32x18 grey thumbnails under which they show the same picture: an
#: ultrafast H.264 encode of one still moved its thumbnails by 0.1-0.4; a moving clip by 2 or more
SAME_LEVEL = 1.0
#: share of a clip's median frame-to-frame step under which a later frame matches an earlier one
MATCH_SHARE = 0.1
#: consecutive small steps (each under SAME_LEVEL) over which a slowly moving picture has drifted by
#: SAME_LEVEL or more: a slow 60 fps zoom steps its thumbnails by 0.23-0.62 (median 0.38) from frame to frame
#: and by 18 over its first second, so 6 steps span 1.4 or more; a repeated picture does not drift however long
#: it is held (encoder noise or film grain: 0.1-0.6 between any two of its frames), and a clip whose frames each
#: repeat 5 times (6 real fps at 30) has no 6 small steps in a row
DRIFT_SPAN = 6


@dataclass(frozen=True, slots=True)
class Envelope:
    """What a clip must fit to be called fit for the stage (``vj bank import --max-size --fps-range``)."""

    max_size: tuple[int, int] = MAX_SIZE
    fps_range: tuple[float, float] = FPS_RANGE
    speed: float = SPEED


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str          #: "truncated", "size", "frame rate", "slow", "repeats"
    problem: Problem


@dataclass(slots=True)
class ClipReport:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    decode_fps: float = 0.0      #: frames per second the first second decoded at, here
    frames: int = 0              #: frames decoded in all

    @property
    def ok(self) -> bool:
        return not self.findings


def _thumb(frame: av.VideoFrame) -> np.ndarray:
    """A 32x18 grey thumbnail: what a picture looks like, without the encoder's noise."""
    small = frame.reformat(width=32, height=18, format="gray")
    plane = small.planes[0]
    rows = np.frombuffer(plane, np.uint8).reshape(18, plane.line_size)
    return rows[:, :32].astype(np.int16)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Two thumbnails of the same picture (an encoder's noise moves them by well under a level on average)."""
    return float(np.abs(a - b).mean()) < SAME_LEVEL


def check_clip(path: Path, info: ProbeInfo, envelope: Envelope = Envelope()) -> ClipReport:
    """Decode the first and the last ``SPAN`` seconds of ``path`` and judge it against ``envelope``."""
    rep = ClipReport(Path(path))

    def flag(kind: str, message: str, fix: str) -> None:
        rep.findings.append(Finding(kind, Problem(path, message, fix)))

    w, h = info.width, info.height
    mw, mh = envelope.max_size
    if w * h > mw * mh or max(w, h) > max(mw, mh):
        flag("size", f"{w}x{h} is larger than {mw}x{mh}, more than this show is set to play",
             f"scale it down (ffmpeg -i IN -vf scale={mw}:-2 OUT.mp4), or raise --max-size if this machine plays it")
    lo, hi = envelope.fps_range
    if not lo <= info.fps <= hi:
        flag("frame rate", f"its frame rate, {info.fps:g} fps, is outside {lo:g}-{hi:g} fps",
             "re-export it at 24, 25, 30 or 60 fps, or widen --fps-range")
    end = info.duration
    try:
        first, speed, last, broke, reached = _decode_ends(path, end)
    except av.FFmpegError as exc:
        flag("truncated", f"cannot be decoded ({why(exc)}); the file is damaged",
             "copy or export the clip again")
        return rep
    except OSError as exc:
        flag("truncated", f"cannot be read ({why(exc)})", "check the file and the drive")
        return rep
    rep.frames = len(first) + len(last)
    rep.decode_fps = speed
    tol = max(2.5 / info.fps if info.fps else 0.1, 0.1)
    if not first:
        flag("truncated", "contains no decodable frame", "copy or export the clip again")
        return rep
    if broke or reached is None or reached < end - tol:
        got = f"{reached:.2f} s" if reached is not None else "nothing"
        flag("truncated", f"decodes only up to {got} of the {end:.2f} s its header claims"
             + (f" ({broke})" if broke else "") + "; the file is cut short",
             "copy or download the clip again (or set its out point, out = SECONDS, before the damage)")
    if speed and info.fps and speed < envelope.speed * info.fps:
        flag("slow", f"decodes at {speed:.0f} fps here; it plays at {info.fps:g} fps and a flight decodes two "
             f"clips at once (needs {envelope.speed * info.fps:.0f})",
             "scale it down or re-encode it (H.264, 1080p or less)")
    runs = [[p for _, p in part] for part in (first, last) if part]
    pairs = sum(len(r) - 1 for r in runs)
    steps = [_steps(r) for r in runs]
    changes = _changes(runs, steps)
    if pairs >= 2 and all(_same(r[0], p) for r in runs for p in r[1:]):
        what = ("every decoded frame is the same picture" if all(_same(runs[0][0], r[0]) for r in runs)
                else "its first second and its last each hold one picture")
        flag("repeats", f"{what} ({pairs + len(runs)} frames): it plays as a still",
             "use the intended clip, or keep it if a still is wanted")
    elif pairs >= 5 and changes < MIN_DISTINCT * pairs:
        flag("repeats", f"only {changes} of {pairs} frames differ from the one before: it repeats frames "
             f"(about {info.fps * changes / pairs:.0f} real fps)", "re-export it at its real frame rate")
    elif end >= 2 * SPAN + 0.5 and last and first and _repeats_start(first, last, sum(steps, [])):
        flag("repeats", "its last second shows the same pictures as its first: the file repeats itself",
             "trim it to one pass (set out), or use the intended clip")
    return rep


Frames = list[tuple[float, np.ndarray]]


def _steps(run: list[np.ndarray]) -> list[float]:
    """The mean thumbnail difference between each frame of a run and the one before."""
    return [float(np.abs(a - b).mean()) for a, b in zip(run, run[1:])]


def _changes(runs: list[list[np.ndarray]], run_steps: list[list[float]]) -> int:
    """How many frames differ from the one before.  A step of :data:`SAME_LEVEL` or more is a change; so are
    the small steps of a run whose picture drifts through them (a slow zoom or pan: over :data:`DRIFT_SPAN`
    small steps in a row it moves by :data:`SAME_LEVEL` or more, as a held picture never does)."""
    changes = 0
    for r, steps in zip(runs, run_steps):
        small = [s < SAME_LEVEL for s in steps]
        spans = [float(np.abs(r[i + DRIFT_SPAN] - r[i]).mean()) for i in range(len(steps) - DRIFT_SPAN + 1)
                 if all(small[i:i + DRIFT_SPAN])]
        drifting = bool(spans) and float(np.median(spans)) >= SAME_LEVEL
        changes += sum(1 for s in small if drifting or not s)
    return changes


def _repeats_start(first: Frames, last: Frames, steps: list[float]) -> bool:
    """Every frame of the last second is a picture of the first second.

    "The same" is judged against the clip's own motion: an encoder's noise on a detailed picture moved
    its thumbnails by up to 1.7 levels (random blocks, ultrafast H.264), while such a clip's frames
    differed from each other by ~45; a match is a distance under a tenth of the median step between
    frames (and never under :data:`SAME_LEVEL`)."""
    level = max(SAME_LEVEL, MATCH_SHARE * float(np.median(steps))) if steps else SAME_LEVEL
    return all(min(float(np.abs(b - a).mean()) for _, a in first) < level for _, b in last)


def _decode_ends(path: Path, end: float) -> tuple[Frames, float, Frames, str, float | None]:
    """(first second's frames, its decode speed in fps, last second's frames, why decoding broke or "", the
    latest frame time decoded); a clip up to 1.5 s long is decoded whole as its "first second".

    The latest time counts the frames decoded after the seek toward the end, before the last second too: a
    file cut at 1.23 s of 4 s decodes there from its last keyframe, and 1.23 s, not the first second's end,
    is where it stops (what `vj bank check` and the player say)."""
    first: Frames = []
    last: Frames = []
    broke = ""
    reached: float | None = None
    with av.open(str(path), metadata_errors="ignore") as container:
        if not container.streams.video:
            raise av.error.InvalidDataError(0, "no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        stream.thread_count = 2
        tb = stream.time_base
        start = float(stream.start_time * tb) if stream.start_time is not None and tb else 0.0
        t0 = time.perf_counter()
        try:
            for frame in container.decode(stream):
                if frame.time is None:
                    continue
                t = frame.time - start
                if t > SPAN and first and end > SPAN * 1.5:
                    break
                first.append((t, _thumb(frame)))
                reached = t if reached is None else max(reached, t)
        except (av.FFmpegError, EOFError) as exc:
            if not first or end > (first[-1][0] + SPAN):
                broke = why(exc)
        took = time.perf_counter() - t0
        speed = len(first) / took if took > 0 and first else 0.0
        if broke or end <= SPAN * 1.5:
            return first, speed, last, broke, reached
        try:
            container.seek(int((start + max(0.0, end - SPAN)) / tb), stream=stream, backward=True)
            for frame in container.decode(stream):
                if frame.time is None:
                    continue
                t = frame.time - start
                reached = t if reached is None else max(reached, t)
                if t >= end - SPAN:
                    last.append((t, _thumb(frame)))
        except (av.FFmpegError, EOFError) as exc:
            broke = why(exc)
    return first, speed, last, broke, reached
