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


def clip_ref(clip: Clip, clip_id: str | None = None) -> ClipRef:
    fps = clip.probe.fps if clip.probe and clip.probe.fps > 0 else 30.0
    return ClipRef(clip_id or clip.id, clip.focus, clip.in_point, clip.end, clip.loop, fps)


def clip_spec(clip: Clip, clip_id: str | None = None) -> ClipSpec:
    probe = clip.probe
    return ClipSpec(clip_id or clip.id, DecodeSpec(
        path=clip.file, in_point=clip.in_point, out_point=clip.out_point, loop=clip.loop,
        colorspace=probe.colorspace if probe else None, color_range=probe.color_range if probe else None))


class ShowRunner:
    """Engine + clip sources + compositor for one bank; ``live`` decides only whether to wait for frames."""

    def __init__(self, compositor: Compositor, bank: Bank | list[Bank], rules: ShowRules, *, live: bool,
                 tempo_hint: float | None = None):
        """``bank``: one bank, or each song's bank in setlist order (the first song plays first).

        With several different banks, clip ids are prefixed with the bank name (``forest/tree3``)
        so that every clip of the setlist can be on stage in one show, and songs change by a
        zoom-through (``StartSong``) instead of a cut.
        """
        self.compositor = compositor
        banks = bank if isinstance(bank, list) else [bank]
        self.bank = banks[0]
        self.live = live
        prefixed = len({b.path for b in banks}) > 1
        refs, specs, seen = [], {}, set()
        self.song_clip_ids: list[tuple[str, ...]] = []
        for b in banks:
            ids = tuple(f"{b.name}/{c.id}" if prefixed else c.id for c in b.clips)
            self.song_clip_ids.append(ids)
            for c, cid in zip(b.clips, ids):
                if cid not in seen:
                    seen.add(cid)
                    refs.append(clip_ref(c, cid))
                    specs[cid] = clip_spec(c, cid)
        self.engine = ShowEngine(refs, rules, tempo_hint=tempo_hint, rotation=self.song_clip_ids[0])
        self.sources = ClipSources(compositor, specs)
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
