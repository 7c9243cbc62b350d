"""Where the single window's parts go: the output's picture, the panel's column beside it, the clips under it.

The picture is drawn 1:1 when the window fits the screen.  On a smaller screen (a 1366x768 laptop, or a
1440x900-point MacBook with the default 1280x720 output: the window is 1820 wide) the column would sit off
the screen's right edge, so the picture is shown smaller instead: the show still renders at its own size,
only the window's view of it shrinks, and the column (an ImGui window) scrolls when the screen is short.
Pure: no pyglet, no GL.
"""

from __future__ import annotations

from dataclasses import dataclass

#: pixels a desktop keeps for itself around a window that fills the screen (borders; a title bar and a
#: task bar or menu bar are taller), so a fitted window is not pushed under them
SCREEN_MARGIN = (16, 64)


@dataclass(frozen=True, slots=True)
class WindowLayout:
    view: tuple[int, int]       #: the output's picture in the window, pixels (the output size, or smaller)
    window: tuple[int, int]     #: the window's size


def single_window(out: tuple[int, int], panel_w: int, below_min: int, gap: int, panel_min_h: int,
                  screen: tuple[int, int] | None) -> WindowLayout:
    """The window with the panel beside the output ``out``: as large as the parts want, or, where that is wider
    than ``screen``, with the picture shrunk so that picture and column fit (and the window no taller than it)."""
    out_w, out_h = out
    want_w = out_w + panel_w
    want_h = max(out_h + gap + below_min, panel_min_h)
    if screen is None or want_w <= screen[0]:
        return WindowLayout((out_w, out_h), (want_w, want_h))
    room_w = screen[0] - SCREEN_MARGIN[0] - panel_w
    room_h = screen[1] - SCREEN_MARGIN[1] - gap - below_min
    scale = max(0.25, min(room_w / out_w, room_h / out_h, 1.0))
    view = (max(1, int(out_w * scale)), max(1, int(out_h * scale)))
    return WindowLayout(view, (view[0] + panel_w, min(max(view[1] + gap + below_min, panel_min_h),
                                                      max(screen[1] - SCREEN_MARGIN[1], view[1] + gap + below_min))))
