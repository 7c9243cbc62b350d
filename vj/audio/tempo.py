"""The beat clock: vj's own comb-filter tempo estimate proposes a tempo, a least-squares
grid through the onsets refines it, and a small causal clock on top keeps time.

Tempo (``beat_tempo.TempoComb``): the autocorrelation of the last 5 s of a
log-magnitude multi-band spectral flux (bass counted extra), scored by a comb over
each candidate period's multiples and half, times a log-Gaussian prior (0.8 octave)
around ``PRIOR_BPM`` (120) or the ``bpm_hint``; refreshed every ``ESTIMATE_HOPS``.
aubio's ``tempo`` was the proposer before: its first beat came at 1.5-1.9 s, its
period is quantised to hops, and it proposed 4:3 and octave errors (funk at 104 read
as 138, punk at 180 as 90) that the grid could not undo.  The comb has no first-beat
delay (it answers once two periods are in the window, 0.7 s at least), its
period is refined between candidates by a parabola, and it read funk at 104.

Metrical level: if the "body" onset function (bands under 2.5 kHz: kick and snare
bodies, no hats) folded at the comb's period is at least ``DOUBLE_RATIO`` as strong
half-way between the beats as on them, the tempo doubles (kick-snare-kick-snare at
180 BPM is 180, not 90 with snares on the off-beats), when the double is still in
range.  The other way, a comb tempo whose half is still in range is halved when
nothing plays between its beats (the onset strength at the half-beat and at both
triplet positions is under ``SUBDIV_MIN`` of that on the beats) unless the body onsets
of the halved tempo are nearly as strong half-way as on its beats (``HALVE_BODY``: a
kick on every beat is the beat): music at its beat level plays 8ths, 16ths or swung
8ths, and a ballad at 70 with 8th hats read at 140 plays nothing between those beats.
Then the tempo is folded into the range: ``bpm_range`` (default
``DEFAULT_BPM_RANGE`` = 70..180) or, with a ``bpm_hint``, [hint/sqrt(2),
hint*sqrt(2)].

Lock: each comb estimate seeds a grid through the onsets (below); the clock starts
once that grid has 4 onsets within 20 ms RMS, or already 3 within 10 ms when the
comb's period has been steady for ``LOCK_STABLE`` estimates and the beats are
clearly the strongest quarter-beat position.  While unlocked for over
``ALT_AFTER_S``, the comb's runner-up peaks are tried too.  The comb answers as soon
as two periods of a candidate fit its window (0.7 s floor), so a lock comes about
three beats in; that early reading is *provisional* while the comb holds less than
``FIRM_S`` of signal (also after a restart from silence): ``confidence`` is halved,
and a comb period that differs (octave-folded) and has stayed put for
``PROVISIONAL_STABLE`` estimates re-seeds the grid at once (early windows often read a
3:2 or 4:3 relative first: funk at 137 for 104).  Before a firm lock the comb's
runner-ups are ranked too: one with ``RANK_SCORE`` of the best score goes first when the
16ths of its grid hold more kick-strength onsets, less those a lattice that fine holds
by chance (a 4:3 reading puts the real beats on its triplets).

Change detector (the fast path): each kick-strength onset is checked against the grid
when its strength is known.  It is *explained* when it lies within ``LATTICE_TOL_S`` of
a 16th of the grid (an 8th when the grid is fast), or where such onsets landed at least
twice in the ``MEMORY_S`` before (a syncopated groove repeats its kicks bar after bar).
The first unexplained one opens a suspicion (not while the lock is provisional), which
closes after ``SUSPECT_BEATS`` beats without another and looks only at its latest 3 s
when it grows old.  While it is open, a challenger grid is fitted from the comb over the
audio since the suspicion began and from the onsets since then only; it replaces the
grid when it has ``CHALLENGE_ONSETS`` onsets within ``LOCK_RMS``, a clear beat phase, a
tempo in range and near the comb's, and, of the at least ``CHALLENGE_STRONG``
kick-strength onsets since the suspicion, it explains ``CHALLENGE_SHARE`` and
``CHALLENGE_MARGIN`` more than the grid (which left ``CHALLENGE_MISSES`` unexplained),
with at least the grid's on-beat strength (not needed when it explains all of at
least ``SWEEP_STRONG`` kicks and the grid at most half).  A challenger at the grid's tempo up to an
octave corrects the grid at the grid's own metrical level.  When the comb over that
audio hears the grid's own tempo (within ``DISAGREE / 2``, octave-folded) and phase,
there is no change (the unexplained kicks were swung or fills); a comb reading at the edge of the range is a slope, not a peak.  After a take-over the comb's
change checks below wait until its short window has turned.

Change (the comb's slower checks): once per beat the locked grid is compared with the comb over the full
window and over the last ``RELOCK_WINDOW_S`` only.  The grid is re-seeded (and the
next beat interval may then move by up to ``JUMP_STEP`` of a period, not
``MAX_STEP``) when (a) the short window disagrees on 2 beats in a row while the grid
fit is slipping (residual over ``MISFIT_RMS``), and the new grid catches more onset
strength on its beats over that window; 3:2 and 4:3 proposals count there only when
the long window agrees (a busy groove reads so for a few seconds); (b) the long
window disagrees on 2 beats and the new grid catches more on-beat strength over 6 s;
(c) onsets go on but none landed on the grid for ``LOST_BEATS`` beats, with a tempo
change or a kick still present (without a kick it is a breakdown or a build: hold).
After ``RESTART_SILENCE_S`` of silence the comb forgets, so music that starts again
gets a fresh estimate while the clock flywheels.  A re-seed from the short window
also needs the new grid to fit the recent onsets more tightly than the slipping one.
Every re-seed (and a quarter-beat phase move) re-phases the clock at once: a beat of
the new grid since the last fired one fires now, late, once (as at the first lock),
or the pending beat moves earlier onto the new grid.  A move later (before
``STRETCH_MAX`` of the interval has passed, by at most ``JUMP_STEP``) stretches the
current interval around now: the last beat's time moves back so ``beat_position`` stays
where it was and never runs back (it runs slower until the beat); otherwise the
interval after it takes the ``JUMP_STEP`` move.  (Only in the first half of the
interval, the pending beat of a 119 -> 93 jump fired on the old grid, 120 ms early,
and the re-lock took 3.2 s instead of 2.0.)

The grid (anchor, period) is a weighted least-squares line through recent onset
times (aubio ``onset``, ~2 ms jitter) near the predicted beats.  Each onset gets the
integer beat index it rounds to, so missed and extra beats cost nothing; one onset
per index (the closest); far ones are rejected and the tolerance tightens to 3x
the robust spread (MAD) of the residuals over three passes.  Recent onsets weigh
more (time constant ``FIT_TAU_S``) so a drifting tempo is followed.  On a ramp the
grid bends: ``GridFit.curv`` adds a tempo slope (beat k at ``anchor + k period +
curv (k^2 - k)``), measured over the whole window with even weights and kept only when
it fits clearly better than a line (F over ``RAMP_F``) and tightly (``RAMP_RMS``): a
phase cut or a room's smeared onsets also bend a line, but loosely.  A straight line
through a funk ramp 104 -> 84 fired each beat 30-40 ms early (median); bent, 4-7 ms.

Phase: onsets on the off-beats or on 16ths fit a grid just as well as those on the
beats.  Each onset therefore carries a strength: the rise of the bass band across
it times the peak raw hfc onset function just after it (a kick is a bass onset with
a broadband attack).  The grid sits at whichever of the four quarter-beat positions
has the largest *sum* of strengths (so a position with an onset on every beat
beats one with the odd loud hit), recency-weighted (``PHASE_TAU_S``) so a phase cut
shows within a few beats, and only while kick-strength onsets are heard
(``PHASE_MIN``), so hats alone in a breakdown cannot drag the grid onto the 16ths.  Measured relative to the true grid on the 43
rendered items of bench/beat_corpus.py, the beat position won in all 43 (by 1.2x
or more); bass rise alone won 42 (not a laptop-mic item whose high-pass removed the
kick's low end), hfc alone 37, onset count 12.  Known weak spot: a kick with no
attack transient under an off-beat bass note plus a loud open hat (a synthetic
sine kick lost to the off-beat; the same kick with a 3 ms click won by 1.4x).

The clock (``beat_count``, ``last_beat``, ``next_beat``) fires each beat at the time
it predicted, so the engine can schedule ahead.  A beat is never taken back or
renumbered: when the grid later shows a prediction was off, the *next* interval
absorbs the difference, at most ``MAX_STEP`` of a period per beat (a half-beat
correction takes three beats).  Because a beat fires exactly at its predicted time
and ``last_beat``/``next_beat`` change only then, ``beat_position(t)`` is continuous
and never runs backwards, whatever the grid does in between.

With no evidence (digital silence, a break) the grid stays put and the clock runs
on at the old tempo (flywheel) while ``confidence`` decays.

Downbeat (``bar_beat``): each fired beat's bass strength (peak raw bass in the 120 ms
after it) goes into a leaky per-position mean (about 5 bars' memory).  The bar
starts at the position with clearly the most bass (25% above the current choice);
until one is clear, beat 0 (the first beat after lock) is the downbeat.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .beat_tempo import MIN_SIGNAL_S, OnsetStrength, TempoComb
from .snapshot import BeatState

DEFAULT_BPM_RANGE = (70.0, 180.0)
#: Centre of the log-Gaussian tempo prior without a hint (BPM).
PRIOR_BPM = 120.0
#: The tempo estimate is refreshed every this many hops (~46 ms at hop 512).
ESTIMATE_HOPS = 4
#: A tempo doubles when the onsets half-way between its beats (kick and snare bodies,
#: no hats) are at least this strong relative to those on its beats.
DOUBLE_RATIO = 0.4
#: A comb tempo (with its half still in range) is halved when the onset strength between
#: its beats (half-beat and triplet positions) is under this fraction of that on them.
SUBDIV_MIN = 0.15
#: ... unless the body onsets at the halved tempo are nearly as strong half-way between
#: its beats as on them (a kick on every beat: the beat itself).
HALVE_BODY = 0.7
#: Seconds of (near) silence after which the tempo estimate starts afresh.
RESTART_SILENCE_S = 1.0
#: The grid counts as lost when onsets went on (at least this many) but none landed
#: on it for this many beats; it is then re-seeded from the last ``RELOCK_WINDOW_S``.
LOST_BEATS = 3
RELOCK_WINDOW_S = 2.5
#: Weighted residual RMS (s) of the grid fit above which the grid counts as slipping.
MISFIT_RMS = 0.008
#: A short-window tempo within this of 3:2 or 4:3 of the grid's (up to octaves) is
#: not taken as a change unless the long window agrees with it.
METRICAL_TOL = 0.03
#: First lock: this many onsets on the comb's grid within this residual RMS (s).
LOCK_ONSETS = 3
LOCK_RMS = 0.01
#: ... and the comb's period steady (within 2%) over this many estimates in a row.
LOCK_STABLE = 4
#: A lock (or a restart after silence) is provisional while the comb holds less than
#: this much signal: the short window of the change checks, so they take over after it.
FIRM_S = RELOCK_WINDOW_S
#: ... and while provisional, a comb period (octave-folded) that differs from the grid's
#: and has stayed the same for this many estimates in a row (~0.46 s) re-seeds it.
PROVISIONAL_STABLE = 10
#: Seconds of unlocked estimates before the comb's runner-up tempi are tried as well.
ALT_AFTER_S = 3.0
#: Evidence counts for a beat when within this fraction of a period of the grid.
MATCH = 0.15
#: Beats of evidence the fit looks back over, and the time constant of its
#: recency weighting.
FIT_BEATS = 16
FIT_TAU_S = 3.0
#: A ramp (a tempo that speeds up or slows down) bends the grid: with at least
#: ``RAMP_ONSETS`` onsets over ``RAMP_BEATS`` beats the fit adds a tempo slope (a
#: quadratic term), up to ``RAMP_MAX`` of a period per beat, when it fits the onsets
#: clearly better than a line (F statistic over ``RAMP_F``) with a residual under
#: ``RAMP_RMS`` seconds; a straight line through a ramp predicts every beat late
#: (speeding up) or early (slowing down).
RAMP_ONSETS = 8
RAMP_BEATS = 8
RAMP_MAX = 0.02
RAMP_F = 20.0
RAMP_RMS = 0.009
#: Weight of a non-onset beat row (kind 0) relative to an onset in the fit (only used while the
#: fit window holds fewer than 4 onsets).
AUBIO_WEIGHT = 0.25
#: Largest phase correction applied to one beat interval, as a fraction of a period.
MAX_STEP = 0.2
#: ... and right after a re-seed (a tempo or phase change), the first interval may move
#: this much, so a cut is followed within a beat or two.
JUMP_STEP = 0.5
#: On a re-seed, a beat of the new grid that lies more than this fraction of a period
#: after the last fired beat fires at once (late, once, as at the first lock).
REPHASE_MIN = 0.3
#: A re-seed that moves the pending beat later stretches the current interval (so
#: ``beat_position`` never runs back) while less than this fraction of it has passed;
#: later than that the pending beat fires where it was planned.
STRETCH_MAX = 0.9
#: ``BeatState.source`` of this tracker.
SOURCE = "comb"
#: The comb's period must disagree (octave-folded) by this much on this many beats in a
#: row, or onsets must stop landing on the grid, before the grid is re-seeded.
DISAGREE = 0.04
DISAGREE_BEATS = 2
#: A locked grid moves to another quarter-beat position when the onsets there are
#: this much stronger than those on its beats, on this many comb votes (one a beat) in a row.
PHASE_RATIO = 1.3
PHASE_BEATS = 3
#: ... and only while onsets of at least this fraction of the slow peak of onset
#: strength (time constant ``PEAK_TAU_S``) are heard.
PHASE_MIN = 0.2
PEAK_TAU_S = 20.0
#: Time constant (s) of the recency weighting of those strengths.
PHASE_TAU_S = 3.0
#: Seconds after an onset in which its strength is measured (and before it, for the
#: bass it rises from).
STRENGTH_WINDOW_S = 0.07
STRENGTH_BEFORE_S = 0.05
#: Evidence rows kept (onsets; ~15 s of busy music).
EVIDENCE_ROWS = 128
#: Recent level (linear RMS) below which the input counts as silent (-80 dBFS).
SILENCE_RMS = 1e-4
#: Seconds of bass looked at after each beat for the downbeat choice.
BASS_WINDOW_S = 0.12
#: Change detector.  A kick-strength onset (``PHASE_MIN`` of the slow peak) is
#: *unexplained* when it lies more than ``LATTICE_TOL_S`` from every 16th of the grid
#: and from every beat position where kick-strength onsets landed during the
#: ``MEMORY_S`` before the suspicion began (so a syncopated groove's usual kicks are
#: explained).  The first unexplained one opens a suspicion, which expires after
#: ``SUSPECT_BEATS`` beats without another.
LATTICE_TOL_S = 0.015
LATTICE_MIN_S = 0.09
MEMORY_S = 8.0
MEMORY_GAP_S = 1.0
MEMORY_TOL = 0.04
SUSPECT_BEATS = 4.0
#: A suspicion older than this restarts from its latest unexplained onsets.
SUSPECT_MAX_S = 3.0
#: While a suspicion is open, a challenger grid is fitted from the comb over the audio
#: since it began (at least ``MIN_SIGNAL_S``) and the onsets since then only.  It
#: replaces the grid when it holds ``CHALLENGE_ONSETS`` onsets within ``LOCK_RMS``, it
#: explains at least ``CHALLENGE_MARGIN`` more kick-strength onsets since the
#: suspicion than the grid does, and the grid left ``CHALLENGE_MISSES`` unexplained.
CHALLENGE_ONSETS = 3
CHALLENGE_MARGIN = 2
CHALLENGE_MISSES = 2
#: ... out of at least this many kick-strength onsets since the suspicion began.
CHALLENGE_STRONG = 3
#: ... and it must explain at least this share of them.
CHALLENGE_SHARE = 0.75
#: Before a firm lock, a comb runner-up with at least this share of the best score goes
#: first when its grid holds more kick-strength onsets (see ``_estimate``).
RANK_SCORE = 0.7
#: ... and catch at least this share of the grid's on-beat onset strength over that time.
CHALLENGE_STRENGTH = 0.98
#: ... unless it explains all of at least this many, and the grid at most half of them.
SWEEP_STRONG = 5


class HopCues(Protocol):
    """What the tracker reads from the shared feature extractor for the same hop."""

    rms: float
    raw_bass: float
    odf_raw: float
    onset_time: float | None
    bands_raw: np.ndarray


@dataclass(frozen=True, slots=True)
class GridFit:
    """A beat grid: beat ``k`` (relative to the latest evidence) at
    ``anchor + k * period + curv * (k * k - k)``: ``period`` is the interval from beat 0
    to beat 1 and ``curv`` bends the grid on a ramp (each interval is ``2 * curv``
    longer than the one before)."""

    anchor: float
    period: float
    rms: float          #: weighted residual RMS of the evidence, seconds
    onsets: int         #: distinct beats backed by an onset
    beats: int          #: distinct beats with any evidence
    coverage: float     #: fraction of the last 8 grid beats backed by evidence (kind-0 rows: half)
    latest: float       #: time of the latest evidence used
    #: summed strength (and count) of the window's onsets at 0, 1/4, 1/2, 3/4 of a beat after the grid's beats
    strength: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    counts: tuple[int, ...] = (0, 0, 0, 0)
    curv: float = 0.0

    def at(self, k):
        """Time of (possibly fractional) beat index ``k``."""
        return self.anchor + k * self.period + self.curv * (k * k - k)

    def position(self, t):
        """Beat index (fractional) of time ``t``: the inverse of ``at``."""
        k = (t - self.anchor) / self.period
        if self.curv:
            for _ in range(2):  # Newton; the bend is small (under RAMP_MAX a beat)
                k = k - (self.at(k) - t) / (self.period + self.curv * (2.0 * k - 1.0))
        return k

    def stronger_phase(self, ratio: float, min_count: int = 3) -> int:
        """The quarter-beat position (1..3) whose onsets are ``ratio`` times stronger than
        those on the beats, or 0 to stay."""
        best = max(range(4), key=lambda q: self.strength[q] if self.counts[q] >= min_count else -1.0)
        if best and self.counts[best] >= min_count and self.strength[best] > ratio * self.strength[0]:
            return best
        return 0


def fold_bpm(bpm: float, lo: float, hi: float) -> float:
    """Fold an octave error into ``[lo, hi]``."""
    if not bpm > 0.0 or not math.isfinite(bpm):
        return bpm
    while bpm < lo:
        bpm *= 2.0
    while bpm > hi:
        bpm /= 2.0
    return bpm


def _median(x: np.ndarray) -> float:
    """Median of a short array (np.median's overhead is ~20 us; this is ~2)."""
    s = np.sort(x)
    n = s.size
    return float(s[n // 2]) if n % 2 else 0.5 * float(s[n // 2 - 1] + s[n // 2])


def _octave_ratio(a: float, b: float) -> float:
    """``a / b`` folded into [1/sqrt(2), sqrt(2)): 1.0 means the same tempo up to octaves."""
    r = a / b
    while r >= math.sqrt(2.0):
        r /= 2.0
    while r < 1.0 / math.sqrt(2.0):
        r *= 2.0
    return r


def _metrical(a: float, b: float) -> bool:
    """Whether periods ``a`` and ``b`` are (up to octaves) 3:2 or 4:3 apart: the usual
    metrical confusions of a busy groove, which a few seconds of onsets cannot tell
    from a tempo change."""
    r = _octave_ratio(a, b)
    return any(abs(r / m - 1.0) < METRICAL_TOL for m in (0.75, 4.0 / 3.0))


class BeatTracker:
    """Causal beat clock.  Feed every hop in order with ``process_hop``; read ``state``.

    ``process_hop(hop, t, cues)``: ``t`` is the time at the *end* of the hop (samples
    so far / rate); ``cues`` is the feature extractor that has already processed this
    hop (anything with ``rms``, ``raw_bass``, ``odf_raw``, ``onset_time`` and
    ``bands_raw``).  Without it the tracker runs its own.

    Tempo range: ``bpm_range`` (default ``DEFAULT_BPM_RANGE``, 70..180 BPM) with the
    prior centred on ``PRIOR_BPM`` (120); with a ``bpm_hint``, [hint/sqrt(2),
    hint*sqrt(2)] with the prior centred on the hint.
    """

    def __init__(self, sample_rate: int = 44100, hop: int = 512, beats_per_bar: int = 4,
                 bpm_hint: float | None = None, bpm_range: tuple[float, float] = DEFAULT_BPM_RANGE):
        self.sample_rate, self.hop, self.beats_per_bar = sample_rate, hop, beats_per_bar
        if bpm_hint is not None and bpm_hint > 0:
            self.lo, self.hi = bpm_hint / math.sqrt(2.0), bpm_hint * math.sqrt(2.0)
        else:
            self.lo, self.hi = bpm_range
        fs = sample_rate / hop
        self._fs = fs
        center = bpm_hint if bpm_hint is not None and bpm_hint > 0 else PRIOR_BPM
        self._strength = OnsetStrength()
        # candidates cover the default range too; the estimate is then folded into ours
        self._comb = TempoComb(fs, min(self.lo, DEFAULT_BPM_RANGE[0]), max(self.hi, DEFAULT_BPM_RANGE[1]), center)
        self._body = np.zeros(self._comb.n)  # the "body" onset function, in step with the comb's ring
        self._hops_seen = 0
        self._quiet_s = 0.0
        self._next_hyp = math.inf
        self._first_hyp: float | None = None  # when the current tempo hypothesis next gets a vote
        self._jump = False  # a re-seed may move the next beat by up to half a period
        self._own_cues = None
        self._loud = 0.0
        self._loud_decay = math.exp(-hop / sample_rate / 0.05)
        # evidence ring, rows [time, kind (1 onset; 0, a beat without an onset, is no longer added), strength (-1 until known)]
        self._ev = np.zeros((EVIDENCE_ROWS, 3), np.float64)
        self._ev_total = 0  # rows ever written; row i lives at i % EVIDENCE_ROWS
        self._unrated: deque[tuple[int, float]] = deque()  # (row, time) of onsets awaiting a strength
        n_ring = int(math.ceil(0.2 * sample_rate / hop))  # the last ~0.2 s of hops
        self._ring_t = np.full(n_ring, -math.inf)
        self._ring_odf = np.zeros(n_ring)
        self._ring_bass = np.zeros(n_ring)
        self._ring_i = 0
        self._fit: GridFit | None = None
        self._hypothesis: tuple[float, float] | None = None  # the comb's latest beat and folded period
        self._disagree = 0
        self._disagree_short = 0
        self._peak = 0.0  # slow peak of onset strengths, and when it was set
        self._peak_t = 0.0
        self._stable = 0  # consecutive comb estimates that agreed on the period
        self._phase_votes = 0
        self._suspect: float | None = None  # when the change detector's suspicion began
        self._suspect_last = 0.0  # the latest unexplained kick-strength onset
        self._unexplained: deque[float] = deque(maxlen=32)  # recent unexplained kick-strength onsets
        self._settle_until = -math.inf  # the comb's change checks wait until then
        self._t = 0.0
        # the clock
        self._count = -1
        self._last = 0.0
        self._next = 0.0
        # downbeat
        self._acc = np.zeros(beats_per_bar, np.float64)
        self._acc_n = 0
        self._phase = 0
        self._pending: deque[list] = deque()  # [beat index, beat time, max bass]

    # -- input -------------------------------------------------------------------------

    def process_hop(self, hop: np.ndarray, t: float, cues: HopCues | None = None) -> None:
        if cues is None:
            if self._own_cues is None:
                from .features import FeatureExtractor
                self._own_cues = FeatureExtractor(self.sample_rate, self.hop)
            self._own_cues.process(hop)
            cues = self._own_cues
        self._advance(t)  # beats due by now fire on the grid known *before* this hop
        self._t = t
        self._loud = max(cues.rms, self._loud * self._loud_decay)
        self._collect_bass(t, cues.raw_bass)
        self._rate_onsets(t, cues.odf_raw, cues.raw_bass)
        if cues.onset_time is not None:
            self._unrated.append((self._add_evidence(cues.onset_time, 1.0), cues.onset_time))
        self._strength(cues.bands_raw)
        self._quiet_s = self._quiet_s + self.hop / self.sample_rate if self._loud < SILENCE_RMS else 0.0
        if self._quiet_s >= RESTART_SILENCE_S:
            if self._comb.filled:
                self._comb.clear()  # new music after a silence gets a fresh estimate
                self._first_hyp = None
            return
        self._body[self._comb.i] = self._strength.low
        self._comb.push(self._strength.value)
        self._hops_seen += 1
        hyps = None
        if self._hops_seen % ESTIMATE_HOPS == 0:
            early = self._fit is None or self._provisional()
            hyps = self._estimate(t, k=3 if early else None, rank=early)
            if not self._alternatives(t):
                hyps = hyps[:1]
        if hyps:
            same = self._hypothesis is not None and abs(hyps[0][1] / self._hypothesis[1] - 1.0) < DISAGREE / 2
            self._stable = self._stable + 1 if same else 0
        if hyps and self._fit is not None and self._suspect is not None and self._challenge(t):
            return
        if hyps and self._fit is None:
            for beat_t, period in hyps:  # the best comb peak whose grid fits the onsets
                self._hypothesis = (beat_t, period)
                self._try_lock(beat_t, period, t)
                if self._fit is not None:
                    break
            self._hypothesis = hyps[0]
            self._next_hyp = t + hyps[0][1]
        elif hyps and self._provisional() and abs(_octave_ratio(hyps[0][1], self._fit.period) - 1.0) > DISAGREE:
            self._provisional_change(*hyps[0], t)
        elif hyps and t >= self._next_hyp:
            self._next_hyp = t + hyps[0][1]
            self._on_hypothesis(*hyps[0], t)
        elif cues.onset_time is not None:
            if self._fit is not None:
                self._refit(t)
            elif self._hypothesis is not None:  # not locked yet: each onset may complete the evidence
                self._try_lock(*self._hypothesis, t)

    def _estimate(self, now: float, recent_s: float | None = None, k: int | None = None,
                  rank: bool = False) -> list[tuple[float, float]]:
        """(a recent beat time, period) for the comb's best few tempi, best first
        (``recent_s``: from only that much of the latest onset strength).  ``rank``: a
        runner-up (``RANK_SCORE`` of the best comb score or more) goes first when its
        16ths hold more of the kick-strength onsets in the window than the best's."""
        comb = self._comb
        frames = None if recent_s is None else int(recent_s * self._fs)
        out = []
        # while unlocked, the runner-up peaks are tried too once the best one has
        # failed to fit the onsets for a while (for broken beats; it changed no item
        # of the corpus: jungle-165 locks on a wrong peak that fits, 4:5 or 2:3)
        if k is None:
            k = 3 if self._alternatives(now) else 1
        peaks = comb.peaks(k, frames)
        if peaks and self._first_hyp is None:
            self._first_hyp = now
        scores = []
        for bpm, score in peaks:
            if (bpm / 2.0 >= self.lo and self._no_subdivision(60.0 * self._fs / bpm, frames)
                    and self._half_beat_body(120.0 * self._fs / bpm, frames) < HALVE_BODY):
                bpm /= 2.0  # nothing between these beats, and not a kick on each: the 8ths of a slower beat
            elif bpm * 2.0 <= self.hi and self._half_beat_body(60.0 * self._fs / bpm, frames) > DOUBLE_RATIO:
                bpm *= 2.0
            bpm = fold_bpm(bpm, self.lo, self.hi)
            if any(abs(bpm / b - 1.0) < DISAGREE for _, p in out for b in (60.0 / p,)):
                continue
            period_f = 60.0 * self._fs / bpm
            _, j = self._folded(period_f, None, 24, frames)
            age = (j + 0.5) / 24 * period_f / self._fs
            out.append((now - age, 60.0 / bpm))
            scores.append(score)
        if rank and len(out) > 1:
            strong = self._strong(now, now - (frames or comb.filled) / self._fs)
            best = self._lattice_hold(strong, out[0][1])
            for i in range(1, len(out)):
                # (octave relatives share their beats: the halving and doubling rules choose)
                if (scores[i] >= RANK_SCORE * scores[0] and abs(_octave_ratio(out[i][1], out[0][1]) - 1.0) > DISAGREE
                        and self._lattice_hold(strong, out[i][1]) > best):
                    out.insert(0, out.pop(i))
                    break
        return out

    def _alternatives(self, now: float) -> bool:
        """Unlocked for ``ALT_AFTER_S`` since the first estimate: try the comb's runner-ups too."""
        return self._fit is None and self._first_hyp is not None and now - self._first_hyp > ALT_AFTER_S

    @staticmethod
    def _subdivisions(period: float) -> float:
        """Lattice points per beat: 16ths, or 8ths when 16ths would be closer than
        ``LATTICE_MIN_S`` (a fast grid's 16ths would explain anything)."""
        return 4.0 if period >= 4 * LATTICE_MIN_S else 2.0

    @classmethod
    def _lattice_hits(cls, beats: np.ndarray, period: float) -> np.ndarray:
        """Whether each beat position (in beats of ``period``) lies within
        ``LATTICE_TOL_S`` of the grid's lattice (``_subdivisions``)."""
        n = cls._subdivisions(period)
        f = beats * n
        return np.abs(f - np.rint(f)) * period / n < LATTICE_TOL_S

    @classmethod
    def _lattice_hold(cls, strong: np.ndarray, period: float) -> float:
        """How many of ``strong`` (onset times) lie on the 16ths (8ths when fast) of one
        grid of ``period`` (the best of the grids through each of them), less the number
        a lattice that fine would catch by chance (a faster grid's is finer)."""
        best = max((int(np.count_nonzero(cls._lattice_hits((strong - a) / period, period))) for a in strong),
                   default=0)
        return best - strong.size * min(1.0, 2.0 * LATTICE_TOL_S * cls._subdivisions(period) / period)

    def _folded(self, period_f: float, ring: np.ndarray | None, bins: int,
                frames: int | None) -> tuple[np.ndarray, int]:
        """The comb's onset function (or ``ring``) folded at ``period_f`` frames, less its
        floor, and the bin of its peak (the beat)."""
        prof = self._comb.profile(period_f, ring, bins, frames)
        prof -= prof.min()
        return prof, int(np.argmax(prof))

    def _half_beat_body(self, period_f: float, frames: int | None) -> float:
        """The "body" onset strength (kick and snare bodies) half-way between beats of
        ``period_f`` frames, relative to that on the beats."""
        prof, j = self._folded(period_f, self._body, 16, frames)
        return float(prof[(j + 8) % 16] / prof[j]) if prof[j] > 0 else 0.0

    def _no_subdivision(self, period_f: float, frames: int | None) -> bool:
        """Whether the onset strength folded at ``period_f`` frames is flat between the beats:
        under ``SUBDIV_MIN`` of the beat's peak at the half-beat and at both triplet
        positions (music at its beat level plays 8ths, 16ths or swung 8ths between beats;
        a ballad at 70 with 8th hats read at 140 plays nothing between them)."""
        prof, j = self._folded(period_f, None, 24, frames)
        return bool(prof[j] > 0 and max(prof[(j + 8) % 24], prof[(j + 12) % 24], prof[(j + 16) % 24])
                    < SUBDIV_MIN * prof[j])

    def state(self, t: float | None = None) -> BeatState:
        """The clock at ``t`` (default: the end of the last hop).  Beats predicted at or
        before ``t`` fire first, so the answer depends only on the audio so far and
        ``t``, not on how often this is called."""
        if t is None:
            t = self._t
        self._advance(t)
        if self._count < 0 or self._fit is None:
            return BeatState(beats_per_bar=self.beats_per_bar, source=SOURCE)
        return BeatState(bpm=60.0 / self._fit.period, confidence=self._confidence(t), beat_count=self._count,
                         last_beat=self._last, next_beat=self._next, beats_per_bar=self.beats_per_bar,
                         bar_beat=(self._count - self._phase) % self.beats_per_bar, source=SOURCE)

    # -- grid ----------------------------------------------------------------------------

    def _on_hypothesis(self, beat_t: float, period: float, now: float) -> None:
        self._hypothesis = (beat_t, period)
        if self._fit is None:
            self._try_lock(beat_t, period, now)
            return
        off = abs(_octave_ratio(period, self._fit.period) - 1.0) > DISAGREE
        self._disagree = self._disagree + 1 if off else 0
        self._refit(now)
        q = self._fit.stronger_phase(PHASE_RATIO) if self._kick_present(now) else 0
        self._phase_votes = self._phase_votes + 1 if q else 0
        if self._phase_votes >= PHASE_BEATS:
            fit = self._fit_grid(self._fit.anchor + q * self._fit.period / 4.0, self._fit.period, now,
                                 curv=self._fit.curv)
            if fit is not None and self._good_enough(fit):
                self._fit = fit
                self._reseeded(now)
            self._phase_votes = 0
        if now < self._settle_until:
            return  # a challenger just took over: the comb's windows still hold the old grid
        # lost with the same tempo and no kick: a breakdown or a build, not a cut; hold
        lost = self._lost(now) and (off or self._kick_present(now))
        if lost:
            # the onsets stopped landing on the grid: a cut or a tempo change.  Start
            # again from the last few seconds only (the long window still holds the old tempo)
            for bt, p in self._estimate(now, RELOCK_WINDOW_S)[:1]:
                fit = self._seed(bt, p, now, since=now - RELOCK_WINDOW_S)
                if fit is not None and self._good_enough(fit):
                    self._fit = fit
                    self._reseeded(now)
                    self._disagree = 0
                    return
        # the same from the last few seconds only: a tempo change shows there first, and
        # in the grid's residual (onsets drifting off it); both must agree
        short = self._estimate(now, RELOCK_WINDOW_S)[:1]
        off = bool(short) and abs(_octave_ratio(short[0][1], self._fit.period) - 1.0) > DISAGREE and (
            not _metrical(short[0][1], self._fit.period)  # or both windows say so
            or abs(_octave_ratio(short[0][1], period) - 1.0) < DISAGREE)
        self._disagree_short = self._disagree_short + 1 if off else 0
        if self._disagree_short >= DISAGREE_BEATS and self._fit.rms > MISFIT_RMS:
            fit = self._seed(*short[0], now, since=now - RELOCK_WINDOW_S)
            # the new grid must also fit the recent onsets more tightly than the
            # slipping one (noisy onsets in a room can favour a wrong grid on strength alone)
            if fit is not None and self._good_enough(fit) and fit.rms < self._fit.rms and (
                    self._on_beat_strength(fit, now, RELOCK_WINDOW_S)
                    > self._on_beat_strength(self._fit, now, RELOCK_WINDOW_S)):
                self._fit = fit
                self._reseeded(now)
                self._disagree = self._disagree_short = 0
                return
        if self._disagree >= DISAGREE_BEATS or lost:
            # the comb's tempo only replaces ours if its grid catches more onset strength
            # (a 3:2 proposal can fit the onsets of a busy groove as well as the truth)
            fit = self._seed(beat_t, period, now)
            if fit is not None and self._good_enough(fit) and (
                    lost or self._on_beat_strength(fit, now) > self._on_beat_strength(self._fit, now)):
                self._fit = fit
                self._reseeded(now)
            self._disagree = 0

    def _provisional(self) -> bool:
        """Locked on less than ``FIRM_S`` of comb signal (just after the first lock, or
        after a restart from silence)."""
        return self._fit is not None and 0 < self._comb.filled < FIRM_S * self._fs

    def _provisional_change(self, beat_t: float, period: float, now: float) -> None:
        """While provisional, the comb sees more of the music with every estimate and its
        early reading (often a 3:2 or 4:3 relative while few periods fit the window) is
        replaced as soon as it has settled on another period whose grid fits the onsets."""
        self._hypothesis = (beat_t, period)
        if self._stable < PROVISIONAL_STABLE:
            return
        fit = self._seed(beat_t, period, now)
        if fit is not None and (self._good_enough(fit) or (fit.onsets >= LOCK_ONSETS and fit.rms < LOCK_RMS)):
            self._fit = fit
            self._reseeded(now)

    def _try_lock(self, beat_t: float, period: float, now: float) -> None:
        fit = self._seed(beat_t, period, now)
        # the comb has already found the period: three onsets on its beats, tightly
        # fitted, with the beats clearly the strongest quarter-beat position, are
        # enough to start the clock
        if fit is not None and (self._good_enough(fit) or (
                fit.onsets >= LOCK_ONSETS and fit.rms < LOCK_RMS and self._stable >= LOCK_STABLE
                and fit.strength[0] > PHASE_RATIO * max(fit.strength[1:]))):
            self._fit = fit
            self._lock(now)

    def _seed(self, beat_t: float, period: float, now: float, since: float = -math.inf) -> GridFit | None:
        """A grid at the folded period through the comb's beat (moved to the nearest onset),
        then moved to the quarter-beat position where the onsets are strongest.

        (With aubio as the proposer, trying its 3:4 and 2:3 relatives as well, scored by on-beat strength,
        fixed none of the corpus's 4:3 funk errors and broke a jungle item: left out.)"""
        ev = self._evidence()
        d = np.where(ev[:, 1] == 1.0, np.abs(ev[:, 0] - beat_t), np.inf)
        anchor = float(ev[np.argmin(d), 0]) if d.size and d.min() < MATCH * period else beat_t
        fit = self._fit_grid(anchor, period, now, since)
        if fit is None:
            return None
        q = fit.stronger_phase(1.0, min_count=2)
        if q:
            moved = self._fit_grid(fit.anchor + q * fit.period / 4.0, fit.period, now, since, fit.curv)
            if moved is not None and (self._good_enough(moved) or (
                    moved.onsets >= LOCK_ONSETS and moved.rms < LOCK_RMS)):
                return moved
        return fit

    def _refit(self, now: float) -> None:
        assert self._fit is not None
        fit = self._fit_grid(self._fit.anchor, self._fit.period, now, curv=self._fit.curv)
        if fit is not None and fit.beats >= 2:
            self._fit = fit

    @staticmethod
    def _good_enough(fit: GridFit) -> bool:
        return (fit.onsets >= 4 and fit.rms < 0.02) or (fit.beats >= 6 and fit.rms < 0.03)

    def _fit_grid(self, anchor: float, period: float, now: float, since: float = -math.inf,
                  curv: float = 0.0) -> GridFit | None:
        """Weighted line through the evidence near the grid (``anchor``, ``period``,
        ``curv``), from the last ``FIT_BEATS`` and after ``since``; bent by a tempo slope
        when the evidence spans enough beats (``RAMP_ONSETS``)."""
        ev = self._evidence()
        ev = ev[ev[:, 0] > max(since, now - FIT_BEATS * period - 0.5)]
        if len(ev) == 0:
            return None
        if np.count_nonzero(ev[:, 1] == 1.0) >= 4:
            ev = ev[ev[:, 1] == 1.0]  # enough onsets: beat rows without one would only pull
        ts, kind, strength = ev[:, 0], ev[:, 1], ev[:, 2]
        spread = MATCH * period / 3.0
        model = GridFit(anchor, period, 0.0, 0, 0, 0.0, 0.0, curv=curv)
        for _ in range(3):
            n = np.rint(model.position(ts))
            r = ts - model.at(n)
            tol = min(MATCH * period, max(0.012, 3.0 * spread))
            idx = np.flatnonzero(np.abs(r) < tol)
            if idx.size == 0:
                return None
            order = idx[np.lexsort((np.abs(r[idx]), -kind[idx], n[idx]))]
            first = np.ones(order.size, bool)
            first[1:] = n[order][1:] != n[order][:-1]
            sel = order[first]
            k = n[sel] - n[sel].max()
            tt = ts[sel]
            base = np.where(kind[sel] == 1.0, 1.0, AUBIO_WEIGHT)
            w = base * np.exp(-(now - tt) / FIT_TAU_S)
            # a ramp's bend is measured over the whole window with even weights (a few
            # recent onsets would bend a steady grid), then the recency-weighted line
            # through what is left of the onset times gives the anchor and period
            curv = 0.0
            if sel.size >= RAMP_ONSETS and -k.min() >= RAMP_BEATS:
                curv = self._ramp(k, tt, base, period)
            u = tt - curv * (k * k - k)
            new_period = period
            if sel.size >= 4 and -k.min() >= 3:
                sw, sk, su = w.sum(), (w * k).sum(), (w * u).sum()
                skk, sku = (w * k * k).sum(), (w * k * u).sum()
                den = sw * skk - sk * sk
                if den > 0:
                    slope = (sw * sku - sk * su) / den
                    if abs(slope / period - 1.0) < 0.08:
                        new_period = slope
            anchor = float(np.sum(w * (u - k * new_period)) / w.sum())
            period = float(new_period)
            model = GridFit(anchor, period, 0.0, 0, 0, 0.0, 0.0, curv=curv)
            res = tt - model.at(k)
            # the robust spread (MAD) sets the next pass's tolerance, so a few stray
            # onsets (a click 40 ms before the beat) are dropped, not averaged in
            spread = 1.4826 * _median(np.abs(res - _median(res)))
        rms = float(math.sqrt(np.sum(w * res * res) / w.sum()))
        onsets = kind[sel] == 1.0
        # the 8 grid beats that ended at least 0.1 s ago (an onset needs that long to show)
        cur = math.floor(model.position(now - 0.1))
        recent = (k <= cur) & (k > cur - 8)
        coverage = float(np.sum(np.where(onsets[recent], 1.0, 0.5)) / 8.0)
        # how strong the window's onsets are at each quarter-beat position of this grid
        frac = model.position(ts) % 1.0
        rated = (kind == 1.0) & (strength >= 0.0)
        recency = np.exp(-(now - ts) / PHASE_TAU_S)  # a phase cut shows within a few beats
        sums, counts = [], []
        for q in range(4):
            d = np.abs((frac - q / 4.0 + 0.5) % 1.0 - 0.5)
            at = rated & (d < 0.1)
            counts.append(int(at.sum()))
            sums.append(float((strength[at] * recency[at]).sum()))
        return GridFit(anchor, period, rms, int(onsets.sum()), int(sel.size), min(1.0, coverage), float(tt.max()),
                       tuple(sums), tuple(counts), curv)

    @staticmethod
    def _ramp(k: np.ndarray, t: np.ndarray, w: np.ndarray, period: float) -> float:
        """The bend ``c`` of ``t = a + b k + c (k^2 - k)`` (weighted least squares) if it
        fits clearly better than a line (F statistic over ``RAMP_F``) and is at most
        ``RAMP_MAX`` of a period per beat; else 0."""
        x = np.stack([np.ones_like(k), k, k * k - k])
        try:
            line = np.linalg.solve((x[:2] * w) @ x[:2].T, (x[:2] * w) @ t)
            bent = np.linalg.solve((x * w) @ x.T, (x * w) @ t)
        except np.linalg.LinAlgError:
            return 0.0
        sse_line = float(np.sum(w * (t - line @ x[:2]) ** 2))
        sse_bent = float(np.sum(w * (t - bent @ x) ** 2))
        c = float(bent[2])
        if (abs(2.0 * c) >= RAMP_MAX * period or sse_line - sse_bent <= RAMP_F * sse_bent / (k.size - 3)
                or sse_bent > RAMP_RMS ** 2 * float(w.sum())):  # a cut or a room's smear, not a ramp
            return 0.0
        return c

    def _kick_present(self, now: float) -> bool:
        """Whether onsets as strong as the music's kicks (``PHASE_MIN`` of the slow peak
        of onset strengths) were heard in the last 4 beats.  Without them (a breakdown
        of pads and hats) the quarter-beat strengths are noise, and the grid holds."""
        assert self._fit is not None
        ev = self._evidence()
        recent = (ev[:, 1] == 1.0) & (ev[:, 0] > now - 4 * self._fit.period)
        return bool(recent.any()) and float(ev[recent, 2].max()) >= PHASE_MIN * self._peak_strength(now)

    def _peak_strength(self, now: float) -> float:
        return self._peak * math.exp(-max(0.0, now - self._peak_t) / PEAK_TAU_S)

    def _lost(self, now: float) -> bool:
        """Music is playing (onsets) but has stopped landing on the grid."""
        assert self._fit is not None
        period = self._fit.period
        ev = self._evidence()
        recent = np.count_nonzero((ev[:, 1] == 1.0) & (ev[:, 0] > now - LOST_BEATS * period))
        return recent >= LOST_BEATS and self._fit.latest < now - LOST_BEATS * period

    def _on_beat_strength(self, fit: GridFit, now: float, window_s: float = 6.0) -> float:
        """Onset strength per second landing on ``fit``'s beats over the last ``window_s``."""
        ev = self._evidence()
        rated = (ev[:, 1] == 1.0) & (ev[:, 2] >= 0.0) & (ev[:, 0] > now - window_s)
        frac = fit.position(ev[rated, 0]) % 1.0
        on = np.abs((frac + 0.5) % 1.0 - 0.5) < 0.1
        return float(ev[rated, 2][on].sum()) / window_s

    def _add_evidence(self, t: float, kind: float) -> int:
        row = self._ev_total
        self._ev[row % EVIDENCE_ROWS] = (t, kind, -1.0)
        self._ev_total += 1
        return row

    def _evidence(self) -> np.ndarray:
        """The stored rows (a view, unordered once the ring has wrapped)."""
        return self._ev[:min(self._ev_total, EVIDENCE_ROWS)]

    def _rate_onsets(self, t: float, odf: float, bass: float) -> None:
        """Give each onset, once ``STRENGTH_WINDOW_S`` has passed, its strength: the rise
        of the raw bass across it times the peak raw onset function just after it."""
        i = self._ring_i
        self._ring_t[i], self._ring_odf[i], self._ring_bass[i] = t, odf, bass
        self._ring_i = (i + 1) % self._ring_t.size
        while self._unrated and t >= self._unrated[0][1] + STRENGTH_WINDOW_S:
            row, ot = self._unrated.popleft()
            if self._ev_total - row > EVIDENCE_ROWS:
                continue  # overwritten already
            entry = self._ev[row % EVIDENCE_ROWS]
            after = (self._ring_t > ot) & (self._ring_t <= ot + STRENGTH_WINDOW_S)
            before = (self._ring_t > ot - STRENGTH_BEFORE_S) & (self._ring_t <= ot)
            if not after.any():
                entry[2] = 0.0
                continue
            base = float(self._ring_bass[before].min()) if before.any() else 0.0
            rise = max(0.0, float(self._ring_bass[after].max()) - base)
            entry[2] = rise * max(0.0, float(self._ring_odf[after].max()))
            if entry[2] >= self._peak_strength(ot):
                self._peak, self._peak_t = float(entry[2]), ot
            if (self._fit is not None and not self._provisional()  # (provisional: the comb re-checks anyway)
                    and entry[2] >= PHASE_MIN * self._peak_strength(ot) and not self._explained(ot)):
                if self._suspect is None:
                    self._suspect = ot
                self._suspect_last = ot
                self._unexplained.append(ot)

    # -- change detector -----------------------------------------------------------------

    def _strong(self, now: float, since: float) -> np.ndarray:
        """Times of the kick-strength onsets after ``since``."""
        ev = self._evidence()
        sel = (ev[:, 1] == 1.0) & (ev[:, 0] > since) & (ev[:, 2] >= PHASE_MIN * self._peak_strength(now))
        return ev[sel, 0]

    @classmethod
    def _on_lattice(cls, fit: GridFit, ts: np.ndarray) -> np.ndarray:
        """Whether each time lies within ``LATTICE_TOL_S`` of a 16th of ``fit`` (of an
        8th when 16ths would be closer than ``LATTICE_MIN_S``)."""
        return cls._lattice_hits(fit.position(ts), fit.period)

    def _explained(self, ot: float) -> bool:
        """Whether a kick-strength onset at ``ot`` fits the grid: on a 16th, or where such
        onsets landed (within ``MEMORY_TOL`` of a beat) at least twice in the ``MEMORY_S``
        before the current suspicion (a syncopated groove repeats its kicks)."""
        fit = self._fit
        assert fit is not None
        if self._on_lattice(fit, np.array([ot]))[0]:
            return True
        start = (ot if self._suspect is None else self._suspect) - MEMORY_GAP_S
        mem = self._strong(ot, start - MEMORY_S)
        mem = mem[mem < start - 1e-6]
        frac = (fit.position(mem) - fit.position(ot)) % 1.0
        return int(np.count_nonzero(np.abs((frac + 0.5) % 1.0 - 0.5) < MEMORY_TOL)) >= 2

    def _challenge(self, now: float) -> bool:
        """While a suspicion is open: replace the grid by one fitted from the audio since
        the suspicion began, if that grid explains the kicks since then clearly better."""
        fit, start = self._fit, self._suspect
        assert fit is not None and start is not None
        if now - self._suspect_last > SUSPECT_BEATS * fit.period + STRENGTH_WINDOW_S:
            self._suspect = None  # no more unexplained kicks: a fill, not a change
            return False
        if now - start > SUSPECT_MAX_S:
            # an old suspicion that found no challenger (stray kicks in a groove): look
            # only at the latest stretch, so a change is not diluted by the old grid
            start = next(u for u in self._unexplained if u >= now - SUSPECT_MAX_S / 2 or u == self._suspect_last)
            self._suspect = start
        since = start - 0.05
        span = now - since
        if span < MIN_SIGNAL_S:
            return False
        strong = self._strong(now, since)
        held = sum(self._explained(ot) for ot in strong)
        if strong.size - held < CHALLENGE_MISSES or strong.size < CHALLENGE_STRONG:
            return False
        held_strength = self._on_beat_strength(fit, now, span)
        best, best_key = None, None
        for beat_t, period in self._estimate(now, span, k=3):
            if not self.lo * 1.01 < 60.0 / period < self.hi / 1.01:
                continue  # the comb's edge: a slope running out of the range, not a peak
            if abs(_octave_ratio(period, fit.period) - 1.0) < DISAGREE / 2:
                # the same tempo up to octaves: a correction of the grid, at its own
                # metrical level (a short window's octave is a guess)
                period *= 2.0 ** round(math.log2(fit.period / period))
            ch = self._seed(beat_t, period, now, since=since)
            if ch is None:
                continue
            if abs(_octave_ratio(ch.period, fit.period) - 1.0) < DISAGREE / 2:
                off = ((ch.anchor - fit.anchor) / min(ch.period, fit.period)) % 1.0
                if min(off, 1.0 - off) < 0.1:
                    break  # the comb hears the same grid (up to octaves) here: no change
            # (a few onsets can drag the fitted period far from the comb's: keep it there)
            if (ch.onsets < CHALLENGE_ONSETS or ch.rms >= LOCK_RMS
                    or abs(ch.period / period - 1.0) > DISAGREE or not self.lo <= 60.0 / ch.period <= self.hi
                    or not ch.strength[0] > PHASE_RATIO * max(ch.strength[1:])):  # phase still unclear: wait
                continue
            caught = int(self._on_lattice(ch, strong).sum())
            if caught < held + CHALLENGE_MARGIN or caught < CHALLENGE_SHARE * strong.size:
                continue
            key = (caught, self._on_beat_strength(ch, now, span))
            # it explains every one of ``SWEEP_STRONG`` or more kicks where the grid explains
            # at most half: no strength test (over a second or two the grid's refits chase the
            # new kicks and catch some of them on its beats)
            sweep = caught == strong.size >= SWEEP_STRONG and 2 * held <= strong.size
            if (sweep or key[1] >= CHALLENGE_STRENGTH * held_strength) and (
                    best_key is None or key > best_key):
                best, best_key = ch, key
        if best is not None:
            self._fit = best
            self._reseeded(now)
            self._settle_until = start + RELOCK_WINDOW_S
            self._suspect = None
            self._disagree = self._disagree_short = self._phase_votes = 0
            return True
        return False

    # -- clock ---------------------------------------------------------------------------

    def _lock(self, now: float) -> None:
        """First lock: beat 0 is the last grid beat at or before now (it fires late, once)."""
        assert self._fit is not None
        fit = self._fit
        g = fit.at(math.floor(fit.position(now)))
        self._count = 0
        self._last = g
        self._next = g + self._interval_after(g)
        self._pending.append([0, g, 0.0])
        self._advance(now)

    def _reseeded(self, now: float) -> None:
        """The grid was re-seeded (tempo or phase change): the clock follows at once.  If
        the new grid had a beat since the last fired one (``REPHASE_MIN`` of a period
        after it or later), that beat fires now, late, once, as at the first lock, and
        the next is planned on the new grid.  Otherwise the next beat moves to the new
        grid: earlier at once; later (by up to ``JUMP_STEP``, before ``STRETCH_MAX`` of
        the interval) by stretching the interval around ``now`` so ``beat_position`` does not
        jump back (``last_beat`` moves back, a virtual time); else the
        interval after it may move by up to ``JUMP_STEP``."""
        self._jump = True
        if self._count < 0 or self._fit is None:
            return
        fit = self._fit
        kg = math.floor(fit.position(now))
        g, g_next = fit.at(kg), fit.at(kg + 1)
        if g > self._last + REPHASE_MIN * fit.period:
            self._count += 1
            self._last = g
            self._next = g_next
            self._jump = False
            self._pending.append([self._count, g, 0.0])
        elif g_next < self._next:
            self._next = g_next
            self._jump = False
        else:
            # later: stretch the current interval so that ``beat_position`` stays where it
            # is now (the last beat's time moves back), unless the beat is nearly due
            frac = (now - self._last) / (self._next - self._last)
            if g_next - self._next <= JUMP_STEP * fit.period and frac < STRETCH_MAX:
                self._last = (now - frac * g_next) / (1.0 - frac)
                self._next = g_next
                self._jump = False

    def _interval_after(self, beat_t: float) -> float:
        assert self._fit is not None
        fit = self._fit
        kb = round(fit.position(beat_t))  # the grid beat nearest the one that fired
        interval = fit.at(kb + 1) - fit.at(kb)
        lim = (JUMP_STEP if self._jump else MAX_STEP) * fit.period
        self._jump = False
        step = min(lim, max(-lim, fit.at(kb) - beat_t))
        return interval + step

    def _advance(self, t: float) -> None:
        while self._count >= 0 and self._next <= t:
            beat_t = self._next
            self._count += 1
            self._last = beat_t
            self._next = beat_t + self._interval_after(beat_t)
            self._pending.append([self._count, beat_t, 0.0])

    def _confidence(self, t: float) -> float:
        """Fit residual x recent coverage x agreement with the comb, decaying without evidence."""
        fit = self._fit
        assert fit is not None
        q_fit = 1.0 / (1.0 + (fit.rms / 0.012) ** 2)
        q_agree = 1.0 if self._disagree == 0 else 0.6
        gap = t - fit.latest - 2.0 * fit.period
        q_recent = math.exp(-max(0.0, gap) / 4.0)
        q_firm = 0.5 if self._provisional() else 1.0  # an early guess at the metrical level
        return float(min(1.0, max(0.0, q_fit * fit.coverage * q_agree * q_recent * q_firm)))

    # -- downbeat ------------------------------------------------------------------------

    def _collect_bass(self, t: float, bass: float) -> None:
        while self._pending:
            entry = self._pending[0]
            if t > entry[1] + BASS_WINDOW_S:
                self._pending.popleft()
                self._add_bar_evidence(entry[0], entry[2])
            else:
                break
        for entry in self._pending:
            if t >= entry[1]:
                entry[2] = max(entry[2], bass)

    def _add_bar_evidence(self, index: int, strength: float) -> None:
        """Leaky mean of the bass at each position in the bar (~5 bars' memory)."""
        pos = index % self.beats_per_bar
        self._acc[pos] = strength if self._acc_n < self.beats_per_bar else 0.8 * self._acc[pos] + 0.2 * strength
        self._acc_n += 1
        if self._acc_n < 2 * self.beats_per_bar:
            return
        best = int(np.argmax(self._acc))
        if best != self._phase and self._acc[best] > 1.25 * self._acc[self._phase]:
            self._phase = best
