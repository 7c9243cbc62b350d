"""The player core shared by live play and offline rehearsal (mpv style: it schedules, it does not decode or draw).

Per frame: the engine decides what is on screen at time ``t``; the clip sources
bring the textures up to date (offline: waiting for each frame, so renders are
deterministic; live: never waiting, a late frame just shows the previous one); the
compositor draws.  Clips that fail are fed back to the engine as ``ClipFailed``.
"""

from __future__ import annotations

from typing import Iterable

from ..audio.snapshot import AudioSnapshot
from ..bank import Bank, Clip
from ..engine import ClipFailed, ClipRef, Event, FrameDesc, ShowEngine, ShowRules
from ..gfx.compositor import Compositor
from ..video.decoder import DecodeSpec
from .sources import ClipSources, ClipSpec


def clip_ref(clip: Clip) -> ClipRef:
    fps = clip.probe.fps if clip.probe and clip.probe.fps > 0 else 30.0
    return ClipRef(clip.id, clip.focus, clip.in_point, clip.end, clip.loop, fps)


def clip_spec(clip: Clip) -> ClipSpec:
    probe = clip.probe
    return ClipSpec(clip.id, DecodeSpec(
        path=clip.file, in_point=clip.in_point, out_point=clip.out_point, loop=clip.loop,
        colorspace=probe.colorspace if probe else None, color_range=probe.color_range if probe else None))


class ShowRunner:
    """Engine + clip sources + compositor for one bank; ``live`` decides only whether to wait for frames."""

    def __init__(self, compositor: Compositor, bank: Bank, rules: ShowRules, *, live: bool,
                 tempo_hint: float | None = None):
        self.compositor = compositor
        self.bank = bank
        self.live = live
        self.engine = ShowEngine([clip_ref(c) for c in bank.clips], rules, tempo_hint=tempo_hint)
        self.sources = ClipSources(compositor, {c.id: clip_spec(c) for c in bank.clips})
        self._feedback: list[Event] = []
        self.messages: list[str] = []

    def frame(self, t: float, snapshot: AudioSnapshot, events: Iterable[Event] = ()) -> FrameDesc:
        """Step the show to ``t`` and draw it into the compositor's output image."""
        desc = self.engine.step(t, snapshot, [*self._feedback, *events])
        textures = self.sources.update(desc, wait=not self.live)
        self._feedback = [ClipFailed(cid, why) for cid, why in self.sources.take_failures(include_preroll=self.live)]
        self.compositor.render(desc, textures)
        self.messages = self.engine.messages + self.sources.take_messages()
        return desc

    def ready(self, desc: FrameDesc) -> bool:
        """Whether every layer of ``desc`` has a picture on the GPU."""
        return all(layer.instance in self.sources.active and self.sources.active[layer.instance].texture.ready
                   for layer in desc.layers)

    def close(self) -> None:
        self.sources.close()
