"""The one tempo range of vj's beat tracker, shared by `vj beats`, `vj rehearse` and `vj play`.

``TRACKER_BPM_RANGE`` (70-180 BPM) holds the beat a dancer taps in nearly all dance,
pop, rock and hip-hop: a tempo outside it is folded in by octaves (a swung hip-hop
groove at 92 is tracked at 92, not at the 184 of its 8ths; drum & bass at 174 stays
at 174, not 87).  A song's ``bpm_range`` (setlist) narrows it; a ``bpm_hint`` centres
the tracker's prior and narrows it to half an octave either side of the hint.
"""

from __future__ import annotations

import math

#: The tracker's tempo range in BPM: every tempo it reports lies inside.
TRACKER_BPM_RANGE: tuple[float, float] = (70.0, 180.0)
#: A hint narrows the range to hint / HINT_SPAN .. hint * HINT_SPAN.
HINT_SPAN = math.sqrt(2.0)


def tracker_range(song_range: tuple[float, float] | None = None,
                  bpm_hint: float | None = None) -> tuple[float, float]:
    """The range to track in: ``TRACKER_BPM_RANGE``, narrowed by a song's ``bpm_range`` and
    by a ``bpm_hint``.  A song range that would leave nothing is ignored, so an odd setlist
    never stops the tracker; a hint outside the range replaces it (the user knows the music).
    A range narrower than an octave is fine: a tempo that no octave brings inside is
    reported at the octave nearest to it."""
    lo, hi = TRACKER_BPM_RANGE
    if song_range is not None:
        a, b = sorted(float(x) for x in song_range)
        if max(lo, a) < min(hi, b):
            lo, hi = max(lo, a), min(hi, b)
    if bpm_hint is not None and bpm_hint > 0:
        a, b = bpm_hint / HINT_SPAN, bpm_hint * HINT_SPAN
        if lo <= bpm_hint <= hi:
            lo, hi = max(lo, a), min(hi, b)
        else:
            lo, hi = a, b  # a hint outside the range: the user knows the music
    return lo, hi
