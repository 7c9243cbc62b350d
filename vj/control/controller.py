"""The show's control surface: commands from any source become engine events at the show's time.

Surfaces (keyboard, OSC, MIDI) run in their own threads and only ``submit``; the
frame loop ``drain``s once per frame, so the engine is touched by one thread and a
flood of messages costs the show nothing but a queue.  Each command is applied at
the show time it arrived (a tap keeps its exact time, not the next frame's).
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from dataclasses import dataclass, field, fields, make_dataclass
from dataclasses import field as dc_field
from typing import Callable, Protocol

from ..engine import (AutoTempo, Blackout, Cue, Event, ExternalTempo, FrameDesc, NextClip, Nudge, PrevClip, Resync,
                      SetEffect, SetFocus, SetLatency, SetRules, SetTempo, ShowReport, StartSong, SwitchNow, TapTempo,
                      TempoScale, ToggleEffect)
from ..engine.rules import BY_CONTROL, FADERS, public_values
from .targets import BY_NAME, FX, Command, all_targets


@dataclass(frozen=True, slots=True)
class SongEntry:
    """What the controls need to know about a song of the setlist."""

    title: str
    clip_ids: tuple[str, ...]
    rules: dict = field(default_factory=dict)   #: show rules the song brings (StartSong)


class Host(Protocol):
    """What owns the output: the player (a window) or a headless show."""

    def select_song(self, index: int) -> None: ...
    def ui(self, action: str) -> None: ...       # "fullscreen", "hud"


#: ShowStatus's fields that describe the show, before the settings
_STATE_FIELDS: list[tuple[str, str]] = [
    ("song", "int"),            # 1-based
    ("song_title", "str"),
    ("clip", "str"),
    ("next_clip", "str"),
    ("bpm", "float"),           # rounded to 0.1
    ("tempo_source", "str"),
    ("beat", "int"),            # 1-based position in the bar
    ("bar", "int"),             # 1-based
    ("beats_per_bar", "int"),
    ("blackout", "bool"),
    ("flight", "bool"),         # a zoom-through is on screen
]
#: What controller displays follow (feedback); compared field by field to send only changes.  After the
#: show's state come the values faders and encoders set, by their public names (``zoom_speed``,
#: ``latency_ms``, ...: generated from the rules table), so controller displays and soft takeover follow
#: the show whoever changed them (a song's rules, a key, another surface).
ShowStatus = make_dataclass(
    "ShowStatus",
    [*_STATE_FIELDS, *((r.name, "int" if r.kind is int else "float", dc_field(default=0)) for r in FADERS)],
    frozen=True, slots=True)
ShowStatus.__module__ = __name__
ShowStatus.__doc__ = "What controller displays follow: the show's state, then its settings by public name."

#: control target -> the ShowStatus field that holds its current value
TARGET_FIELDS: dict[str, str] = {"tempo/bpm": "bpm", "output/blackout": "blackout",
                                 **{r.control: r.name for r in FADERS}}


def tagged(surface: str, line: str) -> str:
    """``line`` marked with the surface it came from, once: a command's own origin already names it
    ("osc 127.0.0.1:50009: ..."), and "osc: osc 127.0.0.1..." on the panel read as a stutter."""
    return line if line.lower().startswith(surface) else f"{surface}: {line}"


def show_status(desc: FrameDesc, song: int, title: str) -> ShowStatus:
    rep = desc.report
    return ShowStatus(song=song + 1, song_title=title, clip=desc.current_clip, next_clip=desc.next_clip,
                      bpm=round(desc.bpm, 1), tempo_source=rep.tempo_source, beat=rep.beat + 1, bar=rep.bar + 1,
                      beats_per_bar=rep.beats_per_bar, blackout=rep.blackout, flight=desc.transition >= 0.0,
                      **public_values(rep.rules))


def _fx_value(v: object) -> float | tuple[float, ...]:
    """An input's value as controls send it: a number (a bool 0/1, a menu's value), or a point's or colour's floats."""
    if isinstance(v, (tuple, list)):
        return tuple(float(x) for x in v)
    return float(v)


def effect_values(desc: FrameDesc) -> dict[str, float | tuple[float, ...]]:
    """The show's value of each effect control this frame, by target: ``fx/NAME/on`` (1 for the effects drawn,
    0 for the setlist's others) and every value input of the song's effects, on or off (``FrameDesc.fx_off``:
    as the show holds them, so a surface follows what a section set on an effect still off), and of the
    transition in flight (not events: a trigger has no value).  A MIDI toggle flips a switch from what the show does (a setlist's
    ``on = true``, a section, F1-F8), soft takeover and relative encoders start from the input's value, and
    OSC surfaces follow on the addresses they send to."""
    drawn = {e.name: e for e in desc.effects}
    out: dict[str, float | tuple[float, ...]] = {
        t.name: 0.0 for t in all_targets() if t.group == FX and t.name.endswith("/on")}
    for e in (*desc.effects, *desc.fx_off, *((desc.flight_fx,) if desc.flight_fx is not None else ())):
        if e.name in drawn:
            out[f"{FX}/{e.name}/on"] = 1.0
        for k, v in e.values:
            t = f"{FX}/{e.name}/{k}"
            if t in out:        # an input named "on" is shadowed by the switch
                continue
            target = BY_NAME.get(t)
            if target is not None and not target.momentary:
                out[t] = _fx_value(v)
    return out


@dataclass(frozen=True, slots=True)
class ClockReading:
    """An external clock's word (MIDI clock, Link): beat number ``beat`` at ``stamp`` (time.monotonic())."""

    source: str
    bpm: float
    beat: float
    stamp: float
    running: bool = True


StatusListener = Callable[[ShowStatus, frozenset], None]
ClockListener = Callable[[float, float, float], None]   # (time.monotonic(), beat position, bpm)


class ShowControl:
    """Turns :class:`Command` objects into engine events; thread-safe ``submit``, one-thread ``drain``."""

    def __init__(self, songs: list[SongEntry], *, host: Host | None = None,
                 banks: list[tuple[str, tuple[str, ...]]] | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.songs = songs
        self.banks = banks if banks is not None else [(s.title, s.clip_ids) for s in songs]
        self.host = host
        self.song = 0
        self._queue: queue.SimpleQueue[Command] = queue.SimpleQueue()
        self._mono = clock
        #: controls handled outside the show (e.g. ``midi/learn`` by the MIDI layer): name -> fn(command)
        self.handlers: dict[str, Callable[[Command], None]] = {}
        self._status_listeners: list[StatusListener] = []
        self._clock_listeners: list[ClockListener] = []
        self.status: ShowStatus | None = None                            #: the latest published state
        #: the effects' switches and input values as published with it (effect_values)
        self.fx_values: dict[str, float | tuple[float, ...]] = {}
        #: what each surface is doing, for the HUD and panel ("osc": "127.0.0.1:9000", "link": "2 peers")
        self.surfaces: dict[str, str] = {}
        self.applied: deque[tuple[str, str, tuple]] = deque(maxlen=64)   #: (origin, target, args), newest last
        self.problems: deque[str] = deque(maxlen=64)                     #: rejected input, newest last
        self.notices: deque[str] = deque(maxlen=64)                      #: news for the panel, newest last
        self.notice_count = 0
        self._problem_count = 0
        self._news_lock = threading.Lock()   # a message and its count change together (surfaces' threads)

    # -- any thread ------------------------------------------------------------------------
    def submit(self, cmd: Command) -> None:
        if cmd.stamp is None:
            cmd = Command(cmd.target, cmd.args, self._mono(), cmd.origin)
        self._queue.put(cmd)

    def submit_clock(self, reading: ClockReading) -> None:
        """An external clock's latest reading (from its own thread)."""
        self._queue.put(reading)

    def add_status_listener(self, fn: StatusListener) -> None:
        """``fn(status, changed_fields)`` on the frame thread whenever the show state changes: keep it quick."""
        self._status_listeners.append(fn)

    def add_clock_listener(self, fn: ClockListener) -> None:
        """``fn(monotonic, beat_position, bpm)`` every frame (e.g. to publish vj's tempo on Link)."""
        self._clock_listeners.append(fn)

    def reject(self, message: str) -> None:
        """A surface could not turn its input into a command: remember it for the panel and the log."""
        with self._news_lock:
            self._problem_count += 1
            self.problems.append(message)

    def notify(self, message: str) -> None:
        """Something the performer should see in the panel (e.g. MIDI learn's progress); the surface logs it."""
        with self._news_lock:
            self.notice_count += 1
            self.notices.append(message)

    @property
    def problem_count(self) -> int:
        return self._problem_count

    def news_since(self, notices_seen: int, problems_seen: int) -> tuple[list[str], list[str], int, int]:
        """The notices and problems that came after the counts a reader last saw, oldest first, and the counts
        to pass next time: several can arrive between two frames (at start, a refused CPU priority and OSC's
        address), and each is said."""
        with self._news_lock:
            n_count, p_count = self.notice_count, self._problem_count
            if (n_count, p_count) == (notices_seen, problems_seen):
                return [], [], n_count, p_count      # the usual frame: nothing new, nothing copied
            notices, problems = list(self.notices), list(self.problems)

        def after(items: list[str], count: int, seen: int) -> list[str]:
            return items[len(items) - min(len(items), max(0, count - seen)):]
        return after(notices, n_count, notices_seen), after(problems, p_count, problems_seen), n_count, p_count

    # -- the frame thread --------------------------------------------------------------------
    def drain(self, now: float, report: ShowReport) -> list[Event]:
        """Every command submitted so far, as engine events for the step at show time ``now``
        (``report``: where the show is now, for relative changes and toggles)."""
        events: list[Event] = []
        mono = self._mono()
        while True:
            try:
                cmd = self._queue.get_nowait()
            except queue.Empty:
                return events
            at = now - max(0.0, mono - cmd.stamp) if cmd.stamp is not None else now
            if isinstance(cmd, ClockReading):
                events.append(ExternalTempo(cmd.source, cmd.bpm, at, cmd.beat, cmd.running))
                continue
            try:
                events += self.apply(cmd, max(0.0, at), report)
                self.applied.append((cmd.origin, cmd.target, cmd.args))
            except ValueError as exc:  # a control the show cannot follow: said in the performer's words
                self.reject(f"{cmd.origin}: {exc}" if cmd.origin else f"{cmd.target}: {exc}")
            except Exception as exc:  # a control must never stop the show (a bug: said plainly, no class names)
                self.reject(f"{cmd.origin or 'control'}: {cmd.target} was not applied ({exc})")

    def publish(self, desc: FrameDesc, mono: float | None = None) -> None:
        """After each frame: tell the listeners what changed (and the clock listeners where the beat is)."""
        title = self.songs[self.song].title if self.songs else ""
        status = show_status(desc, self.song, title)
        mono = self._mono() if mono is None else mono
        for fn in self._clock_listeners:
            self._call(fn, mono, desc.beat_position, desc.bpm)
        fx = effect_values(desc)
        if status == self.status and fx == self.fx_values:
            return
        old, self.status = self.status, status
        changed = frozenset(f.name for f in fields(ShowStatus)
                            if old is None or getattr(old, f.name) != getattr(status, f.name))
        if fx != self.fx_values:
            changed |= {FX}
            self.fx_values = fx
        for fn in self._status_listeners:
            self._call(fn, status, changed)

    def _call(self, fn: Callable, *args) -> None:
        try:
            fn(*args)
        except Exception as exc:  # a broken controller display must not stop the show
            self.reject(f"feedback to a controller failed ({exc}); the show goes on")

    def apply(self, cmd: Command, at: float, report: ShowReport) -> list[Event]:
        """The engine events for one command at show time ``at`` (host actions are done here)."""
        name, a = cmd.target, cmd.args
        if name in self.handlers:
            self.handlers[name](cmd)
            return []
        rules = report.rules
        rule = BY_CONTROL.get(name)
        if rule is not None:  # a show setting: the rules table says which (ShowRules.with_changes clamps it)
            return [SetRules({rule.field: a[0] / rule.scale if rule.scale != 1.0 else a[0]})]
        ids = self.songs[self.song].clip_ids if self.songs else ()
        simple: dict[str, Event] = {
            "clip/next": NextClip(), "clip/prev": PrevClip(), "clip/switch": SwitchNow(),
            "tempo/tap": TapTempo(at), "tempo/auto": AutoTempo(), "tempo/resync": Resync(at),
            "tempo/double": TempoScale(2.0), "tempo/half": TempoScale(0.5), "tempo/normal": TempoScale(1.0),
        }
        if name in simple:
            return [simple[name]]
        if name in ("clip/cue", "clip/queue"):
            if a[0] > len(ids):
                title = self.songs[self.song].title if self.songs else "this song"
                raise ValueError(f"'{title}' has {len(ids)} clips, so clip {a[0]} cues nothing "
                                 f"(use 1-{len(ids)}, or pick any clip in the clip browser)")
            return [Cue(ids[a[0] - 1], switch=name == "clip/cue")]
        if name == "clip/cue_id":
            return [Cue(a[0], switch=True)]
        if name in ("song/next", "song/prev", "song/select"):
            target = {"song/next": self.song + 1, "song/prev": self.song - 1}.get(name, (a[0] - 1) if a else 0)
            if not 0 <= target < len(self.songs):
                if name != "song/select" and self.songs:   # N on the last song, P on the first: no "no song 0"
                    which = "last" if name == "song/next" else "first"
                    raise ValueError(f"'{self.songs[self.song].title}' is the {which} song of the setlist: there is "
                                     f"no {'next' if name == 'song/next' else 'previous'} song (the show runs on)")
                raise ValueError(f"no song {target + 1} (the setlist has {len(self.songs)})")
            return self.select_song(target)
        if name == "bank/select":
            if a[0] > len(self.banks):
                raise ValueError(f"no bank {a[0]} (the setlist has {len(self.banks)})")
            return [StartSong(self.banks[a[0] - 1][1], {})]
        if name == "tempo/bpm":
            return [SetTempo(a[0], at, "set")]
        if name == "tempo/nudge":
            return [Nudge(a[0] / 1000.0)]
        if name == "tempo/latency_step":
            return [SetLatency(round(rules.latency + a[0] / 1000.0, 4))]
        if name == "zoom/speed_step":
            return [SetRules({"drift_per_bar": rules.drift_per_bar * a[0], "max_drift": rules.max_drift * a[0]})]
        if name == "zoom/focus":
            return [SetFocus(a[0], a[1])]
        if name == "output/blackout":
            return [Blackout(bool(a[0]))]
        if name == "output/blackout_toggle":
            return [Blackout(not report.blackout)]
        if name in ("output/fullscreen", "output/hud"):
            if self.host is not None:
                self.host.ui(name.split("/")[1])
            return []
        if name == "query/state":
            return []   # the surfaces answer queries from the status they publish
        if name == "fx/toggle":
            return [ToggleEffect(a[0])]
        if name.startswith(FX + "/"):   # an effect's input: fx/NAME/INPUT (the show loop's effect rack takes it)
            _, effect, inp = name.split("/", 2)
            return [SetEffect(effect, inp, a[0] if len(a) == 1 else tuple(a))]
        if name.startswith("midi/"):
            raise ValueError("MIDI is not running (start vj play with --midi)")
        raise ValueError(f"no handler for control '{name}'")

    def select_song(self, index: int) -> list[Event]:
        """Arm song ``index``: the host changes what it shows; without a host, the engine gets StartSong."""
        if index == self.song:
            return []
        self.song = index
        if self.host is not None:
            self.host.select_song(index)
            return []
        s = self.songs[index]
        return [StartSong(s.clip_ids, s.rules)]
