"""Dear ImGui (imgui-bundle) drawing into a pyglet window's own GL context.

Why ImGui: the control surface is redrawn every frame from the show's state (immediate mode suits a
show whose state changes 60 times a second), it draws through the same GL context as the output, so
the preview and the clip thumbnails are the show's own textures, and a frame of the panel costs a few
hundred draw calls batched by ImGui's own OpenGL 3 renderer (C++, in the wheel), not Python.

The platform side is ours and small: pyglet's mouse and text events become ImGui input events.
Keys go to ImGui only while a text field has the keyboard (the clip filter); otherwise they are the
show's (:mod:`vj.live.keys`).
"""

from __future__ import annotations

import time
from pathlib import Path

from imgui_bundle import imgui
from imgui_bundle.imgui import backends

from ..messages import ERROR, INFO, WARNING
from .damage import Damage, describe

#: the panel's text size, pixels: read at arm's length on a laptop screen in a dark room (13 px, ImGui's
#: default, is not); headings and the tempo are drawn larger (vj.live.ui.panel)
FONT_PX = 20.0
#: message colours: info blue, warning amber, error red (the panel's messages, its BLACKOUT, a left-out clip)
LEVEL_COLOUR = {INFO: (0.55, 0.80, 1.00, 1.0), WARNING: (1.00, 0.76, 0.28, 1.0), ERROR: (1.00, 0.38, 0.32, 1.0)}
#: the panel's background colour (RGB): the player clears to it, the panel's windows draw none
BACKGROUND = (0.06, 0.06, 0.08)


def _font_file() -> Path | None:
    import imgui_bundle
    path = Path(imgui_bundle.__file__).parent / "assets" / "fonts" / "Roboto" / "Roboto-Regular.ttf"
    return path if path.is_file() else None


def _style() -> None:
    """Dark, high-contrast: text near white on near black, controls large enough to hit in a hurry."""
    imgui.style_colors_dark()
    st = imgui.get_style()
    st.window_padding = imgui.ImVec2(10, 8)
    st.frame_padding = imgui.ImVec2(8, 6)
    st.item_spacing = imgui.ImVec2(8, 6)
    st.scrollbar_size = 18
    st.grab_min_size = 18
    st.frame_rounding = 3
    st.window_rounding = 0
    col = imgui.Col_
    # the panel's windows have no background of their own (alpha 0: ImGui then draws none): the player clears
    # the window to BACKGROUND before the panel, which costs software GL a fraction of ImGui's blended
    # full-size rectangles (llvmpipe, the 540x900 panel and the row under the picture: 4.0 ms against 7.0 ms
    # per panel frame, median of ~140, bench/play.py's show)
    colors = {col.window_bg: (*BACKGROUND, 0.0), col.child_bg: (*BACKGROUND, 0.0),
              col.text: (0.94, 0.94, 0.96, 1.0), col.text_disabled: (0.62, 0.62, 0.68, 1.0),
              col.frame_bg: (0.16, 0.16, 0.20, 1.0), col.tab: (0.14, 0.14, 0.18, 1.0),
              col.tab_selected: (0.30, 0.30, 0.42, 1.0), col.slider_grab: (1.0, 0.78, 0.30, 1.0),
              col.slider_grab_active: (1.0, 0.88, 0.50, 1.0)}
    for which, rgba in colors.items():
        st.set_color_(which, imgui.ImVec4(*rgba))


class ImguiHost:
    """One ImGui context on one pyglet window (the window whose GL context is current when it is made)."""

    def __init__(self, window):
        self.window = window
        self.ctx = imgui.create_context()
        io = imgui.get_io()
        io.set_ini_filename("")         # nothing written next to the performer's files
        font = _font_file()
        if font is not None:
            io.fonts.add_font_from_file_ttf(str(font), FONT_PX)
        _style()
        backends.opengl3_init("#version 330")
        self._last = time.monotonic()
        self._mouse = (-1.0, -1.0)
        self.capture_keys = False   #: a text field has the keyboard: keys are typed, not show controls
        self.drawn_lists = (0, 0)   #: draw lists rendered / in the last frame (with damage tracking)
        window.push_handlers(self)

    # -- pyglet events (handlers return None: others still see them) -----------------------------
    def _pos(self, x: float, y: float) -> None:
        io = imgui.get_io()
        self._mouse = (x, self.window.height - y)
        io.add_mouse_pos_event(*self._mouse)

    def on_mouse_motion(self, x, y, dx, dy):
        self._pos(x, y)

    def on_mouse_drag(self, x, y, dx, dy, buttons, modifiers):
        self._pos(x, y)

    def on_mouse_press(self, x, y, button, modifiers):
        self._pos(x, y)
        self._modifiers(modifiers)
        imgui.get_io().add_mouse_button_event(_button(button), True)

    def on_mouse_release(self, x, y, button, modifiers):
        self._pos(x, y)
        imgui.get_io().add_mouse_button_event(_button(button), False)

    def on_mouse_scroll(self, x, y, scroll_x, scroll_y):
        imgui.get_io().add_mouse_wheel_event(float(scroll_x), float(scroll_y))

    def on_text(self, text):
        if self.capture_keys:
            imgui.get_io().add_input_characters_utf8(text)

    def on_key_press(self, symbol, modifiers):
        self._modifiers(modifiers)
        key = _key(symbol)
        if self.capture_keys:
            if key is not None:
                imgui.get_io().add_key_event(key, True)
            return True  # typed into a field: never on to pyglet's own Esc-closes-the-window

    def on_key_release(self, symbol, modifiers):
        self._modifiers(modifiers)
        key = _key(symbol)
        if key is not None:
            imgui.get_io().add_key_event(key, False)

    def _modifiers(self, modifiers: int) -> None:
        from pyglet.window import key as k
        io = imgui.get_io()
        io.add_key_event(imgui.Key.mod_shift, bool(modifiers & k.MOD_SHIFT))
        io.add_key_event(imgui.Key.mod_ctrl, bool(modifiers & k.MOD_CTRL))

    # -- a frame ---------------------------------------------------------------------------------
    def begin(self) -> None:
        io = imgui.get_io()
        fw, fh = self.window.get_framebuffer_size()
        io.display_size = imgui.ImVec2(self.window.width, self.window.height)
        io.display_framebuffer_scale = imgui.ImVec2(fw / max(1, self.window.width), fh / max(1, self.window.height))
        now = time.monotonic()
        io.delta_time = max(1e-4, now - self._last)
        self._last = now
        backends.opengl3_new_frame()
        imgui.new_frame()

    def end(self, damage: Damage | None = None, clear=None) -> None:
        """Render the frame: all of it, or with ``damage`` only the draw lists that changed since they were
        last drawn, after ``clear(boxes)`` of the boxes (window pixels, top-left origin) they and what
        they left behind cover."""
        imgui.render()
        data = imgui.get_draw_data()
        lists = [data.cmd_lists[i] for i in range(data.cmd_lists.size())]
        keep = range(len(lists))
        if damage is not None:
            scale = (data.framebuffer_scale.x, data.framebuffer_scale.y)
            size = self.window.get_framebuffer_size()
            drawn = [describe(dl, name, size, scale) for dl, name in zip(lists, list_names(lists))]
            keep, boxes = damage.plan(drawn)
            clear(boxes)
        self.drawn_lists = (len(keep), len(lists))
        if len(keep) < len(lists):   # only what changed goes to the renderer (its textures are updated all the same)
            _only(data, [lists[i] for i in keep])
        backends.opengl3_render_draw_data(data)
        if len(keep) < len(lists):
            _only(data, lists)       # the frame's draw data left whole, as ImGui made it
        self.capture_keys = imgui.get_io().want_text_input

    def close(self) -> None:
        try:
            self.window.remove_handlers(self)
        except Exception:
            pass
        backends.opengl3_shutdown()
        imgui.destroy_context(self.ctx)


def list_names(lists: list) -> list[str]:
    """Each draw list's name: its ImGui window's (``ImDrawList::_OwnerName``, "vj panel/tempo_7E1BC7" for a
    part), so a list is known as the same part from frame to frame.  Known by its place in the frame
    instead, a part that came or went (the messages, a tooltip) moved every list after it, and all of them
    were cleared and drawn again: 8 of 8 lists, 9-12 ms of the panel on llvmpipe, at every message that came
    or went (the issue's show, 2026-12-06).  A name seen twice in a frame, or none, gets its place added."""
    names = []
    for n, dl in enumerate(lists):
        try:
            name = str(dl._owner_name or "")
        except Exception:  # noqa: BLE001 - a binding without the field: places, as before
            name = ""
        names.append(name)
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    return [name if name and seen[name] == 1 else f"{name}#{n}" for n, name in enumerate(names)]


def _only(data, lists: list) -> None:
    """Make ``data`` (an ImDrawData) hold these draw lists."""
    data.cmd_lists.clear()
    for dl in lists:
        data.cmd_lists.push_back(dl)


def texture_ref(glo: int) -> imgui.ImTextureRef:
    """An ImGui handle for a GL texture name (moderngl's ``.glo``)."""
    return imgui.ImTextureRef(int(glo))


def _button(button: int) -> int:
    from pyglet.window import mouse
    return {mouse.LEFT: 0, mouse.RIGHT: 1, mouse.MIDDLE: 2}.get(button, 0)


def _key(symbol: int):
    from pyglet.window import key as k
    table = {k.BACKSPACE: imgui.Key.backspace, k.DELETE: imgui.Key.delete, k.ENTER: imgui.Key.enter,
             k.RETURN: imgui.Key.enter, k.ESCAPE: imgui.Key.escape, k.LEFT: imgui.Key.left_arrow,
             k.RIGHT: imgui.Key.right_arrow, k.HOME: imgui.Key.home, k.END: imgui.Key.end, k.TAB: imgui.Key.tab,
             k.A: imgui.Key.a, k.C: imgui.Key.c, k.V: imgui.Key.v, k.X: imgui.Key.x}
    return table.get(symbol)
