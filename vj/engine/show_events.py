"""How the show engine takes its control events (cues, songs, tempo, focus, rules, failures): a mixin of
:class:`vj.engine.show.ShowEngine`, split at its "inputs" seam.  Every event changes the state in place or
says in ``st.messages``, in a performer's words, why it was ignored; none raises."""

from __future__ import annotations

from .events import (AutoTempo, Blackout, ClipFailed, ClipRestored, Cue, Event, ExternalTempo, NextClip, Nudge, PrevClip,
                     Resync, SetFlight, SetFocus, SetLatency, SetRules, SetTempo, SongEnds, StartSong, SwitchNow,
                     TapTempo, TempoScale)
from .rules import BY_FIELD, TEMPO_RANGE
from .show_state import ShowState
from .tempo_control import NUDGE_LIMIT, Grid


class ShowEvents:
    """The events half of :class:`ShowEngine` (its state lives there)."""

    @staticmethod
    def _front(st: ShowState) -> int:
        """The clip the audience is heading into: the one flying in, else the one on screen."""
        return st.transition.to_index if st.transition is not None else st.current.index

    def _request_switch(self, st: ShowState) -> None:
        if not st.switch_requested:
            st.switch_requested = True
            st.request_p = self._prev_p if self._prev_p is not None else 0.0

    def _apply(self, ev: Event, st: ShowState) -> None:
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
            self._place = None       # the old song's place: the new song starts at its top
            self._flow = ev.flow
            self._tempo.new_song()   # a resync (R, a known downbeat) held for the song before, not this one
            if ev.flight is not None:
                self._flight = ev.flight
            st.next_index = rotation[0] if rotation[0] not in self._failed else self._after(rotation[0])
            if st.next_index == self._front(st) and len(rotation) > 1:
                # the new song opens on the clip already up (a shared bank, a shuffle): fly into its next
                # clip instead of into the same picture
                st.next_index = self._after(st.next_index)
            st.song_change = True
            st.deferred_end = None   # the song's flight plans its own downbeat, with time to open its clip
            if st.transition is not None:  # a song flight already in the air now brings the old choice: it lands first
                st.transition.song = False
            st.request_p = self._prev_p if self._prev_p is not None else 0.0  # a flight in progress lands first
        elif isinstance(ev, SongEnds):
            self._song_end = ev.at
        elif isinstance(ev, ClipFailed):
            i = self._index_of(ev.clip_id)
            if i is None or i in self._failed:
                return
            self._failed[i] = ev.reason
            st.messages.append(f"clip '{ev.clip_id}' left out of the show" + (f": {ev.reason}" if ev.reason else ""))
            if st.next_index == i:
                st.next_index = self._after(i)
            tr = st.transition
            if tr is not None and tr.to_index == i:
                # retarget the flight: the broken clip never drew a pixel, the next one flies in instead
                self._instances += 1
                tr.to_index = self._after(i)
                if tr.to_index in self._rotation:   # the order goes on from the clip that lands (a cue's detour)
                    self._place = tr.to_index
                tr.instance = self._instances
                if st.next_index == tr.to_index:
                    st.next_index = self._after(tr.to_index)
        elif isinstance(ev, ClipRestored):
            i = self._index_of(ev.clip_id)
            if i is None or i not in self._failed:
                return
            del self._failed[i]
            st.messages.append(f"clip '{ev.clip_id}' is back in the show")
            if st.next_index in self._failed or st.next_index == st.current.index:
                st.next_index = self._after(self._front(st))
        elif isinstance(ev, SwitchNow):
            self._request_switch(st)
        elif isinstance(ev, Blackout):
            st.blackout = ev.on
        elif isinstance(ev, TapTempo):
            self._tempo.tap(ev.at)
        elif isinstance(ev, AutoTempo):
            self._tempo.auto()
        elif isinstance(ev, Nudge):
            if not self._tempo.nudge(ev.seconds):
                st.messages.append(f"nudge held at {self._tempo.offset * 1000:+.0f} ms (the most is "
                                   f"±{NUDGE_LIMIT * 1000:.0f} ms): to move the bar line, resync (R) on a downbeat")
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
