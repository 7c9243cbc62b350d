"""The comb's slower checks of vj's beat tracker, and its metrical-level vote after the lock.

Once per beat the locked grid is compared with the comb over the full window and over the
last ``RELOCK_WINDOW_S`` only.  The grid is re-seeded when (a) the short window disagrees on
``DISAGREE_BEATS`` beats in a row while the grid fit is slipping (residual over ``MISFIT_RMS``),
and the new grid fits the recent onsets ``TIGHTER_RATIO`` times more tightly (``tighter_fits``, round 53)
and catches more onset strength on its beats; 3:2 and 4:3 proposals count there only when the long window agrees (a busy groove reads
so for a few seconds); (b) the long window disagrees on ``DISAGREE_BEATS`` beats and the new
grid catches more on-beat strength over 6 s, fitted at most ``LOOSER_RATIO`` times looser (``strength_fits``,
round 48; or the comb scores it ``COMB_DOMINANCE`` times over the grid's tempo and it fits no looser:
``dominance_fits``, round 24), once that window has
heard kicks all through (a breakdown's pads set their own rhythm there: round 21); (c) onsets
go on but none landed on the grid for ``onset_evidence.LOST_BEATS`` beats, with a tempo change
or a kick still present (without a kick it is a breakdown or a build: hold); (d) a grid whose tempo
was set less than ``DOTTED_SPAN_S`` ago and that the short window reads at 3/4 of (the grid at 4:3,
through a groove's dotted 8ths) on ``DOTTED_BEATS`` beats in a row gives way to the short window's
tempo, whatever the strengths (round 35) but fitted no looser than the grid (``dominance_fits``, round 53), on one estimate for a first grid whose drums repeat more at half a
bar of the short window's tempo (``DOTTED_REPEAT``, round 46), and (b) does not take it back for a comb window; (b) never
moves a grid that is not slipping to 4:3 of its tempo (``dotted_up``, round 38); (e) a first grid (the first
lock's or its provisional re-seed's) at 3:2 of the tempo gives way to the comb's 2:3 reading where the
drums repeat and are accented (``repeat_cue``, round 37).  After the change
detector's take-over the checks wait until its short window has turned, and (b) does not take
the grid back to the tempo it left until the comb's long window has turned.  While the kicks
are out (``kick_cue``, round 23) none of them acts.

Metrical level: the grid halves its tempo when the comb keeps finding nothing between its
beats (``HALVE_VOTES``, ``_halve``; its own top at the half counts too, round 38).

``GridChecks`` is a mixin of ``beat_tracker.BeatTracker`` (split out of it with no change in
behaviour when it passed 500 lines): its methods read and set the tracker's state (``evidence``,
``proposer``, ``phase``, ``_fit``, ``_disagree``, ``_left``, ...) and call its ``_take``,
``estimate``, ``seed_lattice`` and ``seed_phase``.
"""

from __future__ import annotations

import math

from . import repeat_cue
from .grid_fit import GridFit, metrical, octave_ratio
from .tempo_comb import WINDOW_S as COMB_WINDOW_S

#: The short window of the change checks.
RELOCK_WINDOW_S = 2.5
#: Weighted residual RMS (s) of the grid fit above which the grid counts as slipping.
MISFIT_RMS = 0.008
#: The comb's period must disagree (octave-folded) by this much on this many beats in a
#: row, or onsets must stop landing on the grid, before the grid is re-seeded.
DISAGREE = 0.04
DISAGREE_BEATS = 2
#: ... and the comb's tempo replaces the grid's, whatever the onset strengths, when its
#: score over the whole window is this many times that of the grid's tempo (or an octave).
COMB_DOMINANCE = 2.0
#: Metrical level after the lock: the grid halves its tempo when, of the last
#: ``HALVE_VOTES`` estimates over the comb's whole window, ``HALVE_SHARE`` were its half
#: *because nothing plays between its beats* (``tempo_proposer``'s halving rule: a ballad at
#: 70 with 8th hats locks at 140 on its first seconds, before two bars of 70 fit the
#: comb's window).  Only that rule counts: a comb that merely prefers the half (its prior
#: leans to 120) would halve drum & bass at 174 (an octave vote on any proposal broke punk,
#: dnb and lofi items in round 1); and the comb's own peak at the half while nothing plays
#: between the *grid's* beats, the same rule read at the grid's period (round 38: a waltz at
#: 90 locked at 178.8 from mid-music has its comb top at 90 itself in 38 of 39 votes, none
#: halved by the rule; dnb-174 and punk-180 give 0-1 such votes a whole item).  8 votes
#: halved jazzwaltz-150-3-4@timgm's right grid on the rule's own flicker (round 38, not kept).
HALVE_VOTES = 16
HALVE_SHARE = 0.5
#: (d) a young grid through a groove's dotted 8ths (round 35): when the comb's short window reads
#: ``DOTTED_RATIO`` of the grid's tempo (within ``DISAGREE``) on this many estimates in a row,
#: within ``DOTTED_SPAN_S`` of the grid's tempo being set, its grid takes over whatever the
#: on-beat strengths.  A grid at 4:3 of the tempo has a dotted 8th's period (three 16ths): the
#: 3+3+2 figure of dembow, electro and funk puts an onset on most of its beats, so it passes the
#: lock and catches more strength than the tempo's grid (check b refuses the move).  The reverse, a
#: right grid with the comb at 3/4 of it, would be a 4/3-beat figure music rarely plays; the 2:3
#: readings (jungle's and half-time's dotted quarters: both windows at 110 for 165) are left to
#: checks (a)-(c).  Tuning split (every comb check of every item logged): two such readings in a
#: row came 9 times within 10 s of a grid's tempo being set, every one on a grid at 4:3 of the
#: labels (electro-128, funk-104@numpy, ramp-funk-104-84@numpy, reggaeton-98-club@timgm), never on
#: a right grid; (b) or the detector took those 1-3 s later (electro-128@numpy: short window at 128
#: from 1.8 s, (b) at 5.6 s).
#: Round 53: (d)'s grid must fit no looser than the grid it replaces (``dominance_fits``).  Every (d)
#: take of the tuning split from both starts (main, ``/tmp`` probe) was right, fitted at 1.3-4.0 ms
#: against the 4:3 grid's 1.3-6.7; once (a) no longer took trance-138-room@timgm's right grid
#: (``TIGHTER_RATIO``), (d) took it to 112.2 at 9.71 s (16.9 -> 26.1 ms) and to 99.7 at 21.55 s
#: (12.2 -> 24.3 ms): a room's tail read at 3/4 of the tempo by the short window.
DOTTED_RATIO = 0.75
DOTTED_BEATS = 2
DOTTED_SPAN_S = 2.0 * COMB_WINDOW_S
#: (e) a young grid at 3:2 of the tempo (round 37): when the comb (its long window's or its short
#: window's best) reads ``RELATIVES`` x the grid's period (within ``DISAGREE``), the kick-and-backbeat
#: pattern repeats more at 2 and 4 of those beats than at 2 and 4 of the grid's (``repeat_cue.gain``
#: over ``REPEAT_GAIN``) and the relative's own beats hold more of it than the grid's own
#: (``repeat_cue.accent`` over 0: a waltz's grid at 3/4 repeats as a 3:2 grid does), within
#: ``DOTTED_SPAN_S`` of the grid's tempo being set, the comb's grid takes over.  Logged at every comb
#: check of the tuning split and the mid-music cut (``/tmp`` probes, main's tracker): the comb's 2:3
#: reading alone came on 14 right grids (jungle, trap half-time, dnb, punk, rooms, the waltz) and one
#: at 3:2; with the gain over 0.1 on the waltz's only (+0.36) and the 3:2 grids
#: (hiphop-swing-90@timgm, from mid-music hiphop-90-crowd@timgm); the waltz's accent -0.4..-0.7, the
#: 3:2 grids' +0.01..+0.20.  Try 1 (6:5 too, no accent) moved no item at 6:5 and moved the waltz.
#: Only a first grid's tempo (``FIRST_RULES``: the first lock's or its provisional re-seed's): a
#: tempo one of the checks chose has had the comb's say (try 2, any young grid: from mid-music
#: trance-138-room@timgm's (b) grid at 10:9 of the tempo went to the 3:4 at 17.0 s and never came back).
RELATIVES = (1.5,)
FIRST_RULES = ("lock", "provisional")
REPEAT_GAIN = 0.1
#: (d) on one reading (round 46): a *first* grid (``FIRST_RULES``) that the short window reads at
#: ``DOTTED_RATIO`` of gives way at that first reading, not ``DOTTED_BEATS``, when a second read that
#: is not the comb's agrees: the kick-and-backbeat pattern repeats more at ``DOTTED_REPEAT``
#: beats of the short window's period than at as many of the grid's (``repeat_cue.gain`` over
#: ``REPEAT_GAIN``, round 37's floor).  Half a bar (not round 37's 2 and 4 beats): a bar of the
#: tempo does not fit the cues' first seconds.  Tuning split, every comb check of a first grid
#: within ``DOTTED_SPAN_S`` (``/tmp`` probe, main's tracker): the short window read 3/4 of the grid
#: 12 times from the first beat, never on a right grid (10 on grids at 4:3 of the labels, 2 on
#: other relatives), 3 from the mid-music cut (2 at 4:3, 1 at 3:2); the gain read +0.17..+0.76
#: on the 4:3 grids of funk-104@numpy, reggaeton-96@timgm, reggaeton-98-club (both sources) and
#: electro-128@numpy, -0.36..-0.04 on electro-128@timgm's (its figure is in the kicks: two
#: readings, as before), -0.05 and +0.06 on the 3:2 and 6:5 grids' readings.
DOTTED_REPEAT = (2,)


def dotted(period: float, other: float) -> bool:
    """Is ``other`` at 4:3 of ``period``'s tempo: ``DOTTED_RATIO`` of it, within ``DISAGREE``?"""
    return abs(other / period - DOTTED_RATIO) < DISAGREE * DOTTED_RATIO


def dotted_up(period: float, fit: GridFit) -> bool:
    """Would a grid of ``period`` put ``fit``, fitted within ``MISFIT_RMS`` (not slipping), at
    4:3 of its tempo (``DOTTED_RATIO`` of its period, within ``DISAGREE``)?  Then neither the
    provisional re-seed nor check (b) takes it (round 38): check (d)'s reverse.  The comb's 4:3
    reading of a right grid is a groove's dotted 8ths (3+3+2), and the 4:3 grid through them fits
    the onsets and catches on-beat strength; a grid at 3:4 of the music's beat fits its onsets
    loosely (its beats fall on every third 16th of the real ones).  Tuning split, every grid move
    of every item from both starts (main, round 38): 13 moves went to 4:3 of the grid's tempo;
    the 10 from a grid within 8 ms (1.8-5.4 ms) were all wrong (electro-128@timgm's (b) ping-pong
    between 128 and 170.7, seven times; ramp-funk-104-84@numpy's provisional flip back 103.4 ->
    138.7 and its (b) 84 -> 111 from mid-music); the two right ones ((b), trance-138-room@timgm
    101 -> 138, 104 -> 138) left grids fitted at 41 and 25 ms.  (Check a acts only on a slipping
    grid anyway; a lost grid, check c, is a cut or a change: its tempo may be anything.)"""
    return fit.rms <= MISFIT_RMS and dotted(fit.period, period)


#: (b) on on-beat strength (round 48): the comb's grid may replace the locked one only if it fits its
#: onsets within ``LOOSER_RATIO`` times the locked grid's residual (floored at ``MISFIT_RMS``).  In a room
#: the reverberation's tail lands between a right grid's beats and a relative's slower grid
#: catches more on-beat strength there, fitted three times looser.  Every (b) strength take of a
#: grid fitted looser on the tuning split (round 43's move probe, main's tracker, both starts): onto a relative from a right grid,
#: trance-138-room@timgm 137.3 -> 101.6 at 20.34 s (9.3 -> 28.5 ms, x3.06) and 137.8 -> 99.6 from
#: mid-music (9.9 -> 27.2 ms, x2.75); back onto the tempo from a wrong grid, rock-112-room@opl3
#: 180.7 -> 111.9 (15.4 -> 19.0 ms, x1.23) and hiphop-90-crowd@numpy 143.8 -> 90.8 from mid-music
#: (8.6 -> 20.0 ms, x2.33).  2.5 lies between the two groups.  (Round 43's try 2, no looser at all, refused
#: the two right ones too and was not kept.)
LOOSER_RATIO = 2.5


def strength_fits(new: GridFit, old: GridFit, tight: float) -> bool:
    """May more on-beat strength alone (check b) replace ``old`` by ``new``?  Not when ``new``
    fits its onsets over ``LOOSER_RATIO`` times looser than ``old`` (or than ``tight``,
    ``MISFIT_RMS``, for a grid fitted tighter than that): in a room a right grid fitted at 9 ms
    went to a relative at 28 ms on strength (trance-138-room@timgm 137.3 -> 101.6, round 43),
    and the beats left the labels for 4.5 s until (b) brought it back."""
    return new.rms <= LOOSER_RATIO * max(old.rms, tight)


#: (a) the short window's grid replaces a slipping one only if it fits the recent onsets at least
#: ``TIGHTER_RATIO`` times tighter (round 53; before: any tighter).  In a room the reverberation
#: smears the onsets around a right grid's beats: its refits read 15-30 ms while the tempo is right,
#: and a relative's grid through the same smeared onsets fits a little tighter.  Every (a) take of
#: the tuning split from both starts (main, ``/tmp`` probe; right: within 3 % of the labelled
#: tempo, the labels within 0.12 beat): off a right grid, trance-138-room@timgm 138.0 -> 145.0 at
#: 8.03 s (27.5 -> 23.4 ms, x1.18), trance-138-room@numpy 136.6 -> 118.9 at 27.54 s (x1.03) and
#: 138.9 -> 178.1 from mid-music (x2.34), ramp-funk-104-84@opl3 82.4 -> 112.3 from mid-music
#: (x1.95); onto the labelled tempo from a wrong one, hiphop-swing-90@timgm 134.7 -> 90.2 (x6.6),
#: trance-138-room@numpy 119.6 -> 138.0 (x3.38), trap-halftime-140@timgm 146.6 -> 140.0 from
#: mid-music (x8.0).  2.8 lies between the groups (their geometric middle).  A tempo change
#: comes by the change detector or (b)/(c): no (a) take of the split was one.  Not from a young first
#: grid (``FIRST_RULES``, set less than ``DOTTED_SPAN_S`` ago, as check e) to a metrical relative (3:2, 4:3, ``grid_fit.metrical``) of its tempo: a first
#: lock at a relative fits the groove's onsets about as tightly as the tempo (rounds 25-38), and
#: there the plain "tighter" holds as before.  With the ratio there too (try 1), trance-138-room@numpy's
#: provisional 91.7 (2:3) reached 138 only at 8.59 s instead of 7.20 s (its 138.0 at 6.54 s came
#: x2.23 tighter; the tuning split's mean lock +0.01 s); with the exception for any grid (try 2),
#: ramp-funk-104-84@opl3's (a) 82.4 -> 112.3 from mid-music (x1.95) came back, and with it for any
#: first grid (try 3) too: the ramp's refits had carried its first lock's 105 to 82.4 over 30 s.
TIGHTER_RATIO = 2.8


def tighter_fits(new: GridFit, old: GridFit, first: bool = False) -> bool:
    """May check (a) replace the slipping grid ``old`` by the short window's ``new``?  Only if
    ``new`` fits its onsets ``TIGHTER_RATIO`` times tighter, unless ``old`` is a young first grid
    (``first``: the first lock's or its provisional re-seed's, set less than ``DOTTED_SPAN_S`` ago)
    and ``new`` at a metrical relative of
    its tempo: a right grid in a room is loose too (trance-138-room@timgm went 138.0 -> 145.0 at
    27.5 -> 23.4 ms, round 53)."""
    if first and metrical(new.period, old.period):
        return new.rms < old.rms  # a first lock's 3:2 or 4:3 fits its onsets as tightly (rounds 25-38)
    return new.rms * TIGHTER_RATIO < old.rms


def dominance_fits(new: GridFit, old: GridFit, tight: float) -> bool:
    """May the comb's dominance alone (``COMB_DOMINANCE``, check b) replace ``old``
    by ``new``?  Only if ``new`` fits its onsets no looser than ``old`` does, or than ``tight``
    (``MISFIT_RMS``: a grid within it is not slipping, check a's own floor).

    In a room, crowd claps and reverberation are onsets out of time that raise the comb's
    score at a relative: on the tuning split (round 24) the dominance took a grid fitted within
    2.8-3.5 ms to one fitted at 26-29 ms that also caught less on-beat strength
    (hiphop-90-crowd@timgm 90 -> 112.7 at 21.7 s, rock-112-room@opl3 112.1 -> 105.4 at
    18.1 s), and the beats left the labels for seconds.  The grids the dominance is for (a 4:3
    grid through rolling 16ths, a tempo change that left the grid) fit no tighter than the
    comb's own, or have begun to slip."""
    return new.rms <= max(old.rms, tight)


class GridChecks:
    """The comb's checks of a locked grid (a mixin of ``BeatTracker``: see the module's docstring)."""

    def _comb_checks(self, beat_t: float, period: float, now: float, off: bool) -> None:
        """The comb's slower checks (a), (b) and (c) of a locked grid, once a comb estimate
        (``beat_t``, ``period``: its beat and octave-folded period; ``off``: it disagrees with
        the grid's tempo).  See the module's docstring."""
        ev = self.evidence
        # lost with the same tempo and no kick: a breakdown or a build, not a cut; hold
        lost = ev.lost(now, self._fit) and (off or ev.kick_present(now, self._fit.period))
        if lost:
            # the onsets stopped landing on the grid: a cut or a tempo change.  Start
            # again from the last few seconds only (the long window still holds the old tempo)
            for bt, p in self.estimate(now, RELOCK_WINDOW_S)[:1]:
                fit = self.seed_lattice(bt, p, now, since=now - RELOCK_WINDOW_S)
                if fit is not None and fit.good_enough:
                    self._take(self.seed_phase(fit, now, since=now - RELOCK_WINDOW_S), now, "lost")
                    self._disagree = 0
                    return
        # the same from the last few seconds only: a tempo change shows there first, and
        # in the grid's residual (onsets drifting off it); both must agree
        short = self.estimate(now, RELOCK_WINDOW_S)[:1]
        if short and self._dotted(*short[0], now):
            return
        if self._repeats((beat_t, period), short[0] if short else None, now):
            return
        off = bool(short) and abs(octave_ratio(short[0][1], self._fit.period) - 1.0) > DISAGREE and (
            not metrical(short[0][1], self._fit.period)  # or both windows say so
            or abs(octave_ratio(short[0][1], period) - 1.0) < DISAGREE)
        self._disagree_short = self._disagree_short + 1 if off else 0
        if self._disagree_short >= DISAGREE_BEATS and self._fit.rms > MISFIT_RMS:
            fit = self.seed_lattice(*short[0], now, since=now - RELOCK_WINDOW_S)
            # the new grid must also fit the recent onsets more tightly than the
            # slipping one (noisy onsets in a room can favour a wrong grid on strength alone)
            if fit is not None and fit.good_enough and tighter_fits(fit, self._fit, self._young_first(now)) and (  # round 53
                    ev.on_beat_strength(fit, now, RELOCK_WINDOW_S)
                    > ev.on_beat_strength(self._fit, now, RELOCK_WINDOW_S)):
                self._take(self.seed_phase(fit, now, since=now - RELOCK_WINDOW_S), now, "short")
                self._disagree = self._disagree_short = 0
                return
        if self._disagree >= DISAGREE_BEATS or lost:
            # the comb's tempo only replaces ours if its grid catches more onset strength
            # (a 3:2 proposal can fit the onsets of a busy groove as well as the truth), or if
            # the comb scores it far above ours (a 4:3 grid through rolling 16ths catches an
            # onset on every one of its beats); and while the long window holds a stretch
            # without a kick, (b) holds, as (c) does: what it reads there is a breakdown's pads
            # and arpeggios (``_long_heard_kicks``, round 21)
            fit = self.seed_lattice(beat_t, period, now) if lost or self._long_heard_kicks(now) else None
            if fit is not None and self._back_to_left(fit.period, now):
                fit = None  # the long window still holds the tempo a challenger just left
            if fit is not None and not lost and dotted_up(fit.period, self._fit):
                fit = None  # a tight grid's 4:3: the groove's dotted 8ths (round 38)
            dominant = self.proposer.long_best >= COMB_DOMINANCE * self.proposer.long_score(60.0 / self._fit.period)
            dominant = dominant and fit is not None and dominance_fits(fit, self._fit, MISFIT_RMS)  # round 24
            stronger = fit is not None and strength_fits(fit, self._fit, MISFIT_RMS) and (  # round 48
                ev.on_beat_strength(fit, now) > ev.on_beat_strength(self._fit, now))
            if fit is not None and fit.good_enough and (lost or dominant or stronger):
                self._take(self.seed_phase(fit, now), now, "lost" if lost else "long")
            self._disagree = 0

    def _dotted(self, beat_t: float, short: float, now: float) -> bool:
        """(d) the comb's short window (its beat ``beat_t`` and period ``short``) at
        ``DOTTED_RATIO`` of a young grid's tempo for ``DOTTED_BEATS`` estimates: its grid through
        the onsets, if good enough, takes over."""
        fit = self._fit
        at = dotted(short, fit.period)
        self._dotted_votes = self._dotted_votes + 1 if at and now - self._grid_since < DOTTED_SPAN_S else 0
        if self._dotted_votes < DOTTED_BEATS and not (self._dotted_votes and self._dotted_repeats(short, now)):
            return False
        self._dotted_votes = 0
        new = self.seed_lattice(beat_t, short, now)
        if new is None or not new.good_enough or not dominance_fits(new, fit, MISFIT_RMS):
            return False  # (a looser grid: a room's tail read at 3/4 of a right grid, round 53)
        self._left = (fit.period, now + COMB_WINDOW_S)  # (b) may not take the 4:3 back at once
        self._take(self.seed_phase(new, now), now, "dotted")
        self._disagree = self._disagree_short = 0
        return True

    def _dotted_repeats(self, short: float, now: float) -> bool:
        """Does a first grid's drum pattern repeat more at ``DOTTED_REPEAT`` beats of the short
        window's ``short`` period than of the grid's (check d on one reading, round 46)?"""
        if not self._first_tempo():
            return False
        g = repeat_cue.gain(self.cues, now, self._fit.period, short / self._fit.period, DOTTED_REPEAT)
        return g is not None and g > REPEAT_GAIN

    def _repeats(self, long: tuple[float, float], short: tuple[float, float] | None, now: float) -> bool:
        """(e) the comb (``long`` or ``short``: its beat and period) at ``RELATIVES`` of a young
        first grid's period, the drums repeating there more and accented on its own beats
        (``repeat_cue``): its grid takes over."""
        fit = self._fit
        vote = None
        if now - self._grid_since < DOTTED_SPAN_S and self._first_tempo():
            for rel in RELATIVES:
                want = rel * fit.period
                reading = next((r for r in (long, short) if r is not None and abs(r[1] / want - 1.0) < DISAGREE), None)
                if reading is not None:
                    g = repeat_cue.gain(self.cues, now, fit.period, rel)
                    if g is not None and g > REPEAT_GAIN:
                        a = repeat_cue.accent(self.cues, now, fit, *reading)
                        if a is not None and a > 0.0:
                            vote = reading
                            break
        if vote is None:   # one reading is enough: the gain and the accent each read the cues' whole window
            return False
        new = self.seed_lattice(*vote, now)
        if new is None or not new.good_enough:
            return False
        self._take(self.seed_phase(new, now), now, "repeat")
        self._disagree = self._disagree_short = 0
        return True

    def _young_first(self, now: float) -> bool:
        """A first grid (``_first_tempo``) whose tempo was set less than ``DOTTED_SPAN_S`` ago, as
        check (e) reads one (a ramp's refits carry a first lock's grid to another tempo: not young)."""
        return now - self._grid_since < DOTTED_SPAN_S and self._first_tempo()

    def _first_tempo(self) -> bool:
        """Was the grid's tempo set by ``FIRST_RULES``: the move made when it was last set
        (``_grid_since``; a resume's audio starts before its move: not a first grid)?"""
        for m in reversed(self._moves):
            if m.t == self._grid_since:
                return m.rule in FIRST_RULES
        return False

    def _long_heard_kicks(self, now: float) -> bool:
        """Kicks all through the comb's long window (``tempo_comb.WINDOW_S``): its proposal may
        replace the grid (check b).  In a breakdown of pads the comb reads the pads' rhythm, and
        for a window after the kicks return it still does; the grid holds until then
        (techno-breakdown-pads-130@numpy went 130 -> 92 -> 136 in its breakdown and came back 3.7
        s after the return; synthetic stabs at 97.5 under 130 moved it just after the return)."""
        return now - self._kickless >= COMB_WINDOW_S


    def _back_to_left(self, period: float, now: float) -> bool:
        """A grid at the tempo (octave-folded) that the change detector's challenger just left,
        while the comb's long window still holds audio from before the change: the long
        window's check (b) must not take it back (100 -> 140 BPM went back to 100 for 1.1 s).
        Not after a challenger at a 3:2 or 4:3 of it (swung hip-hop at 92 read at 138 for
        2.7 s instead of 1.3).  Also the 4:3 grid check (d) just left (round 35: electro-128@timgm's
        4:3 came back on on-beat strength 0.9 s after (d) left it)."""
        return (self._left is not None and now < self._left[1]
                and abs(octave_ratio(period, self._left[0]) - 1.0) < DISAGREE)


    def _halve(self, period: float, now: float) -> bool:
        """The metrical level after the lock (``HALVE_VOTES``): half the grid's tempo when the
        comb keeps finding nothing between its beats (its top halved by that rule, or its own
        top at the half with nothing between the grid's beats)."""
        fit = self._fit
        assert fit is not None
        # the comb's top at the grid's half, halved by its rule or its own peak there while nothing
        # plays between the grid's beats (round 38: the waltz's and the TimGM6mb ballad's comb reads so)
        half = abs(period / (2.0 * fit.period) - 1.0) < DISAGREE and (
            self.proposer.halved or self.proposer.nothing_between(fit.period))
        self._halve_votes = (self._halve_votes + [half])[-HALVE_VOTES:]
        if len(self._halve_votes) < HALVE_VOTES or sum(self._halve_votes) < HALVE_SHARE * HALVE_VOTES:
            return False
        self._halve_votes = []
        slow = self.seed_lattice(fit.at(math.floor(fit.position(now))), 2.0 * fit.period, now)
        if slow is None or not slow.good_enough or abs(slow.period / (2.0 * fit.period) - 1.0) > DISAGREE:
            return False
        self._take(self.seed_phase(slow, now), now, "halve")
        self._disagree = self._disagree_short = self._phase_votes = 0
        return True
