"""Whether the kicks have stopped, read from the phase cues' kick: low-band onsets whose pitch falls.

``OnsetEvidence.kick_present`` rates onsets by their bass rise times their attack, and a
breakdown's low arpeggio rates as high: in house-breakdown-126@opl3 (round 21) the arpeggio's
onsets reached 0.88 of the kicks' decayed peak, "no kick: hold" never applied, and the phase
challenger flipped onto the "and" 7 s into the breakdown.  What such a note does not do is
fall in pitch.  Round 23 read the phase cues' kick (``phase_cues``: low-band flux x its decay
and pitch fall) at its loudest hop in each labelled beat of that item: the kicks' pitch fall
0.58-0.77 (``FALL_GAIN`` x centroid bins, clipped to 1), the arpeggio's 0.00-0.18, its
low-band flux as high as the kicks' (8-13 against 11-16).

So the kick cue times the pitch fall (``PhaseCues.fall``) is read on each fired beat over that
beat, against its slow peak (time constant ``PEAK_TAU_S``, as the evidence's): a beat *hits* at
``SHARE`` of it.  On that item: 0.7-1.0 with kicks, under 0.12 in the arpeggio.  The kicks count
as *stopped* when no beat hit for ``BEATS`` beats after they hit on ``RUN_BEATS`` in a row
(windows of ``BEATS``): a cue that never saw the kicks says nothing (intro-techno-130@numpy:
that kit's kick under the intro's bass hardly falls in pitch, 0.04-0.19 of the peak all item
long, and it is the phase challenger that puts it on the beat).  They are back after
``BACK_HITS`` hits within ``BACK_BEATS`` beats: one arpeggio note stepping down reads as a kick
(house-breakdown-126@opl3 at 21.19 s, 0.55 of the peak, and again at 22.7 s): back on one hit,
four votes of the breakdown flipped the grid at 22.86 s, on two at 24.31 s.

Measured on the tuning split (every labelled beat after 4 s, cue values of the main tracker's
run, ``/tmp`` probes of round 23): steady-section beats read as stopped 58 of 6602 (most on
dnb-174-laptop@opl3, 23 of 76, and change-90-174@opl3, 11 of 65); back on two hits, 36 (but the
flip above); at share 0.2, 119-122; a level-only read of the kick cue (no pitch fall) at 0.6 of
its peak, 688.  house-breakdown-126@opl3 reads stopped from 13.3 s to the drums' return.

While the kicks are stopped the tracker holds its grid, as in a silence (``beat_tracker``): the
phase challenger does not vote (``PhaseChallenger.check``), the comb's checks after the refit
(lost, short, long) do not act, and the grid is not refitted.  The refit follows whatever onsets
come: a breakdown's pads and arpeggios bent it off tempo with no rule moving it (round 21: the
held-out techno breakdown through MuseScore, 139 -> 148 -> 144 BPM; round 23: chord stabs at 150
over a grid at 130, 130 -> 132 and beats 140 ms off, ``tests/test_beat_breakdowns.py``).  When
the drums return, the refit and the checks go on and move the grid if they must.  On a
generated breakdown (a legato bass arpeggio on every "and", same tests) main's challenger and
"lost" re-seed moved the grid onto the "and" for the whole breakdown.  Holding the refit also
while ``OnsetEvidence.kick_present`` reads no kick (try 1) held it in steady music whose
kick-strength onsets skip beats: from mid-music punk-180@numpy's phase flip came a beat later
(``bench/midstart.py``, lock 7.00 -> 7.33 s).
"""

from __future__ import annotations

import math
from collections import deque

from .phase_cues import KICK_DELAY, PhaseCues

#: Beats without a hit after which the kicks have stopped (as ``onset_evidence.KICK_BEATS``).
BEATS = 4
#: A beat hits at this share of the slow peak of the pitch-falling kick cue.
SHARE = 0.15
#: ... whose time constant is this (s; as ``onset_evidence.PEAK_TAU_S``).
PEAK_TAU_S = 20.0
#: The cue must have heard the kicks (a hit in each window of ``BEATS``) on this many fired
#: beats in a row (two bars) before their absence counts.
RUN_BEATS = 8
#: Back: this many hits within this many beats since they stopped.
BACK_HITS = 3
BACK_BEATS = 8


class KickCue:
    """Per fired beat: have the (pitch-falling) kicks stopped?"""

    def __init__(self) -> None:
        self._peak = 0.0
        self._peak_t = 0.0
        self._since_hit = math.inf  # fired beats since the last hit
        self._run = 0  # beats in a row with a hit in their window
        self._back: deque[bool] = deque(maxlen=BACK_BEATS)  # hits since they stopped
        self.stopped = False  #: the kicks were heard and have stopped (a breakdown)

    def check(self, cues: PhaseCues, now: float, period: float) -> bool:
        """Read the cue over the beat that fired at ``now`` (grid period ``period``); ``stopped``."""
        end = now - KICK_DELAY * cues.dt  # the kick activations known by now
        sel = (cues.t > end - period) & (cues.t <= end)
        m = float((cues.act["kick"][sel] * cues.fall[sel]).max()) if sel.any() else 0.0
        peak = self._peak * math.exp(-max(0.0, now - self._peak_t) / PEAK_TAU_S)
        if m >= peak:
            self._peak, self._peak_t, peak = m, now, m
        hit = m > 0.0 and m >= SHARE * peak
        self._since_hit = 0 if hit else self._since_hit + 1
        if self.stopped:
            self._back.append(hit)
            if sum(self._back) >= BACK_HITS:
                self.stopped, self._run = False, 1
        elif self._since_hit < BEATS:
            self._run += 1
        else:
            self.stopped = self._run >= RUN_BEATS
            self._run = 0
            self._back.clear()
        return self.stopped

