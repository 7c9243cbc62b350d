"""The show loop: audio in, a frame description out.  One loop for `vj play`, `vj rehearse` and `vj beats`.

Per tick: the analyser hears the samples that arrived (live: what the sound card delivered;
offline: the track up to the frame's time, never beyond), takes one snapshot, notes a beat the
tracker reported, fires the setlist sections whose bar or time has come, and steps the engine.
Pure: no GL, no devices, no threads, no clock of its own; the same calls give the same frames,
which is why a rehearsal shows what the stage would.

The adapters around it: the live player (a window, a sound card, control surfaces) and the
rehearsal (a track file, a video file) feed it and draw its frames with
:class:`vj.render.renderer.ShowRenderer`; `vj beats` runs it without a show (no banks).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol, Sequence

import numpy as np

from ..audio import ANALYSIS_RATE
from ..audio.analysis import Analyzer
from ..audio.snapshot import AudioSnapshot, BeatState
from ..bank import Bank, Clip
from ..engine import (ClipFailed, ClipRef, ClipRestored, Event, FrameDesc, Resync, SetEffect, SetFlight, SetRules,
                      ShowEngine, ShowReport, StartSong, ToggleEffect)
from ..engine.framing import DEFAULT_ASPECT
from ..setlist import Section
from .cues import Fired, SectionSchedule, describe, flight_after, section_events
from .effects import EffectRack
from .plan import SongPlan
from .resume import ResumePoint

_NO_SAMPLES = np.zeros(0, np.float32)


def clip_ref(clip: Clip, clip_id: str | None = None) -> ClipRef:
    """What the engine needs to know of a bank clip (``clip_id``: how the show names it)."""
    probe = clip.probe
    fps = probe.fps if probe and probe.fps > 0 else 30.0
    aspect = probe.aspect if probe else 0.0
    return ClipRef(clip_id or clip.id, clip.focus, clip.in_point, clip.end, clip.loop, fps, focus_track=clip.focus_follow,
                   aspect=aspect, fit=clip.fit, energy=clip.energy, look=clip.look)


class Listener(Protocol):
    """The analysis chain as the loop uses it (:class:`~vj.audio.analysis.Analyzer`; tests give a perfect one)."""

    sample_rate: int

    @property
    def samples(self) -> int: ...              # samples heard so far
    def process(self, block: np.ndarray) -> None: ...
    def snapshot(self) -> AudioSnapshot: ...


@dataclass(frozen=True, slots=True)
class Heard:
    """A beat the tracker reported during a tick (the tracker's, before tap, x2 or nudge)."""

    time: float          #: seconds of audio at which it fell
    bpm: float
    confidence: float
    bar_beat: int        #: 0-based position in the bar
    reported_at: float   #: seconds of audio heard when it was reported


class ShowLoop:
    """``tick(t, samples, events) -> FrameDesc`` for a setlist's songs (or, with no songs, the tracker alone).

    ``plans``: the songs in playing order; all their clips are on stage in one show, and songs
    change by a zoom-through (:meth:`arm_song`).  With several different banks, clip ids are
    prefixed with the bank name (``forest/tree3``; two banks of one name at different paths: ``forest``,
    ``forest-2``: :func:`bank_labels`).  ``latency``: seconds the visuals are scheduled
    ahead.  ``bpm_range``: the tempi the tracker may report (None: the songs' ``bpm_range`` s together,
    narrowing the tracker's shared range).
    """

    def __init__(self, plans: Sequence[SongPlan] = (), *, latency: float = 0.0, sample_rate: int = ANALYSIS_RATE,
                 bpm_range: tuple[float, float] | None = None, beats_per_bar: int | None = None,
                 bpm_hint: float | None = None, analyzer: Listener | None = None, aspect: float = DEFAULT_ASPECT,
                 resume: ResumePoint | None = None):
        """``beats_per_bar``, ``bpm_hint``: for the tracker (default: the first song's).  ``analyzer``: the
        analysis chain (default: :class:`~vj.audio.analysis.Analyzer` with these settings).  ``aspect``: the
        output's width / height (clips are framed into it).  ``resume``: start where a show was
        (:mod:`vj.show.resume`) instead of at the first song's start."""
        self.aspect = aspect
        self.plans = list(plans)
        if resume is not None and not 0 <= resume.song < len(self.plans):
            resume = None
        first = self.plans[resume.song] if resume is not None else self.plans[0] if self.plans else None
        if resume is not None and bpm_hint is None and resume.bpm > 0:
            bpm_hint = resume.bpm    # the tracker locks sooner near the tempo the show had
        bpb = beats_per_bar if beats_per_bar is not None else first.rules.beats_per_bar if first else 4
        hint = bpm_hint if bpm_hint is not None else first.tempo_hint if first else None
        rng = bpm_range if bpm_range is not None else _songs_range(self.plans)
        self.analyzer: Listener = analyzer if analyzer is not None else Analyzer(
            sample_rate=sample_rate, beats_per_bar=bpb, bpm_hint=hint, bpm_range=rng)
        self.sample_rate = int(self.analyzer.sample_rate)
        self.audio: AudioSnapshot = AudioSnapshot()   #: the latest snapshot (meters, spectrum)
        self.heard: Heard | None = None                #: the beat the tracker reported in the latest tick, if any
        self._heard_count = -1
        self.desc: FrameDesc | None = None             #: the latest frame
        # the show: every song's clips on one stage
        self.clips: dict[str, Clip] = {}               #: the show's clip id -> bank clip
        self.song_clip_ids: list[tuple[str, ...]] = []  #: per song: the show's ids in playing order
        self._local_ids: list[dict[str, str]] = []      #: per song: the bank's clip id -> the show's
        self._engine: ShowEngine | None = None
        self.sections: list[tuple[Section, ...]] = [p.sections for p in self.plans]
        self.song = 0
        self._pending_song: int | None = None
        self._bar_fired = True  # the show starts on a downbeat
        self._feedback: list[Event] = []
        self._resume_bar: int | None = None
        self.schedule = SectionSchedule(self.sections[0] if self.sections else ())
        self.fired: list[Fired] = []   #: sections and cues as they fired (the report marks them)
        self.rack = EffectRack(self.plans)   #: the ISF effects of the song playing (FrameDesc.effects)
        self._track: tuple[int, int] | None = None   #: (song, analyser sample its own track began at): hearing_track
        self._anchor = -1   #: the latest of that song's known downbeats given to the engine (an index)
        if first is not None:
            self._stage(latency, resume)

    def _stage(self, latency: float, resume: ResumePoint | None = None) -> None:
        labels = bank_labels(p.bank for p in self.plans)
        prefixed = len(labels) > 1
        refs: list[ClipRef] = []
        for plan in self.plans:
            b = plan.bank
            local = {c.id: f"{labels[b.path]}/{c.id}" if prefixed else c.id for c in b.clips}
            self._local_ids.append(local)
            order = plan.clip_order or tuple(local)
            self.song_clip_ids.append(tuple(local[c] for c in order if c in local))
            for c in b.clips:
                if local[c.id] not in self.clips:
                    self.clips[local[c.id]] = c
                    refs.append(clip_ref(c, local[c.id]))
        song = resume.song if resume is not None else 0
        first = self.plans[song]
        # a first song whose clips are all missing (a lenient start) opens on the first song that has some
        rotation = self.song_clip_ids[song] or next((ids for ids in self.song_clip_ids if ids), ())
        start = resume.clip if resume is not None and resume.clip in self.clips else None
        self._engine = ShowEngine(refs, first.rules.with_changes({"latency": latency}), tempo_hint=first.tempo_hint,
                                 rotation=rotation, aspect=self.aspect, flow=first.flow,
                                 start_clip=start, flight=first.flight)
        if resume is not None:
            self._resume(resume)

    def _resume(self, point: ResumePoint) -> None:
        """Start inside song ``point.song`` at its bar ``point.song_bar``: the sections before it count as
        passed, the settings and tempo come back with the first tick, an armed song is armed again."""
        self.song = point.song
        self._resume_bar = point.song_bar
        sections = self.sections[point.song]
        # the show clock starts at bar 0 here: the song's bar there is song_bar, and it began song_time ago
        self.schedule.restart(sections, -point.song_time, 1 - point.song_bar)
        self.schedule.fired = {k for k, sec in enumerate(sections)
                               if (sec.bar is not None and sec.bar <= point.song_bar)
                               or (sec.time is not None and sec.time <= point.song_time)}
        # the song's own effects, as its passed sections left them (the rack starts on the first song's)
        self.rack.start_song(point.song, [sections[k] for k in sorted(self.schedule.fired)])
        # an armed song first: arming applies its rules, and the settings as they were must win
        if point.armed is not None and 0 <= point.armed < len(self.plans) and point.armed != point.song:
            self._feedback.append(self.arm_song(point.armed))
        self._feedback += point.events()

    @property
    def song_bar(self) -> int:
        """The playing song's bar, 1-based (counted from :attr:`bar_one`)."""
        return math.floor(self.report.bar_position + 1e-6) - self.bar_one + 1

    @property
    def bar_one(self) -> int:
        """The show clock's bar (``ShowReport.bar_position``) where the playing song's bar 1 begins: its first
        known downbeat, else the downbeat its first clip landed on.  Sections and the rehearsal report count the
        song's bars from it."""
        return self.schedule.bar0

    def song_time(self, t: float) -> float:
        """Seconds since the playing song began, at show time ``t``."""
        return t - self.schedule.t0

    @property
    def armed_song(self) -> int | None:
        """A song armed that has not landed yet."""
        return self._pending_song

    # -- time ---------------------------------------------------------------------------
    @property
    def samples_heard(self) -> int:
        """Samples the analyser has heard so far."""
        return self.analyzer.samples

    def audio_time(self, pending: int = 0) -> float:
        """Seconds of audio heard, counting ``pending`` samples not yet given to :meth:`tick`."""
        return (self.analyzer.samples + pending) / self.sample_rate

    @property
    def report(self) -> ShowReport:
        """Where the show is (the latest step's report; the show's start before the first tick)."""
        return self._engine.report if self._engine is not None else ShowReport()

    def hear(self, samples: np.ndarray) -> None:
        """Analyse ``samples`` now (live: in a frame's spare time); the next :meth:`tick` sees them."""
        if len(samples):
            self.analyzer.process(samples)

    def hearing_track(self, song: int | None, start: int = 0) -> None:
        """What the analyser hears from its sample ``start`` on: song ``song``'s own track from its beginning
        (None: audio without a known track time, live input).  From then on, as the track reaches each of the
        song's known downbeats (:attr:`SongPlan.downbeats`), the latest one is given to the engine as a resync
        (R) there: the bar line goes through it.  Rehearsal and ``vj play --tracks`` call this as a track starts."""
        track = (song, int(start)) if song is not None and 0 <= song < len(self.plans) else None
        if track != self._track:
            self._track, self._anchor = track, -1

    def _anchor_events(self, events: Sequence[Event]) -> list[Event]:
        """A resync on the latest known downbeat the track has reached, when it is new, or again after a song
        change in this tick (which forgets the previous song's resync: the track's own must follow it)."""
        if self._track is None:
            return []
        song, start = self._track
        times = self.plans[song].downbeats if song < len(self.plans) else ()
        k = bisect_right(times, (self.analyzer.samples - start) / self.sample_rate + 1e-9) - 1
        if k < 0 or (k == self._anchor and not any(isinstance(ev, StartSong) for ev in events)):
            return []
        self._anchor = k
        return [Resync(start / self.sample_rate + times[k])]

    # -- the tick -----------------------------------------------------------------------
    def tick(self, t: float, samples: np.ndarray = _NO_SAMPLES, events: Iterable[Event] = ()) -> FrameDesc:
        """Hear ``samples``, then step the show to time ``t`` (seconds) with ``events``."""
        if len(samples):
            self.analyzer.process(samples)
        snap = self.audio = self.analyzer.snapshot()
        beat = snap.beat
        self.heard = None
        if beat.beat_count > self._heard_count:
            self._heard_count = beat.beat_count
            self.heard = Heard(beat.last_beat, beat.bpm, beat.confidence, beat.bar_beat, snap.time)
        if self._engine is None:
            self.desc = _listening(t, beat)
            return self.desc
        show_events: list[Event] = []
        given = [*self._feedback, *events, *self._section_events(t)]
        for ev in given + self._anchor_events(given):
            if isinstance(ev, (SetEffect, ToggleEffect)):
                self.rack.control(ev)
            else:
                show_events.append(ev)
        desc = self._engine.step(t, snap, show_events)
        self._feedback = []
        if self._resume_bar is not None:   # a resumed song's bar: counted from the bar the show opened in
            self.schedule.bar0 = round(desc.report.bar_position) + 1 - self._resume_bar
            self._resume_bar = None
        self._track_song(t, desc)
        desc = self.rack.describe(desc, snap)
        self.desc = desc
        return desc

    def feedback(self, failures: Iterable[tuple[str, str]], restored: Iterable[str] = ()) -> None:
        """Clips that failed to open or decode (clip id, why): the next tick leaves them out of the show;
        ``restored``: failed clips whose files came back whole (live play tries them again): they rejoin it."""
        self._feedback += [ClipFailed(cid, why) for cid, why in failures]
        self._feedback += [ClipRestored(cid) for cid in restored]

    @property
    def left_out(self) -> dict[str, str]:
        """Clips left out mid-show because they failed (clip id -> why), until their files come back whole: the
        panel marks their tiles, which otherwise looked like any other.  The engine's own record: it leaves them out."""
        return self._engine.left_out if self._engine is not None else {}

    # -- songs --------------------------------------------------------------------------
    def arm_song(self, index: int) -> StartSong:
        """Song ``index`` flies in on the next downbeat that leaves a whole flight; its bars count from the
        downbeat its first clip lands on.  Returns the event to pass to the next :meth:`tick`."""
        self._pending_song = index
        plan = self.plans[index]
        return StartSong(self.song_clip_ids[index], plan.song_rules, flow=plan.flow, flight=plan.flight)

    def reload(self, plans: Sequence[SongPlan], t: float) -> list[Event]:
        """A reloaded setlist (same banks): new clip orders, sections and rules, from now on.

        Sections of the current song whose moment has passed stay passed (a reload never replays
        them); the song's rules as they stand now (its own and those of the sections passed) are
        returned as an event for the next tick."""
        orders = [p.clip_order for p in plans]
        for n, local in enumerate(self._local_ids):
            order = orders[n] if n < len(orders) and orders[n] else tuple(local)
            self.song_clip_ids[n] = tuple(local[c] for c in order if c in local)
        assert self._engine is not None
        # an armed song (N pressed, its flight not landed) has the engine's rotation, rules and flight already
        # (StartSong): a save then put the old song's back, and the new song played the old one's clips
        now = self._pending_song if self._pending_song is not None else self.song
        self._engine.set_rotation(self.song_clip_ids[now], flow=plans[now].flow if now < len(plans) else None)
        self.sections = [p.sections for p in plans] + [()] * (len(self._local_ids) - len(plans))
        if self._track is not None and [p.downbeats for p in self.plans] != [p.downbeats for p in plans]:
            self._anchor = -1   # edited known downbeats: the latest one reached is given again
        self.plans = list(plans)
        sch = self.schedule
        bar = math.floor(self.report.bar_position + 1e-6) - sch.bar0 + 1
        new = self.sections[self.song]
        fired = {k for k, sec in enumerate(new)
                 if (sec.bar is not None and sec.bar <= bar) or (sec.time is not None and t - sch.t0 >= sec.time)}
        sch.sections, sch.fired = new, fired
        passed = [new[k] for k in sorted(fired)]
        self.rack.reload(plans, passed)
        if now != self.song:   # the armed song's own, as StartSong gave them (its sections start when it lands)
            passed = []
        rules = dict(plans[now].song_rules) if now < len(plans) else {}
        for sec in passed:
            rules.update(sec.rules)
        flight = flight_after(plans[now] if now < len(plans) else None, passed)
        return ([SetRules(rules)] if rules else []) + [SetFlight(flight)]

    def _section_events(self, t: float) -> list[Event]:
        if not self.schedule.sections:
            return []
        events: list[Event] = []
        # bar sections fire on a downbeat the audience saw (the frame after it), never mid-bar when the
        # tracker moves the bar line; time sections fire on their time
        # and none before the song's bar 1 when that is a known downbeat still ahead on its track (an intro)
        bar = self.report.bar_position if self._bar_fired and not self._before_known_one(t) else -1e9
        for sec in self.schedule.due(t, bar):
            clip = self._local_ids[self.song].get(sec.cue) if sec.cue is not None else None
            events += section_events(sec, clip)
            self.rack.section(sec)
            self.fired.append(Fired(t, self.song, sec.label, describe(sec)))
        return events

    def _track_song(self, t: float, desc: FrameDesc) -> None:
        self._bar_fired = desc.bar_fired
        i = self._pending_song
        if i is not None and desc.report.song_landed:
            self.song, self._pending_song = i, None
            self.rack.start_song(i)
            bar0 = round(desc.report.bar_position)
            self.schedule.restart(self.sections[i] if i < len(self.sections) else (), t, bar0)
        self._count_from_known_one(desc.report)

    def _known_one(self) -> float | None:
        """The show time of the playing song's first known downbeat on its own track (its bar 1, docs/SETLISTS.md);
        None where the song plays no track of its own, has none, or is not landed yet."""
        if self._pending_song is not None or self._track is None or self._track[0] != self.song:
            return None
        song, start = self._track
        times = self.plans[song].downbeats if song < len(self.plans) else ()
        return start / self.sample_rate + times[0] if times else None

    def _before_known_one(self, t: float) -> bool:
        """Whether the show at ``t`` is before the playing song's known bar 1.  Its bars were counted from the
        show's start or the landing until the track reached it, so ``bar = 1`` fired at the landing (or at t = 0),
        a bar or more before the song's 1, during its intro."""
        one = self._known_one()
        return one is not None and t + self.report.rules.latency < one - 1e-6

    def _count_from_known_one(self, report: ShowReport) -> None:
        """A song playing its own track with known downbeats counts its bars from the first of them: that 1 is its
        bar 1, as the performer wrote it, not the downbeat its first clip landed on (a song after another lands a
        bar or two into its track, and its sections by bar and the report's bars counted from there).  Counted
        along the bar line in force, from the resync that 1 gave (not once a performer's R or a later known
        downbeat has taken over: the count stays where it was)."""
        one = self._known_one()
        if one is None or report.resync_at is None or report.resync_bar is None:
            return
        if abs(report.resync_at - one) < 1e-6:
            self.schedule.bar0 = round(report.resync_bar)


def bank_labels(banks: Iterable[Bank]) -> dict[Path, str]:
    """Each bank's label in the show's clip ids, by its path: its name, unique (two folders named ``forest``
    at different paths are ``forest`` and ``forest-2``: under one label, the second bank's clips were taken
    for the first's, and its song played the other bank's pictures)."""
    labels: dict[Path, str] = {}
    for b in banks:
        if b.path in labels:
            continue
        label, n = b.name, 1
        while label in labels.values():
            n += 1
            label = f"{b.name}-{n}"
        labels[b.path] = label
    return labels


def _songs_range(plans: Sequence[SongPlan]) -> tuple[float, float] | None:
    """The tempi the tracker may report for a setlist: every song's range (one tracker hears them all),
    or None (the tracker's whole range) when a song has none."""
    ranges = [p.bpm_range for p in plans]
    if not ranges or any(r is None for r in ranges):
        return None
    return (min(r[0] for r in ranges), max(r[1] for r in ranges))  # type: ignore[index]


def _listening(t: float, beat: BeatState) -> FrameDesc:
    """The frame of a loop without a show (`vj beats`): nothing to draw, the tracker's tempo."""
    bpb = beat.beats_per_bar
    pos = beat.beat_position(t) if beat.locked else 0.0
    bar_position = beat.bar_position(t) if beat.locked else 0.0
    report = ShowReport(bar=math.floor(bar_position), beat=(beat.bar_beat if beat.locked else 0), beats_per_bar=bpb,
                        bar_position=bar_position, tempo_source=beat.source, confidence=beat.confidence)
    return FrameDesc(time=t, layers=(), beat_position=pos, bpm=beat.bpm, report=report)
