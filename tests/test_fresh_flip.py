"""The quick flip after a tempo change: one vote (round 33), for long enough at slow tempi
(round 30).

After the change detector's challenger replaces an established grid, its phase was read on
about 1 s of the new music (a margin that is that window's noise) and a half-beat flip needs
only ``FRESH_FLIP_BEATS`` votes: one, each check being a second read of the same new music
with more beats in it.  That quick flip lasts ``FRESH_FLIP_S`` or ``FRESH_FLIP_PERIODS`` of the
new grid's beats, whichever is longer: the first check after the take reads mostly the audio
the seed was read on (scripted cues, no audio).

The scripted reads are what the checks read over a window reaching back past the take (main
before round 47).  Since round 47 the checks a whole beat after the take read the audio since the
take alone, with a margin grown for its few beats (``FRESH_OWN_MIN_BEATS``,
``tests/test_fresh_own_read.py``); the vote counting here is tested with that read off."""

from __future__ import annotations

import math

import numpy as np

from vj.audio import phase_challenger
from vj.audio.grid_fit import GridFit
from vj.audio.phase_challenger import FRESH_FLIP_S, PhaseChallenger

HOP_S = 512 / 44100


class _ScriptedCues:
    """Phase cues that read the next of ``margins`` for the half-beat offset at each check
    (no kick activations: no kick entry is seen)."""

    dt = HOP_S

    def __init__(self, margins: list[float]):
        self.margins, self.t, self.act = list(margins), np.zeros(0), {}

    def bar_holds(self, fit, now, window_s, q, need):
        return False  # no bar read (round 54's veto)

    def margin(self, fit, now, window_s):
        return self.margins.pop(0), 2


#: What the cues read for the "and" at the checks after change-128-100-club@opl3's detector
#: took a 100 BPM grid on the "and" (round 30's trace: +0.057, +0.026, -0.088, -0.090, -0.092).
CLUB_VOTES = [0.057, 0.026, -0.088, -0.090, -0.092]
#: ... and after change-128-100-140@timgm's took a 140 BPM grid on the "and" (round 33's trace:
#: the seed read +0.22 for it over 1.0 s, the first check -0.15 over 1.34 s, the second -0.28).
BIGBEAT_VOTES = [-0.15, -0.28, -0.28]


def _checks_to_flip(margins: list[float], bpm: float, metrical: bool = False) -> int | None:
    """Checks (one a beat, a kick heard, the first 0.55 beat after the take) until the phase
    challenger moves a detector's fresh grid at ``bpm`` onto its "and" (``metrical``: the
    challenger is a 3:2 or 4:3 of the grid it replaced)."""
    period = 60.0 / bpm
    fit = GridFit(anchor=0.0, period=period, rms=0.001, onsets=8, beats=8, coverage=1.0, latest=20.0)
    pc = PhaseChallenger(_ScriptedCues(margins))
    take = 20.0
    pc.fresh(take, established=True, period=period, metrical=metrical)
    own, phase_challenger.FRESH_OWN_MIN_BEATS = phase_challenger.FRESH_OWN_MIN_BEATS, math.inf
    try:  # (the reads over the seed's window: round 47's read since the take off)
        for i in range(len(margins)):
            now = take + (0.9 + i) * period
            if pc.check(fit, now, take, kick=True) is not None:
                return i + 1
        return None
    finally:
        phase_challenger.FRESH_OWN_MIN_BEATS = own


def test_a_detectors_grid_on_the_and_flips_on_the_first_check_that_votes_for_it():
    """Round 33: one vote.  The big beat's first check after the take (0.34 s) flips it; the
    club's first vote, its third check (1.74 s after the take), does (two votes: the second and
    the fourth check)."""
    assert _checks_to_flip(BIGBEAT_VOTES, 140.0) == 1
    assert _checks_to_flip(CLUB_VOTES, 100.0) == 3


def test_a_challenger_at_a_4_3_of_the_old_tempo_flips_on_two_votes():
    """A 3:2 or 4:3 challenger may be a wrong reading (funk 100 -> big beat 140 taken at 136): a
    quick flip would put its beats on the new kicks and keep the right tempo's challenger away,
    so its quick flip needs two votes in a row."""
    assert _checks_to_flip(BIGBEAT_VOTES, 136.0, metrical=True) == 2
    assert _checks_to_flip([-0.15, 0.02, -0.2, 0.02, -0.2], 136.0, metrical=True) is None


def test_a_detectors_grid_on_the_and_at_100_bpm_flips_after_two_seconds_within_five_beats():
    """Round 30: a vote 2.34 s after the take, after ``FRESH_FLIP_S`` but within
    ``FRESH_FLIP_PERIODS`` beats at 100 BPM, still flips on the quick flip's votes."""
    assert (0.9 + 3) * 0.6 > FRESH_FLIP_S
    assert _checks_to_flip([0.057, 0.026, 0.03, -0.09, -0.09], 100.0) == 4


def test_the_quick_flip_ends_after_its_beats():
    """Votes that start only after five beats need the ordinary ``FLIP_BEATS`` in a row."""
    late = [0.06, 0.05, 0.04, 0.03, 0.02, 0.01, -0.2, -0.2, -0.2]
    assert _checks_to_flip(late, 100.0) is None
    assert _checks_to_flip(late + [-0.2], 100.0) == 10
