"""The tempo change detector: the fast path from one grid to the next.

Each kick-strength onset is checked against the grid when its strength is known.  It
is *explained* when it lies within ``LATTICE_TOL_S`` of a 16th of the grid (an 8th when
the grid is fast), or where such onsets landed at least twice in the ``MEMORY_S`` before
(a syncopated groove repeats its kicks bar after bar; the last ``MEMORY_GAP_S`` is left
out, so a new tempo's own kicks cannot explain themselves).  The first unexplained one
opens a suspicion (not while the lock is provisional), which closes after
``SUSPECT_BEATS`` beats without another and looks only at its latest ``SUSPECT_MAX_S``
when it grows old.

While it is open, a challenger grid is fitted from the comb over the audio since the
suspicion began and from the onsets since then only; it replaces the grid when it has
``CHALLENGE_ONSETS`` onsets within ``LOCK_RMS``, a clear beat phase, a tempo in range
and near the comb's, and, of the at least ``CHALLENGE_STRONG`` kick-strength onsets
since the suspicion, it explains ``CHALLENGE_SHARE`` and ``CHALLENGE_MARGIN`` more than
the grid (which left ``CHALLENGE_MISSES`` unexplained), with at least
``CHALLENGE_STRENGTH`` of the grid's on-beat strength (not needed when it explains all
of at least ``SWEEP_STRONG`` kicks and the grid at most half).  A challenger at the
grid's tempo up to an octave corrects the grid at the grid's own metrical level.  When
the comb over that audio hears the grid's own tempo (within ``SAME_TEMPO``,
octave-folded) and phase, there is no change (the unexplained kicks were swung or
fills); a comb reading at the edge of the range is a slope, not a peak.

A challenger at another tempo gets its beat from the change's bar line (round 51): a hard
change starts on the old grid's beat, and its first kick is the new grid's beat.  The
kick-strength onsets in the ``BAR_LINE_BEATS`` before a fresh suspicion are walked back from it
while they lie on the challenger's lattice (its 16ths); the earliest of them, if it lies on one
of the old grid's beats, puts the beats there (0-3 quarters, ``bar_line_phase``), and
the phase is clear without waiting for the cues (a second of new music, where they swing by
a beat's worth from one beat to the next: rounds 45, 50).  Such a challenger needs only
``BAR_LINE_ONSETS`` fitted onsets when it explains every kick since the suspicion and the
old grid none.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Protocol

import numpy as np

from .grid_fit import LATTICE_TOL_S, SLOPE_ONSETS, GridFit, lattice_hits, octave_ratio, on_lattice
from .onset_evidence import OnsetEvidence, STRENGTH_WINDOW_S
from .phase_challenger import shifted
from .tempo_comb import MIN_SIGNAL_S

MEMORY_S = 8.0
MEMORY_GAP_S = 1.0
#: A remembered kick explains an onset within this fraction of a beat of its position.
MEMORY_TOL = 0.04
MEMORY_HITS = 2
SUSPECT_BEATS = 4.0
#: A suspicion older than this restarts from its latest unexplained onsets (looking at
#: the latest half of it).
SUSPECT_MAX_S = 3.0
#: The challenger's window starts this long before the suspicion's first onset.
WINDOW_LEAD_S = 0.05
CHALLENGE_ONSETS = 3
#: A challenger on fewer than ``grid_fit.SLOPE_ONSETS`` onsets has the comb's period, not one
#: fitted to them (its residual is the comb period's miss of a few onsets): it must fit them
#: within this (s), half of ``LOCK_RMS``; on more onsets ``LOCK_RMS`` as before (round 43).
#: In a room the reverberation's and the crowd's kick-strength onsets open a suspicion against
#: a right grid, and a relative's grid through three of them passes ``LOCK_RMS``.  Every take of
#: the tuning split from both starts (main, /tmp probe): the 16 onto the labelled tempo (tempo
#: changes, cuts, 4:3 and 3:2 first locks corrected) on 3 onsets fitted within 0.3-3.5 ms; the
#: ones onto a wrong tempo or phase at 5.7-9.9 ms (rock-112-room@opl3 111.9 -> 178.0 at 7.1 ms,
#: trance-138-room@numpy from mid-music 138 -> 107.6 and 138.9 -> 115.0 at 9.9 and 7.0 ms,
#: lofi-swing-75@numpy 0.41 beat off at 5.7 and 8.4 ms, hiphop-90-crowd@timgm 136 -> 126 at 9.6 ms).
FEW_ONSETS_RMS = 0.005
CHALLENGE_MARGIN = 2
CHALLENGE_MISSES = 2
CHALLENGE_STRONG = 3
CHALLENGE_SHARE = 0.75
CHALLENGE_STRENGTH = 0.98
SWEEP_STRONG = 5
#: The comb's candidates looked at.
CHALLENGE_PEAKS = 3
#: The same tempo (octave-folded) within this fraction: a correction, not a change (2 %).
SAME_TEMPO = 0.02
#: ... and the same grid when the phases also agree within this fraction of a beat.
SAME_PHASE = 0.1
#: The challenger's fitted period may be at most this far from the comb's.
COMB_AGREE = 0.04
#: A challenger at the grid's own tempo (within ``SAME_TEMPO``) is a correction of the grid's
#: phase; it is refused while this many of the kick-strength onsets since the suspicion lie on
#: the grid's own *beats* (within ``grid_fit.LATTICE_TOL_S``) and off the challenger's lattice
#: (``beat_kept``, round 53): the beat is still played where the grid has it, and the
#: unexplained kicks are a shuffle's late 8ths (at 0.55-0.67 of a beat: no 16th of a straight
#: lattice explains them).  lofi-swing-75@numpy (swing 0.6): the right grid, fitted at 0.6 ms,
#: was taken at 5.48 s by a 3-onset challenger at 4.6 ms through three kicks at 0.59-0.61 of its
#: beats, leaving the fourth, on the grid's beat, unexplained; the beats stayed 0.4 beat off
#: until the phase challenger at 10.80 s.  After a real phase cut (cut-124-phase: the music 0.4
#: beat later) the kicks leave the old beats, so none are kept there.
KEPT_BEATS = 1


def beat_kept(fit: GridFit, ch: GridFit, strong: np.ndarray) -> int:
    """How many onsets of ``strong`` lie on ``fit``'s beats (within ``LATTICE_TOL_S``) but off
    ``ch``'s lattice: kicks the grid's beat explains and the challenger does not."""
    pos = np.asarray(fit.position(strong), float)
    on_beat = np.abs(pos - np.rint(pos)) * fit.period < LATTICE_TOL_S
    return int(np.count_nonzero(on_beat & ~on_lattice(ch, strong)))
#: A comb reading within this factor of the range's edge is a slope, not a peak.
EDGE = 1.01
#: The change's bar line is looked for this many of the old grid's beats before a fresh
#: suspicion: it opens 0.3-0.9 s after the change (the new kicks land on the old 16ths),
#: up to 1.9 beats at 128 BPM (rounds 30, 39).
BAR_LINE_BEATS = 2.0
#: A kick on the old grid's beat within this fraction of its beat: the tuning split's changes'
#: first kicks lie within 0.06 of it (the old grid's refits have drifted by up to 36 ms at
#: 99 BPM on change-128-100-140@opl3).  (It must also run back to the suspicion on the
#: challenger's lattice, its 16ths within ``LATTICE_TOL_S``: the change's first kick, not the
#: old music's last.)
BAR_LINE_OLD_TOL = 0.08
#: A challenger at a new tempo whose beat the bar line gives is taken on this many fitted
#: onsets (the bar line's kick is its third) when every kick since the suspicion is its and
#: none the old grid's (round 39's unanimous kicks; its failure was a same-tempo grid a 16th
#: off, which the bar line never seeds).  Without "none the old grid's" three steady tuning
#: items took a wrong tempo (hiphop-swing-92@numpy, shuffle-116@timgm, rock-112-room@timgm).
BAR_LINE_ONSETS = 2


class Proposer(Protocol):
    """What the challenger needs from the tracker."""

    lo: float
    hi: float
    evidence: OnsetEvidence

    def estimate(self, now: float, recent_s: float | None = None, k: int | None = None,
                 rank: bool = False) -> list[tuple[float, float]]: ...

    def seed_lattice(self, beat_t: float, period: float, now: float, since: float = -math.inf) -> GridFit | None: ...

    def seed_phase(self, fit: GridFit, now: float, since: float = -math.inf) -> GridFit: ...

    def clear_phase(self, fit: GridFit, now: float, window_s: float) -> bool: ...


class ChangeDetector:
    def __init__(self, lock_rms: float):
        self.lock_rms = lock_rms
        self.suspect: float | None = None  # when the suspicion began
        self._last = 0.0  # the latest unexplained kick-strength onset
        self._unexplained: deque[float] = deque(maxlen=32)
        self._restarted = False  # the suspicion restarted from its latest kicks: no bar line behind it
        #: whether the last challenger taken had its beat from the change's bar line
        self.bar_line = False

    def clear(self) -> None:
        self.suspect = None

    def explained(self, fit: GridFit, ev: OnsetEvidence, ot: float) -> bool:
        """Whether a kick-strength onset at ``ot`` fits the grid: on a 16th, or where such
        onsets landed (within ``MEMORY_TOL`` of a beat) at least ``MEMORY_HITS`` times in
        the ``MEMORY_S`` before the current suspicion (a syncopated groove repeats its kicks)."""
        return bool(on_lattice(fit, np.array([ot]))[0]) or self._remembered(fit, ev, ot)

    def _remembered(self, fit: GridFit, ev: OnsetEvidence, ot: float) -> bool:
        """``explained``'s second half: where such onsets landed before."""
        start = (ot if self.suspect is None else self.suspect) - MEMORY_GAP_S
        mem = ev.strong(ot, start - MEMORY_S)
        mem = mem[mem < start - 1e-6]
        frac = (fit.position(mem) - fit.position(ot)) % 1.0
        return int(np.count_nonzero(np.abs((frac + 0.5) % 1.0 - 0.5) < MEMORY_TOL)) >= MEMORY_HITS

    def onset(self, fit: GridFit, ev: OnsetEvidence, ot: float) -> None:
        """A kick-strength onset was rated at ``ot``: open or extend a suspicion if unexplained."""
        if not self.explained(fit, ev, ot):
            if self.suspect is None:
                self.suspect = ot
                self._restarted = False
            self._last = ot
            self._unexplained.append(ot)

    def challenge(self, p: Proposer, fit: GridFit, now: float) -> tuple[GridFit, float] | None:
        """While a suspicion is open: a grid fitted from the audio since the suspicion began
        that explains the kicks since then clearly better, and where its window starts."""
        start = self.suspect
        assert start is not None
        ev = p.evidence
        if now - self._last > SUSPECT_BEATS * fit.period + STRENGTH_WINDOW_S:
            self.suspect = None  # no more unexplained kicks: a fill, not a change
            return None
        if now - start > SUSPECT_MAX_S:
            # an old suspicion that found no challenger (stray kicks in a groove): look
            # only at the latest stretch, so a change is not diluted by the old grid
            start = next(u for u in self._unexplained if u >= now - SUSPECT_MAX_S / 2 or u == self._last)
            self.suspect = start
            self._restarted = True
        since = start - WINDOW_LEAD_S
        span = now - since
        if span < MIN_SIGNAL_S:
            return None
        strong = ev.strong(now, since)
        on = on_lattice(fit, strong)  # (``explained``, the lattice test for all of them at once)
        held = int(np.count_nonzero(on)) + sum(self._remembered(fit, ev, ot) for ot in strong[~on])
        if strong.size - held < CHALLENGE_MISSES or strong.size < CHALLENGE_STRONG:
            return None
        held_strength = ev.on_beat_strength(fit, now, span)
        bar = (np.empty(0), np.empty(0, bool)) if self._restarted else self._bar_line_kicks(fit, ev, start, now)
        best, best_key, best_bar = None, None, False
        for beat_t, period in p.estimate(now, span, k=CHALLENGE_PEAKS):
            if not p.lo * EDGE < 60.0 / period < p.hi / EDGE:
                continue  # the comb's edge: a slope running out of the range, not a peak
            if abs(octave_ratio(period, fit.period) - 1.0) < SAME_TEMPO:
                # the same tempo up to octaves: a correction of the grid, at its own
                # metrical level (a short window's octave is a guess)
                period *= 2.0 ** round(math.log2(fit.period / period))
            ch = p.seed_lattice(beat_t, period, now, since=since)  # (its phase once it passes the lattice's tests)
            if ch is None:
                continue
            if abs(octave_ratio(ch.period, fit.period) - 1.0) < SAME_TEMPO:
                off = ((ch.anchor - fit.anchor) / min(ch.period, fit.period)) % 1.0
                if min(off, 1.0 - off) < SAME_PHASE:
                    break  # the comb hears the same grid (up to octaves) here: no change
            # (a few onsets can drag the fitted period far from the comb's: keep it there)
            few = (ch.onsets == BAR_LINE_ONSETS and held == 0 and new_tempo(ch, fit)
                   and bar_line_phase(ch, bar) is not None)  # (the bar line's kick is its third)
            if (ch.onsets < (BAR_LINE_ONSETS if few else CHALLENGE_ONSETS) or ch.rms >= self.lock_rms
                    or (ch.onsets < SLOPE_ONSETS and ch.rms > FEW_ONSETS_RMS)  # (round 43)
                    or abs(ch.period / period - 1.0) > COMB_AGREE or not p.lo <= 60.0 / ch.period <= p.hi):
                continue
            ch = p.seed_phase(ch, now, since=since)
            if abs(octave_ratio(ch.period, fit.period) - 1.0) < SAME_TEMPO and beat_kept(fit, ch, strong) >= KEPT_BEATS:
                continue  # the grid's own beats still hold kicks: a shuffle's late 8ths (round 53)
            q = bar_line_phase(ch, bar) if new_tempo(ch, fit) else None
            if q is not None:
                ch = shifted(ch, q)  # the change's first kick on its beat
            elif not p.clear_phase(ch, now, span):
                continue  # phase still unclear: wait
            caught = int(lattice_hits(ch.lattice_position(strong), ch.period).sum())
            if caught < held + CHALLENGE_MARGIN or caught < CHALLENGE_SHARE * strong.size:
                continue
            if ch.onsets < CHALLENGE_ONSETS and caught < strong.size:
                continue  # on the bar line's onsets: every kick its
            key = (caught, ev.on_beat_strength(ch, now, span))
            # it explains every one of ``SWEEP_STRONG`` or more kicks where the grid explains
            # at most half: no strength test (over a second or two the grid's refits chase the
            # new kicks and catch some of them on its beats)
            sweep = caught == strong.size >= SWEEP_STRONG and 2 * held <= strong.size
            if (sweep or key[1] >= CHALLENGE_STRENGTH * held_strength) and (
                    best_key is None or key > best_key):
                best, best_key, best_bar = ch, key, q is not None
        if best is not None:
            self.suspect = None
            self.bar_line = best_bar
            return best, start
        return None

    def _bar_line_kicks(self, fit: GridFit, ev: OnsetEvidence, start: float,
                        now: float) -> tuple[np.ndarray, np.ndarray]:
        """The kick-strength onsets in the ``BAR_LINE_BEATS`` of the old grid before the
        suspicion, and which of them lie on its beats (where the change's first kick is)."""
        pre = ev.strong(now, start - BAR_LINE_BEATS * fit.period)
        pre = pre[pre < start - 1e-6]
        pos = fit.position(pre)
        return pre, np.abs(pos - np.rint(pos)) < BAR_LINE_OLD_TOL


def new_tempo(ch: GridFit, fit: GridFit) -> bool:
    """``ch`` is at another tempo than ``fit`` (octave-folded): a change, not a correction."""
    return abs(octave_ratio(ch.period, fit.period) - 1.0) >= SAME_TEMPO


def bar_line_phase(ch: GridFit, bar: tuple[np.ndarray, np.ndarray]) -> int | None:
    """The quarters that put ``ch``'s beat on the change's first kick: the earliest of the
    kicks before the suspicion that run back on ``ch``'s lattice from it, when it lies on
    the old grid's beat; None when it does not (a pickup, or no kick on the lattice)."""
    pre, on_old = bar
    on_new = on_lattice(ch, pre)
    first = None
    for i in range(pre.size - 1, -1, -1):
        if not on_new[i]:
            break
        first = i
    if first is None or not on_old[first]:
        return None
    return round(4.0 * float(ch.position(pre[first]))) % 4
