"""Adaptive quality: the controller holds the refresh budget when frames get slow, and gives quality back
with hysteresis.  Driven by a cost model (fixed work + work per pixel), as the player drives it with measured
times; the live check under Xvfb is in test_stage.py."""

from __future__ import annotations

import pytest

from vj.live.quality import HEADROOM, LADDER, SOFTWARE_START, QualityController, start_level

PERIOD = 1 / 60


def run(ctrl: QualityController, seconds: float, cost, start: int = 0) -> list[tuple[int, float, float]]:
    """Frames of ``seconds``: (frame, scale, cost) with ``cost(frame, level)`` in seconds."""
    out = []
    for n in range(start, start + int(seconds / PERIOD)):
        c = cost(n, ctrl.level)
        ctrl.frame(c, None, max(PERIOD, c))
        out.append((n, ctrl.level.scale, c))
    return out


def model(fixed_ms: float, full_ms: float):
    """A frame costs ``fixed_ms`` plus ``full_ms`` of pixel work at full quality, less as the level drops."""
    return lambda n, level: (fixed_ms + full_ms * level.pixels) / 1000.0


def test_a_slow_frame_load_is_brought_back_within_the_budget():
    # 3x over budget at full quality: it must step down until frames fit, and stay there without flicker
    ctrl = QualityController(PERIOD)
    frames = run(ctrl, 20.0, model(3.0, 24.0))
    settled = frames[-600:]  # the last 10 s
    assert max(c for _, _, c in settled) <= PERIOD * HEADROOM
    assert ctrl.level.scale < 1.0
    assert len({s for _, s, _ in settled}) == 1, "the level flickers"
    assert ctrl.changes <= 5
    # and it does not give away more than it must: the level above would not fit
    above = LADDER[ctrl.index - 1]
    assert (3.0 + 24.0 * above.pixels) / 1000 > PERIOD * HEADROOM * 0.85


def test_one_slow_frame_costs_no_quality():
    ctrl = QualityController(PERIOD)
    spike = lambda n, level: 0.120 if n == 300 else 0.006  # a 120 ms hitch (a page fault, a GC) once
    run(ctrl, 10.0, spike)
    assert ctrl.level.scale == 1.0 and ctrl.changes == 0


def test_quality_comes_back_when_the_load_goes_and_a_failed_restore_waits_longer():
    ctrl = QualityController(PERIOD)
    heavy, light = model(3.0, 36.0), model(2.0, 6.0)
    run(ctrl, 8.0, heavy)
    low = ctrl.index
    assert low > 0
    frames = run(ctrl, 20.0, light, start=480)
    assert ctrl.index == 0, "full quality is restored once there is room"
    back = next(n for n, s, _ in frames if s == 1.0)
    assert (back - 480) * PERIOD >= 3.0, "not restored before it had room for a while (hysteresis)"

    # full quality costs far more than its pixels predict (say a driver's slow path): every restore
    # fails, and each retry waits twice as long as the one before, so it does not flicker every 3 s
    ctrl = QualityController(PERIOD)
    surprise = lambda n, level: 0.020 if level.scale == 1.0 else 0.006
    run(ctrl, 60.0, surprise)
    ups = [b for (a, sa), (b, sb) in zip(ctrl.history, ctrl.history[1:]) if sb > sa]
    assert 2 <= len(ups) <= 5, ctrl.history   # tried again, but not once every 3 s for a minute
    gaps = [b - a for a, b in zip(ups, ups[1:])]
    assert all(later >= 1.8 * earlier for earlier, later in zip(gaps, gaps[1:])), gaps


def test_fixed_quality_never_moves():
    ctrl = QualityController(PERIOD, mode="fixed")
    run(ctrl, 5.0, model(3.0, 60.0))
    assert ctrl.level == LADDER[0] and ctrl.changes == 0


def test_ladder_order_scale_then_blur_then_clips():
    scales = [lv.scale for lv in LADDER]
    assert scales == sorted(scales, reverse=True)
    blur_off = next(i for i, lv in enumerate(LADDER) if not lv.motion_blur)
    clips_down = next(i for i, lv in enumerate(LADDER) if lv.clip_scale < 1.0)
    assert all(lv.scale == LADDER[-1].scale for lv in LADDER[blur_off:])   # blur goes after the scale has
    assert clips_down > blur_off
    bilinear = next(i for i, lv in enumerate(LADDER) if not lv.bicubic)
    assert bilinear < blur_off and all(not lv.bicubic for lv in LADDER[bilinear:])
    # from the first scaled-down level on, each step predicts less work (the first costs the scale-up pass)
    assert [lv.pixels for lv in LADDER[1:]] == sorted((lv.pixels for lv in LADDER[1:]), reverse=True)
    with pytest.raises(ValueError):
        QualityController(PERIOD, mode="sometimes")


def test_far_over_the_budget_it_steps_down_several_levels_at_once():
    # 4x over at full quality (llvmpipe at the start of a show): the first change goes straight to a level
    # whose predicted cost fits, not one level per decision; just over the budget it moves one level
    ctrl = QualityController(PERIOD)
    far = model(0.0, 4 * PERIOD * HEADROOM * 1000 / LADDER[0].pixels)
    run(ctrl, 1.0, far)
    first = ctrl.history[0]
    assert LADDER.index(next(lv for lv in LADDER if lv.scale == first[1])) >= 3, ctrl.history
    ctrl = QualityController(PERIOD)
    near = model(0.0, 1.3 * PERIOD * HEADROOM * 1000 / LADDER[0].pixels)
    run(ctrl, 0.6, near)
    assert ctrl.history[0][1] == LADDER[1].scale, ctrl.history


def test_software_gl_starts_low_and_climbs_where_there_is_room():
    # Mesa's software rasterisers start near the bottom of the ladder; a GPU starts at full quality
    assert start_level("llvmpipe (LLVM 15.0.6, 256 bits)") == SOFTWARE_START > 0
    assert start_level("softpipe") == SOFTWARE_START
    assert start_level("NVIDIA H100 80GB HBM3/PCIe/SSE2") == 0
    assert start_level("") == 0
    # from there it climbs, level by level, as far as the frames leave room (and no further)
    ctrl = QualityController(PERIOD, start=SOFTWARE_START)
    assert ctrl.level == LADDER[SOFTWARE_START]
    cost = model(3.0, 24.0)
    frames = run(ctrl, 30.0, cost)
    assert ctrl.index < SOFTWARE_START, "never climbed"
    assert max(c for _, _, c in frames[-600:]) <= PERIOD * HEADROOM
    # a cheap load climbs all the way back to full quality
    ctrl = QualityController(PERIOD, start=SOFTWARE_START)
    run(ctrl, 60.0, model(2.0, 4.0))
    assert ctrl.index == 0
    # --quality fixed is full quality whatever the renderer
    assert QualityController(PERIOD, "fixed", start=SOFTWARE_START).index == 0
