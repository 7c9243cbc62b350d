"""The rules by which a clip's keyframes vouch for each other, once each was measured on its own
(:mod:`vj.focus.estimate`): a weak corner-track estimate that a confident neighbour confirms outvotes a dense
fit far from both (:func:`corroborate`), and a keyframe that saw the same expansion as a confident one but
could not place it takes that one's focus (:func:`borrow`).  Also the two comparisons the estimator's
per-keyframe combination uses: how far apart two foci lie (:func:`apart`) and whether two rates agree
(:func:`same_rate`).  No decoding, no flow: these read the keyframes already measured.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import replace
from typing import TYPE_CHECKING

from .fit import FIT_RAMPS, FoeFit
from .similar import SimilarFit

if TYPE_CHECKING:
    from .estimate import KeyFit

#: a keyframe estimate counts as confident from here (the show's threshold, vj.focus.track.MIN_CONFIDENCE)
MIN_AGREE_CONF = 0.5
#: the dense and the similarity focus agree within this share of the frame width
AGREE = 0.04
#: a keyframe's chosen focus counts as disagreeing with another estimate from this far apart (share of the width):
#: twice AGREE, so a pair near the agreement line is left alone (see :func:`corroborate`)
DISAGREE = 2 * AGREE
#: a neighbouring keyframe (about KEY_SPACING, 1 s, away) confirms a weak long-baseline estimate from this close (share
#: of the width): AGREE plus the heading's own drift over the spacing.  On the seen drift clips the heading moves up
#: to 5-8 % a second; walk-drift-crushed-9 (held-out-8, CRF 33): the corner tracks at 1.44 s lay 1.3 % off the truth
#: and 5.1 % from the keyframe before (0.2 % off at 0.48 s, the heading 4.9 % away), the dense fit 11.9 % off at
#: confidence 0.90, and the rule at AGREE left it (9.57 % over the clip; 2.55 % with this).  Tried on every seen
#: item (round focus8, docs/notes/focus8-dev.py): it also moves walk-drift-slow-4 6.43 -> 4.03 % (neighbour 5.7 %
#: away), nothing else
NEIGHBOUR_AGREE = 0.06
#: the dense and the long-baseline rates agree within this ratio (walk.mkv, seen: 1.0-1.15; demo/clouds 3-5)
RATE_AGREE = 1.5
#: in :func:`borrow`, two keyframes whose pairs the encoder mostly copied (``copied_share``) agree on the rate within this
#: ratio.  Their rates are the encoder's, not the camera's: over the 28 seen forward clips that copied at least
#: vj.focus.estimate.COPIED_SHARE, the clip's pooled rate read 0.36-0.97 of the truth (median ~0.63), and so
#: differently from keyframe to keyframe that one steady push-in's keyframes read rates up to 2.2 times apart
#: where each rate was sane (parking-slow-crushed-11 0.047 / 0.072 / 0.102 for 0.09/s; round focus13,
#: docs/notes/focus13-gates.py).  parking-slow-crushed-14 (held-out-13, CRF 36, 0.08/s): the first keyframe placed
#: the heading 3.5 % off at confidence 0.76 (rate 0.070), the second (1.2 % off, unsure, 0.046) did not borrow it at
#: RATE_AGREE (1.52 times), and the clip fell back to the centre, 21.7 % off.  3 is about 0.97 / 0.36; on the seen
#: items any ratio from 2.5 to 20 moves the same keyframes.  The borrower must still expand past the rate ramp (0.045/s):
#: the two seen crushed still shots with a confident keyframe (walk-static-crushed-12, book-static-crushed-14) read
#: 0.007-0.023/s at the others, so they borrow nothing
CRUSHED_RATE_AGREE = 3.0
#: in :func:`borrow`, a keyframe whose own corner tracks (``KeyFit.long``) are weak but present (confidence above 0, so
#: they expand past their rate ramp, but under MIN_AGREE_CONF) and place the focus further than this from the lender's
#: focus does not borrow: its place is not unknown but contested, and nothing says which of the two is right.  The
#: mirror of :func:`corroborate`, where a confident neighbour within NEIGHBOUR_AGREE of weak tracks makes them win.
#: walk-slow-crushed-16 (held-out-15, seen since round focus15; 0.11/s toward the signer, CRF 34): the first keyframe's
#: dense fit was pulled 14.4 % off by the signer at confidence 0.84; the second (dense 39.8 % off, 0.14) borrowed that
#: focus although its own corner tracks (6 inliers, confidence 0.25) lay 1.2 % off the truth and 14.3 % from the
#: lender, lifting the clip's median to 0.50: followed, 14.39 % off, where the centre is 7.78 % (round focus16,
#: docs/notes/focus16-trace.py).  DISAGREE, the line at which a keyframe's focus counts as disagreeing elsewhere
WITNESS_APART = DISAGREE
#: in :func:`borrow`, between two keyframes the encoder mostly copied, a borrower whose own fit is not at 0 (every ramp,
#: the rate's included, past its foot: it expands from a point, only slower than the rate ramp's top of 0.045/s) counts
#: as expanding from this much of the rate ramp on, not only at its top.  The encoder's rates there are its own
#: (0.36-0.97 of the truth, CRUSHED_RATE_AGREE): 0.045/s read at 0.36 is 0.016/s, under the ramp's foot (0.02/s), so
#: any reading past the foot may be a push-in read low.  parking-drift-slow-crushed-16 (held-out-15; 0.10/s, CRF 37):
#: the last keyframe (9.1 % off, confidence 0.44: consistency 0.85 times the rate ramp's 0.51 at 0.033/s) did not
#: borrow the confident middle one (7.2 % off, 0.057/s) and the clip played at the centre, 21.83 % off;
#: parking-drift-slow-crushed-17 (held-out-16; 0.08/s, CRF 36): the first keyframe (9.4 % off, 0.23: the rate ramp
#: 0.25 at 0.026/s) likewise, 25.76 % off (round focus17, docs/notes/focus16-trace.py: following the confident
#: keyframe alone, 7.50 and 6.61 %).  A keyframe at confidence 0 (a still shot's, or one whose flow points nowhere)
#: still needs the ramp's top
CRUSHED_RATE_FOOT = 1e-9


def corroborate(keys: list[KeyFit], size: tuple[int, int]) -> list[KeyFit]:
    """A keyframe whose long-baseline estimate is weak (confidence above 0 but below MIN_AGREE_CONF) takes its focus
    where a confident neighbouring keyframe (the one before or after) lies within NEIGHBOUR_AGREE of it, while the
    keyframe's own focus lies more than DISAGREE from the long estimate and more than NEIGHBOUR_AGREE from that
    neighbour, at the same expansion rate as the long estimate (within RATE_AGREE).  Two independent windows then
    place the focus together and only the dense fit is off: on the seen walk.mkv clips with a signer (walk-slow-crushed-7, walk-drift-slow-2, -6) the middle keyframe's dense fit was
    14.6-17.9 % from its corner tracks (confidence 0.22-0.39: they followed few wall corners) and 12.3-14.6 % from
    the keyframe before, which lay 3.1-3.4 % from the corner tracks (walk-slow-crushed-7: dense 16.2 % off, corner
    tracks 0.5 %).  The rate check keeps two wrong estimates that agree on the signer
    out (walk-slow-crushed-7's last keyframe: long 19 % off, 3.8 % from the wrong middle one, rate 0.06 against
    the dense 0.21).  The neighbours are read as measured, so one corrected keyframe vouches for no other."""
    out = list(keys)
    for i, k in enumerate(keys):
        long, own = k.long, k.fit
        if long is None or not 0.0 < long.confidence < MIN_AGREE_CONF or not same_rate(own.rate, long.rate):
            continue
        near = [n for n in keys[max(i - 1, 0):i] + keys[i + 1:i + 2]
                if n.fit.confidence >= MIN_AGREE_CONF and apart(n.fit, long, size) <= NEIGHBOUR_AGREE]
        if not near or apart(own, long, size) <= DISAGREE or \
                min(apart(own, n.fit, size) for n in near) <= NEIGHBOUR_AGREE:
            continue
        out[i] = replace(k, fit=replace(own, x=long.x, y=long.y, confidence=max(own.confidence, MIN_AGREE_CONF)),
                         dense=k.dense or own)
    return out


def plays_at_centre(keys: list[KeyFit]) -> bool:
    """The show would fall back to the centre for the clip: its median keyframe confidence is under
    MIN_AGREE_CONF (vj.focus.track.confidence and MIN_CONFIDENCE, on the unrounded estimates)."""
    return not keys or statistics.median(k.fit.confidence for k in keys) < MIN_AGREE_CONF


def apart(a: FoeFit | SimilarFit, b: FoeFit | SimilarFit, size: tuple[int, int]) -> float:
    """Distance between two estimates' foci, as a share of the frame's width."""
    w, h = size
    return math.hypot((a.x - b.x) * w, (a.y - b.y) * h) / w


def same_rate(a: float, b: float, ratio: float = RATE_AGREE) -> bool:
    """Both expand, within ``ratio`` (RATE_AGREE) of each other."""
    return a > 0 and b > 0 and max(a, b) <= ratio * min(a, b)


def borrow(keys: list[KeyFit], size: tuple[int, int], copied_share: float = math.inf) -> list[KeyFit]:
    """A keyframe that saw the picture expand as fast as a confident one did (the dense rate within
    RATE_AGREE, and past the rate ramp) but could not place the focus takes the nearest confident keyframe's
    focus, at confidence MIN_AGREE_CONF.  Low confidence then means "no place found", not "no forward
    motion": a push-in toward a plain wall loses its last textured corners as the zoom goes on (walk.mkv,
    seen: the first second placed within 1 %, the rest read the same rate and found nothing), and the
    show would otherwise fall back to the centre for the whole clip.  Still shots, pans and zoom-outs read
    no rate, so they borrow nothing.  Where both keyframes' pairs had at least ``copied_share`` of their textured
    samples copied by the encoder (vj.focus.estimate.COPIED_SHARE, passed so that the line is defined once), the rates
    agree within CRUSHED_RATE_AGREE: the encoder, not the camera, set how much of the rate each one read.  The
    estimator asks for that only where the clip would otherwise play at the centre, neither followed nor pooled
    (vj.focus.pooled): borrowing across the encoder's rates first took parking-zoom-crushed-12 (held-out-11) out
    of pooling, its middle keyframe borrowing a focus 12.6 % off where the pooled one was 6.6 % off.  A keyframe whose
    own weak corner tracks place the focus more than WITNESS_APART from the lender's borrows nothing.  Between
    keyframes the encoder mostly copied, a borrower whose own fit is past every ramp's foot (confidence above 0) need
    not reach the rate ramp's top (CRUSHED_RATE_FOOT): the encoder, not the camera, read its rate low."""
    sure = [k for k in keys if k.fit.confidence >= MIN_AGREE_CONF]
    if not sure or len(sure) == len(keys):
        return keys
    out = []
    for k in keys:
        rate = k.fit.rate
        if k.fit.confidence >= MIN_AGREE_CONF:
            out.append(k)
            continue
        near = min(sure, key=lambda s: abs(s.t - k.t))
        crushed = min(k.copied, near.copied) >= copied_share
        if FIT_RAMPS["rate"](rate) < (CRUSHED_RATE_FOOT if crushed and k.fit.confidence > 0.0 else 1.0):
            out.append(k)
            continue
        witness = k.long is not None and 0.0 < k.long.confidence < MIN_AGREE_CONF and \
            apart(k.long, near.fit, size) > WITNESS_APART
        if witness or not same_rate(rate, near.fit.rate, CRUSHED_RATE_AGREE if crushed else RATE_AGREE):
            out.append(k)
            continue
        out.append(replace(k, fit=replace(k.fit, x=near.fit.x, y=near.fit.y, confidence=MIN_AGREE_CONF),
                           dense=k.dense or k.fit, borrowed=near.t))
    return out
