"""A kick coming in under a bass or after FM hats: a new stream of thumps on another quarter.

``onset_evidence.ENTRY_RATIO`` sees a kick's entry only where its onsets are many times
stronger than the intro's: that strength (bass rise x attack) is raised by bass notes and
by OPL3's FM hats too, so an intro with a bass line (the kick no louder than the bass) or
with FM hats showed no entry (round 10).  What such an intro does not have is the kick's
*place*.  Per fired beat, a per-hop "thump with a click" (the phase cues' kick activation,
low-band flux that decays and falls in pitch, times their backbeat activation, broadband
flux at 1.1-5 kHz: a bass note has no click, a hat no thump) is folded at the grid's four
quarter-beat positions, beat by beat, over the last ``NEW_BEATS + OLD_BEATS`` beats.  An
entry is a quarter other than the grid's beats where

- each of the last ``NEW_BEATS`` beats holds at least ``NEW_SHARE`` of the strongest value
  in them, and ``NEW_RATIO`` times the strongest at that quarter in the ``OLD_BEATS`` before;
- the grid's own quarter held a stream through the old beats (``HELD_SHARE``) that plays on
  in the new ones (``KEEP_SHARE``): the intro's bass the grid locked on goes on under the
  kick.  A stream that stops as another starts (a breakdown's arp after the kick, a fill)
  is no entry.  On the tuning split, without that rule (and with any flip allowed after it),
  lofi, house-breakdown and rock in a room showed such streams and flips followed: lofi-swing-75
  F 0.68 -> 0.39, house-breakdown-126 0.65 -> 0.53 (OPL3) and 0.98 -> 0.94 (numpy kit).

Round 11, chosen on the tuning split (three true entries, a dozen false ones looked at):
intro-offbass-120@timgm's kick under its bass is found two beats in, at its first kick, and
so are the generated off-beat-bass intros of the tests; intro-techno-130 is not (through
OPL3 the stream is not new enough, through the numpy kit the intro's bass under the grid's
beats fades in the fold when the kick comes in).  Left on the tuning split: streams on a 16th
in steady electro and swung hip-hop (harmless: a 16th flip needs the cues by 0.3).  Each
quarter is compared with itself, so a grid on the "and" or a 16th off changes nothing.  The
phase challenger then lets a flip onto that quarter come on the cues since the entry
(``phase_challenger.STREAM_FLIP_MARGIN``).
"""

from __future__ import annotations

import numpy as np

from .grid_fit import GridFit
from .phase_cues import KICK_DELAY, PhaseCues

#: Beats that must each hold the new kick, and the beats before them that must not.
NEW_BEATS = 2
OLD_BEATS = 4
#: The new quarter's weakest kick against the old beats' strongest at that quarter.
NEW_RATIO = 4.0
#: ... and against the strongest kick activation anywhere in the new beats.
NEW_SHARE = 0.5
#: The grid's own quarter held a stream over the old beats (mean at least this share of
#: the new stream's top) and still does in the new beats (at least this share of that mean).
HELD_SHARE = 0.25
KEEP_SHARE = 0.5


def kick_entry(cues: PhaseCues, fit: GridFit, now: float) -> tuple[float, int] | None:
    """The time of the first kick of a new kick stream on ``fit``'s quarters, and its quarter
    (0: on the grid's beats, 1..3: that many quarters after them), or None."""
    end = now - KICK_DELAY * cues.dt  # the kick activations known by now
    p_end = float(fit.position(end))
    sel = (cues.t > end - (NEW_BEATS + OLD_BEATS) * fit.period * 1.05) & (cues.t <= end)
    t = cues.t[sel]
    if t.size == 0:
        return None
    k = cues.act["kick"][sel] * cues.act["backbeat"][sel]  # a low thump with a broadband click
    pos = fit.position(t)
    rel = p_end - pos
    inside = (rel >= 0.0) & (rel < NEW_BEATS + OLD_BEATS)
    if not inside.all():
        t, k, pos, rel = t[inside], k[inside], pos[inside], rel[inside]
    beat = rel.astype(int)  # 0 .. NEW_BEATS-1 new, then old
    q = np.rint(4.0 * (pos % 1.0)).astype(int) % 4
    m = np.zeros((NEW_BEATS + OLD_BEATS, 4))
    np.maximum.at(m, (beat, q), k)
    new = m[:NEW_BEATS].min(0)
    old = m[NEW_BEATS:].max(0)
    top = float(m[:NEW_BEATS].max())
    if top <= 0.0:
        return None
    ok = (new >= NEW_SHARE * top) & (new > NEW_RATIO * old)
    ok[0] = False  # a new stream on the grid's beats: nothing to move to
    if not ok.any():
        return None
    # the stream the grid was on (the intro's bass) played through the old beats and
    # plays on: a stream that stops as another starts is a breakdown or a fill, not an entry
    held = float(m[NEW_BEATS:, 0].mean())
    if held < HELD_SHARE * top or float(m[:NEW_BEATS, 0].max()) < KEEP_SHARE * held:
        return None
    qq = int(np.argmax(np.where(ok, new, -1.0)))
    first = (beat == NEW_BEATS - 1) & (q == qq)
    i = np.flatnonzero(first)
    return (float(t[i[np.argmax(k[i])]]), qq) if i.size else None
