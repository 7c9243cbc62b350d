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
from ..engine.clipref import crossfade_window
from ..gfx.compositor import Compositor
from ..video.decoder import DecodeSpec
from .retry import ClipRetry, RetrySpec
from .effects import EffectChain
from .sources import ClipSources, ClipSpec


def clip_spec(clip: Clip, clip_id: str | None = None) -> ClipSpec:
    """Where a bank clip's pixels come from (``clip_id``: how the show names it)."""
    probe = clip.probe
    length = clip.length
    return ClipSpec(clip_id or clip.id, DecodeSpec(
        path=clip.file, in_point=clip.in_point, out_point=clip.out_point, loop=clip.loop,
        crossfade=crossfade_window(length) if length else 0.0, end=clip.end,
        colorspace=probe.colorspace if probe else None, color_range=probe.color_range if probe else None,
        expect_end=clip.end))


def retry_spec(clip: Clip) -> RetrySpec:
    """What the retry thread decodes to call a failed clip whole again."""
    probe = clip.probe
    fps = probe.fps if probe and probe.fps > 0 else 30.0
    end = clip.end if clip.end is not None else (clip.in_point + 1.0)
    return RetrySpec(clip.file, end, fps)


class ShowRenderer:
    """Clip sources + compositor for the clips of one show; ``live`` decides whether to wait for frames
    (offline) or not, and whether failed clips are tried again when their files come back (live)."""

    def __init__(self, compositor: Compositor, clips: Mapping[str, Clip], *, live: bool):
        """``clips``: the show's clip id -> bank clip (:attr:`vj.show.loop.ShowLoop.clips`)."""
        self.compositor = compositor
        self.live = live
        self.retry = ClipRetry({cid: retry_spec(c) for cid, c in clips.items()}) if live else None
        self.sources = ClipSources(compositor, {cid: clip_spec(c, cid) for cid, c in clips.items()},
                                   on_failure=self.retry.failed if self.retry is not None else None)
        self.effects = EffectChain(compositor, live=live)   #: the frame's ISF effects and transitions
        self.messages: list[str] = []   #: what the sources (and effects) had to say during the latest draw
        self.kept = 0                   #: frames that kept the last picture (no layer had one to draw)
        self._drawn = False
        self._restored: list[str] = []

    def draw(self, desc: FrameDesc) -> list[tuple[str, str]]:
        """Draw ``desc`` into the compositor's output image; returns the clips that failed (id, why).

        A frame none of whose layers has a picture (every clip failed before showing one) keeps the
        last frame drawn: the output holds its last good picture, never black (blackout excepted)."""
        if self.retry is not None:
            for cid in self.retry.take():
                self.sources.restore(cid)
                self._restored.append(cid)
        textures = self.sources.update(desc, wait=not self.live)
        failures = self.sources.take_failures(include_preroll=self.live)
        if textures or not self._drawn or not desc.layers or desc.brightness <= 0.0:
            picture = self.effects.flight(desc, textures)   # an ISF flight, else the zoom (or a crossfade)
            if picture is None:
                self.compositor.render(desc, textures)
            self.effects.apply(desc, picture)
            self._drawn = self._drawn or bool(textures)
        else:
            self.kept += 1   # the output keeps the last frame drawn, effects and all
        self.messages = self.sources.take_messages() + self.effects.take_messages()
        return failures

    def set_quality(self, render_scale: float, motion_blur: bool, clip_scale: float, bicubic: bool = True,
                    uploads: int = 0) -> None:
        """Adaptive quality's settings (live only): render size and how it is scaled up, the blur pass, the size
        clips are kept at.  A new clip scale applies to clips opened from now on (a clip on screen keeps its picture)."""
        self.compositor.set_render_scale(render_scale)
        self.compositor.bicubic_upscale = bicubic
        self.compositor.bicubic_clips = bicubic
        self.compositor.motion_blur = motion_blur
        self.sources.clip_scale = clip_scale
        self.sources.max_uploads = uploads

    def take_restored(self) -> list[str]:
        """Failed clips whose files decode whole again since the last call (for :meth:`ShowLoop.feedback`)."""
        out, self._restored = self._restored, []
        return out

    def ready(self, desc: FrameDesc) -> bool:
        """Whether every layer of ``desc`` has a picture on the GPU."""
        return all(layer.instance in self.sources.active and self.sources.active[layer.instance].texture.ready
                   for layer in desc.layers)

    def close(self) -> None:
        if self.retry is not None:
            self.retry.close()
        self.sources.close()
        self.effects.release()
