"""One focus for a whole heavily compressed clip whose keyframes are each unsure: their dense samples pooled.

Where the encoder copied most blocks (``vj.focus.estimate.COPIED_SHARE``), a keyframe's three pairs hold only the
few blocks it redrew; at a normal zoom speed the dense fit of one keyframe places the focus from a few dozen of them
and is pulled around by the copied ones' neighbours, so each keyframe is unsure and lands somewhere else.  The same
steady heading is behind all of them, though, and the blocks redrawn in one keyframe's pairs are not those redrawn in
the next one's: pooled over the clip (flows per second, so keyframes measured over different gaps count alike), one
fit sees several times the evidence.  Seen (round focus11, docs/notes/focus11-pool.py): parking-zoom-crushed-12
(held-out-11, CRF 35, 0.31/s) had keyframes whose dense fits were 12.6 / 9.5 / 7.5 % off at consistency
0.38 / 0.30 / 0.36 (median confidence 0.42 after the crushed judgement) and fell back to
the centre, 13.4 % from the heading; its pooled fit is 6.6 % off (the point moves by a few % with the
flows' exact scaling: 3.9 % with each pair's own spacing instead of the keyframe's common one).

Pooling is not evidence by itself (a pooled fit of noise finds a focus too), so it is trusted only where every
keyframe agrees with it: each keyframe's own samples must expand from the pooled focus nearly as well as from the
focus its own fit chose (``AGREEMENT``, the ratio of the two consistencies).  A steady heading seen in weak fits
passes (each keyframe's fit found the same field, its best point merely jittered); a still shot, whose keyframes'
best points are wherever their noise put them, does not.  The pooled fit's own ramps (rate, spread, inside, moving)
still apply (its rate only has to reach the rate ramp's foot, ``POOL_RATE``: a crushed clip's rate is the
encoder's): still shots, pans and zoom-outs read no expansion or no agreement (a pan's lines are parallel, a
zoom-out's rate is negative, a still shot's keyframes expand from wherever their noise put them) and stay at the
centre.  Only a clip that
would otherwise fall back to the centre (its median keyframe under MIN_CONFIDENCE) is pooled, so a clip already
followed is never changed.

A clip still at the centre after that (and after vj.focus.neighbours.borrow across the encoder's rates) is pooled once
more with one keyframe left out (:func:`pool_but_one`): one keyframe's window can hold a field that is no heading (its
flow lines nearly parallel, a passer-by, the encoder redrawing one area), and pooled with the rest it pulls the pooled
focus to itself, so that the others no longer agree with it.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from .fit import FIT_RAMPS, MIN_FLOW_PX, FoeFit, Ramp, expanding_share, fit_foe
from .neighbours import MIN_AGREE_CONF, plays_at_centre

if TYPE_CHECKING:
    from .estimate import KeyFit

#: the least keyframes pooled: one keyframe has nothing to agree with
POOL_KEYS = 2
#: the worst keyframe's consistency at the pooled focus, as a share of its consistency at its own fit's focus.  Seen
#: (round focus11, docs/notes/focus11-agree.py, all 281 seen items pooled whether or not they would be): the 20
#: forward clips the encoder mostly copied (parking, rocket; CRF 33-37) 0.73-0.98 (parking-zoom-crushed-12 0.89, -9
#: 0.73); the seen still shots whose other ramps are above 0 at most 0.49 (bottles-static-10,
#: hallway-static-crushed-11),
#: the rest (pans, zoom-outs, still shots reading no rate: other ramps 0) up to 0.79.  No seen still shot passes
AGREEMENT = Ramp(0.65, 0.80)
#: the distance (in frame widths) below which consistency_at counts a sample as that far from the focus: about none.
#: fit.fit_foe counts samples nearer than fit.NEAR (4 %) as that far, and its consistency at the same focus differs
#: (round focus12, docs/notes/focus12-share.py: 393 of 1569 counts alike, up to 0.085 apart, on 523 seen keyframes);
#: AGREEMENT was measured without the floor, so it stays without it
POOL_NEAR = 1e-12
#: expansion per second the pooled fit must read: the foot of the fit's own rate ramp (fit.FIT_RAMPS["rate"],
#: 0.02-0.045/s, part of ``others``), so that the rate counts once, through that ramp, and AGREEMENT is what keeps
#: still shots out.  A pooled rate is the encoder's: over the 28 seen forward clips whose pairs it mostly copied
#: (COPIED_SHARE), the pooled fit read 0.36-0.97 of the true rate (median ~0.63; round focus13,
#: docs/notes/focus13-gates.py), so a line set on clean clips turns crushed push-ins away where every fit placed the
#: heading.  It was vj.focus.estimate.CRUSHED_RATE (0.1/s) before round focus13, then 0.05/s; at 0.05/s
#: parking-slow-crushed-15 (held-out-14, 0.07/s, CRF 36; pooled 3.3 % off at agreement 0.90, others 0.95, rate
#: 0.044/s) fell back to the centre, 19.5 % off.  Measured (rounds focus14/focus15, docs/notes/focus14-gates.py and
#: focus14-poolrate.py, every seen item): at 0.04, 0.03, 0.02 or 0 the only clip that newly pools is that one, and
#: no still shot pools at any of them: every seen still shot that reaches this gate with its other ramps above 0 has
#: agreement 0.49 at most (AGREEMENT's ramp starts at 0.65), while the crushed forward clips read 0.73-0.98.  Below
#: the ramp's foot the gate does nothing (``others`` is 0 there), and above about 0.0325/s the ramp alone passes
#: ``others`` >= 0.5, so this line is the ramp's foot rather than a second rate judgement.
POOL_RATE = FIT_RAMPS["rate"].lo
#: :func:`pool_but_one` leaves one keyframe out only where this many were measured, so that at least POOL_KEYS agree
BUT_ONE_KEYS = POOL_KEYS + 1
#: in :func:`pool_but_one`, each keyframe kept must have a confidence above this on its own (every ramp of its fit, the
#: rate's included, past its foot: it expands from some point), as in vj.focus.neighbours.CRUSHED_RATE_FOOT.  Two
#: noise fits of a still shot can agree on a point: of the 43 seen still shots that reach pooling (round focus18,
#: docs/notes/focus18-loo.py), one pair of keyframes passes the pooling gates (bottles-static-crushed-9, keyframes 1
#: and 3: others 0.71, agreement 0.94), both at confidence 0; the one seen still shot with two keyframes above 0
#: (sister-static-crushed-15, 0.01 and 0.10) agrees at 0.37.  parking-slow-crushed-18 (held-out-17, 0.07/s, CRF 36):
#: its first keyframe (27.9 % off, confidence 0.33, flow lines nearly parallel: spread 0.17) pulled the pooled fit
#: 26.4 % off (agreement 0.61); the other two (0.18 and 0.03) pool 1.4 % off at agreement 0.80, others 0.77
BUT_ONE_CONF = 0.0


@dataclass(frozen=True, slots=True)
class KeySamples:
    """One keyframe's dense samples, as its kept fit saw them (flows over ``gap`` seconds)."""

    points: np.ndarray
    flow: np.ndarray
    weight: np.ndarray
    gap: float
    fit: FoeFit


def consistency_at(s: KeySamples, x: float, y: float, size: tuple[int, int]) -> float:
    """The weighted share of ``s``'s moving samples that expand from (x, y) (normalised), counted as fit.fit_foe counts
    its own consistency (fit.expanding_share) but with no floor on a sample's distance from (x, y) (POOL_NEAR)."""
    return expanding_share(s.points, s.flow, s.weight, x, y, size, near=POOL_NEAR)


def pooled_fit(samples: list[KeySamples], size: tuple[int, int]) -> tuple[FoeFit, float]:
    """The fit of all keyframes' moving samples together (flows per second), and the worst keyframe's agreement
    with it (see AGREEMENT)."""
    pts, flows, weights = [], [], []
    for s in samples:
        moving = np.hypot(s.flow[:, 0], s.flow[:, 1]) > MIN_FLOW_PX  # as each keyframe's own fit counted them
        pts.append(s.points)
        flows.append(s.flow / s.gap)
        weights.append(s.weight * moving)
    fit = fit_foe(np.concatenate(pts), np.concatenate(flows), np.concatenate(weights), size, 1.0)
    agree = min((consistency_at(s, fit.x, fit.y, size) / s.fit.consistency if s.fit.consistency > 0 else 0.0)
                for s in samples)
    return fit, agree


def trusted(fit: FoeFit, agree: float) -> bool:
    """The pooled fit expands at POOL_RATE or faster and its others times AGREEMENT reach MIN_AGREE_CONF."""
    return math.isfinite(fit.rate) and fit.rate >= POOL_RATE and fit.others * AGREEMENT(agree) >= MIN_AGREE_CONF


def pool_unsure(keys: list[KeyFit], samples: list[KeySamples], size: tuple[int, int],
                copied_share: float) -> list[KeyFit]:
    """``keys``, or, for a heavily compressed clip none of whose keyframes would be followed (see the module doc),
    every keyframe at the pooled focus with confidence MIN_AGREE_CONF where the pooled fit is trusted.  The clip is
    pooled when the encoder copied at least ``copied_share`` of its textured samples (averaged over the keyframes;
    vj.focus.estimate.COPIED_SHARE: the caller's line, passed so that it is defined once), and the pooled fit must
    expand at POOL_RATE per second or faster."""
    if len(keys) < POOL_KEYS or len(samples) != len(keys):
        return keys
    if not plays_at_centre(keys):
        return keys
    if statistics.fmean(k.copied for k in keys) < copied_share:
        return keys
    fit, agree = pooled_fit(samples, size)
    return _at(keys, fit, agree) if trusted(fit, agree) else keys


def pool_but_one(measured: list[KeyFit], out: list[KeyFit], samples: list[KeySamples], size: tuple[int, int],
                 copied_share: float) -> list[KeyFit]:
    """``out`` (the clip's keyframes after every other rule), or, where it still plays at the centre, every keyframe at
    the focus that all ``measured`` keyframes but one pool to, where that pooled fit is trusted (:func:`trusted`) and
    each keyframe kept is above BUT_ONE_CONF on its own; of several such, the one with the highest others times
    AGREEMENT.  The clip must have at least BUT_ONE_KEYS keyframes and the encoder must have copied at least
    ``copied_share`` of their textured samples, as in :func:`pool_unsure`.  Seen (round focus18,
    docs/notes/focus18-loo.py), 11 of the 13 seen crushed forward clips that reach pooling have such a fit: 9 lie
    1.1-7.1 % off the heading (the centre 1.4-26.4 %), parking-slow-crushed-14 8.3 % (centre 21.7 %) and
    parking-slow-crushed-16 14.7 % (centre 8.7 %).  Every one of them but parking-slow-crushed-18 is followed or pooled
    in full before this is asked, so it is the last resort, not a rival of the rules before it."""
    if len(measured) < BUT_ONE_KEYS or len(samples) != len(measured) or not plays_at_centre(out):
        return out
    if statistics.fmean(k.copied for k in measured) < copied_share:
        return out
    best: tuple[float, FoeFit, float] | None = None
    for j in range(len(measured)):
        if any(k.fit.confidence <= BUT_ONE_CONF for i, k in enumerate(measured) if i != j):
            continue
        fit, agree = pooled_fit(samples[:j] + samples[j + 1:], size)
        score = fit.others * AGREEMENT(agree)
        if trusted(fit, agree) and (best is None or score > best[0]):
            best = (score, fit, agree)
    return out if best is None else _at(measured, best[1], best[2])


def _at(keys: list[KeyFit], fit: FoeFit, agree: float) -> list[KeyFit]:
    """Every keyframe at the pooled ``fit``'s focus, with confidence MIN_AGREE_CONF."""
    return [replace(k, fit=replace(k.fit, x=fit.x, y=fit.y, confidence=MIN_AGREE_CONF), dense=k.dense or k.fit,
                    pooled=agree) for k in keys]
