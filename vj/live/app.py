"""The live player: the shared player core in a window, driven by live (or file) audio.

Each frame: dispatch input, read the audio that arrived, analyse it, step the show
at the audio clock's time, draw, flip.  Frames are chosen by a monotonic clock; the
decoders are never waited for, so a late or broken clip shows its last frame and
the output never stops.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import moderngl
import numpy as np

from ..audio.analysis import Analyzer
from ..control import ShowControl, SongEntry
from ..engine import Cue, Event, StartSong
from ..gfx.compositor import Compositor
from ..render.rehearse import ANALYSIS_RATE, SongPlan
from ..render.runner import ShowRunner
from ..control import command
from .keys import LEARN, QUIT, key_command, learn_argument
from .stats import FrameStats


class AudioFeed(Protocol):
    """Where live audio comes from: a device, or a file played in real time."""

    def read_new(self) -> np.ndarray: ...   # mono float32 at ANALYSIS_RATE, everything since the last call
    def close(self) -> None: ...


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
    """Owns the window, the compositor, the analysis and the show for one song at a time."""

    def __init__(self, plans: list[SongPlan], feed: AudioFeed, options: PlayOptions, *, feed_label: str = ""):
        import pyglet

        from ..gfx.window import create_window
        from .panel import PANEL_WIDTH, ControlPanel, Hud

        self.pyglet = pyglet
        self.plans = plans
        self.song = 0
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
        self.events: list[Event] = []
        self.quit = False
        self.message = ""
        self.stats = FrameStats(period=1.0 / options.fps)
        self.hud = Hud(y0=(max(out_h, 720) - out_h) if self.show_panel else 0)
        self.hud.visible = options.hud
        self.panel = None
        self._panel_cls, self._panel_x = ControlPanel, out_w
        self.control = None
        if self.two_windows:
            self._open_control_window(screens)
        self._start_song(0)
        #: every control surface (keys here; OSC and MIDI attach to it) goes through this
        self.controls = ShowControl([SongEntry(p.title, ids) for p, ids in zip(plans, self.runner.song_clip_ids)],
                                    host=self)
        self._problems_seen = 0
        self._notices_seen = 0
        self._learn_armed = False  #: Ctrl+L pressed: the next key names the control MIDI learn maps
        self._clips: list[str] = []  #: the clips the show went through, in order (stats: rehearsal comparisons)
        self.watcher = None
        self._reload = None  #: new plans waiting for the next bar
        if options.setlist is not None:
            from ..render.rehearse import plan_show
            from .setlist_reload import SetlistWatcher
            self.watcher = SetlistWatcher(options.setlist, lambda p: plan_show(p, require_audio=False)).start()
        for w in (self.window, self.control):
            if w is not None:
                w.push_handlers(on_key_press=self._on_key, on_close=self._on_close)
        # clicks cue clips only in the window that shows the clip grid
        (self.control or self.window).push_handlers(on_mouse_press=self._on_mouse)

    # -- the performer's window on another screen -------------------------------------
    PREVIEW_W = 480

    def _open_control_window(self, screens) -> None:
        """A second window (the laptop screen) with a preview of the output and the control panel.

        pyglet windows share GL objects, so the preview samples the output image itself:
        no copy, and what it shows is exactly what the projector shows.
        """
        from ..gfx.shaders import load_program
        from .panel import PANEL_WIDTH

        pyglet = self.pyglet
        others = [sc for i, sc in enumerate(screens) if i != self.opt.screen] or screens
        config = pyglet.gl.Config(major_version=3, minor_version=3, forward_compatible=True, double_buffer=True)
        self.control = pyglet.window.Window(width=self.PREVIEW_W + PANEL_WIDTH, height=720, caption="vj control",
                                            config=config, vsync=False, resizable=False)
        self.control.set_location(others[0].x + 40, others[0].y + 40)
        self.ctrl_ctx = moderngl.create_context()
        self.ctrl_prog = load_program(self.ctrl_ctx, "fullscreen.vert", "output.frag", defines={"SAMPLES": 1})
        self.ctrl_prog["u_flip"].value = 0.0
        self.ctrl_prog["u_brightness"].value = 1.0
        self.ctrl_vao = self.ctrl_ctx.vertex_array(self.ctrl_prog, [])
        out = self.compositor.output_tex
        self.ctrl_tex = self.ctrl_ctx.external_texture(out.glo, out.size, 4, 0, "f1")
        self._panel_x = self.PREVIEW_W
        self.window.switch_to()

    def _draw_control(self, desc, snap) -> None:
        win = self.control
        win.switch_to()
        ctx = self.ctrl_ctx
        fw, fh = win.get_framebuffer_size()
        ctx.screen.use()
        ctx.viewport = (0, 0, fw, fh)
        ctx.screen.clear(0.06, 0.06, 0.08, 1.0)
        out_w, out_h = self.opt.size
        ph = int(self.PREVIEW_W * out_h / out_w)
        self.ctrl_tex.use(0)
        ctx.viewport = (0, fh - ph, self.PREVIEW_W, ph)
        self.ctrl_vao.render(moderngl.TRIANGLES, vertices=3)
        ctx.viewport = (0, 0, fw, fh)
        self._draw_panel(desc, snap)
        win.flip()
        self.window.switch_to()

    # -- songs ------------------------------------------------------------------------
    def _start_song(self, index: int) -> None:
        plan = self.plans[index]
        self.song = index
        if index == 0:
            # one runner for the whole setlist: every song's clips are on stage, songs change by a zoom-through
            self.runner = ShowRunner(self.compositor, [p.bank for p in self.plans],
                                     plan.rules.with_changes({"latency": self.opt.latency}),
                                     live=True, tempo_hint=plan.tempo_hint,
                                     orders=[p.clip_order for p in self.plans], sections=[p.sections for p in self.plans])
            self.analyzer = Analyzer(sample_rate=ANALYSIS_RATE, beats_per_bar=plan.rules.beats_per_bar,
                                     bpm_hint=plan.tempo_hint, bpm_range=plan.bpm_range)
        else:
            r = plan.rules
            self.events.append(StartSong(self.runner.song_clip_ids[index], {
                "switch_bars": r.switch_bars, "beats_per_bar": r.beats_per_bar,
                "transition_beats": r.transition_beats, "drift_per_bar": r.drift_per_bar, "pulse": r.pulse,
                "motion_blur": r.motion_blur}))
            self.runner.start_song(index)
            self.message = f"next song armed: {plan.title} (flies in on a downbeat)"
        if self.show_panel or self.two_windows:
            label = f"song {index + 1}/{len(self.plans)}: {plan.title}"
            if self.two_windows:
                self.control.switch_to()
            first = self.runner.song_clip_ids[index][0] if plan.bank.clips else ""
            prefix = first[: len(first) - len(plan.bank.clips[0].id)] if plan.bank.clips else ""
            self.panel = self._panel_cls(plan.bank, self._panel_x,
                                         (self.control or self.window).height, label, id_prefix=prefix)
            self.window.switch_to()

    # -- input ------------------------------------------------------------------------
    def _now(self) -> float:
        return self._t

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
            self._start_song(index)

    def ui(self, action: str) -> None:
        if action == "fullscreen":
            self.window.set_fullscreen(not self.window.fullscreen)
        elif action == "hud":
            self.hud.visible = not self.hud.visible

    # -- the loop ---------------------------------------------------------------------
    def run(self) -> dict:
        from ..gfx.window import present

        window = self.window
        period = 1.0 / self.opt.fps
        # open on a picture, not on black: wait (at most 3 s) for the first clip's first frame
        warm_until = time.monotonic() + 3.0
        while time.monotonic() < warm_until:
            window.dispatch_events()
            if self.runner.ready(self.runner.frame(0.0, self.analyzer.snapshot())):
                break
            time.sleep(0.01)
        start = time.monotonic()
        last_frame: float | None = None
        next_deadline = start
        read_wall = start
        self._t = 0.0
        last_audio_t = 0.0
        last_desc = None
        shot_every = 1.0
        next_shot = 0.5
        shots = 0
        while not self.quit:
            window.switch_to()
            window.dispatch_events()
            self.pyglet.clock.tick()
            now = time.monotonic()
            if self.opt.duration is not None and now - start >= self.opt.duration:
                break
            r0 = time.monotonic()
            try:
                samples = self.feed.read_new()
            except Exception as exc:  # a vanished device must not stop the show: run on, on silence
                samples = np.zeros(0, np.float32)
                self._report(f"audio input: {exc}")
            if len(samples):
                self.analyzer.process(samples)
                read_wall = now
                audio_t = self.analyzer.time
            snap = self.analyzer.snapshot()
            # the show runs on the audio clock (sample count), extrapolated between reads; if the
            # audio stops arriving it runs on the wall clock from there, so motion never freezes
            self._t = max(self._t, (audio_t if len(samples) else last_audio_t) + (now - read_wall))
            if len(samples):
                last_audio_t = audio_t
            events = self.controls.drain(self._t, self.runner.engine)  # may arm a song: before self.events
            events, self.events = [*self.events, *events], []
            events += self._reload_events(last_desc)
            if self.controls.notice_count != self._notices_seen:  # already logged by the surface: panel only
                self._notices_seen = self.controls.notice_count
                self.message = self.controls.notices[-1]
            if self.controls.problem_count != self._problems_seen:
                self._problems_seen = self.controls.problem_count
                self._report(self.controls.problems[-1])
            fw, fh = window.get_framebuffer_size()
            out_w, out_h = self.opt.size
            try:
                desc = self.runner.frame(self._t, snap, events)
                last_desc = desc
                if not self._clips or self._clips[-1] != desc.current_clip:
                    self._clips.append(desc.current_clip)
            except Exception as exc:  # keep the last good frame on screen and say what happened
                self._report(f"render: {type(exc).__name__}: {exc}")
                desc = last_desc
            if self.runner.messages:
                self.message = self.runner.messages[-1]
            if desc is not None:
                self.controls.publish(desc, self.runner.engine)
            if desc is not None:
                try:
                    if self.show_panel:
                        present(self.compositor, desc, self.ctx, window, area=(0, fh - out_h, out_w, out_h))
                    else:
                        present(self.compositor, desc, self.ctx, window)
                    self._draw_overlays(desc, snap, fw, fh)
                except Exception as exc:
                    self._report(f"display: {type(exc).__name__}: {exc}")
            if self.opt.screenshots is not None and now - start >= next_shot:
                self._screenshot(self.opt.screenshots / f"frame-{shots:03d}.png")
                shots += 1
                next_shot += shot_every
            window.flip()
            if self.control is not None and desc is not None:
                try:
                    self._draw_control(desc, snap)
                except Exception as exc:
                    self._report(f"control window: {type(exc).__name__}: {exc}")
            done = time.monotonic()
            self.stats.frame(None if last_frame is None else done - last_frame, done - r0)
            last_frame = done
            if not self.opt.vsync:  # pace ourselves: no display to wait for (e.g. Xvfb)
                next_deadline += period
                delay = next_deadline - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                elif delay < -period:
                    next_deadline = time.monotonic()  # we fell behind: don't try to catch up in a burst
        summary = self._finish()
        return summary

    def _reload_events(self, last_desc) -> list[Event]:
        """A saved setlist: checked off the frame thread, applied here at the next bar (same banks only)."""
        from ..engine import SetRules

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
        if self._reload is None or last_desc is None or not last_desc.bar_fired:
            return []
        plans, self._reload = self._reload, None
        self.runner.update_songs([p.clip_order for p in plans], [p.sections for p in plans], self._t)
        self.plans = plans
        self.controls.songs = [SongEntry(p.title, ids) for p, ids in zip(plans, self.runner.song_clip_ids)]
        r = plans[self.song].rules
        rules = {"switch_bars": r.switch_bars, "transition_beats": r.transition_beats,
                 "drift_per_bar": r.drift_per_bar, "pulse": r.pulse, "motion_blur": r.motion_blur}
        sch = self.runner.schedule
        for k in sorted(sch.fired):  # the song as it stands now: its rules and the sections already passed
            rules.update(sch.sections[k].rules)
        rules["transition_beats"] = min(rules["transition_beats"], rules["switch_bars"] * r.beats_per_bar)
        self._report(f"setlist reloaded at bar {math.floor(self.runner.engine.clock.bar_position()) + 1}")
        return [SetRules(rules)]

    def _report(self, message: str) -> None:
        """Show a problem once in the panel/HUD and on stderr; never raise."""
        import sys

        if message != self.message:
            self.message = message
            print(f"vj: {message}", file=sys.stderr)

    def _bar_beat(self, desc) -> tuple[int, int]:
        """(beat within the bar, 0-based; beats per bar) on the show clock."""
        engine = self.runner.engine
        bpb = engine.rules.beats_per_bar
        return int(math.floor(desc.beat_position - engine.clock.downbeat)) % bpb, bpb

    def _draw_overlays(self, desc, snap, fw: int, fh: int) -> None:
        self.ctx.viewport = (0, 0, fw, fh)
        engine = self.runner.engine
        beat = engine.beat
        bar_beat, bpb = self._bar_beat(desc)
        if self.hud.visible:
            s = self.stats
            fps = 1.0 / np.mean(s.intervals[-30:]) if s.intervals else 0.0
            self.hud.update([
                f"{fps:5.1f} fps   late {s.late}   dropped {s.dropped}",
                f"{desc.bpm:6.1f} BPM  [{beat.source}]  conf {beat.confidence:.2f}",
                f"beat {bar_beat + 1}/{bpb}   bar {math.floor(engine.clock.bar_position()) + 1}",
                f"clip {desc.current_clip}  ->  {desc.next_clip}"
                + (f"   flight {desc.transition * 100:3.0f}%" if desc.transition >= 0 else ""),
                f"latency {engine.rules.latency * 1000:+.0f} ms   {self.feed_label}",
                self._surfaces(),
            ])
            self.hud.draw()
        if self.panel is not None and not self.two_windows:
            self._draw_panel(desc, snap)

    def _surfaces(self) -> str:
        """OSC, MIDI and Link as the surfaces report them (they write from their own threads: copy first)."""
        return "   ".join(f"{k} {v}" for k, v in sorted(dict(self.controls.surfaces).items()))

    def _draw_panel(self, desc, snap) -> None:
        beat = self.runner.engine.beat
        bar_beat, bpb = self._bar_beat(desc)
        surfaces = self._surfaces()
        self.panel.update(desc, snap, beat.source, beat.confidence,
                          self.feed_label + (f"\n{surfaces}" if surfaces else ""), self.message, bar_beat, bpb)
        self.panel.draw()

    def _screenshot(self, path: Path) -> None:
        """What the window shows, via a copy of its back buffer (reading the default framebuffer directly trips GL errors)."""
        import av

        fw, fh = self.window.get_framebuffer_size()
        tex = self.ctx.texture((fw, fh), 4)
        fbo = self.ctx.framebuffer(color_attachments=[tex])
        self.ctx.copy_framebuffer(fbo, self.ctx.screen)
        img = np.frombuffer(fbo.read(components=3), np.uint8).reshape(fh, fw, 3)[::-1]
        fbo.release()
        tex.release()
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="rgb24")
        codec = av.CodecContext.create("png", "w")
        codec.width, codec.height, codec.pix_fmt = fw, fh, "rgb24"
        path.write_bytes(b"".join(bytes(p) for p in codec.encode(frame)))

    def _finish(self) -> dict:
        src = self.runner.sources.stats
        self.stats.switches = max(0, src.switches - 1)
        self.stats.stalls = src.stalls[1:]  # the first is the show starting, not a switch
        extra = {"failed_clips": dict(src.failures), "preroll_hits": src.preroll_hits, "cold_starts": src.cold_starts,
                 "bpm": round(self.runner.engine.clock.bpm, 2), "beat_source": self.runner.engine.beat.source,
                 "messages": [self.message] if self.message else [], "clips": list(self._clips)}
        summary = self.stats.summary() | extra
        if self.opt.stats_path is not None:
            self.stats.write(self.opt.stats_path, extra)
        return summary

    def close(self) -> None:
        if self.watcher is not None:
            self.watcher.close()
        self.runner.close()
        self.feed.close()
        self.compositor.release()
        if self.control is not None:
            self.control.close()
        self.window.close()
