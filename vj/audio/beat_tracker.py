"""vj's beat tracker: a comb proposes a tempo, a least-squares grid through the onsets
refines it, a few detectors watch for changes, and a causal clock keeps time.

The parts, each in its own module:

- ``tempo_comb``: the onset-strength function and the comb over its autocorrelation;
- ``tempo_proposer``: the comb's peaks at the metrical level a dancer taps, folded into
  the range (``bpm_range``: 70-180 BPM, narrowed by a song's range or a hint);
- ``onset_evidence``: every onset with its strength (bass rise x attack);
- ``grid_fit``: the grid (pure functions);
- ``change_detector``: the fast path to a new tempo;
- ``phase_cues``: which grid, the beat or the half-beat offset, the music says is on
  the beat, from several cues (kicks, backbeat, off-beat hats, harmonic change);
- ``phase_challenger``: the phase of each seeded grid, and the challenger that moves a
  locked grid to the offset the cues prefer;
- ``beat_clock``: beats fired at their predicted times, never taken back;
- ``downbeat``: which beat starts the bar;
- ``lock_rules``: the seed of a grid, the first lock, the provisional lock's re-seed and the
  resume after a silence (a mixin of the tracker);
- ``grid_checks``: the comb's slower checks of a locked grid and the halving vote after the
  lock (a mixin of the tracker);
- ``kick_cue``: whether the kicks stopped (a breakdown): the grid then holds.
- ``repeat_cue``: where the drums repeat and where they are accented: check (e) of ``grid_checks``
  refuses a first grid at 3:2 of the tempo (round 37).

Lock: each comb estimate seeds a grid through the onsets; the clock starts once that
grid has 4 onsets within 20 ms RMS, or already ``LOCK_ONSETS`` within ``LOCK_RMS`` when
the comb's period has been steady for ``LOCK_STABLE`` estimates and the beats are
clearly (``PHASE_RATIO``) the strongest quarter-beat position.  While unlocked for
over ``tempo_proposer.ALT_AFTER_S``, the comb's runner-up peaks are tried too.  The comb
answers as soon as two periods of a candidate fit its window (0.7 s floor), so a lock
comes about three beats in; that early reading is *provisional* while the comb holds
less than ``FIRM_S`` of signal (also after a restart from silence): ``confidence`` is
halved, and a comb period that differs (octave-folded) and has stayed put for
``PROVISIONAL_STABLE`` estimates re-seeds the grid at once (early windows often read a
3:2 or 4:3 relative first: funk at 137 for 104), but not up to 4:3 of a grid that fits its
onsets tightly (``grid_checks.dotted_up``, round 38).

Change: once per beat the comb's slower checks (``grid_checks``) compare the locked grid
with the comb over its whole window and over the last ``RELOCK_WINDOW_S``, and re-seed it on
a tempo change the change detector did not catch, a 3:2 or 4:3 relative the first lock took,
or onsets that stopped landing on it.  After ``RESTART_SILENCE_S`` of silence the comb forgets,
so music that starts again gets a fresh estimate while the clock flywheels, unrefitted, until
a grid seeded from the new music alone says whether it is the old grid or another
(``RESUME_WAIT_S``).

Phase: the seed puts the grid at the quarter-beat position with the strongest onsets,
and its beats where the phase cues put them; after that, once a beat, the *phase
challenger* (``phase_challenger``) moves the grid when an offset explains the music
clearly better for a few beats in a row.  The cues compare quarter-beat offsets only, so a
grid whose beats went through a groove's swung 8ths (0.58-0.67 of the beat) never reaches
the beat from there: when the onsets at an odd eighth of the lattice outweigh those at every
quarter (``GridFit.off_quarter``) for ``PHASE_BEATS`` comb votes, at the comb's tempo, the
lattice and the beats move onto them and the cues decide the beats again (round 16).

With no evidence (digital silence, a break) the grid stays put and the clock runs
on at the old tempo (flywheel) while ``confidence`` decays.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import replace
from typing import Protocol

import numpy as np

from .beat_clock import BeatClock
from .bpm_range import TRACKER_BPM_RANGE, tracker_range
from .change_detector import ChangeDetector
from .downbeat import Downbeat
from .grid_fit import (GridFit, GridMove, fit_grid, fold_bpm, metrical,  # noqa: F401 (fold_bpm, GridMove: API)
                       octave_ratio)
from .lock_rules import (LOCK_ONSETS, LOCK_RMS, LOCK_STABLE, PROVISIONAL_STABLE, RESUME_SAME,  # noqa: F401 (API)
                         RESUME_WAIT_S, SEED_PHASE_COUNT, STEADY, LockRules)
from .grid_checks import (COMB_DOMINANCE, DISAGREE, DISAGREE_BEATS, HALVE_SHARE, HALVE_VOTES,  # noqa: F401 (API)
                          MISFIT_RMS, RELOCK_WINDOW_S, GridChecks)
from .onset_evidence import OnsetEvidence
from .phase_challenger import PHASE_RATIO, PHASE_WINDOW_S, PhaseChallenger, shifted
from .phase_cues import PhaseCues
from .refit import refit_grid
from .snapshot import BeatState
from .tempo_comb import WINDOW_S as COMB_WINDOW_S, OnsetStrength
from .tempo_proposer import TempoProposer

#: The default range (the tracker's shared one, ``bpm_range.TRACKER_BPM_RANGE``).
DEFAULT_BPM_RANGE = TRACKER_BPM_RANGE
#: Centre of the log-Gaussian tempo prior without a hint (BPM).
PRIOR_BPM = 120.0
#: The tempo estimate is refreshed every this many hops (~46 ms at hop 512).
ESTIMATE_HOPS = 4
#: Onset times go into the evidence this much earlier than aubio reports them (the beats the
#: clock shows are then moved by how their onsets rose: ``onset_evidence.RISE_FRACTION``): on the
#: corpus's tuning split (soundfont and synthesised kicks under random mixes, where the
#: kick is often quiet) the grid's beats came out 7 ms late on average (5 ms with
#: TimGM6mb, 8 with OPL3, 9 with the numpy kits, 11-12 in reverberant rooms).  A beat
#: shown a little early is less noticeable than one shown late.
ONSET_LEAD_S = 0.006
#: Comb peaks looked at before a firm lock (one after).
EARLY_PEAKS = 3
#: Seconds of (near) silence after which the tempo estimate starts afresh.
RESTART_SILENCE_S = 1.0
#: A lock (or a restart after silence) is provisional while the comb holds less than
#: this much signal: the short window of the change checks, so they take over after it.
FIRM_S = RELOCK_WINDOW_S
#: ``BeatState.source`` of this tracker.
SOURCE = "comb"
#: A locked grid moves to another quarter-beat position when the onsets there are
#: ``PHASE_RATIO`` stronger than those on its beats, on this many comb votes (one a beat) in a row;
#: and to an odd eighth (``GridFit.off_quarter``, round 16) when the onsets there are
#: ``PHASE_RATIO`` stronger than at every quarter, as many votes in a row, at the comb's tempo.
PHASE_BEATS = 3
#: ... an odd eighth's vote needs this many onsets there (in the fit's window; the seed,
#: ``lock_rules.SEED_PHASE_COUNT``, takes 2 with no ratio: it has no grid to weigh against).
SWING_VOTE_COUNT = 3
#: Recent level (linear RMS) below which the input counts as silent (-80 dBFS), and the
#: time constant of that level's release.
SILENCE_RMS = 1e-4
LOUD_RELEASE_S = 0.05
#: Confidence: the fit residual (s) at which it halves, the factor while the comb
#: disagrees, the seconds without evidence (beyond ``CONF_GRACE_BEATS`` beats) over which it
#: decays by e, and the factor while the lock is provisional.
CONF_RMS = 0.012
CONF_GRACE_BEATS = 2.0
CONF_DISAGREE = 0.6
CONF_DECAY_S = 4.0
CONF_PROVISIONAL = 0.5
#: Grid moves ``BeatTracker.moves`` keeps (the last ones: bounded for a live run).
MOVES_KEPT = 64


class HopCues(Protocol):
    """What the tracker reads from the shared feature extractor for the same hop."""

    rms: float
    raw_bass: float
    odf_raw: float
    onset_time: float | None
    bands_raw: np.ndarray
    power: np.ndarray  #: the hop's FFT power spectrum (optional: without it, no harmonic cue)


class BeatTracker(LockRules, GridChecks):
    """Causal beat clock.  Feed every hop in order with ``process_hop``; read ``state``.

    ``process_hop(hop, t, cues)``: ``t`` is the time at the *end* of the hop (samples
    so far / rate); ``cues`` is the feature extractor that has already processed this
    hop (anything with ``rms``, ``raw_bass``, ``odf_raw``, ``onset_time`` and
    ``bands_raw``).  Without it the tracker runs its own.

    Tempo range: ``bpm_range.tracker_range(bpm_range, bpm_hint)``: 70..180 BPM by
    default, narrowed by ``bpm_range`` (a song's) and by a ``bpm_hint`` (which also
    centres the prior; else ``PRIOR_BPM``).
    """

    def __init__(self, sample_rate: int = 44100, hop: int = 512, beats_per_bar: int = 4,
                 bpm_hint: float | None = None, bpm_range: tuple[float, float] | None = None):
        self.sample_rate, self.hop, self.beats_per_bar = sample_rate, hop, beats_per_bar
        self.lo, self.hi = tracker_range(bpm_range, bpm_hint)
        self._fs = sample_rate / hop
        center = bpm_hint if bpm_hint is not None and bpm_hint > 0 else PRIOR_BPM
        self._strength = OnsetStrength()
        self.proposer = TempoProposer(self._fs, self.lo, self.hi, center)
        self.evidence = OnsetEvidence(sample_rate, hop)
        self.detector = ChangeDetector(LOCK_RMS)
        self.downbeat = Downbeat(beats_per_bar)
        self.clock = BeatClock(self.downbeat.beat)
        self.cues = PhaseCues(sample_rate, hop)
        self.phase = PhaseChallenger(self.cues)
        self._grid_since = 0.0  # when the grid's tempo was last set (lock or re-seed)
        self._hops_seen = 0
        self._quiet_s = 0.0
        self._silent = False  # locked, and silent for RESTART_SILENCE_S: the music may come back elsewhere
        self._resume_at: float | None = None  # when it came back (until the new grid is known)
        self._next_hyp = math.inf
        self._own_cues = None
        self._loud = 0.0
        self._loud_decay = math.exp(-hop / sample_rate / LOUD_RELEASE_S)
        self._fit: GridFit | None = None
        self._hypothesis: tuple[float, float] | None = None  # the comb's latest beat and folded period
        self._peaks: list[tuple[float, float]] = []  # ... and its early peaks, before the first lock
        self._disagree = 0
        self._disagree_short = 0
        self._dotted_votes = 0  # comb estimates in a row with both windows at 3/4 of a young grid (check d)
        self._stable = 0  # consecutive comb estimates that agreed on the period
        self._phase_votes = 0
        self._swing_votes = 0  # consecutive onset votes for one odd eighth of the lattice
        self._swing_to = 0  # ... that eighth
        self._halve_votes: list[bool] = []  # the last HALVE_VOTES long-window estimates: halved grid's tempo?
        self._settle_until = -math.inf  # the comb's change checks wait until then
        self._kickless = -math.inf  # the last comb vote without a kick (``_long_heard_kicks``)
        self._left: tuple[float, float] | None = None  # (the period a challenger left, until when it is barred)
        self._moves: deque[GridMove] = deque(maxlen=MOVES_KEPT)
        self._t = 0.0
        self._clock_src: GridFit | None = None  # the grid ``_clock_fit`` was moved from
        self._clock_fit: GridFit | None = None
        self._check_at: float | None = None  # when the phase checks of the beat last shown are due

    @property
    def grid(self) -> GridFit | None:
        """The grid the tracker has fitted (None before the first lock); read-only, for traces
        and tests.  The clock fires on it moved by how its onsets rose (``_clock_grid``)."""
        return self._fit

    @property
    def moves(self) -> tuple[GridMove, ...]:
        """The last ``MOVES_KEPT`` grid moves, oldest first (read-only: which rule moved the grid
        when; ``bench/grid_trace.py``, round 21).  A refit's drift is not a move."""
        return tuple(self._moves)

    # -- input -------------------------------------------------------------------------

    def process_hop(self, hop: np.ndarray, t: float, cues: HopCues | None = None) -> None:
        if cues is None:
            if self._own_cues is None:
                from .features import FeatureExtractor
                self._own_cues = FeatureExtractor(self.sample_rate, self.hop)
            self._own_cues.process(hop)
            cues = self._own_cues
        self.clock.advance(t, self._clock_grid())  # beats due by now fire on the grid known *before* this hop
        if self.clock.take_due() and self._fit is not None and self._clock_fit is not None:
            # on a beat (or a snapshot's since the last hop), the phase checks run at the fitted
            # grid's beat, not at the shown one moved by the onsets' rise: run a hop earlier, a
            # check missed the beat's own hop (a phase flip came a beat later, round 22)
            self._check_at = self.clock.last + self._fit.anchor - self._clock_fit.anchor
        if self._check_at is not None and t >= self._check_at and self._fit is not None:
            self._check_at = None
            flipped = self.phase.check(self._fit, t, self._grid_since, self.evidence.kick_present(t, self._fit.period),
                                       self.evidence.entered)
            if flipped is not None:
                self._take(flipped, t, "phase")
                self._phase_votes = 0
        self._t = t
        self._loud = max(cues.rms, self._loud * self._loud_decay)
        self.downbeat.hop(t, cues.raw_bass)
        self.evidence.rate(t, cues.odf_raw, cues.raw_bass, self._rated)
        if cues.onset_time is not None:
            self.evidence.add(cues.onset_time - ONSET_LEAD_S, self.evidence.rise_time(cues.onset_time))
        self._strength(cues.bands_raw)
        self.cues(self._strength.flux, cues.bands_raw, getattr(cues, "power", None), t)
        self._quiet_s = self._quiet_s + self.hop / self.sample_rate if self._loud < SILENCE_RMS else 0.0
        if self._quiet_s >= RESTART_SILENCE_S:
            if self.proposer.filled:
                self.proposer.clear()  # new music after a silence gets a fresh estimate
            self._silent = self._fit is not None
            return
        if self._silent:
            self._silent, self._resume_at = False, t - self.hop / self.sample_rate
        if self._resume_at is not None and t - self._resume_at > RESUME_WAIT_S:
            self._resume_at = None
        self.proposer.push(self._strength.value, self._strength.low)
        self._hops_seen += 1
        hyps = None
        if self._hops_seen % ESTIMATE_HOPS == 0:
            early = self._fit is None or self._provisional()
            hyps = self.estimate(t, k=EARLY_PEAKS if early else None, rank=early)
            peaks = hyps  # (all of them: a tighter runner-up may take the first lock, lock_rules.lock_order)
            if not self.proposer.alternatives(t, self._fit is not None):
                hyps = hyps[:1]
        if hyps:
            same = self._hypothesis is not None and abs(hyps[0][1] / self._hypothesis[1] - 1.0) < STEADY
            self._stable = self._stable + 1 if same else 0
        if hyps and self._resume_at is not None:
            self._resume(hyps, t)
            return
        if hyps and self._fit is not None and self.detector.suspect is not None and self._challenge(t):
            return
        if hyps and self._fit is None:
            self._peaks = peaks
            self._first_lock(peaks, t, len(hyps))  # the best comb peak whose grid fits the onsets (lock_rules.lock_order)
            self._hypothesis = hyps[0]
            self._next_hyp = t + hyps[0][1]
        elif hyps and self._provisional() and abs(octave_ratio(hyps[0][1], self._fit.period) - 1.0) > DISAGREE:
            self._provisional_change(*hyps[0], t)
        elif hyps and t >= self._next_hyp:
            self._next_hyp = t + hyps[0][1]
            self.on_hypothesis(*hyps[0], t)
        elif cues.onset_time is not None and self._resume_at is None:
            if self._fit is not None:
                self._refit(t)
            elif self._hypothesis is not None:  # not locked yet: each onset may complete the evidence
                self._first_lock(self._peaks or [self._hypothesis], t, 1)  # (the comb's first peak, as before round 25)

    def _rated(self, ot: float, strength: float) -> None:
        """An onset's strength is known: a kick-strength one goes to the change detector."""
        if (self._fit is not None and not self._provisional()  # (provisional: the comb re-checks anyway)
                and self.evidence.is_kick(strength, ot)):
            self.detector.onset(self._fit, self.evidence, ot)

    def shift_phase(self, quarters: int) -> None:
        """Move the beats by ``quarters`` quarters of a beat now (a performer's nudge onto the
        "and"; tests mis-seed the grid with it).  The phase challenger takes it back within a
        few bars when the music says otherwise."""
        if self._fit is not None and quarters % 4:
            self._take(shifted(self._fit, quarters % 4), self._t, "nudge")
            self.phase.reset()

    def estimate(self, now: float, recent_s: float | None = None, k: int | None = None,
                 rank: bool = False) -> list[tuple[float, float]]:
        """(a recent beat time, period) for the comb's best ``k`` tempi (``tempo_proposer``)."""
        return self.proposer.estimate(now, self.evidence, recent_s, k or 1, rank)

    def state(self, t: float | None = None) -> BeatState:
        """The clock at ``t`` (default: the end of the last hop).  Beats predicted at or
        before ``t`` fire first, so the answer depends only on the audio so far and
        ``t``, not on how often this is called."""
        if t is None:
            t = self._t
        self.clock.advance(t, self._clock_grid())
        c = self.clock
        if c.count < 0 or self._fit is None:
            return BeatState(beats_per_bar=self.beats_per_bar, source=SOURCE)
        return BeatState(bpm=60.0 / self._fit.period, confidence=self._confidence(t), beat_count=c.count,
                         last_beat=c.last, next_beat=c.next, beats_per_bar=self.beats_per_bar,
                         bar_beat=self.downbeat.bar_beat(c.count), source=SOURCE)

    # -- grid ----------------------------------------------------------------------------

    def _take(self, fit: GridFit, now: float, rule: str) -> None:
        """A re-seeded grid (by ``rule``: ``GridMove``): the clock follows at once."""
        self._moves.append(GridMove(now, rule, self._fit, fit))
        if self._fit is None or abs(fit.period / self._fit.period - 1.0) > STEADY:
            self._grid_since = now  # a new tempo: the phase cues look at its audio only
            self._halve_votes = []
        self._fit = fit
        self.phase.regrid()  # the margins' noise is read again on the new grid
        self.clock.reseeded(self._clock_grid(), now)
        # votes for an odd eighth are of the lattice they were read on: a new grid starts them
        # again (else one vote could finish a stale count, a move after 1 beat of evidence)
        self._swing_votes = self._swing_to = 0

    def _clock_grid(self) -> GridFit | None:
        """The grid the clock fires on: the fitted one moved by how its onsets rose
        (``OnsetEvidence.timing_shift``), measured again whenever the grid changes."""
        fit = self._fit
        if fit is not self._clock_src:
            self._clock_src = fit
            self._clock_fit = None if fit is None else replace(
                fit, anchor=fit.anchor + self.evidence.timing_shift(fit, self._t))
        return self._clock_fit

    def _challenge(self, now: float) -> bool:
        assert self._fit is not None
        won = self.detector.challenge(self, self._fit, now)
        if won is None:
            return False
        fit, start = won
        # (a challenger at a 3:2 or 4:3 of the old tempo may be a busy groove's metrical
        # confusion, swung 8ths read at 3:2: the comb may take that one back at once; its
        # quick phase flip waits for more votes)
        relative = metrical(fit.period, self._fit.period)
        self._left = None if relative else (self._fit.period, start + COMB_WINDOW_S)
        # (a beat put on the change's first kick is not flipped on one vote: round 51)
        established = now - self._grid_since >= PHASE_WINDOW_S and not self.detector.bar_line
        self._take(fit, now, "detector")
        self._settle_until = start + RELOCK_WINDOW_S
        self.phase.fresh(now, established, fit.period, relative)
        self._disagree = self._disagree_short = self._phase_votes = 0
        return True

    def on_hypothesis(self, beat_t: float, period: float, now: float) -> None:
        """One comb estimate (its beat ``beat_t`` and octave-folded ``period``, at ``now``): the
        first lock, or a locked grid's refit, votes and checks.  ``process_hop`` calls it every
        ``ESTIMATE_HOPS``; a test may call it to present an estimate the comb would make."""
        self._hypothesis = (beat_t, period)
        if self._fit is None:
            self._try_lock(beat_t, period, now)
            return
        ev = self.evidence
        off = abs(octave_ratio(period, self._fit.period) - 1.0) > DISAGREE
        self._disagree = self._disagree + 1 if off else 0
        self._refit(now)
        if self._halve(period, now):
            return
        kick = ev.kick_present(now, self._fit.period) and not self.phase.kick_cue.stopped  # (``kick_cue``)
        if not kick:
            self._kickless = now
        # a lattice on a swung subdivision (``GridFit.off_quarter``) moves onto the stronger
        # onsets, only at the comb's tempo: onsets off every quarter of a grid the comb does not
        # agree with are a relative's beats (104's fall at thirds of a grid at 139; try 1 of round
        # 16 moved ramp-funk-104-84@numpy's 4:3 grid so, and it locked 6 s later)
        e = self._fit.off_quarter(PHASE_RATIO, SWING_VOTE_COUNT) if kick and not off else 0
        self._swing_votes = self._swing_votes + 1 if e and e == self._swing_to else (1 if e else 0)
        self._swing_to = e
        q = self._fit.stronger_phase(PHASE_RATIO) if kick else 0
        self._phase_votes = self._phase_votes + 1 if q else 0
        if self._swing_votes >= PHASE_BEATS:
            fit = fit_grid(ev.rows(), self._fit.anchor + e * self._fit.period / 8.0, self._fit.period, now,
                           curv=self._fit.curv)
            if fit is not None and fit.good_enough:
                # the beats were on the swung 8th (the cues' offsets never reach the beat from
                # there): they go with the lattice, and the cues put them on one of its quarters
                self._take(self.seed_phase(fit, now), now, "swing")
                self.phase.reset()
                self._phase_votes = 0  # (quarter votes too were of the old lattice)
            self._swing_votes = 0
        if self._phase_votes >= PHASE_BEATS:
            fit = fit_grid(ev.rows(), self._fit.anchor + q * self._fit.period / 4.0, self._fit.period, now,
                           curv=self._fit.curv)
            if fit is not None and fit.good_enough:
                # the lattice moves onto the stronger onsets; the beats stay where the cues put them
                self._take(replace(fit, offset=(self._fit.offset - q / 4.0) % 1.0), now, "lattice")
            self._phase_votes = 0
        if now < self._settle_until:
            return  # a challenger just took over: the comb's windows still hold the old grid
        if self.phase.kick_cue.stopped:
            return  # the kicks stopped (``kick_cue``): the comb and the onsets read a breakdown
        self._comb_checks(beat_t, period, now, off)

    def _provisional(self) -> bool:
        """Locked on less than ``FIRM_S`` of comb signal (just after the first lock, or
        after a restart from silence)."""
        return self._fit is not None and 0 < self.proposer.filled < FIRM_S * self._fs

    def _refit(self, now: float) -> None:
        """The grid refitted to the onsets (``refit.refit_grid``); not once the kicks stopped
        (``kick_cue``, round 23)."""
        assert self._fit is not None
        if self.phase.kick_cue.stopped:
            return
        # a loose refit keeps the period once the grid's tempo has settled (``refit``, round 27)
        fit = refit_grid(self.evidence.rows(), self._fit, now, settled=now - self._grid_since >= FIRM_S)
        if fit is not None:
            self._fit = fit

    def _confidence(self, t: float) -> float:
        """Fit residual x recent coverage x agreement with the comb, decaying without evidence."""
        fit = self._fit
        assert fit is not None
        q_fit = 1.0 / (1.0 + (fit.rms / CONF_RMS) ** 2)
        q_agree = 1.0 if self._disagree == 0 else CONF_DISAGREE
        gap = t - fit.latest - CONF_GRACE_BEATS * fit.period
        q_recent = math.exp(-max(0.0, gap) / CONF_DECAY_S)
        q_firm = CONF_PROVISIONAL if self._provisional() else 1.0  # an early guess at the metrical level
        q_phase = self.phase.confidence()  # how clearly the cues put the beat on this grid
        return float(min(1.0, max(0.0, q_fit * fit.coverage * q_agree * q_recent * q_firm * q_phase)))
