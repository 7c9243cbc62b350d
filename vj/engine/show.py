"""The show engine: continuous zoom through clips, switches on bars, surges on beats.

Geometry (screen coordinates, 0..1, y down):

* While a clip plays, it zooms about its focus point ``f``: its layer has size
  ``s = 2**(drift * beats)`` and centre ``f + (0.5 - f) * s``, so ``f`` stays put on
  screen and the view never leaves the clip.
* A zoom-through starts at A's focus: B appears there at ``1/Z`` of the screen.
  Both layers then scale by ``g = Z**tau`` about one fixed point
  ``P = (Z f - 0.5) / (Z - 1)``, chosen so that B exactly fills the screen at
  ``tau = 1``.  Scale is exponential in (beat) time, so the flight reads as
  constant speed; B's screen share is ``(g / Z)**2``.
* The beat pulse is a surge: within each beat, progress is warped so most of the
  beat's zoom happens just after the beat.  Progress never runs backwards, and
  whole beats are unchanged, so switches still land exactly on downbeats.
"""

from __future__ import annotations

import math
from typing import Iterable

from ..audio.snapshot import AudioSnapshot, BeatState
from ..look.descriptor import distance
from .clipref import ClipRef
from .clock import ShowClock
from .curves import bars_fade, haze_fade, mask_grow, match_fade, soft_mask, surge, surge_slope
from .events import Event
from .frame import FrameDesc, LayerDesc, ShowReport
from .framing import DEFAULT_ASPECT
from .rules import ShowRules
from .show_events import ShowEvents
from .show_state import Segment, ShowState, Transition
from .tempo_control import TempoControl

#: order "flow": the music's loudness (dB of the analyser's smoothed band levels) mapped onto clip energy 0..1:
#: a quiet intro (-36 dB and below) asks for calm clips, a full mastered mix (-8 dB) for the wildest
ENERGY_DB = (-36.0, -8.0)
#: seconds over which the music's energy is smoothed (a bar or two: a fill does not swing the choice)
ENERGY_SMOOTHING = 2.0
#: weight of an energy mismatch (0..1) against the continuity distance (~0.2 close .. 1.5 far apart)
ENERGY_WEIGHT = 0.5
#: order "flow" does not come back to a clip among the last this share of the song's clips shown
FLOW_MEMORY = 0.5
#: a clip's flight is not started when it would land less than this share of a slot before the song's known end
#: (SongEnds): the song-change flight leaves right after the end, and the clip would be on screen for a moment
#: only (the demo setlist's opener flew into "warp" 1.5 s before its track ended, and out again 1.8 s later)
SONG_END_HOLD = 0.5
#: seconds a cued flight waits at least, so its clip is opened and its first frame uploaded first
PREROLL_LEAD = 0.2


class ShowEngine(ShowEvents):
    """Deterministic show: ``step(t, snapshot, events) -> FrameDesc``.

    The same sequence of inputs always gives the same frames, which is what makes
    an offline rehearsal show exactly what the live player would.
    """

    def __init__(self, clips: Iterable[ClipRef], rules: ShowRules | None = None, *, tempo_hint: float | None = None,
                 rotation: Iterable[str] | None = None, aspect: float = DEFAULT_ASPECT, flow: bool = False,
                 start_clip: str | None = None, flight: str = ""):
        """``rotation``: the clips the first song rotates through; ``aspect``: the output's width / height
        (clips are framed into it, focus points mapped through that); ``flow``: the first song orders its
        clips by continuity; ``start_clip``: the clip on screen at the first step (a resumed show), else
        the rotation's first; ``flight``: how flights are drawn (:class:`~vj.engine.events.SetFlight`),
        "" the zoom-through."""
        self.clips: tuple[ClipRef, ...] = tuple(clips)
        self.aspect = aspect
        self._framings = tuple(c.framing(aspect) for c in self.clips)
        if not self.clips:
            raise ValueError("the show needs at least one clip")
        #: indices of the clips the current song rotates through (a setlist holds several songs' clips)
        self._rotation: list[int] = self._indices(rotation) if rotation is not None else list(range(len(self.clips)))
        if not self._rotation:
            raise ValueError("the song needs at least one clip")
        self._rules = rules or ShowRules()
        bpm = tempo_hint or self._rules.fallback_bpm
        self._clock = ShowClock(bpm=bpm, beats_per_bar=self._rules.beats_per_bar)
        self._state: ShowState | None = None
        self._prev_p: float | None = None
        self._instances = 0
        self._failed: dict[int, str] = {}   #: clips left out because they cannot be played: index -> why
        self._tempo = TempoControl(beats_per_bar=self._rules.beats_per_bar)
        self._beat = BeatState()  #: the beat state the show follows (tracker + manual control)
        self._focus_override: dict[int, tuple[float, float]] = {}  #: SetFocus, by clip index
        self._flow = flow           #: the song orders by continuity (StartSong.flow, set_rotation)
        self._shown: list[int] = []  #: clips as they filled the screen, for order "flow"'s memory
        self._energy: float | None = None  #: the music's energy 0..1, smoothed (order "flow")
        self._continuity: float | None = None
        self._now = 0.0  #: time of the step being taken (events carry their own times where it matters)
        self._flight = flight  #: the style of the next flight ("" the zoom-through, else an ISF transition)
        self._song_end: float | None = None  #: show time the playing song's track ends (SongEnds), if known
        self._report = self._make_report(None, 0.0, False)
        self._start = self._index_of(start_clip) if start_clip else None
        #: the song's clip the latest flight (or the first frame) brought in: after a cue's detour to a clip
        #: outside the song's order, the order goes on after it (it went back to the top, and a performer's
        #: later clips never came)
        self._place: int | None = None

    # -- what the outside reads and sets ----------------------------------------------
    @property
    def rules(self) -> ShowRules:
        """The rules in force (changed by SetRules, SetLatency and StartSong events)."""
        return self._rules

    @property
    def report(self) -> ShowReport:
        """Where the show is: the latest step's report (before the first step: the show's start)."""
        return self._report

    @property
    def left_out(self) -> dict[str, str]:
        """Clips left out because they cannot be played (a :class:`ClipFailed`, until its :class:`ClipRestored`):
        clip id -> why.  The panel marks their tiles."""
        return {self.clips[i].id: why for i, why in self._failed.items()}

    def set_rotation(self, clip_ids: Iterable[str], flow: bool | None = None) -> bool:
        """The clips the current song rotates through, from the next flight on (a reloaded setlist);
        ``flow``: whether it orders them by continuity (None: as it was).
        Ids not in the show are skipped; False (and no change) when none is."""
        rotation = self._indices(clip_ids)
        if rotation:
            self._rotation = rotation
            if flow is not None:
                self._flow = flow
        return bool(rotation)

    # -- inputs ---------------------------------------------------------------------
    def _indices(self, clip_ids: Iterable[str]) -> list[int]:
        return [i for i in (self._index_of(c) for c in clip_ids) if i is not None]

    def _index_of(self, clip_id: str) -> int | None:
        for i, c in enumerate(self.clips):
            if c.id == clip_id:
                return i
        return None

    def _after(self, index: int, step: int = 1) -> int:
        """The next playable clip after ``index`` in the song's order (``step`` -1: the one before).

        Only the current song's clips rotate; failed clips are skipped.  A clip outside the
        rotation is followed by the song's first clip when it is the old song's (during a song change), and
        by the clip after the song's clip it was cued from when a cue brought it in (a detour).
        When every clip of the song has failed (a drive unplugged), the show flies into the clip on
        screen again: the renderer holds its last good picture, so the audience sees a picture that
        keeps moving, never black, until a clip comes back (:class:`ClipRestored`).
        """
        order = self._rotation
        n = len(order)
        if index in order:
            pos = order.index(index)
        elif step > 0 and self._place in order:   # back from a cue's detour: on where the order was
            pos = order.index(self._place)
        else:
            pos = -1 if step > 0 else 0
        for k in range(1, n + 1):
            i = order[(pos + k * step) % n]
            if i not in self._failed:
                return i
        return self._state.current.index if self._state is not None else index

    def _source_focus(self, seg: Segment, media_time: float) -> tuple[float, float]:
        """Where the clip heads at ``media_time``, in its own frame's coordinates (for its look)."""
        clip = self.clips[seg.index]
        if seg.index in self._focus_override:
            return self._focus_override[seg.index]
        return clip.focus_at(media_time) if seg.follow else clip.focus

    def _opening(self, index: int):
        clip = self.clips[index]
        f = self._focus_override.get(index, clip.focus)
        return clip.look.opening(f, clip.in_point) if clip.look is not None else None

    def _flow_next(self, seg: Segment, t_switch: float) -> int:
        """Order "flow": of the song's clips not shown lately, the one whose opening best continues what the
        audience will see around the focus when the next flight starts (``t_switch``), its energy nearest the
        music's.  Clips without a measured look come after those with one, in the song's order."""
        a = self.clips[seg.index]
        fallback = self._after(seg.index)
        if a.look is None:
            return fallback
        media = a.media_time(t_switch - seg.start_time)
        here = a.look.around(media, self._source_focus(seg, media))
        pool = [i for i in self._rotation if i != seg.index and i not in self._failed]
        memory = max(0, int(len(pool) * FLOW_MEMORY))
        recent = set(self._shown[-memory:]) if memory else set()
        fresh = [i for i in pool if i not in recent] or pool
        energy = self._energy if self._energy is not None else 0.5
        best, best_cost = fallback, math.inf
        for i in fresh:
            opening = self._opening(i)
            if opening is None:
                continue
            cost = distance(here, opening) + ENERGY_WEIGHT * abs(self.clips[i].energy - energy)
            if cost < best_cost - 1e-12:
                best, best_cost = i, cost
        return best

    def _hear_energy(self, t: float, snapshot: AudioSnapshot) -> None:
        level = snapshot.bass_att + snapshot.mid_att + snapshot.treble_att
        db = 20.0 * math.log10(max(level, 1e-6))
        e = min(max((db - ENERGY_DB[0]) / (ENERGY_DB[1] - ENERGY_DB[0]), 0.0), 1.0)
        if self._energy is None:
            self._energy = e
        else:
            dt = max(t - self._now, 0.0)
            k = 1.0 - math.exp(-dt / ENERGY_SMOOTHING)
            self._energy += (e - self._energy) * k

    def _landed(self, st: ShowState, seg: Segment, t: float) -> None:
        """A clip fills the screen: remember it, and in a "flow" song choose the next one now (a whole slot
        ahead, so the decoders pre-roll it), for the moment its flight is due."""
        self._shown.append(seg.index)
        del self._shown[:-64]
        if not self._flow or st.switch_requested or st.song_change:
            return
        r = self._rules
        beats = max(r.switch_bars * r.beats_per_bar - r.transition_beats, 0.0)
        st.next_index = self._flow_next(seg, t + beats * 60.0 / self._clock.bpm)

    # -- geometry -------------------------------------------------------------------
    def _clamp(self, f: tuple[float, float]) -> tuple[float, float]:
        """A focus kept far enough from the edges that the emerging clip fits inside."""
        m = 0.5 / self._rules.zoom_through + 0.02
        return (min(max(f[0], m), 1.0 - m), min(max(f[1], m), 1.0 - m))

    def _on_layer(self, index: int, f: tuple[float, float]) -> tuple[float, float]:
        """A focus in the clip's source coordinates, where it is in its layer (through the crop), kept inside."""
        return self._clamp(self._framings[index].to_layer(f))

    def entry_focus(self, index: int) -> tuple[float, float]:
        """Clip focus as it enters, in layer coordinates (a SetFocus override, else its own)."""
        return self._on_layer(index, self._focus_override.get(index, self.clips[index].focus))

    def _segment(self, index: int, instance: int, start_beat: float, start_time: float) -> Segment:
        follow = bool(self.clips[index].focus_track) and index not in self._focus_override
        return Segment(index, instance, start_beat, start_time, self.entry_focus(index), follow=follow)

    def _heading(self, seg: Segment, t: float) -> tuple[float, float]:
        """Where the clip on screen heads at time ``t``: its track at the frame shown, else its fixed focus."""
        if not seg.follow:
            return seg.focus
        clip = self.clips[seg.index]
        return self._on_layer(seg.index, clip.focus_at(clip.media_time(t - seg.start_time)))

    def _life_size(self, seg: Segment, pw: float, commit: bool = True) -> float:
        """The clip's scale at warped beat ``pw``: drift accumulated beat by beat at the rate in force."""
        last = seg.start_beat if seg.last_pw is None else seg.last_pw
        log2 = seg.log2_size + self._rules.drift_per_beat * max(0.0, pw - last)
        if commit and pw >= last:
            seg.log2_size, seg.last_pw = log2, pw
        return 2.0 ** log2

    def _begin_transition(self, st: ShowState, start: float, end: float, t: float, song: bool = False,
                          on_one: bool = False) -> None:
        r = self._rules
        seg = st.current
        f = self._heading(seg, t)  # the heading at the moment the flight starts
        s0 = self._life_size(seg, start, commit=False)
        a_center = (f[0] + (0.5 - f[0]) * s0, f[1] + (0.5 - f[1]) * s0)
        z = r.zoom_through
        # B is placed so that its own focus (its vanishing point) lies on A's: the next scene grows out of the
        # point the camera is heading for.  P is the point both scale about, so that B fills the screen at the end.
        fb = self.entry_focus(st.next_index)
        a_clip = self.clips[seg.index]
        opening = self._opening(st.next_index)
        if a_clip.look is not None and opening is not None:
            media = a_clip.media_time(t - seg.start_time)
            self._continuity = distance(a_clip.look.around(media, self._source_focus(seg, media)), opening)
        b_center = (f[0] - (fb[0] - 0.5) / z, f[1] - (fb[1] - 0.5) / z)
        fixed = ((z * b_center[0] - 0.5) / (z - 1.0), (z * b_center[1] - 0.5) / (z - 1.0))
        # time the transition started, from the beat grid, so B's playback is exact
        self._instances += 1
        st.transition = Transition(
            to_index=st.next_index, instance=self._instances, start_beat=start, end_beat=end, start_time=t,
            fixed=fixed, a_center=a_center, a_size=s0, b_center=b_center, song=song, b_focus=fb, style=self._flight,
            on_one=on_one,
        )
        # from now on "next" means the clip after the one flying in (a cue during the flight changes it)
        if st.next_index in self._rotation:
            self._place = st.next_index
        st.next_index = self._after(st.next_index)

    def _schedule(self, st: ShowState, p: float, prev_p: float) -> tuple[float, float]:
        """(start, end) beats of the next zoom-through; never one that should have started in the past.
        (inf, inf) while a clip holds through its song's last half slot (:class:`SongEnds`)."""
        r = self._rules
        if st.song_change:
            earliest = max(st.request_p + PREROLL_LEAD * self._clock.bpm / 60.0, prev_p) + r.transition_beats
            if st.deferred_end is None or st.deferred_end - r.transition_beats < prev_p - 1e-9:
                st.deferred_end = float(self._clock.next_downbeat(earliest))
            return st.deferred_end - r.transition_beats, st.deferred_end
        if st.switch_requested:
            # the next beat that leaves the decoders time to pre-roll the clip (and not before now)
            lead = PREROLL_LEAD * self._clock.bpm / 60.0
            start = float(max(math.ceil(st.request_p + lead - 1e-9), math.ceil(prev_p - 1e-9)))
            return start, start + r.transition_beats
        due = st.current.start_beat + r.switch_bars * r.beats_per_bar - r.beats_per_bar / 2.0
        if st.current.opening:
            # no flight brought the first clip in: it gets its whole slot alone before its flight starts (a
            # later clip is on screen a slot from the flight that brings it to the one that takes it away),
            # however the bar lines move when the tracker locks
            due = st.current.start_beat + r.switch_bars * r.beats_per_bar + r.transition_beats - 1e-6
        end = float(self._clock.next_downbeat(due))
        if end - r.transition_beats < prev_p - 1e-9:
            # the grid moved (resync, a shorter interval) past the start: fly on the next downbeat that
            # leaves a whole flight, and keep that plan (recomputing it from "now" would chase it forever)
            if st.deferred_end is None or st.deferred_end - r.transition_beats < prev_p - 1e-9:
                st.deferred_end = float(self._clock.next_downbeat(p + r.transition_beats))
            end = st.deferred_end
        if self._song_end is not None and self._now < self._song_end:
            beat_s = 60.0 / self._clock.bpm
            lands = self._now + (end - p) * beat_s
            if lands > self._song_end - SONG_END_HOLD * r.switch_bars * r.beats_per_bar * beat_s:
                # hold this clip: the next song flies in right after the end, planning its own flight (a
                # deferred plan left here would let it start before its clip is opened: PREROLL_LEAD)
                st.deferred_end = None
                return math.inf, math.inf
        return end - r.transition_beats, end

    def _warp_start(self, tr: Transition) -> float:
        return tr.warp_start if tr.warp_start is not None else surge(tr.start_beat, self._rules.pulse,
                                                                     self._rules.pulse_decay)

    # -- the step -------------------------------------------------------------------
    def step(self, t: float, snapshot: AudioSnapshot, events: Iterable[Event] = ()) -> FrameDesc:
        first_frame = self._state is None
        if first_frame:
            first = self._start if self._start is not None else self._rotation[0]
            self._place = first
            self._state = ShowState(current=self._segment(first, 0, 0.0, t), next_index=self._after(first))
            self._state.current.opening = True
        st = self._state
        assert st is not None
        st.messages = []
        self._continuity = None
        self._hear_energy(t, snapshot)
        self._now = t
        if first_frame:
            self._landed(st, st.current, t)
        for ev in events:
            self._apply(ev, st)
        r = self._rules
        self._beat = self._tempo.apply(t + r.latency, snapshot.beat)
        p = self._clock.advance(t + r.latency, self._beat, allow_snap=st.transition is None)
        if first_frame:
            st.current.start_beat = p
        prev_p = self._prev_p if self._prev_p is not None else p

        if st.transition is not None and st.transition.on_one:
            st.transition.keep_on_the_one(self._clock, p, lambda b: surge(b, r.pulse, r.pulse_decay))
        landed = False
        for _ in range(4):  # a long frame can finish one flight and start the next
            if st.transition is None:
                start, end = self._schedule(st, p, prev_p)
                if p >= start:
                    song = st.song_change
                    on_one = song or not st.switch_requested   # a performer's switch lands on its beat
                    st.switch_requested = False
                    st.song_change = False
                    st.deferred_end = None
                    # playback of B starts when the flight starts (in wall time)
                    bpm = self._clock.bpm
                    t_start = t - (p - start) * 60.0 / bpm
                    self._begin_transition(st, start, end, t_start, song, on_one)
                else:
                    break
            tr = st.transition
            assert tr is not None
            if p >= tr.end_beat:
                st.current = self._segment(tr.to_index, tr.instance, tr.end_beat, tr.start_time)
                st.transition = None
                landed = landed or tr.song
                self._landed(st, st.current, t)
                continue
            break

        pw = surge(p, r.pulse, r.pulse_decay)
        slope = surge_slope(p, r.pulse, r.pulse_decay) * self._clock.bpm / 60.0  # d pw / dt
        seg = st.current
        a_clip = self.clips[seg.index]
        layers: list[LayerDesc] = []
        tr = st.transition
        if tr is not None and tr.style:
            # an ISF transition: A keeps its slow push-in, B waits full screen (where it starts its own), and
            # the renderer blends them; B's alpha is the progress, so without the transition it is a crossfade
            pw_start = self._warp_start(tr)
            span = surge(tr.end_beat, r.pulse, r.pulse_decay) - pw_start  # in warped beats: lands exactly at 1
            tau = min(max((pw - pw_start) / span, 0.0), 1.0)
            s = self._life_size(seg, pw)
            f = self._heading(seg, t)
            b_clip = self.clips[tr.to_index]
            layers.append(LayerDesc(a_clip.id, seg.instance, t - seg.start_time, a_clip.media_time(t - seg.start_time),
                                    (f[0] + (0.5 - f[0]) * s, f[1] + (0.5 - f[1]) * s), s, fit=a_clip.fit))
            layers.append(LayerDesc(b_clip.id, tr.instance, t - tr.start_time, b_clip.media_time(t - tr.start_time),
                                    (0.5, 0.5), 1.0, alpha=tau, fit=b_clip.fit))
            zoom_center = f
            speed = r.drift_per_beat * math.log(2.0) * slope
            progress = tau
            next_clip = b_clip.id
            on_screen = {a_clip.id, b_clip.id}
        elif tr is None:
            s = self._life_size(seg, pw)
            f = self._heading(seg, t)
            layers.append(self._layer(seg.index, seg.instance, t - seg.start_time,
                                      (f[0] + (0.5 - f[0]) * s, f[1] + (0.5 - f[1]) * s), s, f))
            zoom_center = f
            speed = r.drift_per_beat * math.log(2.0) * slope
            progress = -1.0
            next_clip = self.clips[st.next_index].id
            on_screen = {a_clip.id}
        else:
            z = r.zoom_through
            pw_start = self._warp_start(tr)
            span = surge(tr.end_beat, r.pulse, r.pulse_decay) - pw_start  # in warped beats: lands exactly at 1
            tau = min(max((pw - pw_start) / span, 0.0), 1.0)
            g = z ** tau
            P = tr.fixed
            a_center = (P[0] + (tr.a_center[0] - P[0]) * g, P[1] + (tr.a_center[1] - P[1]) * g)
            b_center = (P[0] + (tr.b_center[0] - P[0]) * g, P[1] + (tr.b_center[1] - P[1]) * g)
            b_clip = self.clips[tr.to_index]
            fa = self._heading(seg, tr.start_time)  # A's focus where the flight started (it holds for the flight)
            layers.append(self._layer(seg.index, seg.instance, t - seg.start_time, a_center, tr.a_size * g, fa))
            b_size = g / z
            layers.append(self._layer(tr.to_index, tr.instance, t - tr.start_time, b_center, b_size, tr.b_focus,
                                      feather=r.feather * (1.0 - tau) ** 0.5, soft=r.blend * soft_mask(b_size),
                                      haze=r.blend * haze_fade(b_size),
                                      grow=r.blend * mask_grow(b_size),
                                      match=r.colour_match * match_fade(b_size), bars=bars_fade(tau)))
            zoom_center = P
            speed = math.log(z) / span * slope
            progress = tau
            next_clip = b_clip.id
            on_screen = {a_clip.id, b_clip.id}

        # the next clip, and the one after it, should be decoded before they are needed
        upcoming = [self.clips[st.next_index].id, self.clips[self._after(st.next_index)].id]
        preroll = tuple(dict.fromkeys(c for c in upcoming if c not in on_screen))

        bar_now = math.floor(self._clock.bar_position(p))
        bar_prev = math.floor(self._clock.bar_position(prev_p))
        self._report = self._make_report(st, p, landed)
        frame = FrameDesc(
            time=t,
            layers=tuple(layers),
            zoom_center=zoom_center,
            zoom_rate=speed,
            blur=r.motion_blur,
            brightness=0.0 if st.blackout else 1.0,
            beat_position=p,
            beat_fired=math.floor(p) > math.floor(prev_p),
            bar_fired=bar_now > bar_prev,
            bpm=self._clock.bpm,
            current_clip=a_clip.id,
            next_clip=next_clip,
            transition=progress,
            preroll=preroll,
            report=self._report,
            flight=tr.style if tr is not None else "",
            audio=snapshot,
        )
        self._prev_p = p
        return frame

    def _layer(self, index: int, instance: int, elapsed: float, center: tuple[float, float], size: float,
               focus: tuple[float, float], **mask: float) -> LayerDesc:
        clip = self.clips[index]
        return LayerDesc(clip.id, instance, elapsed, clip.media_time(elapsed), center, size, fit=clip.fit,
                         aspect=clip.aspect, focus=focus, **mask)

    def _make_report(self, st: ShowState | None, p: float, landed: bool) -> ShowReport:
        clock = self._clock
        bpb = clock.beats_per_bar
        pending = st is not None and (st.song_change or (st.transition is not None and st.transition.song))
        manual = self._tempo.manual_tempo()
        since = self._tempo.beats_since_resync(self._now + self._rules.latency, self._beat) if st is not None else None
        return ShowReport(
            bar=math.floor(clock.bar_position(p)), beat=int(math.floor(p - clock.downbeat)) % bpb, beats_per_bar=bpb,
            bar_position=clock.bar_position(p), tempo_source=self._beat.source, confidence=self._beat.confidence,
            nudge=self._tempo.offset, latency=self._rules.latency, blackout=st is not None and st.blackout,
            tempo_scale=self._tempo.scale, manual_bpm=manual[1] if manual else 0.0,
            manual_source=manual[0] if manual else "",
            song_pending=pending, song_landed=landed, rules=self._rules, continuity=self._continuity,
            resync_at=self._tempo.downbeat_at, resync_bar=None if since is None else clock.bar_position(p - since),
            messages=tuple(st.messages) if st is not None else ())
