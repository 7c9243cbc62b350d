"""Estimate a clip's focus track: PyAV decodes a few frame pairs at a small size, OpenCV's DIS
measures dense optical flow between them, and :func:`vj.focus.fit.fit_foe` finds the focus of
expansion in each keyframe's window.  Pairs are PAIR_DT apart; a slow push-in, whose expansion moves
the frame's edge less than EDGE_PX over that, is measured again over a wider gap taken from the
frames already decoded for its window (so the rate, and the confidence, clear the flow's noise).
Each keyframe is also measured a second, independent way (:mod:`vj.focus.similar`: corners tracked
between two frames of the window and one similarity fitted by RANSAC), and the two are combined
(:func:`_combine`): that estimate leaves out what moves on its own, where the dense fit is pulled by it.
A heavily compressed clip whose encoder copied most blocks between a pair's frames, and whose dense fit is
unsure, is fitted again over frames up to LONG_GAP apart (:func:`_fit_long_dense`).

Cost is decoding, not flow: H.264 must decode every reference frame up to the last one used, so
frames that no later frame references are skipped (``skip_frame=NONREF``) and so is the
deblocking filter (its few-percent sharpening is invisible at the analysis size).  Clips longer
than a few keyframe windows are read window by window with seeks.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from pathlib import Path

import av
import cv2
import numpy as np
from av.video.reformatter import Interpolation, VideoReformatter

from .fit import SPLIT_APART, FoeFit, Ramp, fit_foe, split_apart
from .similar import SimilarFit, similar_foe
from .neighbours import AGREE, MIN_AGREE_CONF, RATE_AGREE, apart, borrow, corroborate, plays_at_centre, same_rate
from .pooled import KeySamples, pool_but_one, pool_unsure
from .register import register_centre
from .tracks import LONG_REACH, track_foe
from .track import Key, round_key

#: pixels in the analysis frame (320 x 180 for 16:9): DIS then takes ~2 ms a pair, and an AI clip's
#: vanishing point moves by whole pixels between frames 0.1 s apart
ANALYSIS_PIXELS = 320 * 180
#: seconds between the two frames of a pair: 1.6-16 px of flow at 320 px for expansion rates of
#: 0.1-1 per second at the frame's edge
PAIR_DT = 0.1
#: px the expansion should move the analysis frame's edge (half its width from the focus) over a pair: DIS's
#: noise is ~0.1 px, and a slow push-in (0.1/s) moves the edge 1.6 px in PAIR_DT, less than a person moving
#: on their own.  Slower clips are measured again over a wider gap, up to MAX_GAP (within the keyframe's
#: already decoded window, so only flow costs more)
EDGE_PX = 4.0
MAX_GAP = 0.6
#: seconds either side of a keyframe that its pairs are taken from
PAIR_REACH = 0.5
#: one keyframe per this many seconds of clip, at least MIN_KEYS and at most MAX_KEYS
KEY_SPACING = 1.0
MIN_KEYS = 2
MAX_KEYS = 8
#: frame pairs pooled for each keyframe's fit (5 were no better: see docs/PERFORMANCE.md, "Focus")
PAIRS_PER_KEY = 3
#: sample the flow every STEP px, leaving BORDER px at the edges (DIS is unreliable there)
STEP = 4
BORDER = 6
#: a window more than this many seconds ahead is reached by a seek (to the keyframe before it), not by
#: decoding up to it: generators and the demo bank put a keyframe every second or two
SEEK_AHEAD = 1.5
#: px of forward-backward disagreement at which a sample's weight halves
FB_PX = 0.7
#: px the expansion should move the analysis frame's edge between the similarity estimate's two frames
SIM_EDGE_PX = 12.0
#: the long-baseline estimate replaces a confident dense fit at the same rate from this far apart (share of the
#: width).  It was AGREE (4 %): on the seen walk-zoom-4 (held-out-4, 640x480) the dense fit lay 3.9 % from it,
#: 9.4 % from the truth, and was kept; the long estimate was 5.5 % off (see docs/PERFORMANCE.md, "Focus")
LONG_AGREE = 0.02
#: a long-baseline estimate that contradicts a confident dense fit at the same rate (further apart than LONG_AGREE)
#: is trusted only while the standard error of its focus (``SimilarFit.spread``: path residuals, |a - 1| and how far
#: the focus lies outside the inlier tracks' patch) is at most this share of the width; past it neither estimate
#: is, and the keyframe says "expanding, place unknown" (confidence 0, so :func:`vj.focus.neighbours.borrow` may
#: fill it in).  Seen keyframes where the two disagreed (round focus8, docs/notes/focus8-dev.py): the long estimate
#: was right at 0.43-1.47 % (walk-zoom-2 1.31 %: 0.7 % off, the dense fit 10.2 %; walk-zoom-7 1.47 %: 2.8 %, dense
#: 5.1 %) and wrong at 1.63-3.38 % (walk-slow-crushed-9 1.63 %: 13.0 % off, dense 20.0 %, 15 tracks on a 7 x 20 px
#: patch of the signer; walk-zoom-3 1.94 %: 5.5 %, dense 1.5 %; walk-slow-9 3.38 %: 23.1 %, dense 24.0 %).  The
#: line sits between 1.47 and 1.63 %, a narrow margin: ramps from 1.0-1.2 % to 1.8-2.5 % either left
#: walk-slow-crushed-9 or dropped walk-zoom-7's first keyframe (7.10 -> 9.11 %)
LONG_LOOSE = 0.0155
#: seconds between decoded frames beyond which they are two runs (a seek between keyframe windows)
RUN_HOLE = 0.25
#: grey levels (at the analysis size) up to which a pixel counts as copied unchanged between a pair's frames, and
#: the px around a sample that must all be copied for it to say nothing.  A heavily compressed clip (x264 at CRF
#: 33-34 over bare asphalt, seen: parking-slow-crushed-2) copies most of a slow push-in's flat blocks from the
#: frame before (skipped macroblocks): 69-92 % of the samples were copied bit for bit over 0.1-0.6 s, read a flow
#: of 0, and pulled the rate to a quarter of the truth (0.026/s for 0.1/s).  A camera's or a clean encode's
#: pixels are never copied so exactly over a wide gap (0-10 % on the clean clips); a still photo's are all
#: copied, and it says nothing, as before
COPIED_DIFF = 0
COPIED_PX = 5
#: a keyframe whose pairs had at least this share of their textured samples copied by the encoder, and whose dense
#: fit is unsure, is fitted again over a longer baseline (:func:`_fit_long_dense`): pairs up to LONG_GAP seconds
#: apart in the run of frames within LONG_REACH of it, spaced so the expansion moves the frame's edge about
#: LONG_EDGE_PX.  Over a longer gap the encoder has redrawn more of the blocks, and those it redraws have moved
#: further than its quantisation noise.  Measured on the seen sets (2026-12-06, round focus5): the CRF 33-36
#: parking clips copied 0.45-0.84 of their textured samples over their pairs, every other clip 0.00-0.38 (walk.mkv's
#: still shots 0.09-0.29, a CRF 30 photo zoom 0.17-0.30, a CRF 32 parking drift 0.22-0.38).  Where the signer
#: clips (0.00-0.07) took the long fit, it was confidently pulled off by the signer (walk-zoom-2 0.7 -> 13.1 %)
COPIED_SHARE = 0.4
LONG_GAP = 1.5
LONG_EDGE_PX = 12.0
#: where the encoder copied most blocks (COPIED_SHARE) and the keyframe's dense fits are unsure, a fit whose rate is at
#: least CRUSHED_RATE is judged by the consistency ramp 0.1 lower (fit.FIT_RAMPS: 0.35-0.60).  At a normal zoom speed
#: the few redrawn blocks carry the motion and the copied ones' neighbours add flow in every direction, so fewer
#: samples expand from the focus although it is placed: parking-zoom-crushed-9 (held-out-8, CRF 35, 0.39/s read at
#: 0.12-0.21/s) fitted 3.8-5.9 % off at consistency 0.30-0.38 and fell back to the centre.  At slow rates the noise
#: outvotes the motion: parking-slow-crushed-7's first keyframe (0.056/s) was 20.6 % off at consistency 0.44, and the
#: seen crushed still shots read up to 0.089/s (walk-static-crushed-10; apart from fits whose flow lines are all
#: parallel, which the spread ramp holds at 0).  Both lines are narrow (round focus9,
#: docs/PERFORMANCE.md): 0.089-0.117/s for the rate; parking-zoom-crushed-9's first keyframe reaches 0.54
CRUSHED_CONSISTENCY = Ramp(0.25, 0.50)
CRUSHED_RATE = 0.1
#: DIS preset: MEDIUM is ~2 ms per 320x180 pair here and follows 15 px moves that FAST loses
DIS_PRESET = cv2.DISOPTICAL_FLOW_PRESET_MEDIUM


@dataclass(frozen=True, slots=True)
class KeyFit:
    """One keyframe's fit, with the diagnostics behind its confidence."""

    t: float
    fit: FoeFit
    pairs: int
    gap: float = PAIR_DT  #: seconds between the frames of its pairs (PAIR_DT, or wider for a slow push-in)
    similar: SimilarFit | None = None  #: the sparse similarity estimate, where it was made
    dense: FoeFit | None = None        #: the dense fit, where ``fit`` is not it
    long: SimilarFit | None = None     #: the long-baseline corner-track estimate (:mod:`vj.focus.tracks`)
    borrowed: float | None = None      #: the time of the keyframe whose focus it took (see :func:`vj.focus.neighbours.borrow`)
    longdense: FoeFit | None = None    #: the dense fit over the long baseline, where it was made (COPIED_SHARE)
    copied: float = 0.0                #: share of its pairs' textured samples the encoder copied bit for bit
    pooled: float | None = None        #: where its focus is the clip's pooled one, the agreement (vj.focus.pooled)


@dataclass(frozen=True, slots=True)
class FocusEstimate:
    """A clip's focus track and how it was measured."""

    track: tuple[Key, ...]      #: (t seconds in the file, x, y, confidence), x/y in source frame coords
    keys: tuple[KeyFit, ...]
    size: tuple[int, int]       #: the analysis frame
    frames: int                 #: frames decoded
    seconds: float              #: wall time taken


class FocusError(Exception):
    """The clip could not be read for focus estimation (the reason is in performer's words)."""


def analysis_size(width: int, height: int) -> tuple[int, int]:
    """Even size with about ANALYSIS_PIXELS pixels and the frame's aspect."""
    s = math.sqrt(ANALYSIS_PIXELS / max(width * height, 1))
    s = min(s, 1.0)
    return max(16, int(round(width * s / 2)) * 2), max(16, int(round(height * s / 2)) * 2)


def key_times(start: float, end: float) -> list[float]:
    """Keyframe times: the middles of equal windows over [start, end]."""
    span = max(end - start, 0.0)
    k = min(MAX_KEYS, max(MIN_KEYS, round(span / KEY_SPACING)))
    return [start + (i + 0.5) * span / k for i in range(k)]


def _pair_starts(start: float, end: float, keys: list[float]) -> list[list[float]]:
    """For each key, the start times of its pairs, spread over the key's window (at most PAIR_REACH
    either side of it, so a long clip's windows are reached by seeking, not by decoding between them)."""
    span = max(end - start, 0.0)
    half = min(span / len(keys) / 2, PAIR_REACH)
    out = []
    for t in keys:
        lo = max(start, t - half)
        hi = min(end - PAIR_DT, t + half - PAIR_DT)
        if hi <= lo:
            out.append([max(start, min(t - PAIR_DT / 2, end - PAIR_DT))])
        else:
            out.append([lo + (hi - lo) * (i + 0.5) / PAIRS_PER_KEY for i in range(PAIRS_PER_KEY)])
    return out


class _Frames:
    """Small grey frames of one clip, decoded on demand in time order (seeking forward when far)."""

    def __init__(self, path: Path):
        try:
            self.container = av.open(str(path))
        except (av.FFmpegError, OSError) as exc:
            raise FocusError(f"cannot open as video ({exc})") from None
        if not self.container.streams.video:
            self.container.close()
            raise FocusError("has no video stream")
        self.stream = s = self.container.streams.video[0]
        s.thread_type = "AUTO"
        s.codec_context.skip_frame = "NONREF"
        s.codec_context.options = {"skip_loop_filter": "all"}
        self.size = analysis_size(s.codec_context.width or 320, s.codec_context.height or 180)
        self.reformatter = VideoReformatter()
        self.iter = None
        self.last = -math.inf  # time of the last decoded frame
        self.decoded = 0
        rate = s.average_rate or s.guessed_rate
        self.fps = float(rate) if rate else 30.0

    def _grey(self, frame: av.VideoFrame) -> np.ndarray:
        w, h = self.size
        small = self.reformatter.reformat(frame, width=w, height=h, format="gray", interpolation=Interpolation.AREA)
        plane = small.planes[0]
        return np.frombuffer(plane, np.uint8).reshape(h, plane.line_size)[:, :w].copy()

    def window(self, t0: float, t1: float) -> list[tuple[float, np.ndarray]]:
        """Frames with time in [t0, t1] (plus the nearest ones around them), in order."""
        if self.iter is None or t0 - self.last > SEEK_AHEAD or t0 < self.last - 1.0 / self.fps:
            if t0 > SEEK_AHEAD or self.iter is not None:
                tb = self.stream.time_base
                self.container.seek(max(0, int(t0 / tb)) if tb else 0, stream=self.stream, backward=True)
            self.iter = self.container.decode(self.stream)
        out: list[tuple[float, np.ndarray]] = []
        slack = 1.5 / self.fps
        try:
            for frame in self.iter:
                self.decoded += 1
                if frame.time is None:
                    continue
                t = float(frame.time)
                self.last = t
                if t < t0 - slack:
                    continue
                out.append((t, self._grey(frame)))
                if t > t1 + slack:
                    break
        except av.FFmpegError:
            pass  # a damaged tail: use what decoded (vj bank check reports the damage)
        return out

    def close(self) -> None:
        self.container.close()


def _nearest(frames: list[tuple[float, np.ndarray]], t: float) -> int:
    return min(range(len(frames)), key=lambda i: abs(frames[i][0] - t))


class FlowSampler:
    """Dense flow between two grey frames, sampled on a grid with a trust weight per sample."""

    def __init__(self, size: tuple[int, int]):
        w, h = size
        self.size = size
        self.dis = cv2.DISOpticalFlow_create(DIS_PRESET)
        ys, xs = np.mgrid[BORDER:h - BORDER:STEP, BORDER:w - BORDER:STEP]
        self.ys, self.xs = ys.ravel(), xs.ravel()
        self.points = np.stack([self.xs, self.ys], 1).astype(np.float32)
        self.around = np.ones((COPIED_PX, COPIED_PX), np.uint8)
        self.copied: list[float] = []  #: per pair sampled, the share of textured samples the encoder copied
        self.last: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  #: the last fit's pooled samples

    def sample(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(points, flow, weight): flow from ``a`` to ``b`` at the grid points."""
        fwd = self.dis.calc(a, b, None)
        bwd = self.dis.calc(b, a, None)
        f = fwd[self.ys, self.xs]
        # forward-backward consistency: follow the flow into b and come back
        tx = np.clip(self.xs + f[:, 0], 0, self.size[0] - 1)
        ty = np.clip(self.ys + f[:, 1], 0, self.size[1] - 1)
        back = cv2.remap(bwd, tx.reshape(1, -1).astype(np.float32), ty.reshape(1, -1).astype(np.float32),
                         cv2.INTER_LINEAR)[0]
        fb = np.hypot(f[:, 0] + back[:, 0], f[:, 1] + back[:, 1])
        # texture: the smaller eigenvalue of the structure tensor (flat sky and black bars say nothing)
        tex = cv2.cornerMinEigenVal(a, 5, 3)[self.ys, self.xs]
        ref = max(float(np.percentile(tex, 90)), 1e-6)
        weight = np.minimum(tex / (0.25 * ref), 1.0) / (1.0 + (fb / FB_PX) ** 2)
        # a block the encoder copied from the frame before reads a flow of 0 whatever the camera did
        changed = cv2.dilate((cv2.absdiff(a, b) > COPIED_DIFF).astype(np.uint8), self.around)[self.ys, self.xs]
        textured = weight > 0
        self.copied.append(float(np.mean(changed[textured] == 0)) if textured.any() else 0.0)
        weight = weight * (changed > 0)
        # the edge of a picture leaving the frame has no partner in b
        inside = (self.xs + f[:, 0] >= 0) & (self.xs + f[:, 0] <= self.size[0] - 1) & \
                 (self.ys + f[:, 1] >= 0) & (self.ys + f[:, 1] <= self.size[1] - 1)
        return self.points, f, (weight * inside).astype(np.float64)


def estimate_focus(path: Path | str, *, in_point: float = 0.0, out_point: float | None = None,
                   duration: float | None = None) -> FocusEstimate:
    """Measure the focus track of the clip at ``path`` between ``in_point`` and ``out_point`` (or its end).

    Raises :class:`FocusError` when the file cannot be decoded at all.
    """
    start_clock = time.perf_counter()
    frames = _Frames(Path(path))
    try:
        keys = _measure(frames, in_point, out_point, duration)
    except (av.FFmpegError, cv2.error, ValueError) as exc:
        raise FocusError(f"could not be measured ({exc})") from None
    finally:
        frames.close()
    if frames.decoded == 0:
        raise FocusError("has no frame that decodes")
    track = tuple(round_key((k.t, k.fit.x, k.fit.y, k.fit.confidence)) for k in keys)
    return FocusEstimate(track=track, keys=tuple(keys), size=frames.size, frames=frames.decoded,
                         seconds=time.perf_counter() - start_clock)


def _measure(frames: _Frames, in_point: float, out_point: float | None, duration: float | None) -> list[KeyFit]:
    """One fit per keyframe window, from PAIRS_PER_KEY frame pairs pooled; where the expansion is too slow
    to clear the flow's noise over PAIR_DT, again over a wider gap inside the same decoded window."""
    if duration is None:
        s = frames.stream
        if s.duration is not None and s.time_base:
            duration = float(s.duration * s.time_base)
        elif frames.container.duration:
            duration = frames.container.duration / 1e6
        else:
            duration = 10.0  # unknown: measure what decodes in the first seconds
    end = min(out_point, duration) if out_point is not None else duration
    start = min(max(in_point, 0.0), max(end - PAIR_DT, 0.0))
    end = max(end - 0.5 / frames.fps, start + PAIR_DT)  # the last frame starts before the end
    times = key_times(start, end)
    sampler = FlowSampler(frames.size)
    keys: list[KeyFit] = []
    pooled: list[KeySamples] = []  # each keyframe's samples as its kept fit saw them (vj.focus.pooled)
    plan = list(zip(times, _pair_starts(start, end, times)))
    windows = [frames.window(starts[0], starts[-1] + PAIR_DT) for _, starts in plan]
    runs = _runs(windows)
    for (t, starts), window in zip(plan, windows):
        sampler.copied.clear()
        fit, pairs = _fit_pairs(sampler, window, starts, PAIR_DT)
        gap = _wide_gap(fit, frames.size, window)
        if gap is None:
            gap = PAIR_DT
        else:  # the same number of pairs, spread over the window, each `gap` long
            lo, hi = window[0][0], window[-1][0]
            wide = [lo + (hi - gap - lo) * (i + 0.5) / PAIRS_PER_KEY for i in range(PAIRS_PER_KEY)]
            sampler.copied.clear()
            fit, pairs = _fit_pairs(sampler, window, wide, gap)
        copied = float(np.mean(sampler.copied)) if sampler.copied else 0.0
        if fit.confidence >= MIN_AGREE_CONF and sampler.last is not None and \
                split_apart(fit, *sampler.last, frames.size, gap, pairs, SPLIT_APART) > SPLIT_APART:
            fit = replace(fit, confidence=0.0, others=0.0)  # each pair places it elsewhere: expanding, place unknown
        if sampler.last is not None:
            pooled.append(KeySamples(*sampler.last, gap, fit))
        run = next((r for r in runs if r[0][0] <= t <= r[-1][0]), window)
        ld = None
        if fit.confidence < MIN_AGREE_CONF and copied >= COPIED_SHARE:
            ld = _fit_long_dense(sampler, run, t, fit.rate, gap)
            if ld is not None and ld.confidence > fit.confidence:
                fit = ld
            fit = judged_crushed(fit, ld)
        sim = None
        if len(window) >= 2:
            # paced by the dense fit's rate only when that fit is sure of it; else over the whole window, where
            # a still shot's rate reads nearest 0 (tuning set: |rate| <= 0.006/s)
            sure = fit.confidence >= MIN_AGREE_CONF
            ia, ib = _similar_pair(window, t, fit.rate if sure else 0.0, frames.size[0])
            sim = similar_foe(window[ia][1], window[ib][1], window[ib][0] - window[ia][0])
        chosen = _combine(fit, sim, frames.size)
        long = track_foe(run, t)
        chosen = combine_long(chosen, long, frames.size)
        keys.append(KeyFit(t, chosen, pairs, gap, sim, fit if chosen is not fit else None, long, longdense=ld,
                           copied=copied))
    keys = corroborate(keys, frames.size)
    out = pool_unsure(borrow(keys, frames.size), pooled, frames.size, copied_share=COPIED_SHARE)
    # a clip still at the centre: keyframes the encoder mostly copied borrow across the rates it read (neighbours.py)
    out = borrow(keys, frames.size, COPIED_SHARE) if plays_at_centre(out) else out
    out = pool_but_one(keys, out, pooled, frames.size, COPIED_SHARE)  # failing that, all keyframes but one pooled
    return register_centre(out, [f for r in runs for f in r])  # failing that, whole frames registered over ~1.5 s


def _runs(windows: list[list[tuple[float, np.ndarray]]]) -> list[list[tuple[float, np.ndarray]]]:
    """The decoded frames of all windows as runs without a hole (a seek between windows breaks a run)."""
    frames = sorted({t: img for w in windows for t, img in w}.items(), key=lambda f: f[0])
    runs: list[list[tuple[float, np.ndarray]]] = []
    for f in frames:
        if runs and f[0] - runs[-1][-1][0] <= RUN_HOLE:
            runs[-1].append(f)
        else:
            runs.append([f])
    return runs


def combine_long(chosen: FoeFit, long: SimilarFit | None, size: tuple[int, int]) -> FoeFit:
    """The keyframe's focus with the long-baseline estimate: it decides where it is confident and the others
    are not, and where they disagree but measured the same expansion rate (the same motion, so the one that
    left out what moves on its own is the one to trust: on the seen walk.mkv clips the dense fit was
    confidently 10-25 % off there).  Where the rates differ, the scene has depth (a real flythrough: the
    corners that stay in view 2 s are the far, slow ones; demo/clouds read 0.08-0.14/s against the dense
    fit's 0.4) and the dense fit is kept.  Where they disagree and the long estimate places its focus loosely
    (``spread`` over LONG_LOOSE: a zoom fitted to a small patch of tracks, which a person swaying reads as a zoom
    about another point), neither is trusted.  Where the long estimate decides alone, its rate goes with its focus,
    so that the neighbour rules compare the rate the focus was measured at (an unsure dense fit's rate is noise:
    walk-slow-crushed-9's last keyframe read 0.214/s against the corner tracks' 0.107/s and the truth's 0.11/s).
    A long estimate placed loosely (over LONG_LOOSE) does not decide alone either: the seen ones that did were
    right at spreads up to 1.19 % and wrong from 1.90 % (round focus10: walk-slow-crushed-11 18.9 % off at 9.85 %
    and 9.8 % off at 1.90 %, walk-slow-7 15.7 % off at 3.76 %, walk-slow-8 4.4 % off at 2.90 %)."""
    if long is None or long.confidence < MIN_AGREE_CONF:
        return chosen
    if chosen.confidence < MIN_AGREE_CONF:
        if long.spread > LONG_LOOSE:  # a loosely placed focus does not decide alone either
            return chosen
        return replace(chosen, x=long.x, y=long.y, confidence=long.confidence, rate=long.rate)
    if apart(chosen, long, size) <= LONG_AGREE or not same_rate(chosen.rate, long.rate):
        return chosen
    conf = min(chosen.confidence, long.confidence) if long.spread <= LONG_LOOSE else 0.0
    return replace(chosen, x=long.x, y=long.y, confidence=conf)


def _similar_pair(window: list[tuple[float, np.ndarray]], t: float, rate: float, width: int) -> tuple[int, int]:
    """The two frames of ``window`` around ``t`` over which the dense fit's expansion moves the frame's edge
    about SIM_EDGE_PX (LK then tracks the corners; further apart it loses them), or the whole window."""
    edge_speed = max(rate, 0.0) * 0.5 * width  # px per second
    span = window[-1][0] - window[0][0]
    gap = min(SIM_EDGE_PX / edge_speed, span) if edge_speed > 0 else span
    lo = min(max(t - gap / 2, window[0][0]), window[-1][0] - gap)
    ia = _nearest(window, lo)
    ib = _nearest(window, window[ia][0] + gap)
    if ib == ia:
        ia, ib = 0, len(window) - 1
    return ia, ib


def _combine(dense: FoeFit, sim: SimilarFit | None, size: tuple[int, int]) -> FoeFit:
    """One keyframe's focus from the dense fit and the sparse similarity one: the confident one, or, both
    confident, their mean (on the tuning set each was the worse of the two at some keyframes: the dense fit
    on a shaky or slow push-in, the similarity on a signer who covers half the picture), confident only as
    the less sure one when they lie more than AGREE apart."""
    sim_sure = sim is not None and sim.confidence >= MIN_AGREE_CONF
    if not sim_sure:
        return dense
    assert sim is not None
    if dense.confidence < MIN_AGREE_CONF:
        return replace(dense, x=sim.x, y=sim.y, confidence=sim.confidence)
    d = apart(dense, sim, size)
    conf = max(dense.confidence, sim.confidence) if d <= AGREE else min(dense.confidence, sim.confidence)
    return replace(dense, x=0.5 * (dense.x + sim.x), y=0.5 * (dense.y + sim.y), confidence=conf)


def _wide_gap(fit: FoeFit, size: tuple[int, int], window: list[tuple[float, np.ndarray]]) -> float | None:
    """The pair spacing at which the expansion moves the frame's edge by EDGE_PX, when PAIR_DT moves it
    less; ``None`` when PAIR_DT is enough or the window holds no wider pair.  A fit without a rate (a
    still shot, or flow lost in noise) is measured over the widest gap the window allows."""
    if len(window) < 2:
        return None
    edge = max(fit.rate, 0.0) * PAIR_DT * 0.5 * size[0]  # px the edge moves over PAIR_DT
    if edge >= EDGE_PX:
        return None
    room = window[-1][0] - window[0][0]
    gap = min(PAIR_DT * EDGE_PX / edge if edge > 0 else math.inf, MAX_GAP, room)
    return gap if gap > PAIR_DT * 1.5 else None


def _fit_long_dense(sampler: FlowSampler, run: list[tuple[float, np.ndarray]], t: float, rate: float,
                    gap: float) -> FoeFit | None:
    """The dense fit over pairs further apart than ``gap``: up to LONG_GAP (the expansion moving the frame's edge
    about LONG_EDGE_PX at the short fit's ``rate``) within LONG_REACH of ``t``; None when the run is no longer.
    At CRF 34-36 the short fit read a third to a half of a slow push-in's rate from the few redrawn blocks, so
    the gap comes out long; the fit's own rate is measured over it."""
    sel = [f for f in run if abs(f[0] - t) <= LONG_REACH + 1e-6]
    if len(sel) < 2:
        return None
    span = sel[-1][0] - sel[0][0]
    edge_speed = max(rate, 0.0) * 0.5 * sampler.size[0]
    wide = min(LONG_EDGE_PX / edge_speed if edge_speed > 0 else math.inf, LONG_GAP, span)
    if wide < 1.3 * gap:
        return None
    lo, hi = sel[0][0], sel[-1][0]
    starts = [lo + (hi - wide - lo) * (i + 0.5) / PAIRS_PER_KEY for i in range(PAIRS_PER_KEY)]
    fit, _ = _fit_pairs(sampler, sel, starts, wide)
    return fit


def judged_crushed(fit: FoeFit, ld: FoeFit | None) -> FoeFit:
    """The more confident of ``fit`` and the long-baseline ``ld`` (both from pairs the encoder mostly copied) once
    those at CRUSHED_RATE or faster are judged by CRUSHED_CONSISTENCY; ``fit`` where that is no more confident."""
    judged = [f.judged(CRUSHED_CONSISTENCY) for f in (fit, ld) if f is not None and f.rate >= CRUSHED_RATE]
    best = max(judged, key=lambda f: f.confidence, default=fit)
    return best if best.confidence > fit.confidence else fit


def _fit_pairs(sampler: FlowSampler, window: list[tuple[float, np.ndarray]], starts: list[float],
               gap: float) -> tuple[FoeFit, int]:
    """One fit on the flow of the pairs (a, the frame nearest a + gap), pooled."""
    pts, flows, weights = [], [], []
    for a_t in starts if len(window) >= 2 else ():
        ia = _nearest(window, a_t)
        ib = _nearest(window, window[ia][0] + gap)
        if ib == ia:
            ib = min(ia + 1, len(window) - 1)
        dt = window[ib][0] - window[ia][0]
        if dt <= 0:
            continue
        p, f, w = sampler.sample(window[ia][1], window[ib][1])
        pts.append(p)
        flows.append(f * (gap / dt))  # a pair of other spacing (skipped frames) counts at the common one
        weights.append(w)
    if not pts:
        sampler.last = None
        return FoeFit.none(), 0
    sampler.last = (np.concatenate(pts), np.concatenate(flows), np.concatenate(weights))
    # one fit on the pairs pooled: more samples, and a pair's shake or a passer-by is outvoted
    return fit_foe(*sampler.last, sampler.size, gap), len(pts)
