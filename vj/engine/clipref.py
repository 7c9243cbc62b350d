"""What the engine knows about a clip (:class:`ClipRef`), and how it plays past its out point.

Split out of :mod:`vj.engine.show` (its "loop modes" and "ClipRef" seams): the renderer and the benches read
the crossfade window without the engine."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..focus.track import focus_at
from ..look.descriptor import ClipLook
from .framing import Framing, framing

#: how a clip plays past its out point (bank.toml's ``loop``): chosen from what import measured, again, again with
#: its tail crossfaded into its head, back and forth, or frozen on its last frame
LOOP_MODES = ("auto", "loop", "crossfade", "pingpong", "hold")
#: a crossfaded loop blends its last XFADE_SECONDS (at most XFADE_SHARE of the clip) into its first: long enough
#: that the blend reads as a dissolve, not a flash (4-6 frames are a flash), short enough to ghost only briefly
XFADE_SECONDS = 0.5
XFADE_SHARE = 0.25


def crossfade_window(length: float) -> float:
    """Seconds of a clip of ``length`` seconds that its crossfaded loop blends."""
    return max(0.0, min(XFADE_SECONDS, XFADE_SHARE * length))


@dataclass(frozen=True, slots=True)
class ClipRef:
    """What the engine needs to know about a clip (built from a bank's clip)."""

    id: str
    focus: tuple[float, float] = (0.5, 0.5)
    in_point: float = 0.0
    end: float | None = None   #: out point, or None when unknown (the decoder wraps at EOF)
    loop: str = "loop"   #: as played (never "auto": the bank resolves it)
    fps: float = 30.0
    #: measured focus keyframes ``(t, x, y, confidence)``, ``t`` in media time, that the clip follows while it
    #: plays (``vj.focus.track.followed``: confident ones only); empty: it holds ``focus``
    focus_track: tuple[tuple[float, float, float, float], ...] = ()
    aspect: float = 0.0   #: the source's width / height (0: unknown, taken as the output's)
    fit: str = "fill"     #: how it sits in a screen-shaped layer (``vj.engine.framing.FITS``)
    energy: float = 0.5   #: 0 calm .. 1 wild (bank.toml)
    look: ClipLook | None = None  #: what import measured of its picture (order "flow" reads it)

    def framing(self, output_aspect: float) -> Framing:
        """Source -> layer coordinates for an output of ``output_aspect`` (focus points are in the source's)."""
        return framing(self.aspect, output_aspect, self.fit)

    def focus_at(self, media_time: float) -> tuple[float, float]:
        """Where the camera heads at ``media_time`` (seconds into the file): the track, else ``focus``."""
        return focus_at(self.focus_track, media_time, self.focus)

    def media_time(self, elapsed: float) -> float:
        """Seconds into the file after ``elapsed`` seconds of playback, per loop mode.

        Matches what the decoder shows: a loop lasts exactly the clip's length; ping-pong
        does not repeat its first and last frames on the way back.
        """
        elapsed = max(0.0, elapsed)
        if self.end is None:
            return self.in_point + elapsed
        frame = 1.0 / self.fps
        length = max(self.end - self.in_point, frame)
        if self.loop == "hold":
            return self.in_point + min(elapsed, length - 0.5 * frame)
        if self.loop == "crossfade":
            # the first pass plays whole (its tail blending into the head); later passes start where the blend
            # ended, so each lasts length - window.  Reported: the picture fading out, until the blend is done
            w = min(crossfade_window(length), length - frame)
            if elapsed < length or w <= 0:
                return self.in_point + (math.fmod(elapsed, length) if w <= 0 else elapsed)
            return self.in_point + w + math.fmod(elapsed - length, length - w)
        if self.loop == "pingpong":
            period = max(2.0 * length - 2.0 * frame, frame)
            u = math.fmod(elapsed, period)
            # on the way back, frame k is on screen while the clock runs down through its slot
            return self.in_point + (u if u < length else period + frame - u - 1e-9)
        return self.in_point + math.fmod(elapsed, length)
