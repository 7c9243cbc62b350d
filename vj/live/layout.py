"""Where the single window's parts go: the output's picture, the panel's column beside it, the clips under it.

The picture is drawn 1:1 when the window fits the screen.  On a smaller screen (a 1366x768 laptop, or a
1440x900-point MacBook with the default 1280x720 output: the window is 1820 wide) the column would sit off
the screen's right edge, so the picture is shown smaller instead: the show still renders at its own size,
only the window's view of it shrinks, and the column (an ImGui window) scrolls when the screen is short.
Pure: no pyglet, no GL.
"""

from __future__ import annotations

from dataclasses import dataclass

#: pixels (width, height) a desktop keeps for itself around a window, as desktops ship (not measured here: the
#: test screens have no desktop): Ubuntu's dock 64 wide plus borders; Windows 11's task bar 48 plus a title bar
#: 31, GNOME's top bar 32 plus a title bar 37, macOS's menu bar 25-37 plus a title bar 28 (a Dock at the bottom
#: takes more: the window manager then moves the window, and the column scrolls)
SCREEN_MARGIN = (72, 80)
#: the least share of the output the window shows: a smaller picture is too small to click a focus on; a
#: screen that needs less (an 800x600 one with a 1280x720 output) overflows: use --size or --control-window
MIN_VIEW_SCALE = 0.25


@dataclass(frozen=True, slots=True)
class WindowLayout:
    view: tuple[int, int]       #: the output's picture in the window, pixels (the output size, or smaller)
    window: tuple[int, int]     #: the window's size


def single_window(out: tuple[int, int], panel_w: int, below_min: int, gap: int, panel_min_h: int,
                  screen: tuple[int, int] | None, status: tuple[int, int] = (0, 0)) -> WindowLayout:
    """The window with the panel beside the output ``out``: as large as the parts want where that fits ``screen``
    (less :data:`SCREEN_MARGIN`); else the picture shrunk until picture and column fit its width and the picture
    with a row of tiles under it its height, and the window no taller than the screen (the column scrolls).

    ``status`` (height, width): under a picture narrower than ``width`` the messages and the HUD go under the
    clips and need ``height`` more there (beside the clips of a wider one they need none).  Without it a 1280x720
    output on a 1280x800 screen left 337 px under the picture, 7 short, and they went off the window's foot."""
    out_w, out_h = out
    status_h, beside_w = status
    want_w = out_w + panel_w
    want_h = max(out_h + gap + below_min + (status_h if out_w < beside_w else 0), panel_min_h)
    if screen is None:
        return WindowLayout((out_w, out_h), (want_w, want_h))
    room_w, room_h = screen[0] - SCREEN_MARGIN[0], screen[1] - SCREEN_MARGIN[1]
    if want_w <= room_w and want_h <= room_h:
        return WindowLayout((out_w, out_h), (want_w, want_h))
    view, status_under = _fit(out, (room_w, room_h), panel_w, below_min, gap, status)
    under = view[1] + gap + below_min + (status_h if status_under else 0)
    return WindowLayout(view, (view[0] + panel_w, max(min(want_h, room_h), under)))


def view_in(out: tuple[int, int], window: tuple[int, int], panel_w: int, below_min: int, gap: int,
            status: tuple[int, int] = (0, 0)) -> tuple[int, int]:
    """The picture's size in a window already ``window`` big (resized by the performer or the window manager):
    1:1 where the column fits beside it and the clips (with the status, when it goes under them) under it, else
    shrunk as :func:`single_window` shrinks it for a screen of that room."""
    return _fit(out, window, panel_w, below_min, gap, status)[0]


def _fit(out: tuple[int, int], room: tuple[int, int], panel_w: int, below_min: int, gap: int,
         status: tuple[int, int]) -> tuple[tuple[int, int], bool]:
    """The picture that leaves ``room`` (w, h) for the column beside it and the clips under it, never above 1:1
    nor below :data:`MIN_VIEW_SCALE`; and whether the status goes under the clips (a picture narrower than
    ``status``'s width, where the picture can shrink enough for it: else it stays in the column)."""
    (out_w, out_h), (room_w, room_h) = out, room
    status_h, beside_w = status
    scale = max(MIN_VIEW_SCALE, min((room_w - panel_w) / out_w, (room_h - gap - below_min) / out_h, 1.0))
    fit = (room_h - gap - below_min - status_h) / out_h   # the scale that leaves the status room under the clips
    status_under = out_w * scale < beside_w and fit >= MIN_VIEW_SCALE
    if status_under:
        scale = min(scale, fit)
    return (max(1, int(out_w * scale)), max(1, int(out_h * scale))), status_under
