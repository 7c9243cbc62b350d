"""The live player: the show loop in a window, driven by live (or file) audio.

Each frame, in named steps: take the window's input, hear the audio that arrived (the show's
time is the audio clock), gather the control events, tick the show loop and draw its frame,
present it (output, HUD, panel, control window), pace.  Frames are chosen by a monotonic
clock; the decoders are never waited for, so a late or broken clip shows its last frame and
the output never stops.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio.feed import AudioFeed
from ..control import ShowControl, SongEntry, command
from ..control.targets import effect_targets, set_effect_targets
from ..engine import Cue, Event, FrameDesc
from ..fileio import write_png
from ..gfx.compositor import Compositor
from ..render.renderer import ShowRenderer
from ..show.effects import song_shaders
from ..show.loop import ShowLoop
from ..show.plan import SongPlan, plan_show
from .keys import LEARN, QUIT, key_command, learn_argument
from .stats import FrameStats

#: seconds the player waits, before the show starts, for the first clip's first frame (open on a picture)
WARM_UP = 3.0


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


class Player:
    """Owns the window, the compositor, the show loop and the controls for a setlist."""

    def __init__(self, plans: list[SongPlan], feed: AudioFeed, options: PlayOptions, *, feed_label: str = ""):
        import pyglet

        from ..gfx.window import create_window
        from .panel import PANEL_WIDTH, ControlPanel, Hud

        self.pyglet = pyglet
        self.plans = plans
        self.song = 0                       #: the song armed last (the panel shows its clips)
        self.feed = feed
        self.feed_label = feed_label
        self.opt = options
        out_w, out_h = options.size
        screens = pyglet.display.get_display().get_screens()
        self.two_windows = options.control_window if options.control_window is not None else \
            (options.panel and options.screen is not None and len(screens) > 1)
        self.show_panel = options.panel and not options.fullscreen and not self.two_windows
        win_w = out_w + (PANEL_WIDTH if self.show_panel else 0)
        win_h = max(out_h, 720) if self.show_panel else out_h  # the panel needs room for the clip grid
        self.window, self.ctx = create_window((win_w, win_h), title="vj", vsync=options.vsync,
                                              fullscreen=options.fullscreen, screen_index=options.screen)
        self.compositor = Compositor(self.ctx, options.size, fps=options.fps)
        # one loop for the whole setlist: every song's clips are on stage, songs change by a zoom-through
        self.loop = ShowLoop(plans, latency=options.latency)
        self.renderer = ShowRenderer(self.compositor, self.loop.clips, live=True)
        self.events: list[Event] = []       #: for the next frame: mouse cues, an armed song
        self.quit = False
        self.message = ""
        self._install_effects(plans)
        self.stats = FrameStats(period=1.0 / options.fps)
        self.hud = Hud(y0=(max(out_h, 720) - out_h) if self.show_panel else 0)
        self.hud.visible = options.hud
        self.panel = None
        self._panel_cls, self._panel_x = ControlPanel, out_w
        self.control = None
        if self.two_windows:
            from .control_window import PREVIEW_W, ControlWindow
            self.control = ControlWindow(pyglet, screens, options.screen, self.compositor, PANEL_WIDTH)
            self._panel_x = PREVIEW_W
            self.window.switch_to()
        self._show_song(0)
        #: every control surface (keys here; OSC and MIDI attach to it) goes through this
        self.controls = ShowControl([SongEntry(p.title, ids) for p, ids in zip(plans, self.loop.song_clip_ids)],
                                    host=self)
        self._problems_seen = 0
        self._notices_seen = 0
        self._learn_armed = False  #: Ctrl+L pressed: the next key names the control MIDI learn maps
        self._clips: list[str] = []  #: the clips the show went through, in order (stats: rehearsal comparisons)
        self.watcher = None
        self._reload: list[SongPlan] | None = None  #: new plans waiting for the next bar
        if options.setlist is not None:
            from .setlist_reload import SetlistWatcher
            self.watcher = SetlistWatcher(options.setlist, lambda p: plan_show(p, require_audio=False)).start()
        for w in (self.window, self.control.window if self.control else None):
            if w is not None:
                w.push_handlers(on_key_press=self._on_key, on_close=self._on_close)
        # clicks cue clips only in the window that shows the clip grid
        (self.control.window if self.control else self.window).push_handlers(on_mouse_press=self._on_mouse)
        # the frame loop's state
        self._t = 0.0                       #: show time: the audio clock, extrapolated between reads
        self._last_audio_t = 0.0
        self._read_wall = self._start = time.monotonic()
        self._last_desc: FrameDesc | None = None
        self._last_frame: float | None = None
        self._frame_start = 0.0
        self._next_deadline = 0.0
        self._next_shot = 0.5
        self._shots = 0

    def _install_effects(self, plans: list[SongPlan]) -> None:
        """The setlist's ISF effects: their controls (fx/NAME/INPUT) on every surface, their shaders compiled
        now (one that fails is said, with its file and line, and left out: the show goes on without it)."""
        shaders = song_shaders(plans)
        set_effect_targets(t for s in shaders.values()
                           for t in effect_targets(s.name, s.shader.stem, s.inputs, switch=s.kind == "filter"))
        self.renderer.effects.prepare((s.name, str(s.shader)) for s in shaders.values())
        for message in self.renderer.effects.take_messages():
            self._report(message)

    # -- songs ------------------------------------------------------------------------
    def _show_song(self, index: int) -> None:
        """The panel shows song ``index``'s clips."""
        plan = self.plans[index]
        self.song = index
        if self.show_panel or self.two_windows:
            label = f"song {index + 1}/{len(self.plans)}: {plan.title}"
            if self.control is not None:
                self.control.window.switch_to()
            first = self.loop.song_clip_ids[index][0] if plan.bank.clips else ""
            prefix = first[: len(first) - len(plan.bank.clips[0].id)] if plan.bank.clips else ""
            height = self.control.height if self.control is not None else self.window.height
            self.panel = self._panel_cls(plan.bank, self._panel_x, height, label, id_prefix=prefix)
            self.window.switch_to()

    # -- input ------------------------------------------------------------------------
    def _on_close(self):
        self.quit = True
        return True

    def _on_key(self, symbol: int, modifiers: int):
        cmd = key_command(symbol, modifiers, self.pyglet.window.key)
        if cmd == QUIT:
            self.quit = True
        elif cmd == LEARN:
            self._learn_armed = not self._learn_armed
            if self._learn_armed:
                self._report("MIDI learn: press the key whose action the MIDI control should do")
            else:
                self.controls.submit(command("midi/learn_cancel", origin="key"))
        elif cmd is not None and self._learn_armed:
            self._learn_armed = False
            self.controls.submit(command("midi/learn", learn_argument(cmd), origin="key"))
        elif cmd is not None:
            self.controls.submit(cmd)
        return True  # pyglet's default Esc-closes-the-window is off: on stage that is an accident

    def _on_mouse(self, x: int, y: int, button: int, modifiers: int):
        if self.panel is None:
            return
        clip_id = self.panel.clip_at(x, y)
        if clip_id is not None:
            self.events.append(Cue(clip_id, switch=bool(modifiers & self.pyglet.window.key.MOD_SHIFT)))

    # -- the controller's host ---------------------------------------------------------
    def select_song(self, index: int) -> None:
        """A control armed song ``index``: it flies in on a downbeat, and the panel shows its clips."""
        if 0 <= index < len(self.plans) and index != self.song:
            self.events.append(self.loop.arm_song(index))
            self.message = f"next song armed: {self.plans[index].title} (flies in on a downbeat)"
            self._show_song(index)

    def ui(self, action: str) -> None:
        if action == "fullscreen":
            self.window.set_fullscreen(not self.window.fullscreen)
        elif action == "hud":
            self.hud.visible = not self.hud.visible

    # -- the loop ---------------------------------------------------------------------
    def run(self) -> dict:
        """Play until the window closes (or ``duration`` is up); returns the frame statistics."""
        self._warm_up()
        self._start = self._read_wall = self._next_deadline = time.monotonic()
        while not self.quit and not self._time_up():
            self._input()
            samples = self._hear()
            desc = self._tick(samples, self._events())
            self._present(desc)
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
        self.window.switch_to()
        self.window.dispatch_events()
        self.pyglet.clock.tick()

    def _hear(self) -> np.ndarray:
        """The audio that arrived, and the show's time: the audio clock (sample count), extrapolated
        between reads; if the audio stops arriving it runs on the wall clock from there, so motion
        never freezes."""
        now = time.monotonic()
        self._frame_start = now
        try:
            samples = self.feed.read_new()
        except Exception as exc:  # a vanished device must not stop the show: run on, on silence
            samples = np.zeros(0, np.float32)
            self._report(f"audio input: {exc}")
        if len(samples):
            self._read_wall = now
            self._last_audio_t = self.loop.audio_time(len(samples))
        self._t = max(self._t, self._last_audio_t + (now - self._read_wall))
        return samples

    def _events(self) -> list[Event]:
        """Control surfaces, clicks, an armed song and a reloaded setlist: the events of this frame."""
        drained = self.controls.drain(self._t, self.loop.report)  # may arm a song: before self.events
        events, self.events = [*self.events, *drained], []
        events += self._reload_events()
        if self.controls.notice_count != self._notices_seen:  # already logged by the surface: panel only
            self._notices_seen = self.controls.notice_count
            self.message = self.controls.notices[-1]
        if self.controls.problem_count != self._problems_seen:
            self._problems_seen = self.controls.problem_count
            self._report(self.controls.problems[-1])
        return events

    def _tick(self, samples: np.ndarray, events: list[Event]) -> FrameDesc | None:
        """The show loop steps to the show's time and the renderer draws its frame (the last good one on error)."""
        try:
            desc = self.loop.tick(self._t, samples, events)
            self.loop.feedback(self.renderer.draw(desc))
            self._last_desc = desc
            if not self._clips or self._clips[-1] != desc.current_clip:
                self._clips.append(desc.current_clip)
            if desc.report.messages:
                self.message = desc.report.messages[-1]
            for message in self.renderer.messages:   # clips and effects left out: the panel and the log
                self._report(message)
        except Exception as exc:  # keep the last good frame on screen and say what happened
            self._report(f"render: {type(exc).__name__}: {exc}")
        desc = self._last_desc
        if desc is not None:
            self.controls.publish(desc)
        return desc

    def _present(self, desc: FrameDesc | None) -> None:
        """The frame on the output (with HUD and panel), a screenshot when due, the flip, the control window."""
        from ..gfx.window import present

        window = self.window
        if desc is not None:
            fw, fh = window.get_framebuffer_size()
            out_w, out_h = self.opt.size
            try:
                area = (0, fh - out_h, out_w, out_h) if self.show_panel else None
                present(self.compositor, desc, self.ctx, window, area=area)
                self._draw_overlays(desc, fw, fh)
            except Exception as exc:
                self._report(f"display: {type(exc).__name__}: {exc}")
        if self.opt.screenshots is not None and self._frame_start - self._start >= self._next_shot:
            self._screenshot(self.opt.screenshots / f"frame-{self._shots:03d}.png")
            self._shots += 1
            self._next_shot += 1.0
        window.flip()
        if self.control is not None and desc is not None:
            try:
                self.control.draw(lambda: self._draw_panel(desc))
                self.window.switch_to()
            except Exception as exc:
                self._report(f"control window: {type(exc).__name__}: {exc}")

    def _pace(self) -> None:
        """Frame statistics; without vsync (e.g. Xvfb), sleep until the next frame is due."""
        done = time.monotonic()
        self.stats.frame(None if self._last_frame is None else done - self._last_frame, done - self._frame_start)
        self._last_frame = done
        if not self.opt.vsync:
            period = 1.0 / self.opt.fps
            self._next_deadline += period
            delay = self._next_deadline - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -period:
                self._next_deadline = time.monotonic()  # we fell behind: don't try to catch up in a burst

    def _reload_events(self) -> list[Event]:
        """A saved setlist: checked off the frame thread, applied here at the next bar (same banks only)."""
        got = self.watcher.take() if self.watcher is not None else None
        if got is not None:
            if got.plans is None:
                more = f" (and {len(got.problems) - 1} more)" if len(got.problems) > 1 else ""
                self._report(f"setlist not reloaded, the show goes on as it was: {got.problems[0]}{more}")
            elif [p.bank.path for p in got.plans] != [p.bank.path for p in self.plans]:
                self._report("setlist saved with other songs or banks: that needs a restart of vj play "
                             "(the show goes on as it was)")
            else:
                self._reload = got.plans
        if self._reload is None or self._last_desc is None or not self._last_desc.bar_fired:
            return []
        plans, self._reload = self._reload, None
        events = self.loop.reload(plans, self._t)
        self.plans = plans
        self._install_effects(plans)
        self.controls.songs = [SongEntry(p.title, ids) for p, ids in zip(plans, self.loop.song_clip_ids)]
        self._report(f"setlist reloaded at bar {self.loop.report.bar + 1}")
        return events

    def _report(self, message: str) -> None:
        """Show a problem once in the panel/HUD and on stderr; never raise."""
        if message != self.message:
            self.message = message
            print(f"vj: {message}", file=sys.stderr)

    # -- drawing beside the output ----------------------------------------------------
    def _draw_overlays(self, desc: FrameDesc, fw: int, fh: int) -> None:
        self.ctx.viewport = (0, 0, fw, fh)
        rep = desc.report
        if self.hud.visible:
            s = self.stats
            fps = 1.0 / np.mean(s.intervals[-30:]) if s.intervals else 0.0
            self.hud.update([
                f"{fps:5.1f} fps   late {s.late}   dropped {s.dropped}",
                f"{desc.bpm:6.1f} BPM  [{rep.tempo_source}]  conf {rep.confidence:.2f}",
                f"beat {rep.beat + 1}/{rep.beats_per_bar}   bar {rep.bar + 1}",
                f"clip {desc.current_clip}  ->  {desc.next_clip}"
                + (f"   flight {desc.transition * 100:3.0f}%" if desc.transition >= 0 else ""),
                f"latency {rep.latency * 1000:+.0f} ms   {self.feed_label}",
                self._surfaces(),
            ])
            self.hud.draw()
        if self.panel is not None and not self.two_windows:
            self._draw_panel(desc)

    def _surfaces(self) -> str:
        """OSC, MIDI and Link as the surfaces report them (they write from their own threads: copy first)."""
        return "   ".join(f"{k} {v}" for k, v in sorted(dict(self.controls.surfaces).items()))

    def _draw_panel(self, desc: FrameDesc) -> None:
        surfaces = self._surfaces()
        self.panel.update(desc, self.loop.audio, self.feed_label + (f"\n{surfaces}" if surfaces else ""), self.message)
        self.panel.draw()

    def _screenshot(self, path: Path) -> None:
        """What the window shows, via a copy of its back buffer (reading the default framebuffer directly trips GL errors)."""
        fw, fh = self.window.get_framebuffer_size()
        tex = self.ctx.texture((fw, fh), 4)
        fbo = self.ctx.framebuffer(color_attachments=[tex])
        self.ctx.copy_framebuffer(fbo, self.ctx.screen)
        img = np.frombuffer(fbo.read(components=3), np.uint8).reshape(fh, fw, 3)[::-1]
        fbo.release()
        tex.release()
        write_png(path, img)

    def _finish(self) -> dict:
        src = self.renderer.sources.stats
        self.stats.switches = max(0, src.switches - 1)
        self.stats.stalls = src.stalls[1:]  # the first is the show starting, not a switch
        last = self._last_desc
        extra = {"failed_clips": dict(src.failures), "preroll_hits": src.preroll_hits, "cold_starts": src.cold_starts,
                 "bpm": round(last.bpm, 2) if last else 0.0,
                 "beat_source": last.report.tempo_source if last else "none",
                 "messages": [self.message] if self.message else [], "clips": list(self._clips)}
        summary = self.stats.summary() | extra
        if self.opt.stats_path is not None:
            self.stats.write(self.opt.stats_path, extra)
        return summary

    def close(self) -> None:
        if self.watcher is not None:
            self.watcher.close()
        self.renderer.close()
        self.feed.close()
        self.compositor.release()
        if self.control is not None:
            self.control.close()
        self.window.close()
