"""Drawing the show's frames: clip sources + compositor (mpv style: the loop schedules, this draws).

Per frame: the clip sources bring the textures of the frame's layers up to date (offline: waiting
for each frame, so renders are deterministic; live: never waiting, a late frame just shows the
previous one) and pre-roll the clips named to come next; the compositor draws the layers.  Clips
that fail are handed back (to :meth:`vj.show.loop.ShowLoop.feedback`), so the engine leaves them out.
"""

from __future__ import annotations

from typing import Mapping

from ..bank import Clip
from ..engine import FrameDesc
from ..gfx.compositor import Compositor
from ..video.decoder import DecodeSpec
from .effects import EffectChain
from .sources import ClipSources, ClipSpec


def clip_spec(clip: Clip, clip_id: str | None = None) -> ClipSpec:
    """Where a bank clip's pixels come from (``clip_id``: how the show names it)."""
    probe = clip.probe
    return ClipSpec(clip_id or clip.id, DecodeSpec(
        path=clip.file, in_point=clip.in_point, out_point=clip.out_point, loop=clip.loop,
        colorspace=probe.colorspace if probe else None, color_range=probe.color_range if probe else None))


class ShowRenderer:
    """Clip sources + compositor for the clips of one show; ``live`` decides only whether to wait for frames."""

    def __init__(self, compositor: Compositor, clips: Mapping[str, Clip], *, live: bool):
        """``clips``: the show's clip id -> bank clip (:attr:`vj.show.loop.ShowLoop.clips`)."""
        self.compositor = compositor
        self.live = live
        self.sources = ClipSources(compositor, {cid: clip_spec(c, cid) for cid, c in clips.items()})
        self.effects = EffectChain(compositor, live=live)   #: the frame's ISF effects and transitions
        self.messages: list[str] = []   #: what the sources (and effects) had to say during the latest draw

    def draw(self, desc: FrameDesc) -> list[tuple[str, str]]:
        """Draw ``desc`` into the compositor's output image; returns the clips that failed (id, why)."""
        textures = self.sources.update(desc, wait=not self.live)
        failures = self.sources.take_failures(include_preroll=self.live)
        picture = self.effects.flight(desc, textures)   # an ISF flight, else the zoom (or a crossfade)
        if picture is None:
            self.compositor.render(desc, textures)
        self.effects.apply(desc, picture)
        self.messages = self.sources.take_messages() + self.effects.take_messages()
        return failures

    def ready(self, desc: FrameDesc) -> bool:
        """Whether every layer of ``desc`` has a picture on the GPU."""
        return all(layer.instance in self.sources.active and self.sources.active[layer.instance].texture.ready
                   for layer in desc.layers)

    def close(self) -> None:
        self.sources.close()
        self.effects.release()
