"""The focus track as data, and the pure rules that read it (no numpy, no OpenCV: the engine uses it).

A track is a tuple of keyframes ``(t, x, y, confidence)``: ``t`` in seconds of the clip's file
(media time, so in/out points and loops need no conversion), ``x, y`` the focus of expansion in the
source frame (0..1, y down, the whole decoded picture: never a crop of it), ``confidence`` 0..1.

Which focus a clip plays with (:func:`resolve`):

* ``hand``: the VJ wrote ``focus = [x, y]``; it always wins, and the track is not followed.
* ``auto``: the median keyframe confidence is at least ``MIN_CONFIDENCE``; the show follows the
  keyframes that reach it, interpolated smoothly (:func:`focus_at`).
* ``default``: no track, or a track without forward motion (a static shot, a pan, a zoom-out):
  the centre.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Sequence

Key = tuple[float, float, float, float]
Focus = tuple[float, float]

#: Keyframes at or above this confidence are followed; a clip whose median keyframe reaches it
#: plays with its track.  On the focus corpus, wrong fits (static shots, pans, zoom-outs) stayed
#: below 0.2 and true forward motion above 0.8 (docs/PERFORMANCE.md, "Focus").
MIN_CONFIDENCE = 0.5
CENTRE: Focus = (0.5, 0.5)
SOURCES = ("hand", "auto", "default")


def round_key(key: Sequence[float]) -> Key:
    """A keyframe with the precision bank.toml stores (1 ms, 1/1000 of the frame, 1/100 confidence)."""
    t, x, y, c = (float(v) for v in key)
    return (round(t, 3), round(min(max(x, 0.0), 1.0), 3), round(min(max(y, 0.0), 1.0), 3),
            round(min(max(c, 0.0), 1.0), 2))


def confidence(track: Sequence[Key]) -> float:
    """The clip's confidence: the median of its keyframes' (0 without keyframes)."""
    if not track:
        return 0.0
    cs = sorted(k[3] for k in track)
    n = len(cs)
    return cs[n // 2] if n % 2 else 0.5 * (cs[n // 2 - 1] + cs[n // 2])


def followed(track: Sequence[Key]) -> tuple[Key, ...]:
    """The keyframes the show follows: all confident ones, if the clip as a whole is confident."""
    if confidence(track) < MIN_CONFIDENCE:
        return ()
    return tuple(k for k in sorted(track) if k[3] >= MIN_CONFIDENCE)


def _slopes(ts: Sequence[float], vs: Sequence[float]) -> list[float]:
    """Fritsch-Carlson slopes: a C1 curve through the points that never overshoots them."""
    n = len(ts)
    d = [(vs[i + 1] - vs[i]) / (ts[i + 1] - ts[i]) for i in range(n - 1)]
    m = [0.0] * n
    m[0], m[-1] = d[0], d[-1]
    for i in range(1, n - 1):
        if d[i - 1] * d[i] <= 0:
            m[i] = 0.0
        else:
            h0, h1 = ts[i] - ts[i - 1], ts[i + 1] - ts[i]
            w0, w1 = 2 * h1 + h0, h1 + 2 * h0
            m[i] = (w0 + w1) / (w0 / d[i - 1] + w1 / d[i])
    for i in range(n - 1):  # the ends too: no overshoot past the first and last segment
        if d[i] == 0:
            m[i] = m[i + 1] = 0.0
    return m


def focus_at(track: Sequence[Key], t: float, default: Focus = CENTRE) -> Focus:
    """The focus at media time ``t``: a smooth monotone curve through the keyframes (confidence is not
    looked at: pass :func:`followed` keys), held flat before the first and after the last."""
    if not track:
        return default
    keys = sorted(track)
    if len(keys) == 1 or t <= keys[0][0]:
        return (keys[0][1], keys[0][2])
    if t >= keys[-1][0]:
        return (keys[-1][1], keys[-1][2])
    ts = [k[0] for k in keys]
    i = bisect_right(ts, t) - 1
    h = ts[i + 1] - ts[i]
    if h <= 0:
        return (keys[i + 1][1], keys[i + 1][2])
    s = (t - ts[i]) / h
    h00, h10, h01, h11 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s, -2 * s**3 + 3 * s**2, s**3 - s**2
    out = []
    for axis in (1, 2):
        vs = [k[axis] for k in keys]
        m = _slopes(ts, vs)
        v = h00 * vs[i] + h10 * h * m[i] + h01 * vs[i + 1] + h11 * h * m[i + 1]
        out.append(min(max(v, 0.0), 1.0))
    return (out[0], out[1])


@dataclass(frozen=True, slots=True)
class Resolved:
    """The focus a clip plays with, and why."""

    focus: Focus            #: at the clip's in-point
    source: str             #: 'hand' | 'auto' | 'default'
    confidence: float       #: 1 for hand; the track's confidence otherwise (0 without one)
    follow: tuple[Key, ...]  #: keyframes the show follows while the clip plays (empty: it holds ``focus``)


def resolve(hand: Focus | None, track: Sequence[Key], in_point: float = 0.0) -> Resolved:
    """Which focus a clip plays with: the hand-set one, the track's, or the centre (see the module doc)."""
    if hand is not None:
        return Resolved((float(hand[0]), float(hand[1])), "hand", 1.0, ())
    follow = followed(track)
    if follow:
        return Resolved(focus_at(follow, in_point), "auto", confidence(track), follow)
    return Resolved(CENTRE, "default", confidence(track), ())
