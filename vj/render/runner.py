"""The player core shared by live play and offline rehearsal (mpv style: it schedules, it does not decode or draw).

Per frame: the engine decides what is on screen at time ``t``; the clip sources
bring the textures up to date (offline: waiting for each frame, so renders are
deterministic; live: never waiting, a late frame just shows the previous one); the
compositor draws.  Clips that fail are fed back to the engine as ``ClipFailed``.
"""

from __future__ import annotations

import math
from typing import Iterable

from ..audio.snapshot import AudioSnapshot
from ..bank import Bank, Clip
from ..engine import ClipFailed, ClipRef, Event, FrameDesc, ShowEngine, ShowRules
from ..setlist import Section
from .cues import Fired, SectionSchedule, describe, section_events
from ..gfx.compositor import Compositor
from ..video.decoder import DecodeSpec
from .sources import ClipSources, ClipSpec


def clip_ref(clip: Clip, clip_id: str | None = None) -> ClipRef:
    fps = clip.probe.fps if clip.probe and clip.probe.fps > 0 else 30.0
    return ClipRef(clip_id or clip.id, clip.focus, clip.in_point, clip.end, clip.loop, fps, focus_track=clip.focus_follow)


def clip_spec(clip: Clip, clip_id: str | None = None) -> ClipSpec:
    probe = clip.probe
    return ClipSpec(clip_id or clip.id, DecodeSpec(
        path=clip.file, in_point=clip.in_point, out_point=clip.out_point, loop=clip.loop,
        colorspace=probe.colorspace if probe else None, color_range=probe.color_range if probe else None))


class ShowRunner:
    """Engine + clip sources + compositor for one bank; ``live`` decides only whether to wait for frames."""

    def __init__(self, compositor: Compositor, bank: Bank | list[Bank], rules: ShowRules, *, live: bool,
                 tempo_hint: float | None = None, orders: list[tuple[str, ...]] | None = None,
                 sections: list[tuple[Section, ...]] | None = None):
        """``bank``: one bank, or each song's bank in setlist order (the first song plays first).

        With several different banks, clip ids are prefixed with the bank name (``forest/tree3``)
        so that every clip of the setlist can be on stage in one show, and songs change by a
        zoom-through (``StartSong``) instead of a cut.  ``orders``: each song's clip ids (the bank's own
        ids) in playing order (default: bank order); ``sections``: each song's sections and cues.
        """
        self.compositor = compositor
        banks = bank if isinstance(bank, list) else [bank]
        self.bank = banks[0]
        self.live = live
        prefixed = len({b.path for b in banks}) > 1
        refs, specs, seen = [], {}, set()
        self.song_clip_ids: list[tuple[str, ...]] = []
        self._local_ids: list[dict[str, str]] = []   #: per song: the bank's clip id -> the show's
        for n, b in enumerate(banks):
            local = {c.id: f"{b.name}/{c.id}" if prefixed else c.id for c in b.clips}
            self._local_ids.append(local)
            order = orders[n] if orders and n < len(orders) and orders[n] else tuple(local)
            self.song_clip_ids.append(tuple(local[c] for c in order if c in local))
            ids = tuple(local.values())
            for c, cid in zip(b.clips, ids):
                if cid not in seen:
                    seen.add(cid)
                    refs.append(clip_ref(c, cid))
                    specs[cid] = clip_spec(c, cid)
        self.engine = ShowEngine(refs, rules, tempo_hint=tempo_hint, rotation=self.song_clip_ids[0])
        self.sources = ClipSources(compositor, specs)
        self._feedback: list[Event] = []
        self.messages: list[str] = []
        self.sections = list(sections or [()] * len(banks))
        self.song = 0
        self._pending_song: int | None = None
        self._bar_fired = True  # the show starts on a downbeat
        self._song_flight = False
        self.schedule = SectionSchedule(self.sections[0] if self.sections else ())
        self.fired: list[Fired] = []   #: sections and cues as they fired (the report marks them)

    def update_songs(self, orders: list[tuple[str, ...]], sections: list[tuple[Section, ...]], t: float) -> None:
        """A reloaded setlist (same banks): new clip orders and sections, from now on.

        Sections of the current song whose moment has passed stay passed (a reload never replays them).
        """
        for n, local in enumerate(self._local_ids):
            order = orders[n] if n < len(orders) and orders[n] else tuple(local)
            self.song_clip_ids[n] = tuple(local[c] for c in order if c in local)
        rotation = self.engine._indices(self.song_clip_ids[self.song])
        if rotation:
            self.engine.rotation = rotation
        self.sections = list(sections) + [()] * (len(self._local_ids) - len(sections))
        sch = self.schedule
        bar = math.floor(self.engine.clock.bar_position() + 1e-6) - sch.bar0 + 1
        new = self.sections[self.song]
        fired = {k for k, sec in enumerate(new)
                 if (sec.bar is not None and sec.bar <= bar) or (sec.time is not None and t - sch.t0 >= sec.time)}
        sch.sections, sch.fired = new, fired

    def start_song(self, index: int) -> None:
        """Song ``index`` was armed (StartSong): its bars count from the downbeat its first clip lands on."""
        self._pending_song = index
        self._song_flight = False

    def _section_events(self, t: float) -> list[Event]:
        engine = self.engine
        if not self.schedule.sections:
            return []
        events: list[Event] = []
        # bar sections fire on a downbeat the audience saw (the frame after it), never mid-bar when the
        # tracker moves the bar line; time sections fire on their time
        bar = engine.clock.bar_position() if self._bar_fired else -1e9
        for sec in self.schedule.due(t, bar):
            clip = self._local_ids[self.song].get(sec.cue) if sec.cue is not None else None
            events += section_events(sec, clip, engine.rules.beats_per_bar, engine.rules.transition_beats)
            self.fired.append(Fired(t, self.song, sec.label, describe(sec)))
        return events

    def _track_song(self, t: float, desc: FrameDesc) -> None:
        self._bar_fired = desc.bar_fired
        i = self._pending_song
        st = self.engine.state
        if i is None or st is None:
            return
        # the song's own flight: it starts once the engine has taken the change (song_change cleared
        # with a flight in the air), and the song begins when that flight lands.  A flight already in
        # the air when the song was armed lands first and does not count.
        if not self._song_flight and not st.song_change and st.transition is not None:
            self._song_flight = True
        if self._song_flight and st.transition is None:
            self.song, self._pending_song, self._song_flight = i, None, False
            bar0 = round(self.engine.clock.bar_position(desc.beat_position))
            self.schedule.restart(self.sections[i] if i < len(self.sections) else (), t, bar0)

    def frame(self, t: float, snapshot: AudioSnapshot, events: Iterable[Event] = ()) -> FrameDesc:
        """Step the show to ``t`` and draw it into the compositor's output image."""
        desc = self.engine.step(t, snapshot, [*self._feedback, *events, *self._section_events(t)])
        self._track_song(t, desc)
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
