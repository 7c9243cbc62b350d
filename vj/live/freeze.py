"""The frozen-output detector: the picture stopped while the show runs on.

A frame loop can run at a healthy rate while the audience sees a still (a stuck decoder, a clip
that never drew, the show clock held back: issue 14's fault 1 froze the picture for 80 s behind
normal frame statistics).  So the player looks at what it shows: after each frame the output is
drawn into a small image (``PROBE`` pixels, read back through a pixel buffer one frame later, so the
GPU is never waited for) and hashed.  A run of identical images while the frame description says
the picture should move (the show clock advanced, not in blackout) is a freeze; so is a single frame
interval that long (the loop itself stood still).  A run of black images outside a blackout is
counted too.  Both are said on stderr and in the panel once they pass ``SAY_AFTER``, and their
longest stretches go into ``--stats`` (``frozen_s_max``, ``black_s_max``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

import moderngl
import numpy as np

from ..engine import FrameDesc
from ..gfx.compositor import Compositor
from ..gfx.context import release_framebuffer

#: the size of the image the output is sampled into: 128x72 = 9,216 points, enough that a slow
#: push-in (0.0008 doublings a frame at 60 fps) moves some of them by a level every frame
PROBE = (128, 72)
#: seconds a frozen or black stretch lasts before it is said (what an audience notices as "stuck")
SAY_AFTER = 1.0
#: mean level (0-255) under which the sampled output counts as black
BLACK_LEVEL = 3.0
#: seconds a frame description may lag the show's time before it counts as stale (a failed tick)
STALE = 0.1
#: samples a second at most: a freeze worth saying lasts SAY_AFTER (1 s), and each sample is a draw of the
#: output plus a read back that waits for the frame (on software GL: 12 % of the frame thread at 1280x720/60,
#: py-spy, when it ran every frame)
SAMPLE_HZ = 15.0
#: a frame this close before a sample is due counts as due (frame clocks jitter by a millisecond or two)
DUE_SLACK = 0.002


@dataclass(slots=True)
class Stretch:
    """One kind of stretch (frozen or black): the current run and the longest."""

    kind: str
    run: float = 0.0
    longest: float = 0.0
    count: int = 0        #: stretches that lasted longer than SAY_AFTER
    said: bool = False
    starts: list[float] = field(default_factory=list)   #: show times at which a said stretch began

    def extend(self, dt: float) -> bool:
        """Add ``dt`` to the run; True when the run just passed SAY_AFTER."""
        self.run += dt
        self.longest = max(self.longest, self.run)
        if self.run >= SAY_AFTER and not self.said:
            self.said = True
            self.count += 1
            return True
        return False

    def end(self) -> float | None:
        """The run is over; its length if it had been said."""
        run, was = self.run, self.said
        self.run, self.said = 0.0, False
        return run if was else None


class FreezeWatch:
    """``sample(now, desc)`` after each frame is drawn; ``say(level, text)`` reports stretches."""

    def __init__(self, ctx: moderngl.Context, compositor: Compositor, say: Callable[[str, str], None],
                 rate: float = SAMPLE_HZ):
        """``rate``: samples a second at most (0: every frame)."""
        self.ctx = ctx
        self.every = 1.0 / rate if rate > 0 else 0.0
        self._due: float | None = None   # when the next frame is looked at
        self.compositor = compositor
        self.say = say
        w, h = PROBE
        self._tex = ctx.texture(PROBE, 4, dtype="f1")
        self._fbo = ctx.framebuffer(color_attachments=[self._tex])
        self._buf = ctx.buffer(reserve=w * h * 4)
        self._pending: tuple[float, tuple, float, bool] | None = None   # (when, desc key, brightness, layers)
        self._last_digest: bytes | None = None
        self._last_key: tuple | None = None
        self._last_at: float | None = None
        self._last_show_t = 0.0
        self.frozen = Stretch("frozen")
        self.black = Stretch("black")
        self.samples = 0

    def sample(self, now: float, desc: FrameDesc | None, show_t: float) -> None:
        """Look at the frame drawn last time (its pixels are in the buffer by now), then queue this one's.

        ``show_t``: the show's time now; a frame description older than that (the tick failed and the
        last good frame stays up) is a picture that should have moved.  At most ``rate`` times a second:
        frames in between are not looked at."""
        if self._due is not None and now < self._due - DUE_SLACK:
            return
        self._due = now + self.every if self._due is None else max(self._due + self.every, now)
        if self._pending is not None:
            self._judge(*self._pending)
        if desc is None:
            self._pending = None
            return
        bound = self.ctx.fbo
        self.compositor.present(self._fbo, (0, 0, *PROBE))
        self._fbo.read_into(self._buf, components=4)
        bound.use()   # pyglet draws the HUD and panel into whatever is bound next
        self._pending = (now, _desc_key(desc), show_t, desc.time, desc.brightness, bool(desc.layers))

    def _judge(self, at: float, key: tuple, show_t: float, desc_t: float, brightness: float, layers: bool) -> None:
        px = np.frombuffer(self._buf.read(), np.uint8)
        digest = hashlib.blake2b(px.tobytes(), digest_size=16).digest()
        self.samples += 1
        dt = 0.0 if self._last_at is None else at - self._last_at
        # the picture should have changed: the show moved it, or the show's clock was held back while
        # frames went by (issue 14's fault 1), or the frame shown is an old one (a tick that failed)
        held = self._last_at is not None and show_t - self._last_show_t < 0.5 * dt
        moving = key != self._last_key or held or show_t - desc_t > STALE
        shown = brightness > 0.0 and layers
        if shown and moving and digest == self._last_digest:
            if self.frozen.extend(dt):
                self.say("warning", f"the output has not changed for {self.frozen.run:.1f} s while the show runs: "
                                    "the audience sees a still picture. Fix: press Right to fly into the next clip; "
                                    "if it stays, restart vj play --resume")
        elif dt >= SAY_AFTER and shown:    # the frame loop itself stood still that long
            self.frozen.extend(dt)
            self.say("warning", f"the output stood still for {dt:.1f} s (the show's frame loop was held up)")
            self.frozen.end()
        else:
            gone = self.frozen.end()
            if gone is not None:
                self.say("info", f"the output moves again after {gone:.1f} s")
        if shown and float(px.reshape(-1, 4)[:, :3].mean()) < BLACK_LEVEL:
            if self.black.extend(dt):
                self.say("warning", f"the output has been black for {self.black.run:.1f} s outside a blackout. "
                                    "Fix: press Right to fly into the next clip; check the clips' files")
        else:
            gone = self.black.end()
            if gone is not None:
                self.say("info", f"the output shows a picture again after {gone:.1f} s of black")
        self._last_digest, self._last_key, self._last_at, self._last_show_t = digest, key, at, show_t

    def summary(self) -> dict:
        return {"frozen_s_max": round(self.frozen.longest, 2), "frozen_stretches": self.frozen.count,
                "black_s_max": round(self.black.longest, 2), "black_stretches": self.black.count}

    def release(self) -> None:
        release_framebuffer(self._fbo)
        for obj in (self._tex, self._buf):
            obj.release()


def _desc_key(desc: FrameDesc) -> tuple:
    """What makes a frame description a different picture by the show's own doing: its layers and where
    they are (not their media time: a still clip with the zoom at 0 is a still by the performer's choice)."""
    return tuple((layer.clip_id, layer.instance, round(layer.size, 6), tuple(round(c, 6) for c in layer.center))
                 for layer in desc.layers) + (round(desc.brightness, 3),)
