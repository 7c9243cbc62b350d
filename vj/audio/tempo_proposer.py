"""Tempo proposals for the beat tracker: the comb's peaks at the metrical level a dancer taps.

Metrical level: if the "body" onset function (bands under 2.5 kHz: kick and snare
bodies, no hats) folded at the comb's period is at least ``DOUBLE_RATIO`` as strong
half-way between the beats as on them, the tempo doubles (kick-snare-kick-snare at
180 BPM is 180, not 90 with snares on the off-beats), when the double is still in
range.  The other way, a comb tempo whose half is still in range (or a little under its
floor, ``HALVE_FLOOR_TOL``: then clamped to it) is halved when
nothing plays between its beats (the onset strength at the half-beat and at both
triplet positions is under ``SUBDIV_MIN`` of that on the beats) unless the body onsets
of the halved tempo are nearly as strong half-way as on its beats (``HALVE_BODY``: a
kick on every beat is the beat): music at its beat level plays 8ths, 16ths or swung
8ths, and a ballad at 70 with 8th hats read at 140 plays nothing between those beats.
Then the tempo is folded into the range.

Before a firm lock the comb's runner-ups are ranked too: one with ``RANK_SCORE`` of the
best score goes first when the 16ths of its grid hold more kick-strength onsets, less
those a lattice that fine holds by chance (a 4:3 reading puts the real beats on its
triplets).
"""

from __future__ import annotations

import numpy as np

from .bpm_range import TRACKER_BPM_RANGE
from .grid_fit import fold_bpm, lattice_hold, octave_ratio
from .onset_evidence import OnsetEvidence
from .tempo_comb import TempoComb

#: A tempo doubles when the onsets half-way between its beats (kick and snare bodies,
#: no hats) are at least this strong relative to those on its beats.
DOUBLE_RATIO = 0.4
#: A comb tempo (with its half still in range) is halved when the onset strength between
#: its beats (half-beat and triplet positions) is under this fraction of that on them.
SUBDIV_MIN = 0.15
#: ... unless the body onsets at the halved tempo are nearly as strong half-way between
#: its beats as on them (a kick on every beat: the beat itself).
HALVE_BODY = 0.7
#: Two proposals within this fraction of each other are one.
DISTINCT = 0.04
#: The halving test allows a half up to this fraction under the range's floor, and the
#: half is then clamped to the floor (not folded: ``fold_bpm(69.6)`` is 139.2 again).  The
#: comb's parabola-refined peak of a ballad at exactly 70 reads 139.1-139.8 for seconds
#: from mid-music, so ``bpm / 2 >= lo`` refused 13 of its 68 post-lock halving votes on its
#: own (round 19).  ``DISTINCT / 2`` (2 %): ballad-70@opl3 from mid-music F 0.650 -> 0.808,
#: nothing else moved among 24 octave-prone items from both starts (round 19's probe).
HALVE_FLOOR_TOL = DISTINCT / 2
#: Before a firm lock, a comb runner-up with at least this share of the best score goes
#: first when its grid holds more kick-strength onsets.
RANK_SCORE = 0.7
#: Seconds of unlocked estimates before the comb's runner-up tempi are tried as well.
ALT_AFTER_S = 3.0
#: Phase bins of the folds (the beat's age, and the subdivision test: 24 holds both the
#: half-beat and the triplets), and of the body fold.
FOLD_BINS = 24
BODY_BINS = 16


class TempoProposer:
    """The comb (and the "body" onset function in step with it) and the proposals made from it."""

    def __init__(self, fs: float, lo: float, hi: float, center: float):
        self.fs, self.lo, self.hi = fs, lo, hi
        # candidates cover the tracker's range too; the estimate is then folded into ours
        self.comb = TempoComb(fs, min(lo, TRACKER_BPM_RANGE[0]), max(hi, TRACKER_BPM_RANGE[1]), center)
        self._body = self.comb.twin_ring()  # the "body" onset function, in step with the comb's ring
        self.first = None  # when the first estimate came (since the last restart)
        self._long_scores: np.ndarray | None = None  # the comb's scores over its whole window, last estimate
        self.long_best = 0.0  # ... and its best peak's score
        #: whether the best proposal of the last estimate over the whole window was halved
        #: because nothing plays between the comb's beats (the tracker's octave check reads it)
        self.halved = False
        # the folds made since the last push: (period, ring, bins, frames) -> (fold, peak bin).
        # A proposal's fold is asked for by the subdivision test and again for its beat.
        self._folds: dict[tuple, tuple[np.ndarray, int]] = {}

    @property
    def filled(self) -> int:
        return self.comb.filled

    def push(self, value: float, body: float) -> None:
        self.comb.push_twin(self._body, body)
        self.comb.push(value)
        self._folds.clear()

    def clear(self) -> None:
        """New music after a silence gets a fresh estimate."""
        self.comb.clear()
        self._folds.clear()
        self.first = None

    def alternatives(self, now: float, locked: bool) -> bool:
        """Unlocked for ``ALT_AFTER_S`` since the first estimate: try the comb's runner-ups too."""
        return not locked and self.first is not None and now - self.first > ALT_AFTER_S

    def estimate(self, now: float, evidence: OnsetEvidence, recent_s: float | None = None, k: int = 1,
                 rank: bool = False) -> list[tuple[float, float]]:
        """(a recent beat time, period) for the comb's best ``k`` tempi, best first
        (``recent_s``: from only that much of the latest onset strength).  ``rank``: a
        runner-up (``RANK_SCORE`` of the best comb score or more) goes first when its
        16ths hold more of the kick-strength onsets in the window than the best's."""
        comb, fs = self.comb, self.fs
        frames = None if recent_s is None else int(recent_s * fs)
        out = []
        peaks = comb.peaks(k, frames)
        if peaks and self.first is None:
            self.first = now
        if frames is None:
            self._long_scores = comb.scores
            self.long_best = peaks[0][1] if peaks else 0.0
        scores = []
        if frames is None:
            self.halved = False
        for bpm, score in peaks:
            if (bpm / 2.0 >= self.lo * (1.0 - HALVE_FLOOR_TOL) and self._no_subdivision(60.0 * fs / bpm, frames)
                    and self._half_beat_body(120.0 * fs / bpm, frames) < HALVE_BODY):
                # nothing between these beats, and not a kick on each: the 8ths of a slower beat
                bpm = max(bpm / 2.0, self.lo)
                if frames is None and not out:
                    self.halved = True
            elif bpm * 2.0 <= self.hi and self._half_beat_body(60.0 * fs / bpm, frames) > DOUBLE_RATIO:
                bpm *= 2.0
            bpm = fold_bpm(bpm, self.lo, self.hi)
            if any(abs(bpm / b - 1.0) < DISTINCT for _, p in out for b in (60.0 / p,)):
                continue
            period_f = 60.0 * fs / bpm
            _, j = self._folded(period_f, None, FOLD_BINS, frames)
            age = (j + 0.5) / FOLD_BINS * period_f / fs
            out.append((now - age, 60.0 / bpm))
            scores.append(score)
        if rank and len(out) > 1:
            strong = evidence.strong(now, now - (frames or comb.filled) / fs)
            best = lattice_hold(strong, out[0][1])
            for i in range(1, len(out)):
                # (octave relatives share their beats: the halving and doubling rules choose)
                if (scores[i] >= RANK_SCORE * scores[0] and abs(octave_ratio(out[i][1], out[0][1]) - 1.0) > DISTINCT
                        and lattice_hold(strong, out[i][1]) > best):
                    out.insert(0, out.pop(i))
                    break
        return out

    def nothing_between(self, period: float) -> bool:
        """Whether nothing plays between beats ``period`` (s) apart, over the comb's whole window
        (``SUBDIV_MIN``: the halving rule's test, at a grid's period rather than a comb peak's)."""
        return self._no_subdivision(period * self.fs, None)

    def long_score(self, bpm: float) -> float:
        """The comb's score (over its whole window, at the last estimate) for ``bpm`` or an
        octave of it, within ``DISTINCT / 2``."""
        s = self._long_scores
        if s is None:
            return 0.0
        bpms = self.comb.bpms
        best = 0.0
        for b in (bpm / 2.0, bpm, bpm * 2.0):
            near = np.abs(bpms / b - 1.0) < DISTINCT / 2
            if near.any():
                best = max(best, float(s[near].max()))
        return best

    def _folded(self, period_f: float, ring: np.ndarray | None, bins: int,
                frames: int | None) -> tuple[np.ndarray, int]:
        """The comb's onset function (or ``ring``) folded at ``period_f`` frames, less its
        floor, and the bin of its peak (the beat).  (Read only: it is kept until the next push.)"""
        key = (period_f, ring is None, bins, frames)
        got = self._folds.get(key)
        if got is None:
            prof = self.comb.profile(period_f, ring, bins, frames)
            prof -= prof.min()
            got = self._folds[key] = (prof, int(np.argmax(prof)))
        return got

    def _half_beat_body(self, period_f: float, frames: int | None) -> float:
        """The "body" onset strength (kick and snare bodies) half-way between beats of
        ``period_f`` frames, relative to that on the beats."""
        prof, j = self._folded(period_f, self._body, BODY_BINS, frames)
        return float(prof[(j + BODY_BINS // 2) % BODY_BINS] / prof[j]) if prof[j] > 0 else 0.0

    def _no_subdivision(self, period_f: float, frames: int | None) -> bool:
        """Whether the onset strength folded at ``period_f`` frames is flat between the beats:
        under ``SUBDIV_MIN`` of the beat's peak at the half-beat and at both triplet
        positions (music at its beat level plays 8ths, 16ths or swung 8ths between beats;
        a ballad at 70 with 8th hats read at 140 plays nothing between them)."""
        prof, j = self._folded(period_f, None, FOLD_BINS, frames)
        n = FOLD_BINS
        return bool(prof[j] > 0 and max(prof[(j + n // 3) % n], prof[(j + n // 2) % n], prof[(j + 2 * n // 3) % n])
                    < SUBDIV_MIN * prof[j])
