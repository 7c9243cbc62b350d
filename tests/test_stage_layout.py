"""The single window's layout in the real player under Xvfb: laid out again when the window is resized, and the
messages and the HUD readable on a 1024x600 screen (tests/stagerig.py runs the player)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from media import png_pixels
from servers import xvfb
from stagerig import make_stage, play
from vj.live.layout import view_in
from vj.live.messages import WARNING
from vj.live.ui.host import FONT_PX
from vj.live.ui.panel import BELOW_GAP, BESIDE_MIN_W, LEVEL_COLOUR, MIN_BELOW, PANEL_WIDTH, STATUS_MIN_H

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool missing: run make setup")

STATUS = (STATUS_MIN_H, BESIDE_MIN_W)   # as the player asks


@pytest.fixture(scope="module")
def stage(tmp_path_factory):
    return make_stage(tmp_path_factory.mktemp("stage"))


def test_a_resized_window_lays_out_its_picture_column_and_clips_again(stage, tmp_path):
    """Resized (dragged, or by the window manager), the window kept the layout of its first size: the picture
    1:1, the column at its old place past the window's right edge, the clips and the status under the window's
    foot.  The picture now shrinks to the new size, the column starts at its right edge, the clips under it."""
    size, small = (640, 360), (900, 600)
    with xvfb("1400x950x24") as display:
        state = play(tmp_path, stage, dict(size=size, duration=6.0, hud=True), display,
                     actions=[(2.0, "size", small), (3.0, "key", "9")], surfaces={"osc": "127.0.0.1:9000"})
    assert state["done"][0] == ("size", small) and state["window"] == list(small), state["window"]
    view = view_in(size, small, PANEL_WIDTH, MIN_BELOW, BELOW_GAP, STATUS)
    assert view[0] < size[0] and state["view"] == list(view), (state["view"], view)
    parts = json.loads((tmp_path / "parts.json").read_text())
    for name in ("head", "tempo", "now", "meters"):   # the column, beside the smaller picture and in the window
        x, y, w, h = parts[name]
        assert view[0] <= x <= view[0] + 20 and x + w <= small[0], (name, parts[name], view)
    tiles = json.loads((tmp_path / "tiles.json").read_text())
    x, y, w, h = tiles["1"][1]                        # the first clip under the picture, in the window
    assert y >= view[1] and x + w <= view[0] and y + h <= small[1], (tiles["1"], view)
    for name in ("status", "messages", "hud"):        # the messages and the HUD too
        x, y, w, h = parts[name]
        assert h > 20 and y + h <= small[1] + 0.5 and x + w <= view[0], (name, parts[name], view)


def test_on_a_1024x600_screen_the_messages_and_hud_stay_at_the_columns_foot(stage, tmp_path):
    """`vj play` at its default 1280x720 on a 1024x600 netbook: the picture (412x231) leaves no room under the
    clips for the status, so the messages and the HUD went to the column's end, 400 px under the window's foot,
    and a warning was said on stderr only.  They now stay at the column's foot, as wide as the column (the parts
    above them scroll), the HUD's four lines whole and the newest message beside it."""
    shots = tmp_path / "shots"
    with xvfb("1024x600x24") as display:
        state = play(tmp_path, stage, dict(size=(1280, 720), duration=6.0, screenshots=str(shots), hud=True),
                     display, actions=[(2.5, "key", "9")], surfaces={"osc": "127.0.0.1:9000"})
    win_w, win_h = state["window"]
    view = state["view"]
    parts = json.loads((tmp_path / "parts.json").read_text())
    assert "status" in parts, parts
    for name in ("status", "messages", "hud"):
        x, y, w, h = parts[name]
        assert x >= view[0] and w >= 480 and y + h <= win_h + 0.5 and x + w <= win_w, (name, parts, state["window"])
    x, y, w, h = parts["hud"]
    assert h > 95, parts                               # the HUD's four lines (vj play's has OSC's)
    assert any(level == "warning" and "clip 9" in text for level, text in state["messages"]), state["messages"]
    x, y, w, h = (int(round(v)) for v in parts["messages"])   # the warning is seen there, in its colour
    img = png_pixels(sorted(shots.glob("frame-*.png"))[-1]).astype(int)
    amber = np.array(LEVEL_COLOUR[WARNING][:3]) * 255
    assert (np.abs(img[y:y + h, x:x + w] - amber).sum(axis=2) < 40).sum() > 200


#: a setlist's warning as long as the real ones: where (file, song, field), what is wrong, then the fix
LONG_WARNING = ("setlist /home/me/shows/friday.toml, song 2 'Drop', field switch_bars: 'four' is not a whole number "
                "of bars; the saved setlist was not applied and the show plays on as it was. Fix: write "
                "switch_bars = 4 (a whole number, 1 to 64) in song 2 and save again: the next bar picks the change "
                "up, or undo the edit")


def test_on_a_1024x600_screen_a_long_message_shows_its_beginning(stage, tmp_path):
    """The messages part at the column's foot holds three or four lines there, and it is scrolled to its end: a
    long warning showed its last lines (the fix's end), its beginning naming the file and the field cut off above.
    The newest message is cut to the part with "...", so the part shows it from its first line."""
    with xvfb("1024x600x24") as display:
        state = play(tmp_path, stage, dict(size=(1280, 720), duration=8.0, hud=True), display,
                     problems=[LONG_WARNING])
    assert ("warning", LONG_WARNING) in [tuple(m) for m in state["messages"]], state["messages"]   # kept whole
    assert not [text for level, text in state["messages"] if level == "error"], state["messages"]   # the panel drew
    parts = json.loads((tmp_path / "parts.json").read_text())
    mx, my, mw, mh = parts["messages"]
    x, y, w, h = parts["newest"]
    assert my - 0.5 <= y and y + h <= my + mh + 0.5, ("the newest message's beginning is cut", parts)
    assert h > 2 * FONT_PX, parts   # not cut to a line: the part's room (three lines at 1024x600) is used


def test_without_the_projector_screen_1_fullscreen_opens_the_window_with_its_panel(stage, tmp_path):
    """`--screen 1 --fullscreen` with the projector not plugged in: the output went fullscreen over the laptop's
    only screen, with no panel, and the warning that said so was on the panel it hid (and in a terminal behind
    it).  The window opens with its panel, the warning in it; F still makes the output fullscreen."""
    screen = (1280, 800)
    with xvfb(f"{screen[0]}x{screen[1]}x24") as display:
        state = play(tmp_path, stage, dict(size=(640, 360), duration=4.0, screen=1, fullscreen=True), display)
    win_w, win_h = state["window"]
    assert (win_w, win_h) != screen and win_w > 640, state["window"]          # the window with the column beside
    assert (tmp_path / "parts.json").exists()                                   # the panel was drawn
    said = [text for level, text in state["messages"] if level == WARNING and "--screen 1" in text]
    assert said and "in a window with the panel" in said[0] and "plug in the projector" in said[0], state["messages"]


def test_focus_points_clicked_and_not_written_come_back_with_resume(stage, tmp_path):
    """A focus point set by clicking the picture lives in the show until Ctrl+S writes it to bank.toml: a crash
    or a quit lost it, unsaid.  The autosave keeps it, a resumed show applies it and Ctrl+S still writes it,
    and a show that ends with points not written says so."""
    saved = tmp_path / "state.json"
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    size, screen = (640, 360), (1280, 800)
    with xvfb(f"{screen[0]}x{screen[1]}x24") as display:
        first = play(tmp_path / "a", stage, dict(size=size, duration=5.0, autosave=str(saved)), display,
                     rules=dict(switch_bars=64, drift_per_bar=0.0, pulse=0.0),
                     actions=[(2.5, "click", (0.25 * size[0], 0.30 * size[1]))])
        (clip, point), = first["focus_left"].items()
        assert "not written to bank.toml" in first["stderr"] and "--resume" in first["stderr"], first["stderr"]
        show = json.loads(saved.read_text())["show"]
        assert [f[0] for f in show["focus"]] == [clip], show
        again = play(tmp_path / "b", stage, dict(size=size, duration=3.0, resume=show), display,
                     rules=dict(switch_bars=64, drift_per_bar=0.0, pulse=0.0))
    assert again["focus_left"] == {clip: pytest.approx(point, abs=1e-4)}, again["focus_left"]
