"""The one window's layout (vj.live.layout, pure) and where the picture goes in its framebuffer."""

from __future__ import annotations

from types import SimpleNamespace

from vj.live.layout import SCREEN_MARGIN, single_window
from vj.live.player_drawing import PlayerDrawing
from vj.live.ui.panel import BELOW_GAP, MIN_BELOW, PANEL_WIDTH


def layout(out, screen):
    return single_window(out, PANEL_WIDTH, MIN_BELOW, BELOW_GAP, 900, screen)


def test_the_window_fits_the_screen_and_the_picture_shrinks_only_when_the_width_needs_it():
    assert layout((1280, 720), (1920, 1080)).view == (1280, 720)            # 1820x942 fits: 1:1
    for screen in ((1366, 768), (1440, 900), (1280, 800), (1024, 600)):
        for out in ((1280, 720), (960, 540), (640, 360)):
            got = layout(out, screen)
            assert got.window[0] <= screen[0] - SCREEN_MARGIN[0], (out, screen, got)
            assert got.window[1] <= screen[1] - SCREEN_MARGIN[1], (out, screen, got)
            assert got.window[0] == got.view[0] + PANEL_WIDTH and got.view[1] + BELOW_GAP + MIN_BELOW <= got.window[1]
            assert abs(got.view[0] / got.view[1] - out[0] / out[1]) < 0.01     # the picture keeps its shape
    # wide enough, only too short for the 900 px column: the picture stays 1:1 and the column scrolls
    short = layout((320, 180), (1280, 800))
    assert short.view == (320, 180) and short.window == (860, 800 - SCREEN_MARGIN[1])


def test_the_picture_is_placed_in_framebuffer_pixels_on_a_hidpi_screen():
    """The view is in window units; a Retina screen's framebuffer has twice the pixels (the picture was drawn
    at half its size in the framebuffer's top-left corner)."""
    me = SimpleNamespace(show_panel=True, view=(754, 424), window=SimpleNamespace(width=1294, height=688))
    assert PlayerDrawing._output_area(me, 1294, 688) == (0, 688 - 424, 754, 424)
    assert PlayerDrawing._output_area(me, 2588, 1376) == (0, 1376 - 848, 1508, 848)
    me.show_panel = False                                                      # fullscreen: all of it
    assert PlayerDrawing._output_area(me, 2588, 1376) == (0, 0, 2588, 1376)


def test_a_resized_window_gets_the_picture_a_screen_of_its_size_would():
    """`vj play`'s window resized: the picture is 1:1 while the column and the clips fit, smaller when they do not,
    and the planned window gives back (to a pixel) the picture planned for it."""
    from vj.live.layout import view_in
    from vj.live.ui.panel import BESIDE_MIN_W, STATUS_MIN_H
    status = (STATUS_MIN_H, BESIDE_MIN_W)

    def view(out, window):
        return view_in(out, window, PANEL_WIDTH, MIN_BELOW, BELOW_GAP, status)

    assert view((640, 360), (1180, 900)) == (640, 360) == view((640, 360), (1920, 1080))   # never above 1:1
    for window in ((900, 600), (1000, 500), (760, 700)):
        w, h = view((640, 360), window)
        assert w + PANEL_WIDTH <= window[0] and h + BELOW_GAP + MIN_BELOW + STATUS_MIN_H <= window[1], (window, w, h)
        assert abs(w / h - 16 / 9) < 0.02
    for screen in ((1366, 768), (1280, 800), (1024, 600)):
        planned = single_window((1280, 720), PANEL_WIDTH, MIN_BELOW, BELOW_GAP, 900, screen, status)
        got = view((1280, 720), planned.window)
        assert abs(got[0] - planned.view[0]) <= 1 and abs(got[1] - planned.view[1]) <= 1, (screen, got, planned)
