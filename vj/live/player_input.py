"""The live player's input half: keys, clicks on the picture, and what the controls ask of the player.

A mixin of :class:`vj.live.app.Player` (its state lives there): the seam its comments named, split out so
the frame loop reads on its own.  Every key goes through :mod:`vj.live.keys` to the same control table as
OSC and MIDI; a click sets the clip's focus (``SetFocus``) and Ctrl+S writes it to ``bank.toml``.
"""

from __future__ import annotations

import time

from ..control import command
from ..engine import SetFocus
from .keys import HELP, LEARN, QUIT, SAVE_FOCUS, key_command, learn_argument
from .messages import ERROR, INFO, SHOW_FOR, WARNING

#: seconds within which a second close of a window quits: one close (a window manager's button, Alt+F4 in the
#: wrong window) ended the show at once, as a lone Q or Esc no longer does; as long as its warning is on the panel
#: (at 5 s the warning still said "within 5 s" for 10 s more, and a second close then only asked again)
CLOSE_AGAIN_S = SHOW_FOR[WARNING]


class PlayerInput:
    """Input handlers and the controller's host calls of the player (window events arrive here)."""

    def _on_close(self):
        """A window's close: the first one asks, a second within :data:`CLOSE_AGAIN_S` quits (Ctrl+Q at once)."""
        now = time.monotonic()
        if self._close_asked is not None and now - self._close_asked < CLOSE_AGAIN_S:
            self.quit = True
        else:
            self._close_asked = now
            self._say(WARNING, f"closing the window ends the show: close it again within {CLOSE_AGAIN_S:g} s to quit "
                               "(Ctrl+Q quits at once)", key="close")
        return True

    def _on_key(self, symbol: int, modifiers: int):
        if self.side is not None and self.side.capture_keys:
            return None  # typing into the clip filter: the keys are letters for ImGui, not show controls
        cmd = key_command(symbol, modifiers, self.pyglet.window.key)
        if cmd == QUIT:
            self.quit = True
        elif cmd == HELP:
            if self.side is not None:
                self.side.panel.help_open = not self.side.panel.help_open
        elif cmd == SAVE_FOCUS:
            self._save_focus()
        elif cmd == LEARN:
            self._learn_armed = not self._learn_armed
            if self._learn_armed:
                self._say(INFO, "MIDI learn: press the key whose action the MIDI control should do")
            else:
                self.controls.submit(command("midi/learn_cancel", origin="key"))
        elif cmd is not None and self._learn_armed:
            self._learn_armed = False
            self.controls.submit(command("midi/learn", learn_argument(cmd), origin="key"))
        elif cmd is not None:
            self.controls.submit(cmd)
        return True  # pyglet's default Esc-closes-the-window is off: on stage that is an accident

    def _on_mouse(self, x: int, y: int, button: int, modifiers: int):
        """A click on the single window's picture: the clip under it heads there (window coordinates, y up)."""
        from ..gfx.window import letterbox

        if not self.show_panel or self._last_desc is None:
            return
        fw, fh = self.window.get_framebuffer_size()
        sx, sy = fw / max(1, self.window.width), fh / max(1, self.window.height)
        vx, vy, vw, vh = letterbox(self._output_area(fw, fh), self.compositor.size)
        u, v = (x * sx - vx) / vw, 1.0 - (y * sy - vy) / vh
        if 0.0 <= u <= 1.0 and 0.0 <= v <= 1.0:
            self._set_focus(u, v)

    def _set_focus(self, sx: float, sy: float) -> None:
        from .ui.focus import focus_at

        hit = focus_at(self._last_desc, sx, sy, self.compositor.size[0] / self.compositor.size[1], self.loop.clips) if self._last_desc else None
        if hit is None:
            return
        clip_id, x, y = hit
        self.events.append(SetFocus(x, y, clip_id))
        self.focus_points[clip_id] = (x, y)
        self._say(INFO, f"focus of {clip_id} set to ({x:.3f}, {y:.3f}) in its frame: it zooms there from its next "
                        "entry; Ctrl+S writes it to bank.toml", key="focus")

    def _save_focus(self) -> None:
        from .ui.focus import save_focus

        if not self.focus_points:
            self._say(INFO, "no focus to write: click the picture where the current clip should head first",
                      key="focus")
            return
        try:
            said = save_focus(self.focus_points, self.loop.clips, [p.bank for p in self.plans])
        except ValueError as exc:
            self._say(ERROR, f"focus not written: {exc}", key="focus")
            return
        self.focus_points.clear()
        for line in said:
            self._say(INFO, line, key="focus")

    def select_song(self, index: int) -> None:
        """A control armed song ``index``: it flies in on a downbeat, and the panel shows its clips."""
        if 0 <= index < len(self.plans) and index != self.song:
            self.events.append(self.loop.arm_song(index))
            self._say(INFO, f"next song armed: {self.plans[index].title} (flies in on a downbeat)", key="song")
            self.song = index
            if hasattr(self.feed, "go_to"):   # --tracks: the song's own track starts now
                self.feed.go_to(index)
                self.feed_label = self.feed.label

    def ui(self, action: str) -> None:
        if action == "fullscreen":
            full = not self.window.fullscreen
            self.window.set_fullscreen(full)
            # fullscreen in the single window is the output alone; back in a window, the panel returns
            self.show_panel = self.panel_wanted and not full
            if self.show_panel:   # a show started fullscreen had its window at the output's size: the panel's now
                self.window.set_size(*self.panel_window)
            self.window.set_mouse_visible(not full and not self.two_windows)
        elif action == "hud":
            self.hud_visible = not self.hud_visible
