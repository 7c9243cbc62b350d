"""The panel redraws only what changed where the window keeps its back buffer (vj.live.ui.damage): the
plan as a pure function, and the real panel under Xvfb, pixel for pixel against whole redraws."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from servers import xvfb
from vj.live.ui.damage import CELL, Damage, DrawnList, boxes

ROOT = Path(__file__).resolve().parent.parent
GRID = (10, 20)   # rows, cols of cells


def lst(name: str, key: str, *rects: tuple[int, int, int, int]) -> DrawnList:
    """A list covering cell rectangles (r0, c0, r1, c1): the same for its box and its triangles unless the
    box is given as the first rectangle and the triangles as the rest."""
    def cells(rs):
        m = np.zeros(GRID, bool)
        for r0, c0, r1, c1 in rs:
            m[r0:r1, c0:c1] = True
        return m
    box, tris = (rects[:1], rects[1:]) if len(rects) > 1 else (rects, rects)
    return DrawnList(name, (key,), lambda precise: cells(tris if precise else box))


def test_the_plan_draws_what_changed_and_what_its_clear_touches():
    d = Damage()
    frame = [lst("column", "a", (0, 0, 10, 20), (0, 0, 10, 1), (0, 19, 10, 20)),   # box: all; really: its edges
             lst("tempo", "t1", (1, 2, 3, 18)), lst("faders", "f", (4, 2, 8, 18)), lst("help", "h", (2, 5, 4, 9))]
    keep, clear = d.plan(frame)
    assert keep == [0, 1, 2, 3] and len(clear) == 0        # the first frame: all of it, nothing to clear
    same = [lst("column", "a", (0, 0, 10, 20), (0, 0, 10, 1), (0, 19, 10, 20)), lst("tempo", "t1", (1, 2, 3, 18)),
            lst("faders", "f", (4, 2, 8, 18)), lst("help", "h", (2, 5, 4, 9))]
    keep, clear = d.plan(same)
    assert keep == [] and len(clear) == 0                  # nothing changed: nothing drawn
    # the tempo changed: cleared and drawn; the help over it is drawn again (its cells cleared too), the
    # column (whose box covers all, but not its triangles) and the faders are not
    changed = [lst("column", "a", (0, 0, 10, 20), (0, 0, 10, 1), (0, 19, 10, 20)), lst("tempo", "t2", (1, 2, 3, 18)),
               lst("faders", "f", (4, 2, 8, 18)), lst("help", "h", (2, 5, 4, 9))]
    keep, clear = d.plan(changed)
    assert keep == [1, 3]
    cleared = np.zeros(GRID, bool)
    for x0, y0, x1, y1 in clear:
        cleared[y0 // CELL:y1 // CELL, x0 // CELL:x1 // CELL] = True
    assert cleared[1:3, 2:18].all() and cleared[2:4, 5:9].all()
    assert not cleared[7, 3] and not cleared[:, 0].any()   # the faders' own rows and the column's edge stay
    # the help closed: its cells cleared, and the tempo under it drawn again (not the faders)
    gone = [lst("column", "a", (0, 0, 10, 20), (0, 0, 10, 1), (0, 19, 10, 20)), lst("tempo", "t2", (1, 2, 3, 18)),
            lst("faders", "f", (4, 2, 8, 18))]
    keep, clear = d.plan(gone)
    assert keep == [1]
    d.invalidate()
    keep, clear = d.plan(gone)
    assert keep == [0, 1, 2] and len(clear) == 0


def test_a_changed_column_is_cleared_by_its_edges_and_swapped_lists_are_drawn_again():
    """The column's own list (box: the whole window; triangles: its edges) changes when its scrollbar moves:
    its old and new edge cells are cleared and drawn, the parts inside it stay.  Two lists that swap places
    with the same bytes are drawn again (their stacking changed)."""
    d = Damage()
    col = lambda key, right: lst("column", key, (0, 0, 10, 20), (0, 0, 10, 1), right)   # noqa: E731
    d.plan([col("a", (0, 19, 5, 20)), lst("tempo", "t", (1, 2, 3, 18)), lst("faders", "f", (4, 2, 8, 18))])
    keep, clear = d.plan([col("b", (4, 19, 10, 20)), lst("tempo", "t", (1, 2, 3, 18)),
                          lst("faders", "f", (4, 2, 8, 18))])     # the scrollbar's grab moved down
    assert keep == [0]
    cleared = np.zeros(GRID, bool)
    for x0, y0, x1, y1 in clear:
        cleared[y0 // CELL:y1 // CELL, x0 // CELL:x1 // CELL] = True
    assert cleared[:, 19].all() and cleared[:, 0].all() and not cleared[:, 1:19].any()
    keep, _ = d.plan([col("b", (4, 19, 10, 20)), lst("faders", "f", (4, 2, 8, 18)), lst("tempo", "t", (1, 2, 3, 18))])
    assert keep == [1, 2]


def test_boxes_cover_exactly_the_cells():
    m = np.zeros(GRID, bool)
    m[1, 2:5] = m[1, 7] = m[3:5, 0:20] = True
    got = np.zeros(GRID, bool)
    for x0, y0, x1, y1 in boxes(m):
        got[y0 // CELL:y1 // CELL, x0 // CELL:x1 // CELL] = True
    assert np.array_equal(got, m)


def test_the_real_panel_drawn_in_parts_is_the_panel_drawn_whole(tmp_path):
    """48 frames of the real panel: the tempo, beat, meters, clips on screen and a flight change, the HUD,
    messages and the key help come and go; each frame drawn in parts equals the same frame drawn whole,
    and most frames draw only some of their lists."""
    with xvfb("1920x1080x24"):
        r = subprocess.run([sys.executable, str(ROOT / "tests" / "damage_rig.py"), str(tmp_path)],
                           capture_output=True, text=True, cwd=ROOT, timeout=240)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["differ"] == []
    drawn = [d for d, help_open in zip(out["drawn"][1:], out["help"][1:]) if not help_open]
    partial = [n for n, total in drawn if n < total]
    assert len(partial) >= len(drawn) // 2, drawn
    # a steady show draws only its meters again: the tempo plots and the HUD do not change at every frame
    assert "history" in out["parts"] and "meters" in out["parts"]
    assert [n for n, _ in out["steady"][4:12]] == [1] * 8, out["steady"]   # (after ImGui settles the layout)
    came, total = out["steady"][12]
    assert came <= total - 4, out["steady"]   # not every part after it


def test_the_panel_clock_halves_its_rate_in_a_flight_and_a_screenshot_always_draws():
    from vj.live.player_drawing import PANEL_FLIGHT_HZ, PANEL_HZ, PanelClock
    clock = PanelClock()
    frames = [n / 60 for n in range(240)]                  # 4 s at 60 Hz: 2 s still, then 2 s of flight
    drawn = [clock.due(t, flight=t >= 2.0) for t in frames]
    still, flight = sum(drawn[:120]), sum(drawn[120:])
    assert abs(still - 2 * PANEL_HZ) <= 1 and abs(flight - 2 * PANEL_FLIGHT_HZ) <= 1
    assert flight < still
    assert clock.due(4.0, flight=True) is False and clock.due(4.0, flight=True, force=True)   # a screenshot draws it


def test_the_hud_lines_are_made_again_only_twice_a_second():
    from vj.live.player_drawing import HUD_HOLD_S, HeldLines
    made = []
    held = HeldLines()
    for n in range(60):                                    # 1 s of panel frames at 60 Hz
        held.get(n / 60, lambda: made.append(n) or [f"{n}"])
    assert len(made) == round(1.0 / HUD_HOLD_S) and held.lines == [f"{made[-1]}"]
    made.clear()                                           # what is not a ticking number shows at once
    held.get(1.0, lambda: made.append("a") or ["clip a"], key="a")
    held.get(1.01, lambda: made.append("b") or ["clip b"], key="b")
    held.get(1.02, lambda: made.append("c") or ["clip b, later"], key="b")
    assert made == ["a", "b"] and held.lines == ["clip b"]


def test_draw_lists_are_known_by_their_window_not_their_place():
    """A part that comes between others (a message) leaves the names of the parts after it as they were, so
    they are not drawn again; a name seen twice, or none, is told apart by its place."""
    from types import SimpleNamespace as NS

    from vj.live.ui.host import list_names
    before = list_names([NS(_owner_name="vj panel"), NS(_owner_name="vj panel/faders_1"), NS(_owner_name="vj panel/hud_2")])
    after = list_names([NS(_owner_name="vj panel"), NS(_owner_name="vj panel/faders_1"),
                        NS(_owner_name="vj panel/messages_3"), NS(_owner_name="vj panel/hud_2")])
    assert before[2] == after[3] == "vj panel/hud_2"
    assert list_names([NS(_owner_name="x"), NS(_owner_name="x"), NS(_owner_name="")]) == ["x#0", "x#1", "#2"]
