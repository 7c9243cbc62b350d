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
from dataclasses import dataclass, field
from typing import Iterable

from ..audio.snapshot import AudioSnapshot, BeatState
from ..focus.track import focus_at
from .clock import ShowClock
from .events import (AutoTempo, Blackout, ClipFailed, Cue, Event, ExternalTempo, NextClip, Nudge, PrevClip, Resync,
                     SetFlight, SetFocus, SetLatency, SetTempo,
                     SetRules, StartSong, SwitchNow, TapTempo, TempoScale)
from .tempo_control import Grid, TempoControl
from .frame import FrameDesc, LayerDesc, ShowReport
from .rules import BY_FIELD, TEMPO_RANGE, ShowRules

#: how a clip plays past its out point (bank.toml's ``loop``): again, back and forth, or frozen on its last frame
LOOP_MODES = ("loop", "pingpong", "hold")
#: seconds a cued flight waits at least, so its clip is opened and its first frame uploaded first
PREROLL_LEAD = 0.2


@dataclass(frozen=True, slots=True)
class ClipRef:
    """What the engine needs to know about a clip (built from a bank's clip)."""

    id: str
    focus: tuple[float, float] = (0.5, 0.5)
    in_point: float = 0.0
    end: float | None = None   #: out point, or None when unknown (the decoder wraps at EOF)
    loop: str = "loop"
    fps: float = 30.0
    #: measured focus keyframes ``(t, x, y, confidence)``, ``t`` in media time, that the clip follows while it
    #: plays (``vj.focus.track.followed``: confident ones only); empty: it holds ``focus``
    focus_track: tuple[tuple[float, float, float, float], ...] = ()

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
        if self.loop == "pingpong":
            period = max(2.0 * length - 2.0 * frame, frame)
            u = math.fmod(elapsed, period)
            # on the way back, frame k is on screen while the clock runs down through its slot
            return self.in_point + (u if u < length else period + frame - u - 1e-9)
        return self.in_point + math.fmod(elapsed, length)


@dataclass(slots=True)
class _Segment:
    index: int
    instance: int
    start_beat: float   #: beat position at which it filled the screen
    start_time: float   #: time its playback started (it starts while flying in)
    focus: tuple[float, float]
    log2_size: float = 0.0       #: drift so far, accumulated so a live speed change never rescales the past
    last_pw: float | None = None
    follow: bool = False         #: the focus follows the clip's track (no SetFocus override when it entered)


@dataclass(slots=True)
class _Transition:
    to_index: int
    instance: int
    start_beat: float
    end_beat: float
    start_time: float
    fixed: tuple[float, float]      #: P, the zoom's fixed point on screen
    a_center: tuple[float, float]   #: A's layer at the start
    a_size: float
    b_center: tuple[float, float]   #: B's layer centre at the start (A's focus on screen)
    song: bool = False              #: this flight brings in an armed song (StartSong)
    style: str = ""                 #: "" the zoom-through, else the ISF transition that blends A into B


@dataclass(slots=True)
class _State:
    current: _Segment
    transition: _Transition | None = None
    next_index: int = 0
    switch_requested: bool = False
    request_p: float = 0.0   #: beat position when the switch was asked for
    deferred_end: float | None = None  #: a rescheduled automatic flight's end, kept until it flies
    song_change: bool = False  #: a new song flies in on the next downbeat that leaves a whole flight
    blackout: bool = False
    messages: list[str] = field(default_factory=list)


def surge(p: float, amount: float, decay: float) -> float:
    """Warp beat position so each beat's zoom is front-loaded (the beat pulse); monotonic."""
    if amount <= 0.0:
        return p
    base = math.floor(p)
    u = p - base
    k = 1.0 / max(decay, 1e-3)
    eased = (1.0 - math.exp(-k * u)) / (1.0 - math.exp(-k))
    return base + (1.0 - amount) * u + amount * eased


def surge_slope(p: float, amount: float, decay: float) -> float:
    """d surge / d p, for the zoom speed (motion blur)."""
    if amount <= 0.0:
        return 1.0
    u = p - math.floor(p)
    k = 1.0 / max(decay, 1e-3)
    return (1.0 - amount) + amount * k * math.exp(-k * u) / (1.0 - math.exp(-k))


class ShowEngine:
    """Deterministic show: ``step(t, snapshot, events) -> FrameDesc``.

    The same sequence of inputs always gives the same frames, which is what makes
    an offline rehearsal show exactly what the live player would.
    """

    def __init__(self, clips: Iterable[ClipRef], rules: ShowRules | None = None, *, tempo_hint: float | None = None,
                 rotation: Iterable[str] | None = None, flight: str = ""):
        """``flight``: how flights are drawn (:class:`~vj.engine.events.SetFlight`), "" the zoom-through."""
        self.clips: tuple[ClipRef, ...] = tuple(clips)
        if not self.clips:
            raise ValueError("the show needs at least one clip")
        #: indices of the clips the current song rotates through (a setlist holds several songs' clips)
        self._rotation: list[int] = self._indices(rotation) if rotation is not None else list(range(len(self.clips)))
        if not self._rotation:
            raise ValueError("the song needs at least one clip")
        self._rules = rules or ShowRules()
        bpm = tempo_hint or self._rules.fallback_bpm
        self._clock = ShowClock(bpm=bpm, beats_per_bar=self._rules.beats_per_bar)
        self._state: _State | None = None
        self._prev_p: float | None = None
        self._instances = 0
        self._failed: set[int] = set()   #: clips left out because they cannot be played
        self._tempo = TempoControl(beats_per_bar=self._rules.beats_per_bar)
        self._beat = BeatState()  #: the beat state the show follows (tracker + manual control)
        self._focus_override: dict[int, tuple[float, float]] = {}  #: SetFocus, by clip index
        self._now = 0.0  #: time of the step being taken (events carry their own times where it matters)
        self._flight = flight  #: the style of the next flight ("" the zoom-through, else an ISF transition)
        self._report = self._make_report(None, 0.0, False)

    # -- what the outside reads and sets ----------------------------------------------
    @property
    def rules(self) -> ShowRules:
        """The rules in force (changed by SetRules, SetLatency and StartSong events)."""
        return self._rules

    @property
    def report(self) -> ShowReport:
        """Where the show is: the latest step's report (before the first step: the show's start)."""
        return self._report

    def set_rotation(self, clip_ids: Iterable[str]) -> bool:
        """The clips the current song rotates through, from the next flight on (a reloaded setlist).
        Ids not in the show are skipped; False (and no change) when none is."""
        rotation = self._indices(clip_ids)
        if rotation:
            self._rotation = rotation
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
        rotation (the old song's, during a song change) is followed by the song's first clip.
        """
        order = self._rotation
        n = len(order)
        pos = order.index(index) if index in order else (-1 if step > 0 else 0)
        for k in range(1, n + 1):
            i = order[(pos + k * step) % n]
            if i not in self._failed:
                return i
        return order[(pos + step) % n]  # everything failed: keep going on what is there (last good frames)

    @staticmethod
    def _front(st: _State) -> int:
        """The clip the audience is heading into: the one flying in, else the one on screen."""
        return st.transition.to_index if st.transition is not None else st.current.index

    def _request_switch(self, st: _State) -> None:
        if not st.switch_requested:
            st.switch_requested = True
            st.request_p = self._prev_p if self._prev_p is not None else 0.0

    def _apply(self, ev: Event, st: _State) -> None:
        if isinstance(ev, Cue):
            i = self._index_of(ev.clip_id)
            if i is None:
                st.messages.append(f"cue ignored: no clip '{ev.clip_id}' in this bank")
                return
            if i in self._failed:
                st.messages.append(f"cue ignored: clip '{ev.clip_id}' cannot be played")
                return
            st.next_index = i
            if ev.switch and not st.switch_requested:
                self._request_switch(st)
        elif isinstance(ev, NextClip):
            st.next_index = self._after(self._front(st))
            self._request_switch(st)
        elif isinstance(ev, PrevClip):
            st.next_index = self._after(self._front(st), -1)
            self._request_switch(st)
        elif isinstance(ev, StartSong):
            rotation = self._indices(ev.clip_ids)
            if not rotation:
                st.messages.append("song change ignored: none of its clips is in this show")
                return
            try:
                self._set_rules(ev.rules)
            except (ValueError, TypeError) as exc:
                st.messages.append(f"song rules ignored: {exc}")
            self._rotation = rotation
            if ev.flight is not None:
                self._flight = ev.flight
            st.next_index = rotation[0] if rotation[0] not in self._failed else self._after(rotation[0])
            st.song_change = True
            if st.transition is not None:  # a song flight already in the air now brings the old choice: it lands first
                st.transition.song = False
            st.request_p = self._prev_p if self._prev_p is not None else 0.0  # a flight in progress lands first
        elif isinstance(ev, ClipFailed):
            i = self._index_of(ev.clip_id)
            if i is None or i in self._failed:
                return
            self._failed.add(i)
            st.messages.append(f"clip '{ev.clip_id}' left out of the show" + (f": {ev.reason}" if ev.reason else ""))
            if st.next_index == i:
                st.next_index = self._after(i)
            tr = st.transition
            if tr is not None and tr.to_index == i:
                # retarget the flight: the broken clip never drew a pixel, the next one flies in instead
                self._instances += 1
                tr.to_index = self._after(i)
                tr.instance = self._instances
                if st.next_index == tr.to_index:
                    st.next_index = self._after(tr.to_index)
        elif isinstance(ev, SwitchNow):
            self._request_switch(st)
        elif isinstance(ev, Blackout):
            st.blackout = ev.on
        elif isinstance(ev, TapTempo):
            self._tempo.tap(ev.at)
        elif isinstance(ev, AutoTempo):
            self._tempo.auto()
        elif isinstance(ev, Nudge):
            self._tempo.nudge(ev.seconds)
        elif isinstance(ev, TempoScale):
            self._tempo.set_scale(ev.factor)
        elif isinstance(ev, Resync):
            self._tempo.resync(ev.at)
        elif isinstance(ev, SetTempo):
            lo, hi = TEMPO_RANGE
            if not lo <= ev.bpm <= hi:
                st.messages.append(f"tempo {ev.bpm:g} BPM ignored: use {lo:g}..{hi:g}")
                return
            b = self._beat
            self._tempo.scale = 1.0  # the tempo asked for is the tempo shown
            if b.locked:  # keep the beat phase and the bar: only the speed changes
                self._tempo.set_bpm(ev.bpm, b.last_beat - self._tempo.offset, b.bar_beat, ev.source)
            else:
                self._tempo.set_bpm(ev.bpm, ev.at, 0.0, ev.source)
        elif isinstance(ev, ExternalTempo):
            if not ev.running:
                self._tempo.set_external(None, self._now + self._rules.latency)
            elif TEMPO_RANGE[0] <= ev.bpm <= TEMPO_RANGE[1]:
                self._tempo.set_external(Grid(60.0 / ev.bpm, ev.at, ev.beat, ev.source),
                                         self._now + self._rules.latency)
        elif isinstance(ev, SetFocus):
            i = self._index_of(ev.clip_id) if ev.clip_id else st.next_index
            if i is None:
                st.messages.append(f"focus ignored: no clip '{ev.clip_id}' in this show")
            elif not (0.0 <= ev.x <= 1.0 and 0.0 <= ev.y <= 1.0):
                st.messages.append(f"focus ({ev.x:g}, {ev.y:g}) ignored: use 0..1 for x and y")
            else:
                self._focus_override[i] = (ev.x, ev.y)
        elif isinstance(ev, SetLatency):
            rule = BY_FIELD["latency"]
            if rule.lo <= ev.seconds <= rule.hi:
                self._rules = self._rules.with_changes({"latency": ev.seconds})
            else:
                st.messages.append(f"latency {ev.seconds:.3f} s ignored: use {rule.lo:g}..{rule.hi:g} s")
        elif isinstance(ev, SetFlight):
            self._flight = ev.name
        elif isinstance(ev, SetRules):
            try:
                self._set_rules(ev.changes)
            except (ValueError, TypeError) as exc:
                st.messages.append(f"rule change ignored: {exc}")
        else:
            st.messages.append(f"unknown event ignored: {ev!r}")

    def _set_rules(self, changes: dict) -> None:
        """New rules; the clock and the tempo control count bars of the new length from here on."""
        self._rules = self._rules.with_changes(changes)
        self._clock.beats_per_bar = self._rules.beats_per_bar
        self._tempo.beats_per_bar = self._rules.beats_per_bar

    # -- geometry -------------------------------------------------------------------
    def _clamp(self, f: tuple[float, float]) -> tuple[float, float]:
        """A focus kept far enough from the edges that the emerging clip fits inside."""
        m = 0.5 / self._rules.zoom_through + 0.02
        return (min(max(f[0], m), 1.0 - m), min(max(f[1], m), 1.0 - m))

    def _focus(self, index: int) -> tuple[float, float]:
        """Clip focus as it enters (a SetFocus override, else its own)."""
        return self._clamp(self._focus_override.get(index, self.clips[index].focus))

    def _segment(self, index: int, instance: int, start_beat: float, start_time: float) -> _Segment:
        follow = bool(self.clips[index].focus_track) and index not in self._focus_override
        return _Segment(index, instance, start_beat, start_time, self._focus(index), follow=follow)

    def _heading(self, seg: _Segment, t: float) -> tuple[float, float]:
        """Where the clip on screen heads at time ``t``: its track at the frame shown, else its fixed focus."""
        if not seg.follow:
            return seg.focus
        clip = self.clips[seg.index]
        return self._clamp(clip.focus_at(clip.media_time(t - seg.start_time)))

    def _life_size(self, seg: _Segment, pw: float, commit: bool = True) -> float:
        """The clip's scale at warped beat ``pw``: drift accumulated beat by beat at the rate in force."""
        last = seg.start_beat if seg.last_pw is None else seg.last_pw
        log2 = seg.log2_size + self._rules.drift_per_beat * max(0.0, pw - last)
        if commit and pw >= last:
            seg.log2_size, seg.last_pw = log2, pw
        return 2.0 ** log2

    def _begin_transition(self, st: _State, start: float, end: float, t: float, song: bool = False) -> None:
        r = self._rules
        seg = st.current
        f = self._heading(seg, t)  # the heading at the moment the flight starts
        s0 = self._life_size(seg, start, commit=False)
        a_center = (f[0] + (0.5 - f[0]) * s0, f[1] + (0.5 - f[1]) * s0)
        z = r.zoom_through
        fixed = ((z * f[0] - 0.5) / (z - 1.0), (z * f[1] - 0.5) / (z - 1.0))
        # time the transition started, from the beat grid, so B's playback is exact
        self._instances += 1
        st.transition = _Transition(
            to_index=st.next_index, instance=self._instances, start_beat=start, end_beat=end, start_time=t,
            fixed=fixed, a_center=a_center, a_size=s0, b_center=f, song=song, style=self._flight,
        )
        # from now on "next" means the clip after the one flying in (a cue during the flight changes it)
        st.next_index = self._after(st.next_index)

    def _schedule(self, st: _State, p: float, prev_p: float) -> tuple[float, float]:
        """(start, end) beats of the next zoom-through; never one that should have started in the past."""
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
        end = float(self._clock.next_downbeat(due))
        if end - r.transition_beats < prev_p - 1e-9:
            # the grid moved (resync, a shorter interval) past the start: fly on the next downbeat that
            # leaves a whole flight, and keep that plan (recomputing it from "now" would chase it forever)
            if st.deferred_end is None or st.deferred_end - r.transition_beats < prev_p - 1e-9:
                st.deferred_end = float(self._clock.next_downbeat(p + r.transition_beats))
            end = st.deferred_end
        return end - r.transition_beats, end

    # -- the step -------------------------------------------------------------------
    def step(self, t: float, snapshot: AudioSnapshot, events: Iterable[Event] = ()) -> FrameDesc:
        first_frame = self._state is None
        if first_frame:
            first = self._rotation[0]
            self._state = _State(current=self._segment(first, 0, 0.0, t), next_index=self._after(first))
        st = self._state
        assert st is not None
        st.messages = []
        self._now = t
        for ev in events:
            self._apply(ev, st)
        r = self._rules
        self._beat = self._tempo.apply(t + r.latency, snapshot.beat)
        p = self._clock.advance(t + r.latency, self._beat, allow_snap=st.transition is None)
        if first_frame:
            st.current.start_beat = p
        prev_p = self._prev_p if self._prev_p is not None else p

        landed = False
        for _ in range(4):  # a long frame can finish one flight and start the next
            if st.transition is None:
                start, end = self._schedule(st, p, prev_p)
                if p >= start:
                    song = st.song_change
                    st.switch_requested = False
                    st.song_change = False
                    st.deferred_end = None
                    # playback of B starts when the flight starts (in wall time)
                    bpm = self._clock.bpm
                    t_start = t - (p - start) * 60.0 / bpm
                    self._begin_transition(st, start, end, t_start, song)
                else:
                    break
            tr = st.transition
            assert tr is not None
            if p >= tr.end_beat:
                st.current = self._segment(tr.to_index, tr.instance, tr.end_beat, tr.start_time)
                st.transition = None
                landed = landed or tr.song
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
            pw_start = surge(tr.start_beat, r.pulse, r.pulse_decay)
            span = surge(tr.end_beat, r.pulse, r.pulse_decay) - pw_start  # in warped beats: lands exactly at 1
            tau = min(max((pw - pw_start) / span, 0.0), 1.0)
            s = self._life_size(seg, pw)
            f = self._heading(seg, t)
            b_clip = self.clips[tr.to_index]
            layers.append(LayerDesc(a_clip.id, seg.instance, t - seg.start_time, a_clip.media_time(t - seg.start_time),
                                    (f[0] + (0.5 - f[0]) * s, f[1] + (0.5 - f[1]) * s), s))
            layers.append(LayerDesc(b_clip.id, tr.instance, t - tr.start_time, b_clip.media_time(t - tr.start_time),
                                    (0.5, 0.5), 1.0, alpha=tau))
            zoom_center = f
            speed = r.drift_per_beat * math.log(2.0) * slope
            progress = tau
            next_clip = b_clip.id
            on_screen = {a_clip.id, b_clip.id}
        elif tr is None:
            s = self._life_size(seg, pw)
            f = self._heading(seg, t)
            layers.append(LayerDesc(a_clip.id, seg.instance, t - seg.start_time, a_clip.media_time(t - seg.start_time),
                                    (f[0] + (0.5 - f[0]) * s, f[1] + (0.5 - f[1]) * s), s))
            zoom_center = f
            speed = r.drift_per_beat * math.log(2.0) * slope
            progress = -1.0
            next_clip = self.clips[st.next_index].id
            on_screen = {a_clip.id}
        else:
            z = r.zoom_through
            pw_start = surge(tr.start_beat, r.pulse, r.pulse_decay)
            span = surge(tr.end_beat, r.pulse, r.pulse_decay) - pw_start  # in warped beats: lands exactly at 1
            tau = min(max((pw - pw_start) / span, 0.0), 1.0)
            g = z ** tau
            P = tr.fixed
            a_center = (P[0] + (tr.a_center[0] - P[0]) * g, P[1] + (tr.a_center[1] - P[1]) * g)
            b_center = (P[0] + (tr.b_center[0] - P[0]) * g, P[1] + (tr.b_center[1] - P[1]) * g)
            b_clip = self.clips[tr.to_index]
            layers.append(LayerDesc(a_clip.id, seg.instance, t - seg.start_time, a_clip.media_time(t - seg.start_time),
                                    a_center, tr.a_size * g))
            layers.append(LayerDesc(b_clip.id, tr.instance, t - tr.start_time, b_clip.media_time(t - tr.start_time),
                                    b_center, g / z,
                                    feather=r.feather * (1.0 - tau) ** 0.5))
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

    def _make_report(self, st: _State | None, p: float, landed: bool) -> ShowReport:
        clock = self._clock
        bpb = clock.beats_per_bar
        pending = st is not None and (st.song_change or (st.transition is not None and st.transition.song))
        return ShowReport(
            bar=math.floor(clock.bar_position(p)), beat=int(math.floor(p - clock.downbeat)) % bpb, beats_per_bar=bpb,
            bar_position=clock.bar_position(p), tempo_source=self._beat.source, confidence=self._beat.confidence,
            nudge=self._tempo.offset, latency=self._rules.latency, blackout=st is not None and st.blackout,
            song_pending=pending, song_landed=landed, rules=self._rules,
            messages=tuple(st.messages) if st is not None else ())
