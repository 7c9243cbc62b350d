"""The phase challenger: which quarter-beat offset of the grid is the beat, kept under review.

The comb and the grid fit give the grid's timing; where on it the beat lies (on the
onsets, on the "and", a 16th either side) is the phase cues' call (``phase_cues``):

- **a seed** (every grid the tracker takes: first lock, re-seeds, the change detector's
  challenger) moves its beats to the offset the cues prefer by ``SEED_MARGIN`` over the
  audio it was fitted from (at least ``SEED_WINDOW_MIN_S``);
- **after each fired beat** the cues compare the grid with its offsets over the audio
  since its tempo was set (at most ``PHASE_WINDOW_S``); the half-beat offset takes over
  when it wins by ``FLIP_MARGIN`` on ``FLIP_BEATS`` beats in a row (``FRESH_FLIP_BEATS``
  just after the change detector's challenger replaced an established grid), a 16th
  either side by ``QUARTER_FLIP_MARGIN`` on ``QUARTER_FLIP_BEATS``; over a window shorter
  than ``PHASE_WINDOW_S`` (a grid whose tempo was just set) those margins grow as one over
  the root of its length (``short_window_margin``, round 13).  Without a kick in
  the last beats (a breakdown of pads and hats), or once the kick cue's pitch-falling kicks
  stopped (``kick_cue``: a low arpeggio, round 23), the grid holds.  A kick's entry after a
  kick-less intro (``OnsetEvidence.entered``) restarts that window at the entry and lets
  a flip come on ``ENTRY_FLIP_BEATS`` (round 10); so does a new stream of kicks on
  another quarter of the grid while the stream it was on plays on (``kick_entry``: a kick
  under the intro's bass, or after FM hats), and then the flip onto that quarter needs only
  the cues since the entry to prefer it (``STREAM_FLIP_MARGIN``, round 11).  The flip comes right after a beat, so
  the next beat moves earlier onto the new grid: the clock never runs back;
- **a clear phase** (what a lock on three onsets, or a challenger, needs): the beats
  ``PHASE_RATIO`` stronger than the other quarters, or a cue margin of ``CLEAR_MARGIN``;
- **confidence** counts the margin of the last check.

Split out of ``beat_tracker`` (round 8), unchanged in behaviour; the kick's entry added in round 10,
the new kick stream in round 11, the short window's margin in round 13.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .grid_fit import GridFit
from .kick_cue import KickCue
from .kick_entry import kick_entry
from .phase_cues import KICK_DELAY, PhaseCues

#: A locked grid moves to another quarter-beat position when the onsets there are
#: this much stronger than those on its beats (the tracker's onset vote); a clear phase
#: is the beats this much stronger than any other quarter.
PHASE_RATIO = 1.3
#: Phase challenger: after each fired beat the cues (``phase_cues``) compare the grid with
#: its half-beat offset over the last ``PHASE_WINDOW_S``; the grid moves half a beat when
#: the offset wins by ``FLIP_MARGIN`` on ``FLIP_BEATS`` beats in a row.
PHASE_WINDOW_S = 6.0
FLIP_MARGIN = 0.05
FLIP_BEATS = 4
#: A 16th either side (a syncopated groove puts cues there) needs more: this margin, on
#: this many beats.
QUARTER_FLIP_MARGIN = 0.15
QUARTER_FLIP_BEATS = 8
#: After the change detector's challenger replaces a grid held for at least a phase window
#: (``PHASE_WINDOW_S``: new music, not the correction of an early reading), its phase was
#: read on 1-2 s of that music: a half-beat flip then needs only this many beats in a row,
#: for this many seconds.  (After corrections of early 4:3 readings of dembow, grids held
#: 2-4 s, the cues' first beats favour the "and": reggaeton at 96 never locked.)  One (round
#: 33; it was 2, round 7): the seed's margin over about 1 s of new music is that window's noise
#: (change-128-100-140@timgm: +0.22 for the "and" at the take, -0.15 one beat later over the
#: same start), and each check is a second read of the same music with more beats in it.  On
#: the tuning split the three detector grids taken on the "and" flip 0.4-0.6 s sooner (re-lock
#: 2.06 -> 1.93 s); rock-112-room@opl3's false take at 178 (a wrong tempo) flips twice on single
#: votes (F 0.832 -> 0.807; one quick flip per take did not change it).
FRESH_FLIP_BEATS = 1
#: ... but this many after a challenger at a 3:2 or 4:3 of the grid it replaced
#: (``grid_fit.metrical``: possibly a wrong reading, as the comb's take-back allows, round 7).
#: A quick flip puts such a grid's beats on the new kicks, so the detector's second challenger
#: (the right tempo) no longer comes: funk 100 -> big beat 140 taken at 136 (4:3) on the "and"
#: flipped on one vote at +2.41 s, and the comb took it back to 100 at +3.06 s
#: (``test_after_a_change_the_comb_does_not_take_the_grid_back_to_the_old_tempo``; on two votes
#: a challenger took 140 at +2.55 s).
FRESH_METRICAL_FLIP_BEATS = 2
FRESH_FLIP_S = 2.0
#: ... and for at least this many beats (round 30): the first check after the take reads
#: mostly the audio the seed was read on (its window starts ``SEED_WINDOW_MIN_S`` before the
#: take), so the quick flip gets two runs of ``FRESH_FLIP_BEATS`` votes after it (two votes then).  At 100
#: BPM 2 s held three checks: change-128-100-club@opl3's detector grid on the "and" (cue
#: margin +0.03 over 1.3 s of new music, phase cleared on the onsets' strength) read +0.06,
#: +0.03, -0.09 there, and its second vote (-0.09, at +2.33 s) came after the 2 s: the
#: flip waited for 4 votes, 3.55 s after the take.  Above 150 BPM 2 s is longer.
FRESH_FLIP_PERIODS = 5.0
#: ... and during that span each check reads the cues over the audio since the take only, once
#: that holds this many of the new grid's beats with their kick cue written (``phase_cues.KICK_DELAY``
#: hops after them), with the vote's margin grown for the few beats it saw (``short_window_margin``)
#: (round 47).  Before, the check's window began ``SEED_WINDOW_MIN_S`` before the take, so the
#: first checks re-read the seed's own second of audio and agreed with it.  Traced on the tuning
#: split's detector grids taken on the "and" (main): change-128-100-club@opl3, seed +0.03 for the
#: "and" (the lattice's own phase, cleared on the onsets' strength), checks +0.06, +0.03, -0.09
#: (the flip, 1.73 s after the take); over the audio since the take alone -0.33, -0.16, -0.16.
#: One whole beat: a read over less folds one beat's hits, not a pattern, and swings by half a
#: unit (tried first at half a beat: change-90-174@numpy's grid taken on the beat read -0.45
#: over the 0.92 beat since its take and flipped onto the "and"; change-128-100-140@opl3's
#: 100 -> 140 grid on the "and" read -0.50 over 0.41 s and -0.14 over 0.44 s).
FRESH_OWN_MIN_BEATS = 1.0
#: A kick's entry (``onset_evidence.ENTRY_RATIO``: the first kicks after a kick-less intro)
#: restarts the phase window there: for 6 s the cues look at the music since the entry only
#: (the window held the intro's hats and bass, and the right phase won only 4.5-5.3 s after
#: the kick came in, round 9), and for ``ENTRY_FLIP_PERIODS`` beats after it a flip needs
#: ``ENTRY_FLIP_BEATS`` beats in a row, a 16th either side by ``ENTRY_QUARTER_MARGIN``.
#: Entries before the challenger's first check (the music's start) do not count.
ENTRY_FLIP_BEATS = 2
ENTRY_FLIP_PERIODS = 3.0
ENTRY_QUARTER_MARGIN = 0.3
#: After a new kick stream (``kick_entry``: a kick coming in under the intro's bass, off the
#: grid's beats; seen two beats in, so its ``ENTRY_FLIP_PERIODS`` count from the check that
#: saw it), a flip goes onto the stream's quarter only; onto the "and", the cues since the
#: entry need only prefer it to the grid's beats, on ``ENTRY_FLIP_BEATS`` beats: on the
#: generated off-beat-bass intros (kick 9 dB under the bass) they read -0.05..-0.13 there,
#: under the 0.05 of a half-beat flip on one beat of two.  A 16th either side keeps
#: ``ENTRY_QUARTER_MARGIN`` (with 0, two steady tuning items, electro and swung hip-hop,
#: flipped off the beat onto a 16th on such a stream; no intro needed it).  Once on the
#: stream, no quick flip back.
STREAM_FLIP_MARGIN = 0.0
#: ... the first vote after the entry waits until its window holds this many beats.
ENTRY_MIN_BEATS = 0.5
#: ... the window starts this long before the entry's onset (the kick cue's hop, and the
#: onset's lead, ``beat_tracker.ONSET_LEAD_S``).
ENTRY_LEAD_S = 0.05
#: A seed is moved half a beat when the cues prefer that by ``SEED_MARGIN`` over the
#: audio it was fitted from (at least ``SEED_WINDOW_MIN_S``).
SEED_MARGIN = 0.05
SEED_WINDOW_MIN_S = 1.0
#: A lock on three onsets, or a challenger, needs a clear phase: the beats ``PHASE_RATIO``
#: stronger than the other quarters, or a cue margin of ``CLEAR_MARGIN``.
CLEAR_MARGIN = 0.15
#: A steady grid's half-beat flip (not just after a kick's entry or the change detector's take)
#: also needs each vote's margin to stand out of the margins' own noise: beyond ``SPREAD_K``
#: times it, the noise being the RMS of successive differences over root 2 of the margins read
#: on this grid with a kick heard over the last ``PHASE_WINDOW_S``, once ``SPREAD_MIN_CHECKS``
#: were (a drift as the window fills with new music does not raise it; any take of a grid or
#: kick entry starts them again).  Round 44: in a room (rock-112-room@opl3, 112 BPM) the margins
#: of a right grid wander +0.10..-0.04 (noise 0.033-0.039 over 6 s); four of -0.056..-0.143 in
#: a row flipped it onto the "and" at 14.48 s, where they wander as much the other way and
#: nothing brought it back.  At 1.5 x the first (-0.056 against 0.059) is no vote; a mis-seeded
#: grid's margins are steady and large, and its flip stands.  (Try 1, the s.d. about the mean
#: over margins of earlier grids and kick-less checks, delayed the right flips after a kick's
#: entry and a lattice move: intro-techno-130 both, lofi-swing-75@numpy.)
SPREAD_K = 1.5
SPREAD_MIN_CHECKS = 6
#: The check votes on the offset the cues rate highest, but a 16th needs a larger margin and
#: more votes than the half-beat offset.  When a 16th rates above the half yet short of its own
#: margin, while the half beats the grid by the half's, the half votes (round 49).  Traced on
#: intro-techno-130@numpy (main): after the kick's entry at 7.38 s, over the audio since it, the
#: grid (on the intro's off-beat bass) read 0.09-0.15 against 0.22-0.31 for the 16th before the
#: labelled beat and 0.22-0.29 for the beat itself (the numpy kit's kick folds over both): the
#: best rival was the 16th (margins -0.13..-0.20, under the 0.3 a 16th needs just after an entry
#: and the 0.15 grown to 0.28-0.21 for the short window after it), no vote came from 8.09 to
#: 10.40 s, and the flip onto the beat waited until the half rated highest (12.24 s; F 0.788).
#: With the half voting: the flip at 8.09 s, tuning F 0.9424 -> 0.9438, no other item moved.
HALF_UNDER_QUARTER = True
#: The learned bar template (``phase_cues.bar_holds``, round 52's ``BAR_WEIGHT``) may only stop a
#: vote for a flip, never cast one, and the margins' noise (``_spread``) is read without it.
#: Round 52 added it to every read: it flipped rock-112-room@opl3's right grid onto the "and",
#: where the bar reads the "and" (and, switching on and off earlier, lowered the spread guard).
#: Round 54, tuning split: see docs/BEATS.md.
BAR_VETO = True
#: Confidence counts the phase margin: ``CONF_PHASE_FLOOR`` at 0, 1 at ``CONF_PHASE_FULL``.
CONF_PHASE_FLOOR = 0.5
CONF_PHASE_FULL = 0.25


def short_window_margin(margin: float, window_s: float) -> float:
    """The margin a vote needs when the cues read only ``window_s`` of audio (a grid whose
    tempo was just set): ``margin`` x sqrt(``PHASE_WINDOW_S`` / ``window_s``).  A margin is
    a difference of means over the beats folded, so its noise falls as one over the root of
    their number: a fixed margin over a 1.5 s window is four times as likely to be crossed
    by chance as over 6 s (round 13: reggaeton-96@timgm, re-seeded at 96 after a 4:3 reading
    at 128, flipped onto the "and" on 4 votes of -0.05..-0.12 read over 1.5-3.4 s)."""
    return margin * math.sqrt(PHASE_WINDOW_S / min(PHASE_WINDOW_S, max(window_s, 1e-3)))


def shifted(fit: GridFit, q: int) -> GridFit:
    """``fit`` with its beats ``q`` quarters of a beat later (its lattice stays on the onsets)."""
    return replace(fit, offset=(fit.offset + q / 4.0) % 1.0)


class PhaseChallenger:
    """The phase decisions on the tracker's grids, from its ``PhaseCues``."""

    def __init__(self, cues: PhaseCues):
        self.cues = cues
        self.margin = 0.0  #: the cues' margin for the grid at the last check
        self._votes = 0
        self._to = 0  # the offset those votes are for
        self._fresh_until = -math.inf  # a challenger's grid: its half-beat flip needs FRESH_FLIP_BEATS
        self._fresh_at = math.inf  # ... taken then (its checks read the audio since then, round 47)
        self._fresh_need = FRESH_FLIP_BEATS  # ... votes (FRESH_METRICAL_FLIP_BEATS after a 3:2 or 4:3)
        self._entry = -math.inf  # the kick's entry the phase window restarts at
        self._entry_until = -math.inf  # the flips after it are quicker until then
        self._entry_to: int | None = None  # the quarter a new kick stream came in on (None: any)
        self._checked = math.inf  # the first check (entries before it are the music's start)
        self._history: list[tuple[float, float]] = []  # (check time, margin) on this grid
        self._history_since: tuple[float, float] | None = None  # the grid's tempo and kick entry they were read on
        self.kick_cue = KickCue()  #: whether the pitch-falling kicks have stopped (round 23)

    def reset(self) -> None:
        """A grid whose phase was just decided otherwise: the votes start again."""
        self._votes = 0

    def regrid(self) -> None:
        """The tracker took another grid (any move: a re-seed, the lattice, a flip): the
        margins read on the one before say nothing about this one's noise."""
        self._history = []

    def fresh(self, now: float, established: bool, period: float = 0.0, metrical: bool = False) -> None:
        """The change detector's challenger just replaced the grid (``established``: a grid
        held for a phase window): for ``FRESH_FLIP_S``, or ``FRESH_FLIP_PERIODS`` of the new
        grid's beats (``period``, s) if longer, its half-beat flip is quicker: one vote, two
        when its tempo is a 3:2 or 4:3 of the old one (``metrical``)."""
        span = max(FRESH_FLIP_S, FRESH_FLIP_PERIODS * period)
        self._fresh_until = now + span if established else -math.inf
        self._fresh_at = now
        self._fresh_need = FRESH_METRICAL_FLIP_BEATS if metrical else FRESH_FLIP_BEATS
        self._votes = 0

    def seed(self, fit: GridFit, now: float, since: float = -math.inf) -> GridFit:
        """A seeded lattice's beats: the beat, the "and" or a 16th, as the cues over the audio
        the grid was fitted from (``since``) decide."""
        window = max(SEED_WINDOW_MIN_S, min(PHASE_WINDOW_S, now - since))
        m, q = self.cues.margin(fit, now, window)
        return shifted(fit, q) if m < -SEED_MARGIN else fit

    def clear(self, fit: GridFit, now: float, window_s: float = PHASE_WINDOW_S) -> bool:
        """The beats are clearly the strongest quarter, or the cues clearly put the beat there."""
        r = round(4 * fit.offset) % 4  # the quarters from the beats, not the lattice
        s = fit.strength[r:] + fit.strength[:r]
        return s[0] > PHASE_RATIO * max(s[1:]) or self.cues.margin(fit, now, window_s)[0] > CLEAR_MARGIN

    def check(self, fit: GridFit, now: float, grid_since: float, kick: bool,
              entered: float = -math.inf) -> GridFit | None:
        """On each fired beat: the grid moved to the offset that has won its votes, or None.
        ``grid_since``: when the grid's tempo was set (the cues look at its audio only);
        ``kick``: a kick-strength onset came in the last beats; ``entered``: the last kick
        entry (``OnsetEvidence.entered``)."""
        self._checked = min(self._checked, now)
        kick = not self.kick_cue.check(self.cues, now, fit.period) and kick
        to = None  # an entry seen by the strength ratio: a flip to any offset
        new_kick = kick_entry(self.cues, fit, now)
        if new_kick is not None and new_kick[0] > entered:
            entered, to = new_kick  # a new kick stream off the grid's beats: a flip onto it only
        if entered > self._entry and entered >= self._checked:
            # (a new kick stream is seen two beats in: its flips may come for as long from then)
            self._entry, self._votes, self._entry_to = entered, 0, to
            self._entry_until = (entered if to is None else now) + ENTRY_FLIP_PERIODS * fit.period
        window = min(PHASE_WINDOW_S, max(SEED_WINDOW_MIN_S, now - grid_since + SEED_WINDOW_MIN_S))
        since_entry = now - self._entry + ENTRY_LEAD_S
        window = min(window, since_entry)
        fresh = now < self._fresh_until
        own_s = now - self._fresh_at + ENTRY_LEAD_S  # (the onset's lead, as after an entry)
        own = fresh and own_s >= FRESH_OWN_MIN_BEATS * fit.period + KICK_DELAY * self.cues.dt
        if own:  # just after the detector's take: the new grid's own audio, not the seed's again
            window = min(window, own_s)
        self.margin, q = self.cues.margin(fit, now, window)
        entry = now < self._entry_until
        spread = self._spread(now, grid_since, kick)
        if HALF_UNDER_QUARTER and q != 2:
            q, self.margin = self._half_under_quarter(fit, now, window, q, entry, fresh, own, spread)
        half = q == 2
        if since_entry < ENTRY_MIN_BEATS * fit.period:
            return None  # a few hops since the entry: no read yet, the votes wait
        if not kick:
            # a breakdown of pads and hats: what the cues read there says little about the
            # beat (hats alone put it on the "and" as often as not); the grid holds.  So
            # does it once the pitch-falling kicks stopped (``kick_cue``): a low arpeggio
            # rates as strong as the kicks (house-breakdown-126@opl3 flipped in it, round 21)
            self._votes = 0
            return None
        if entry and self._entry_to is not None and q != self._entry_to:
            self._votes = 0  # after a new kick stream, only a flip onto it
        elif self.margin < -(bar_need := max(self._vote_margin(half, entry, fresh, window, own),
                                         SPREAD_K * spread if half and not entry and not fresh else 0.0)) \
                and not (BAR_VETO and self.cues.bar_holds(fit, now, window, q, bar_need)):
            self._votes = self._votes + 1 if q == self._to else 1
            self._to = q
        else:
            self._votes = 0
        if entry:
            need = ENTRY_FLIP_BEATS
        elif half:
            need = self._fresh_need if fresh else FLIP_BEATS
        else:
            need = QUARTER_FLIP_BEATS
        if self._votes < need:
            return None
        self._votes = 0
        self.margin = -self.margin
        self._history = []  # a new grid: its margins' noise is read again
        if self._entry_to is not None:
            self._entry_until = -math.inf  # on the new kick stream now: no quick flip back
        return shifted(fit, q)

    def _half_under_quarter(self, fit: GridFit, now: float, window: float, q: int, entry: bool,
                            fresh: bool, own: bool, spread: float) -> tuple[int, float]:
        """The rival to vote on: a 16th ahead of the half-beat offset that does not win by
        its own (larger) margin, while the half-beat offset wins by the half's, leaves the vote
        to the half (``HALF_UNDER_QUARTER``); else ``q`` and the check's margin as read."""
        quarter_need = self._vote_margin(False, entry, fresh, window, own)
        if self.margin < -quarter_need:
            return q, self.margin  # the 16th votes on its own margin
        s = self.cues.scores(fit, now, window)
        half_margin = float(s[0] - s[2])
        half_need = max(self._vote_margin(True, entry, fresh, window, own),
                        SPREAD_K * spread if not entry and not fresh else 0.0)
        if half_margin < -half_need and (self._entry_to is None or not entry or self._entry_to == 2):
            return 2, half_margin
        return q, self.margin

    def _spread(self, now: float, grid_since: float, kick: bool) -> float:
        """The noise of the margins read on this grid (with a kick heard, since the last kick
        entry) over the last ``PHASE_WINDOW_S`` before this check: the root mean square of
        their successive differences over root 2, which a steady drift (the window filling
        with new music) does not raise; 0 with fewer than ``SPREAD_MIN_CHECKS``.  This
        check's margin (``self.margin``) joins them after."""
        if (grid_since, self._entry) != self._history_since:
            self._history, self._history_since = [], (grid_since, self._entry)
        self._history = [(t, m) for t, m in self._history if t > now - PHASE_WINDOW_S]
        past = [m for _, m in self._history]
        if kick:
            self._history.append((now, self.margin))
        if len(past) < SPREAD_MIN_CHECKS:
            return 0.0
        return math.sqrt(sum((b - a) ** 2 for a, b in zip(past, past[1:])) / (2 * (len(past) - 1)))

    def _vote_margin(self, half: bool, entry: bool, fresh: bool, window: float, own: bool = False) -> float:
        """The margin by which an offset must win for a vote.  Just after a kick's entry or a
        change to new music (``fresh``) the seed's phase was read on a second or two, and the
        quick flips read the new music only: their margins stand, except over the audio since
        the detector's take alone (``own``, ``FRESH_OWN_MIN_BEATS``).  Otherwise a window shorter
        than ``PHASE_WINDOW_S`` (a grid whose tempo was just set) needs more
        (``short_window_margin``)."""
        if entry:
            if half:
                return STREAM_FLIP_MARGIN if self._entry_to is not None else FLIP_MARGIN
            return ENTRY_QUARTER_MARGIN
        if half and fresh and not own:
            return FLIP_MARGIN
        return short_window_margin(FLIP_MARGIN if half else QUARTER_FLIP_MARGIN, window)

    def confidence(self) -> float:
        """How clearly the cues put the beat on the grid rather than on an offset (0.5..1)."""
        return min(1.0, CONF_PHASE_FLOOR + (1.0 - CONF_PHASE_FLOOR) * max(0.0, self.margin) / CONF_PHASE_FULL)

    @property
    def votes(self) -> int:
        """Consecutive checks that voted for the same other offset (traces: ``bench/phase_trace.py``)."""
        return self._votes
