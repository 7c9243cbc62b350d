"""The live player's drawing half: the picture on the output, the panel beside it, screenshots, the flip.

A mixin of :class:`vj.live.app.Player` (its state lives there), split at the seam its comments named.
The rule it keeps: nothing but the picture is ever drawn on a projector's window; the HUD and the panel
are drawn only on the control side (the single window's panel area, or the control window).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Callable

from ..control import command
from ..engine import Cue, FrameDesc
from .messages import ERROR, WARNING
from .ui.host import BACKGROUND
from .ui.side import screenshot

#: where the window keeps its back buffer across a flip (Mesa's software rasterisers do: checked at the start,
#: see vj.live.ui.side.ControlSide.check_keeps), the panel is drawn only this often and left in place in between: ImGui's text
#: costs llvmpipe ~5-6 ms per 540x900 panel, and copying it from a texture costs as much (llvmpipe fills
#: ~200 Mpx/s); 20 Hz is quick enough for meters, beat lights and a click to answer.  Elsewhere (a GPU, a
#: real flip) the panel is drawn every frame.
PANEL_HZ = 20.0
#: ... and this often during a flight, whose frames draw two clips and convert their new frames: a 40 s trace
#: of the issue's show (llvmpipe, 2 cores, 2026-12-06) had 6.7 % of the flight frames that drew the panel
#: late, against 0.3 % of the other frames that drew it and none of those that did not
PANEL_FLIGHT_HZ = 10.0
#: ... and not at all over a flight's first this share (its first ~6 frames at 120 BPM): they upload the new
#: clip's first frames and build its mipmaps, and a per-frame trace of the issue's show (2026-12-06) had most
#: of the late frames left there, the worst 30-48 ms when the panel fell due among them
TAKE_OFF = 0.06


@dataclass(slots=True)
class PanelClock:
    """When a back-buffer-keeping window draws its panel: PANEL_HZ, PANEL_FLIGHT_HZ during a flight, always
    for a screenshot."""

    hz: float = PANEL_HZ
    flight_hz: float = PANEL_FLIGHT_HZ
    next: float = 0.0

    def due(self, now: float, flight: bool, force: bool = False, taking_off: bool = False) -> bool:
        """``taking_off``: the frame is among a flight's first (the new clip's first uploads and mipmaps): a
        panel frame that falls due then waits for the next frame after them."""
        if not force and (now < self.next or taking_off):
            return False
        self.next = max(self.next + 1.0 / (self.flight_hz if flight else self.hz), now)
        return True


#: the HUD's numbers (fps, late, dropped, flight %) are rewritten this often.  Rewritten at every panel frame
#: they redrew the HUD's part each time (on llvmpipe every part redrawn is a clear and a draw of its area);
#: a number that changes 20 times a second cannot be read anyway.  The clips and the flight's share tick with
#: the numbers; the render level, latency, the audio source and the surfaces show at once when they change.
HUD_HOLD_S = 0.5


@dataclass(slots=True)
class HeldLines:
    """Lines made again every ``hold`` seconds, or at once when their ``key`` (what they say besides
    numbers that tick) changes: the HUD's."""

    hold: float = HUD_HOLD_S
    lines: list[str] = field(default_factory=list)
    made: float = -1e9
    key: object = None

    def get(self, now: float, make: Callable[[], list[str]], key: object = None) -> list[str]:
        if now - self.made >= self.hold or key != self.key:
            self.lines, self.made, self.key = make(), now, key
        return self.lines


class PlayerDrawing:
    """Presenting a frame: output, panel, HUD on the control side, screenshots, flip, control window."""

    def _make_panel(self, window, ctx, x0: int, preview_w: int = 0) -> None:
        from .ui.side import ControlSide
        self.side = ControlSide(window, ctx, self.loop.clips, x0, preview_w=preview_w)

    def _on_resize(self, width: int, height: int) -> None:
        """The single window resized (dragged, maximised by the window manager, back from fullscreen): the picture,
        the column beside it and the room under it laid out again for its size.  They stayed as laid out for the
        window's first size: a smaller window cut off the column and the clips, a larger one left a black band."""
        from .layout import view_in
        from .ui.panel import BELOW_GAP, BESIDE_MIN_W, MIN_BELOW, PANEL_WIDTH, STATUS_MIN_H

        if not self.show_panel or self.window.fullscreen:
            return None
        if self.layout is not None and (width, height) == self.layout.window:
            self.view = self.layout.view   # the size it was planned for (recomputed, a pixel may round away)
        else:
            self.view = view_in(self.opt.size, (width, height), PANEL_WIDTH, MIN_BELOW, BELOW_GAP,
                                (STATUS_MIN_H, BESIDE_MIN_W))
        if self.side is not None:
            self.side.panel.x0 = self.view[0]   # the column starts at the picture's right edge
        return None   # pyglet's own handler still sets the viewport

    def _output_area(self, fw: int, fh: int) -> tuple[int, int, int, int]:
        """Where the output goes in the main window (x, y, w, h, framebuffer pixels, GL's y up): beside the panel,
        or all.  The view is in window units, which a HiDPI screen's framebuffer has twice as many pixels of."""
        if not self.show_panel:
            return (0, 0, fw, fh)
        s = fw / max(1, self.window.width)
        view_w, view_h = round(self.view[0] * s), round(self.view[1] * s)
        return (0, fh - view_h, view_w, view_h)

    def _panel_first(self) -> None:
        """The single window's panel, first in the frame, from the last frame's show state.  Drawn before the
        show renders its layers, llvmpipe rasterises it while this thread builds them; drawn after them, it
        waited for their passes (software GL finishes one target before the next: 2-core machine, 2026-12-06).
        Where the window keeps its back buffer, it is drawn by the PanelClock and only the parts that changed."""
        self._shot_now = self.opt.screenshots is not None and self._frame_start - self._start >= self._next_shot
        desc = self._last_desc
        flight = desc is not None and desc.transition >= 0
        self._panel_now = self.panel_clock.due(time.monotonic(), flight, force=self._shot_now,
                                               taking_off=flight and desc.transition < TAKE_OFF)
        if desc is None or not self.show_panel or self.side is None:
            return
        try:
            self.side.check_keeps()
            if self.side.keeps and not self._panel_now:   # the panel stays as it was drawn
                return
            ctx = self.ctx
            fw, fh = self.window.get_framebuffer_size()
            ctx.screen.use()
            ctx.viewport = (0, 0, fw, fh)
            keeps = bool(self.side.keeps)
            if not keeps or self.side.damage.full or self._panel_fb != (fw, fh):
                ctx.screen.clear(*BACKGROUND, 1.0)
                self.side.damage.invalidate()
                self._panel_fb = (fw, fh)
            self._panel_on_screen(desc, partial=keeps)
        except Exception as exc:
            self._panel_failed(exc)

    def _present(self, desc: FrameDesc | None) -> None:
        """The frame on the output (beside the panel drawn at the frame's start, in the single window), a
        screenshot when due, the flip, then the control window.  Nothing but the picture is ever drawn on a
        projector's window."""
        from ..gfx.window import flush, letterbox

        window = self.window
        shot, panel_due = self._shot_now, self._panel_now
        ctx = self.ctx
        if desc is not None:
            fw, fh = window.get_framebuffer_size()
            try:
                ctx.screen.use()
                ctx.viewport = (0, 0, fw, fh)
                area = self._output_area(fw, fh)
                view = letterbox(area, self.compositor.size)
                # the picture's area is cleared only where the picture leaves bars (a clear of 1280x720 is
                # a full-size pass on software GL; the picture is opaque and covers it otherwise)
                if view != area:
                    ctx.scissor = area
                    ctx.screen.clear(0.0, 0.0, 0.0, 1.0)
                    ctx.scissor = None
                self.compositor.present(ctx.screen, view)
                if self.control is not None and panel_due:   # the preview's copy, flushed with the frame
                    self._preview_tex = self.compositor.opaque_output()
            except Exception as exc:
                self._say(ERROR, f"showing the picture failed ({exc})", key="display")
        if shot:
            try:   # a screenshot that cannot be written (a full disk) must not stop the show
                screenshot(ctx, window, self.opt.screenshots / f"frame-{self._shots:03d}.png")
                if desc is not None:  # what was drawn, so a test can render the same frame offline and compare
                    import dataclasses
                    import json
                    (self.opt.screenshots / f"frame-{self._shots:03d}.json").write_text(
                        json.dumps(dataclasses.asdict(dataclasses.replace(desc, audio=None))   # samples: no picture
                                   | {"render_scale": self.compositor.render_scale}))
            except Exception as exc:  # noqa: BLE001
                self._say(WARNING, f"screenshot not saved ({exc}); the show goes on", key="screenshot")
        if self.pacer.by_clock:
            flush()   # the frame is drawn while it waits for its deadline, not in the flip after it
            self._listen_ahead()
        self.pacer.wait()
        window.flip()
        if desc is not None:
            # after the flip: its read-back waits for the frame's drawing, which before the flip would have
            # been done on this thread instead of by llvmpipe's threads while the frame waits its deadline
            try:
                self.freeze.sample(time.monotonic(), desc, self._t)
            except Exception as exc:  # noqa: BLE001 - a watch must not cost the show
                self._say(ERROR, f"watching the output failed ({exc})", key="display")
        if self.control is not None and desc is not None and self.side is not None and panel_due:
            try:
                self.control.begin()
                from .control_window import PREVIEW_W
                ph = PREVIEW_W * self.compositor.size[1] / self.compositor.size[0]
                self._draw_panel(desc, preview=True, below=(0, ph + 8, PREVIEW_W, self.control.height - ph - 8))
                if shot:
                    screenshot(self.control.ctx, self.control.window,
                                     self.opt.screenshots / f"control-{self._shots:03d}.png")
                self.control.end()
                self.window.switch_to()
            except Exception as exc:
                self._panel_failed(exc)
                self.window.switch_to()
        if shot:
            self._shots += 1
            self._next_shot += 1.0

    def _panel_on_screen(self, desc: FrameDesc, partial: bool = False) -> None:
        """The single window's panel, drawn into the back buffer (beside and under the picture); ``partial``:
        only what changed since the last panel frame (the back buffer keeps the rest)."""
        from .ui.panel import BELOW_GAP

        view_w, view_h = self.view
        try:
            self._draw_panel(desc, preview=False, below=(0, view_h + BELOW_GAP, view_w, self.window.height - view_h - BELOW_GAP),
                             partial=partial)
        except Exception as exc:
            self._panel_failed(exc)
            return
        self.side.mark()

    def _preview_glo(self) -> int:
        """The control window's preview: the output copied without its alpha (Compositor.opaque_output)."""
        return (self._preview_tex if self._preview_tex is not None else self.compositor.output_tex).glo

    def _surfaces(self) -> str:
        """OSC, MIDI and Link as the surfaces report them (they write from their own threads: copy first)."""
        return "   ".join(f"{k} {v}" for k, v in sorted(dict(self.controls.surfaces).items()))

    def _draw_panel(self, desc: FrameDesc, preview: bool, below: tuple | None = None, partial: bool = False) -> None:
        """The panel (and in the control window the preview, with the HUD over it when on)."""
        from .ui.panel import PanelInput

        status = self.feed.status()
        label = self.audio_watch.label(self.feed_label)
        inp = PanelInput(desc=desc, audio=self.loop.audio, song=self.controls.song,
                         songs=[p.title for p in self.plans], song_clips=self.loop.song_clip_ids[self.controls.song],
                         input_label=label, input_level=status.level,
                         messages=self.board.live(time.monotonic()),
                         hud=self._hud(desc, label) if self.hud_visible else (),
                         preview_glo=self._preview_glo() if preview else None,
                         preview_size=self.compositor.size, hud_over_preview=preview,
                         focus_pending=len(self.focus_points), left_out=self.loop.left_out)
        actions = self.side.draw(inp, below, partial=partial)
        self.stats.panel.append(self.side.cpu)
        for a in actions:
            if a.kind == "cue":
                self.events.append(Cue(a.clip_id, switch=a.switch))
            elif a.kind == "set":
                self.controls.submit(command(a.control, a.value, origin="panel"))
            elif a.kind == "focus":
                self._set_focus(a.x, a.y)

    def _hud(self, desc: FrameDesc, label: str) -> list[str]:
        """The HUD's lines: its numbers and clips twice a second, the render level, latency, the audio source
        (``label``) and the surfaces as soon as they change."""
        from .ui.side import hud_lines

        surfaces = self._surfaces()
        # the clips and the flight's share tick with the show (at most 0.5 s late); a flight's first frames are
        # its dearest, so a clip or flight change does not redraw the HUD at once
        key = (round(desc.report.latency, 3), self.quality.level, self.quality.mode, label, surfaces)
        return self.hud_held.get(time.monotonic(),
                                 lambda: hud_lines(self.stats, self.quality, desc, label, surfaces), key)

    def _panel_failed(self, exc: Exception) -> None:
        """A panel that failed mid-frame leaves ImGui's frame open: it is closed for good, the output goes on."""
        self._say(ERROR, f"the control panel failed ({exc}) and is closed; the output goes on (restart vj play "
                         "to get it back)", key="panel")
        print(f"vj: panel failure: {exc!r}", file=sys.stderr)
        if self.side is not None:
            side, self.side = self.side, None
            self.show_panel = False
            try:
                side.close()
            except Exception:
                pass
