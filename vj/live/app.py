"""The live player: the show loop in a window, driven by live (or file) audio.

Each frame, in named steps: take the window's input, hear the audio that arrived (the show's
time is the audio clock), gather the control events, tick the show loop and draw its frame,
present it (output, HUD, panel, control window), pace.  Frames are chosen by a monotonic
clock; the decoders are never waited for, so a late or broken clip shows its last frame and
the output never stops.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio.feed import AudioFeed
from ..control import ShowControl, SongEntry
from ..control.targets import effect_targets, set_effect_targets
from ..engine import Event, FrameDesc
from ..gfx.compositor import Compositor
from ..render.renderer import ShowRenderer
from ..show.effects import song_shaders
from ..show.loop import ShowLoop
from ..show.plan import SongPlan, plan_show
from ..show.resume import ResumePoint
from .audiowatch import AudioWatch
from .autosave import SAVE_EVERY, Autosave
from .freeze import FreezeWatch
from .layout import single_window
from .memory import Trimmer
from .messages import ERROR, INFO, WARNING, MessageBoard
from .pacing import Pacer
from .player_drawing import HeldLines, PanelClock, PlayerDrawing
from .player_input import PlayerInput
from .player_tracks import PlayerTracks
from .quality import GpuTimer, QualityController, start_level
from .stats import FrameStats
from .tracks import file_song, heard_track

#: seconds the player waits, before the show starts, for the first clip's first frame (open on a picture)
WARM_UP = 3.0
#: the single window's height with the panel beside the output: the panel needs this much to be read
PANEL_MIN_H = 900
#: seconds a finished frame must have before its deadline for the audio to be analysed in that wait
#: (the analysis of a frame's audio took up to 3 ms at the 99th percentile on a 2-core machine)
LISTEN_SLACK = 0.004


@dataclass(slots=True)
class PlayOptions:
    size: tuple[int, int] = (1280, 720)     #: output (render) size
    fps: float = 60.0
    fullscreen: bool = False
    screen: int | None = None
    vsync: bool = True
    hud: bool = True
    panel: bool = True                      #: control panel beside the output (single screen)
    duration: float | None = None
    stats_path: Path | None = None
    screenshots: Path | None = None         #: save a PNG of the window every second (tests, docs)
    latency: float = 0.0
    control_window: bool | None = None      #: separate control window (None: when --screen picks another screen)
    setlist: Path | None = None             #: watched: saving it applies the changes at the next bar
    quality: str = "auto"                   #: adaptive quality ("auto") or always full quality ("fixed")
    slow_ms_per_mpx: float = 0.0            #: tests: an injected slow frame, this many ms per megapixel rendered
    autosave: Path | None = None            #: the show's state is written here twice a second (vj.live.autosave)
    resume: ResumePoint | None = None       #: start where a show was (vj play --resume)
    banks_dir: Path | None = None           #: where banks named by name live (None: vj.BANKS), for the setlist's reloads


def screen_missing(asked: int, count: int, windowed: bool = False) -> str:
    """`--screen N` on a display with fewer screens (the projector not plugged in, or mirrored): the window
    opens on the default screen, which the performer must hear about before the doors open.  ``windowed``:
    fullscreen was asked for and the window opens with its panel instead (F: fullscreen)."""
    have = "screen 0" if count == 1 else f"screens 0-{count - 1}"
    where = ("in a window with the panel, not fullscreen over it (F: fullscreen)" if windowed
             else "on the default screen")
    return (f"--screen {asked}: there is no screen {asked} (this display has {have}); the output opens {where}. "
            "Fix: plug in the projector and set the displays to extend, not mirror, then restart vj play "
            "(--resume keeps the show's place)")


#: the messages of the setlist's hot reload: each save's outcome replaces the last one's (a fixed typo's error
#: no longer stays on the panel beside "reloaded")
RELOAD_KEY = "setlist-reload"


class Player(PlayerInput, PlayerDrawing, PlayerTracks):
    """Owns the window, the compositor, the show loop and the controls for a setlist.

    The input half (keys, clicks, the controller's host calls) is in :mod:`vj.live.player_input`, the
    drawing half (output, panel, screenshots, flip) in :mod:`vj.live.player_drawing`; the frame loop is here."""

    def __init__(self, plans: list[SongPlan], feed: AudioFeed, options: PlayOptions, *, feed_label: str = ""):
        import pyglet

        from ..gfx.window import create_window, pick_screen
        from .ui.panel import BELOW_GAP, BESIDE_MIN_W, MIN_BELOW, PANEL_WIDTH, STATUS_MIN_H

        self.pyglet = pyglet
        self.plans = plans
        self.song = 0                       #: the song armed last (the panel shows its clips)
        self.feed = feed
        self._file_song = file_song(feed, plans)   #: the song whose own track a one-file feed plays, if any
        self.feed_label = feed_label
        self.playback = None                #: the file source heard out loud (vj play sets it), for its messages
        self.opt = options
        out_w, out_h = options.size
        screens = pyglet.display.get_display().get_screens()
        self.two_windows = options.control_window if options.control_window is not None else \
            (options.panel and options.screen is not None and len(screens) > 1)
        #: `--screen N --fullscreen` without screen N (the projector not plugged in): fullscreen on the laptop's
        #: screen hid the panel and the warning saying so; the window opens with its panel instead
        missing = options.screen is not None and not 0 <= options.screen < len(screens)
        fullscreen = options.fullscreen and not (missing and not self.two_windows and options.panel)
        #: the single window shows the panel beside the output; fullscreen (without a control window) is the
        #: output alone: no panel, no HUD, no cursor
        self.panel_wanted = options.panel and not self.two_windows
        self.show_panel = self.panel_wanted and not fullscreen
        #: the output's picture in the single window beside the panel: 1:1, or smaller on a small screen
        self.view = (out_w, out_h)
        #: the single window's size with the panel (also where F, leaving fullscreen, brings it back to)
        self.panel_window = (out_w, out_h)
        self.layout = None                  #: the single window's layout as planned for its screen (WindowLayout)
        if self.panel_wanted:
            # tall enough for the column, and for a row of the song's clips under the picture (at 1280x720 the
            # column's 900 left 172 px there: the clips went under the column's fold and 172 px stayed black)
            on = pick_screen(screens, options.screen) or pyglet.display.get_display().get_default_screen()
            layout = single_window((out_w, out_h), PANEL_WIDTH, MIN_BELOW, BELOW_GAP, PANEL_MIN_H,
                                   (on.width, on.height) if on is not None else None,
                                   status=(STATUS_MIN_H, BESIDE_MIN_W))
            self.view, self.panel_window = layout.view, layout.window
            self.layout = layout
        win_w, win_h = self.panel_window if self.show_panel else (out_w, out_h)
        self.window, self.ctx = create_window((win_w, win_h), title="vj", vsync=options.vsync,
                                              fullscreen=fullscreen, screen_index=options.screen)
        if fullscreen or self.two_windows:
            self.window.set_mouse_visible(False)   # the projector shows the picture, never a cursor
        # the output image stored BGRA and copied to the window by a plain fetch: llvmpipe's fast path
        self.compositor = Compositor(self.ctx, options.size, fps=options.fps, fast_present=True)
        # one loop for the whole setlist: every song's clips are on stage, songs change by a zoom-through
        self.loop = ShowLoop(plans, latency=options.latency, aspect=options.size[0] / options.size[1],
                             resume=options.resume)
        self.renderer = ShowRenderer(self.compositor, self.loop.clips, live=True)
        self.quality = QualityController(1.0 / options.fps, options.quality,
                                         start=start_level(self.ctx.info.get("GL_RENDERER", "")))
        if self.quality.index:
            level = self.quality.level
            self.renderer.set_quality(level.scale, level.motion_blur, level.clip_scale, level.bicubic, level.uploads)
        self.gpu_timer = GpuTimer(self.ctx)
        self.events: list[Event] = []       #: for the next frame: mouse cues, an armed song
        self.quit = False
        self.outside_news: list[str] = []   #: left by a signal handler (vj.live.signals), said by the frame loop
        self.board = MessageBoard()
        if missing:
            self._say(WARNING, screen_missing(options.screen, len(screens), windowed=fullscreen != options.fullscreen))
        self.freeze = FreezeWatch(self.ctx, self.compositor, lambda level, text: self._report(text, level))
        self.audio_watch = AudioWatch(feed, lambda level, text: self._report(text, level),
                                      say_end=not hasattr(feed, "go_to"))   # --tracks says its own end
        self._install_effects(plans)
        self.stats = FrameStats(period=1.0 / options.fps)
        self.hud_visible = options.hud
        self.focus_points: dict[str, tuple[float, float]] = {}   #: set by clicking, not yet written (Ctrl+S)
        if options.resume is not None:   # a resumed show's clicked points: still applied, and Ctrl+S writes them
            self.focus_points = {c: (x, y) for c, x, y in options.resume.focus if c in self.loop.clips}
        self.control = None
        self.side = None                    #: ImGui and the panel, on the window that shows the panel
        if self.two_windows:
            from .control_window import PREVIEW_W, ControlWindow
            self.control = ControlWindow(pyglet, screens, options.screen, PANEL_WIDTH)
            self._make_panel(self.control.window, self.control.ctx, PREVIEW_W, preview_w=PREVIEW_W)
            self.window.switch_to()
        elif self.panel_wanted:
            self._make_panel(self.window, self.ctx, self.view[0])
        self.song = self.loop.song         # a resumed show opens on its song
        #: every control surface (keys here; OSC and MIDI attach to it) goes through this
        self.controls = ShowControl([SongEntry(p.title, ids) for p, ids in zip(plans, self.loop.song_clip_ids)],
                                    host=self)
        self.controls.song = self.loop.song
        self.autosave = Autosave(options.autosave, str(options.setlist or "")) if options.autosave else None
        self._next_save = 0.0
        self._autosave_errors = 0
        self.trimmer = Trimmer().start()   # freed memory back to the system once a minute (long shows)
        #: what else goes into --stats: name -> a function giving a dict (vj play adds the OSC and MIDI surfaces)
        self.stat_sources: dict = {}
        self.rt_guard = None   #: vj.live.priority.RealtimeGuard when the show runs real-time (set by `vj play`)
        if options.resume is not None:
            p = options.resume
            self._report(f"resumed: song {self.loop.song + 1} '{plans[self.loop.song].title}', bar {p.song_bar}"
                         + (f", clip '{p.clip}'" if p.clip else ""), "info")
            if hasattr(feed, "go_to") and getattr(feed, "index", self.song) != self.song:
                feed.go_to(self.song)   # --tracks: the resumed song's own track, not the first song's
                self.feed_label = getattr(feed, "label", self.feed_label)
                self._report(f"--tracks: song {self.song + 1}'s track plays from its start", "info")
        self._problems_seen = 0
        self._notices_seen = 0
        #: clips a lenient start left out (missing or damaged files), by the bank's clip id
        self.skipped_at_start = list(dict.fromkeys(c for p in plans for c in p.bank.left_out))
        if self.skipped_at_start:
            self._report(f"{len(self.skipped_at_start)} clip(s) left out at start (missing or damaged): "
                         f"{', '.join(self.skipped_at_start[:8])}{' ...' if len(self.skipped_at_start) > 8 else ''}; "
                         "the show plays the others (details above)")
        self._learn_armed = False  #: Ctrl+L pressed: the next key names the control MIDI learn maps
        self._clips: list[str] = []  #: the clips the show went through, in order (stats: rehearsal comparisons)
        self.watcher = None
        from .setlist_reload import PendingReload, SetlistWatcher
        self.pending = PendingReload()      #: a saved setlist's songs, waiting for the next bar
        if options.setlist is not None:
            self.watcher = SetlistWatcher(options.setlist, lambda p: plan_show(p, require_audio=False, banks_dir=options.banks_dir)).start()
        for w in (self.window, self.control.window if self.control else None):
            if w is not None:
                w.push_handlers(on_key_press=self._on_key, on_close=self._on_close)
        # a click on the picture (the single window's output area) sets the focus; the panel handles its own
        if not self.two_windows:
            self.window.push_handlers(on_mouse_press=self._on_mouse, on_resize=self._on_resize)
        # the frame loop's state
        self._t = 0.0                       #: show time: the audio clock, extrapolated between reads
        self._last_audio_t = 0.0
        self._read_wall = self._start = time.monotonic()
        self._last_desc: FrameDesc | None = None
        self._last_frame: float | None = None
        self._frame_start = self._frame_begin = self._frame_cpu = 0.0
        self.pacer = Pacer(options.fps, options.vsync)   #: flips at vsync while it holds, else at deadlines
        self._next_shot = 0.5
        self._shots = 0
        self._said_sound = ""
        self._preview_tex = None   #: the control window's preview picture (PlayerDrawing._preview_glo)
        self._close_asked: float | None = None   #: when a window's close was asked first (PlayerInput._on_close)
        #: --tracks: the track (feed.changes) whose end as the last song's was said; the sound output's line has
        #: its own record (_said_sound): sharing one made the two lines take turns at every frame after the end
        self._said_end: int | None = None
        self._track_seen: tuple[int, int, int] | None = None   #: --tracks: the track and song the end was told for
        self.panel_clock = PanelClock()
        self.hud_held = HeldLines()                      #: the HUD's lines, rewritten every HUD_HOLD_S
        self._panel_now = self._shot_now = False   #: this frame draws the panel / takes a screenshot
        self._panel_fb: tuple[int, int] | None = None   #: the window size the panel was last drawn whole at

    def _install_effects(self, plans: list[SongPlan]) -> None:
        """The setlist's ISF effects: their controls (fx/NAME/INPUT) on every surface, their shaders compiled
        now (one that fails is said, with its file and line, and left out: the show goes on without it)."""
        shaders = song_shaders(plans)
        set_effect_targets(t for s in shaders.values()
                           for t in effect_targets(s.name, s.shader.stem, s.inputs, switch=s.kind == "filter"))
        self.renderer.effects.prepare((s.name, str(s.shader)) for s in shaders.values())
        for message in self.renderer.effects.take_messages():
            self._report(message)

    # -- the loop ---------------------------------------------------------------------
    def run(self) -> dict:
        """Play until the window closes (or ``duration`` is up); returns the frame statistics."""
        self._warm_up()
        self._start = self._read_wall = time.monotonic()
        self.pacer.start()
        steps = self.stats.steps
        while not self.quit and not self._time_up():
            t0 = time.perf_counter()
            self._frame_begin, self._frame_cpu = time.monotonic(), time.process_time()   # the frame's cost from here
            self._input()
            samples = self._hear()
            t1 = time.perf_counter()
            self._panel_first()
            panel = time.perf_counter() - t1
            desc = self._tick(samples, self._events())
            t2 = time.perf_counter()
            self._present(desc)
            t3 = time.perf_counter()
            steps["input+hear"].append(t1 - t0)
            steps["tick+draw"].append(t2 - t1 - panel)
            steps["present+panel+flip"].append(t3 - t2 - self.pacer.slept + panel)
            self._autosave()
            self._pace()
        return self._finish()

    def _warm_up(self) -> None:
        """Open on a picture, not on black: wait (at most ``WARM_UP`` s) for the first clip's first frame."""
        until = time.monotonic() + WARM_UP
        while time.monotonic() < until:
            self.window.dispatch_events()
            desc = self.loop.tick(0.0)
            self.loop.feedback(self.renderer.draw(desc))
            if self.renderer.ready(desc):
                break
            time.sleep(0.01)

    def _time_up(self) -> bool:
        return self.opt.duration is not None and time.monotonic() - self._start >= self.opt.duration

    def _input(self) -> None:
        """Both windows' events: pyglet dispatches one window's at a time, and the control window's (the laptop's
        keyboard and mouse in the two-screen layout) were never read: its keys, clicks and faders did nothing."""
        if self.control is not None:
            self.control.window.switch_to()
            self.control.window.dispatch_events()
        self.window.switch_to()
        self.window.dispatch_events()
        self.pyglet.clock.tick()

    def _hear(self) -> np.ndarray:
        """The audio that arrived, and the show's time: the audio clock (sample count), extrapolated
        between reads; if the audio stops arriving it runs on the wall clock from there, so motion
        never freezes."""
        now = time.monotonic()
        self._frame_start = now
        samples = self._read_audio(now)
        self._t = max(self._t, self._last_audio_t + (now - self._read_wall))
        return samples

    def _read_audio(self, now: float) -> np.ndarray:
        """The audio that arrived since the last read; the audio clock's reading taken with it."""
        try:
            samples = self.feed.read_new()
        except Exception as exc:  # a vanished device must not stop the show: run on, on silence
            samples = np.zeros(0, np.float32)
            self._say(ERROR, f"audio input: {exc}; the show runs on, on silence", key="audio")
        self.audio_watch.poll(now)
        if len(samples):
            self._read_wall = now
            self._last_audio_t = self.loop.audio_time(len(samples))
        return samples

    def _listen_ahead(self) -> None:
        """In a finished frame's wait for its deadline (pacing by the clock, with room to spare): the audio
        that arrived is analysed now, while llvmpipe draws the frame, instead of at the next frame's start on
        the frame's own path (0.8 ms a frame on average, 3 ms at the 99th percentile, 9 ms at worst when the
        tempo comb refits: 2-core llvmpipe machine, 2026-12-05).  The analysis is the same whenever it runs
        (Analyzer takes blocks of any length); the next frame's snapshot includes it."""
        if not self.pacer.by_clock or self.pacer.slack() < LISTEN_SLACK:
            return
        samples = self._read_audio(time.monotonic())
        if len(samples):
            self.loop.hear(samples)

    def _events(self) -> list[Event]:
        """Control surfaces, clicks, an armed song and a reloaded setlist: the events of this frame."""
        self._follow_tracks()   # a track that ended arms the next song in this frame, as a rehearsal does
        drained = self.controls.drain(self._t, self.loop.report)  # may arm a song: before self.events
        events, self.events = [*self.events, *drained], []
        events += self._reload_events()
        now = time.monotonic()
        notices, problems, self._notices_seen, self._problems_seen = \
            self.controls.news_since(self._notices_seen, self._problems_seen)
        for notice in notices:    # already logged by the surface: panel only
            self.board.say(INFO, notice, now)
        for problem in problems:
            self._say(WARNING, problem)
        while self.outside_news:
            self._say(WARNING, self.outside_news.pop(0))
        return events + self._track_end()

    def _tick(self, samples: np.ndarray, events: list[Event]) -> FrameDesc | None:
        """The show loop steps to the show's time and the renderer draws its frame (the last good one on error)."""
        try:
            # --tracks or a song's file: the setlist's known downbeats (in its track's time) resync the bar
            self.loop.hearing_track(*heard_track(self.feed, self._file_song, self.loop.samples_heard + len(samples),
                                                 self.loop.sample_rate))
            desc = self.loop.tick(self._t, samples, events)
            with self.gpu_timer:
                self.loop.feedback(self.renderer.draw(desc), self.renderer.take_restored())
                if self.opt.slow_ms_per_mpx > 0:  # tests: a frame made slow in proportion to what is rendered
                    w, h = self.compositor.render_size
                    time.sleep(self.opt.slow_ms_per_mpx * w * h / 1e9)
            self._last_desc = desc
            if not self._clips or self._clips[-1] != desc.current_clip:
                self._clips.append(desc.current_clip)
            for text in desc.report.messages:
                self._say(WARNING, text)
            for text in self.renderer.messages:
                self._say(WARNING if "skipped" in text else INFO, text)
            if desc.report.song_landed:
                self.board.retire("song")
                self._say(INFO, f"now playing: {self.plans[self.song].title}", key="song")
        except Exception as exc:  # keep the last good frame on screen and say what happened
            self._say(ERROR, f"drawing this frame failed ({exc}); the last good frame stays on screen", key="render")
        desc = self._last_desc
        if desc is not None:
            self.controls.publish(desc)
        return desc


    def _pace(self) -> None:
        """Frame statistics and adaptive quality, after the flip (the frame's cost leaves out its wait)."""
        done = time.monotonic()
        interval = None if self._last_frame is None else done - self._last_frame
        work = done - self._frame_begin - self.pacer.slept
        self.stats.frame(interval, work, time.process_time() - self._frame_cpu)
        if self.pacer.flipped(interval):
            self._say(INFO, f"frames are paced by the clock at {self.opt.fps:g} fps: the display's vsync does not "
                            "hold them to that rate (none here, or a faster refresh)", key="pacing")
        self._last_frame = done
        gpu = self.gpu_timer.last
        if gpu is not None:
            self.stats.gpu.append(gpu)
        level = self.quality.frame(work, gpu, interval)
        if level is not None:
            self.renderer.set_quality(level.scale, level.motion_blur, level.clip_scale, level.bicubic, level.uploads)
        self.stats.scale(self.compositor.render_scale)
        if self.rt_guard is not None and (said := self.rt_guard.check(done, time.process_time())):
            self._say(WARNING, said, key="priority")

    def _autosave(self) -> None:
        """Twice a second, the show's state to the autosave writer (it writes off this thread)."""
        if self.autosave is None or self._frame_start < self._next_save or self._last_desc is None:
            return
        self._next_save = self._frame_start + SAVE_EVERY
        self.autosave.save(self.resume_point(), self.plans[self.loop.song].title)
        if self.autosave.errors != self._autosave_errors:
            self._autosave_errors = self.autosave.errors
            self._report(f"autosave failed ({self.autosave.last_error}): the show goes on, but a crash now would "
                         f"lose its place. Fix: free space on the disk holding {self.autosave.path.parent}")

    def resume_point(self) -> ResumePoint:
        """Where the show is now, to continue it there after a crash."""
        desc, rep = self._last_desc, self.loop.report
        rules = {f.name: getattr(rep.rules, f.name) for f in dataclasses.fields(rep.rules)}
        return ResumePoint(song=self.loop.song, clip=desc.current_clip if desc else "", song_bar=max(1, self.loop.song_bar),
                           song_time=max(0.0, self.loop.song_time(self._t)), armed=self.loop.armed_song, rules=rules,
                           tempo_source=rep.manual_source, bpm=rep.manual_bpm or (desc.bpm / rep.tempo_scale if desc else 0.0),
                           tempo_scale=rep.tempo_scale, nudge=rep.nudge, blackout=rep.blackout,
                           effects=self.loop.rack.live_settings(),
                           focus=tuple((c, x, y) for c, (x, y) in self.focus_points.items()))

    def _reload_events(self) -> list[Event]:
        """A saved setlist: checked off the frame thread, applied here at the next bar (same banks only)."""
        got = self.watcher.take() if self.watcher is not None else None
        if got is not None and (warning := self.pending.offer(got, self.plans)):
            self._report(warning, key=RELOAD_KEY)
        plans = self.pending.due(self._last_desc is not None and self._last_desc.bar_fired)
        if plans is None:
            return []
        events = self.loop.reload(plans, self._t)
        self.plans = plans
        self._install_effects(plans)
        self.controls.songs = [SongEntry(p.title, ids) for p, ids in zip(plans, self.loop.song_clip_ids)]
        self._report(f"setlist reloaded at bar {self.loop.report.bar + 1}", INFO, key=RELOAD_KEY)
        return events

    def _report(self, message: str, level: str = WARNING, key: str = "") -> None:
        """A problem worth a warning (setlist reload, a lost input, a frozen output and the like)."""
        self._say(level, message, key)

    def _say(self, level: str, text: str, key: str = "") -> None:
        """A message for the performer: the panel shows it in its level's colour; stderr logs it once."""
        latest = self.board.latest
        msg = self.board.say(level, text, time.monotonic(), key=key)
        if latest is None or latest.text != msg.text:
            print(f"vj: {msg.text}", file=sys.stderr)


    def _finish(self) -> dict:
        src = self.renderer.sources.stats
        self.stats.switches = max(0, src.switches - 1)
        self.stats.stalls = src.stalls[1:]  # the first is the show starting, not a switch
        last = self._last_desc
        extra = {"skipped_at_start": self.skipped_at_start, "failed_clips": dict(src.failures),
                 "restored_clips": dict(src.restored), "held_stills": src.held,
                 "kept_frames": self.renderer.kept, "audio_input": self.audio_watch.summary(time.monotonic()),
                 "preroll_hits": src.preroll_hits, "cold_starts": src.cold_starts,
                 "uploads_deferred": self.renderer.sources.deferred,   # clip frames that waited a frame (software levels)
                 "bpm": round(last.bpm, 2) if last else 0.0,
                 "beat_source": last.report.tempo_source if last else "none",
                 "messages": [f"{m.level}: {m.text}" for m in self.board.history][-5:], "clips": list(self._clips),
                 "quality": self.quality.mode, "quality_changes": self.quality.changes,
                 "quality_level": self.quality.level.describe(), "pacing": self.pacer.mode,
                 "gl": self.ctx.info.get("GL_RENDERER", "?"),   # which GL drew the window (bench/gpu.sh checks it)
                 "render_scale_steps": [[round(n * self.stats.period, 2), sc] for n, sc in self.quality.history]}
        extra |= self.freeze.summary()
        extra["malloc_trims"] = {"count": self.trimmer.trims, "ms": round(1e3 * self.trimmer.seconds, 1)}
        for name, fn in self.stat_sources.items():
            try:
                extra[name] = fn()
            except Exception as exc:  # noqa: BLE001 - statistics must not cost the show's end
                extra[name] = {"error": str(exc)}
        summary = self.stats.summary() | extra
        if self.opt.stats_path is not None:
            self.stats.write(self.opt.stats_path, extra)
        return summary

    def close(self) -> None:
        self.trimmer.close()
        if self.focus_points:   # a performer's clicks, never written: said, with the way to get them back
            n = len(self.focus_points)
            print(f"vj: {n} focus point{'s' if n > 1 else ''} set by clicking {'were' if n > 1 else 'was'} not "
                  "written to bank.toml (Ctrl+S writes them)" + ("; `vj play` with --resume brings them back"
                                                                  if self.autosave is not None else ""), file=sys.stderr)
        if self.autosave is not None:   # a clean end: the last state, marked not running
            self.autosave.close(self.resume_point() if self._last_desc is not None else None,
                                self.plans[self.loop.song].title)
        if self.watcher is not None:
            self.watcher.close()
        self.renderer.close()
        self.feed.close()
        self.freeze.release()
        self.compositor.release()
        if self.side is not None:
            self.side.close()
        if self.control is not None:
            self.control.close()
        self.window.close()
