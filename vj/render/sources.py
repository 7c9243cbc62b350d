"""Decoders and GPU textures for the clips on screen and the ones about to be.

The engine names the layers it wants (clip instances) and the clips to pre-roll.
Pre-roll opens a clip, positions it at its in-point and uploads its first frame
*before* it is shown, so a switch never waits for a disk or a decoder.  A clip that
fails is reported once and its texture keeps the last good frame.  A new layer of a clip
that has failed (the engine flies into the clip on screen again when every clip of the song
has failed) is a *held still*: a copy of that clip's last good picture, so the zoom goes on
over it instead of going black.  Live, failed clips are tried again when their files come
back (:mod:`.retry`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from ..engine.frame import FrameDesc
from ..gfx.clip_texture import ClipTexture
from ..gfx.compositor import Compositor
from ..video.decoder import ClipDecoder, DecodeSpec


@dataclass(frozen=True, slots=True)
class ClipSpec:
    """Where a clip's pixels come from (built from a bank clip)."""

    id: str
    decode: DecodeSpec


@dataclass(slots=True)
class _Source:
    clip_id: str
    decoder: ClipDecoder | None      #: None: a held still (a copy of the clip's last good picture)
    texture: ClipTexture

    def close(self) -> None:
        if self.decoder is not None:
            self.decoder.close()
        self.texture.release()


@dataclass(slots=True)
class SourceStats:
    switches: int = 0
    preroll_hits: int = 0       #: layers that started on a pre-rolled, already uploaded texture
    cold_starts: int = 0        #: layers that had to open their clip when first shown
    failures: dict[str, str] = field(default_factory=dict)
    restored: dict[str, int] = field(default_factory=dict)   #: failed clips that played again, and how often
    held: int = 0               #: layers drawn as a held still of a failed clip's last good picture
    stalls: list[int] = field(default_factory=list)  #: per new layer: frames it was drawn without a picture


class ClipSources:
    """Keeps one decoder + texture per clip instance on screen, plus pre-rolled ones."""

    def __init__(self, compositor: Compositor, clips: Mapping[str, ClipSpec], *, decode_threads: int = 2,
                 on_failure: Callable[[str], None] | None = None):
        """``on_failure(clip_id)``: told when a clip fails (live: the retry thread)."""
        self.compositor = compositor
        self.on_failure = on_failure
        self.failed: set[str] = set()   #: clips failed now (not restored since)
        self.clips = dict(clips)
        self.decode_threads = decode_threads
        #: clip pictures kept at this fraction of their size (adaptive quality's last step; offline always 1)
        self.clip_scale = 1.0
        #: live, adaptive quality's software levels: at most this many new clip frames converted per output
        #: frame (0: no limit); the others wait a frame, longest-waiting first (see ``update``)
        self.max_uploads = 0
        self.deferred = 0               #: uploads put off to the next frame (for --stats)
        self.active: dict[int, _Source] = {}
        self.prerolled: dict[str, _Source] = {}
        self.stats = SourceStats()
        self.messages: list[str] = []
        self._failed_on_screen: list[tuple[str, str]] = []
        self._failed_in_preroll: list[tuple[str, str]] = []
        self._reported: set[tuple[str, bool]] = set()
        self._waiting: dict[int, int] = {}
        self._upload_wait: dict[int, int] = {}   #: layer -> output frames its new frame has waited
        self._noted: set[str] = set()  # new layer instance -> frames so far without a picture

    def _open(self, clip_id: str, queue_size: int = 6) -> _Source:
        spec = self.clips[clip_id].decode
        decoder = ClipDecoder(spec, name=clip_id, queue_size=queue_size)
        return _Source(clip_id, decoder, self.compositor.new_clip_texture(self.clip_scale))

    def _fail(self, clip_id: str, error: str, on_screen: bool) -> None:
        if clip_id not in self.failed:
            self.failed.add(clip_id)
            self.stats.failures[clip_id] = error   # the engine says it (ClipFailed), with the reason
            if self.on_failure is not None:
                self.on_failure(clip_id)
        key = (clip_id, on_screen)
        if key not in self._reported:
            self._reported.add(key)
            (self._failed_on_screen if on_screen else self._failed_in_preroll).append((clip_id, error))

    def restore(self, clip_id: str) -> None:
        """A failed clip's file decodes whole again: it may be opened again, and fail again."""
        if clip_id in self.failed:
            self.failed.discard(clip_id)
            self._reported -= {(clip_id, True), (clip_id, False)}
            self.stats.restored[clip_id] = self.stats.restored.get(clip_id, 0) + 1

    def _held_still(self, clip_id: str) -> _Source:
        """A layer of a failed clip: a copy of the clip's last good picture (from a layer still showing it)."""
        texture = self.compositor.new_clip_texture()
        for src in self.active.values():
            if src.clip_id == clip_id and src.texture.ready:
                texture.copy_from(src.texture)
                break
        self.stats.held += 1
        return _Source(clip_id, None, texture)

    def take_failures(self, *, include_preroll: bool) -> list[tuple[str, str]]:
        """Clips that failed since the last call, as (clip id, reason).

        Offline rendering passes only failures of clips on screen (found while
        waiting for their frame, so at a deterministic frame); live play also passes
        pre-roll failures, so a broken clip is skipped before it is ever shown.
        """
        out = self._failed_on_screen
        self._failed_on_screen = []
        if include_preroll:
            out += self._failed_in_preroll
            self._failed_in_preroll = []
        return out

    def update(self, desc: FrameDesc, *, wait: bool) -> dict[int, ClipTexture]:
        """Bring textures up to date for ``desc``; with ``wait`` block until each frame is decoded."""
        wanted = {layer.instance: layer for layer in desc.layers}
        for instance, layer in wanted.items():
            if instance in self.active or layer.clip_id not in self.clips:
                continue
            if layer.clip_id in self.failed:
                self.active[instance] = self._held_still(layer.clip_id)
                self.stats.switches += 1
                continue
            src = self.prerolled.pop(layer.clip_id, None)
            if src is not None:
                src.decoder.set_queue_size(6)
            if src is not None and src.texture.ready:
                self.stats.preroll_hits += 1
            else:
                self.stats.cold_starts += 1
                if src is None:
                    src = self._open(layer.clip_id)
            self.active[instance] = src
            self.stats.switches += 1
            self._waiting[instance] = 0
        for instance, src in list(self.active.items()):  # after new layers: a held still copies from the old
            if instance not in wanted:
                src.close()
                del self.active[instance]
                self._upload_wait.pop(instance, None)
        for clip_id in desc.preroll:
            if clip_id in self.prerolled or clip_id not in self.clips or clip_id in self.failed:
                continue
            self.prerolled[clip_id] = self._open(clip_id, queue_size=2)
        for clip_id in list(self.prerolled):
            if clip_id not in desc.preroll:
                self.prerolled.pop(clip_id).close()

        textures: dict[int, ClipTexture] = {}
        frames = {}
        for instance, layer in wanted.items():
            src = self.active.get(instance)
            if src is None or src.decoder is None:
                continue
            frames[instance] = src.decoder.frame_at(layer.elapsed, wait=wait)
            failed = src.decoder.failed
            if failed:
                self._fail(src.clip_id, failed, on_screen=True)
            if src.decoder.note and src.clip_id not in self._noted:
                self._noted.add(src.clip_id)
                self.messages.append(src.decoder.note)
        allowed = self._upload_budget(frames, wait)
        for instance, layer in wanted.items():
            src = self.active.get(instance)
            if src is None:
                continue
            if src.decoder is None:  # a held still
                if src.texture.ready:
                    textures[instance] = src.texture
                self._waiting.pop(instance, None)
                continue
            frame = frames.get(instance)
            if frame is not None and instance in allowed:
                src.texture.upload(frame)
            if src.texture.ready:
                textures[instance] = src.texture
            if instance in self._waiting:
                if src.texture.ready:
                    self.stats.stalls.append(self._waiting.pop(instance))
                elif src.decoder.error or src.decoder.finished:
                    self._waiting.pop(instance)
                else:
                    self._waiting[instance] += 1
        # live: upload pre-rolled first frames as soon as they exist, so a switch finds them on the GPU.
        # offline (wait): nothing may depend on thread timing, and the frame is waited for anyway.
        for src in self.prerolled.values() if not wait else ():
            if not src.texture.ready:
                first = src.decoder.first_frame(wait=False)
                if first is not None:
                    src.texture.upload(first)
                elif src.decoder.error:
                    self._fail(src.clip_id, src.decoder.error, on_screen=False)
        return textures

    def _upload_budget(self, frames: dict, wait: bool) -> set[int]:
        """The layers whose new frame is converted this output frame.  Two 30 fps clips in a flight both had a
        new frame on the same 60 Hz frame, then neither on the next: on llvmpipe that frame's uploads took
        8.2 ms at the 95th percentile against 2.8 ms on average (2-core machine, 2026-12-06), and it was
        late.  With ``max_uploads`` (live, software levels) the others wait one frame, the one that waited
        longest first; a clip with no picture yet never waits."""
        due = [i for i, f in frames.items() if f is not None and not self.active[i].texture.holds(f)]
        allowed = set(due)
        if not wait and 0 < self.max_uploads < len(due):
            first = [i for i in due if not self.active[i].texture.ready]
            rest = sorted((i for i in due if self.active[i].texture.ready), key=lambda i: -self._upload_wait.get(i, 0))
            allowed = set(first + rest[:max(0, self.max_uploads - len(first))])
        for i in due:
            if i in allowed:
                self._upload_wait[i] = 0
            else:
                self._upload_wait[i] = self._upload_wait.get(i, 0) + 1
                self.deferred += 1
        return allowed

    def take_messages(self) -> list[str]:
        out, self.messages = self.messages, []
        return out

    def close(self) -> None:
        for src in list(self.active.values()) + list(self.prerolled.values()):
            if src.decoder is not None:
                src.decoder.close(wait=True)
            src.texture.release()
        self.active.clear()
        self.prerolled.clear()
