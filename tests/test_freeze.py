"""The frozen-output detector (issue 14): runs of identical output frames while the show should move.

On real GL (Mesa llvmpipe through EGL) with the real compositor drawing real clips, and on the real
`vj play` stopped by SIGSTOP (the frame loop held up, as a stuck driver would) under Xvfb.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import time

import pytest

from playrig import PlayRun
from servers import xvfb
from showkit import PerfectTracker, silence_until
from vj.bank import load_bank
from vj.engine import ShowRules
from vj.gfx.compositor import Compositor
from vj.gfx.context import headless_context
from vj.live.freeze import SAY_AFTER, FreezeWatch
from vj.render.renderer import ShowRenderer
from vj.show.loop import ShowLoop
from vj.show.plan import SongPlan


@pytest.fixture
def gl_show(test_bank):
    root, banks, track = test_bank
    ctx = headless_context()
    comp = Compositor(ctx, (160, 90), fps=30)
    loop = ShowLoop([SongPlan("s", load_bank("t", banks_dir=banks), None, ShowRules(switch_bars=1))],
                    analyzer=PerfectTracker(120.0))
    renderer = ShowRenderer(comp, loop.clips, live=False)
    said: list[tuple[str, str]] = []
    watch = FreezeWatch(ctx, comp, lambda level, text: said.append((level, text)), rate=0)
    yield loop, renderer, watch, said
    watch.release()
    renderer.close()
    comp.release()
    ctx.release()


def _frame(loop, renderer, t):
    desc = loop.tick(t, silence_until(loop, t))
    loop.feedback(renderer.draw(desc))
    return desc


def test_a_moving_show_is_never_called_frozen(gl_show):
    loop, renderer, watch, said = gl_show
    for n in range(120):
        t = n / 30
        watch.sample(t, _frame(loop, renderer, t), t)
    assert watch.frozen.longest < 0.1 and watch.black.longest == 0.0, watch.summary()
    assert not said and watch.samples == 119


def test_the_same_picture_while_the_show_runs_on_is_frozen_and_said(gl_show):
    loop, renderer, watch, said = gl_show
    for n in range(30):
        t = n / 30
        watch.sample(t, _frame(loop, renderer, t), t)
    stuck = _frame(loop, renderer, 1.0)
    # the show's time runs on, the frame shown stays the one of t = 1 s (a tick that keeps failing)
    for n in range(31, 90):
        watch.sample(n / 30, stuck, n / 30)
    for n in range(90, 120):
        t = n / 30
        watch.sample(t, _frame(loop, renderer, t), t)
    summary = watch.summary()
    assert 1.7 < summary["frozen_s_max"] < 2.1 and summary["frozen_stretches"] == 1, summary
    assert [level for level, _ in said] == ["warning", "info"], said
    assert "has not changed for 1.0 s" in said[0][1] and "moves again after 1.9 s" in said[1][1], said


def test_at_the_players_sampling_rate_a_freeze_is_still_said_and_half_the_frames_are_not_looked_at(gl_show):
    """vj play samples 15 times a second (each sample waits for the frame on software GL): at 30 fps half
    of the frames are skipped, and a 2 s freeze is still measured and said."""
    loop, renderer, _, said = gl_show
    from vj.live.freeze import SAMPLE_HZ
    watch = FreezeWatch(renderer.compositor.ctx, renderer.compositor, lambda level, text: said.append((level, text)))
    try:
        for n in range(30):
            watch.sample(n / 30, _frame(loop, renderer, n / 30), n / 30)
        stuck = _frame(loop, renderer, 1.0)
        for n in range(31, 90):
            watch.sample(n / 30, stuck, n / 30)
        for n in range(90, 120):
            watch.sample(n / 30, _frame(loop, renderer, n / 30), n / 30)
        summary = watch.summary()
        assert 1.6 < summary["frozen_s_max"] < 2.2 and summary["frozen_stretches"] == 1, summary
        assert [level for level, _ in said] == ["warning", "info"], said
        assert SAMPLE_HZ == 15.0 and 55 <= watch.samples <= 62, watch.samples
    finally:
        watch.release()


def test_the_show_clock_held_back_freezes_the_picture_and_is_said(gl_show):
    """Issue 14's fault 1 as it was: frames kept coming while the show's time waited for an audio clock."""
    loop, renderer, watch, said = gl_show
    for n in range(30):
        t = n / 30
        watch.sample(t, _frame(loop, renderer, t), t)
    for n in range(30, 80):    # wall time runs, the show's time stays at 1 s: the same frame, drawn again
        watch.sample(n / 30, _frame(loop, renderer, 1.0), 1.0)
    assert watch.frozen.longest > SAY_AFTER and said and said[0][0] == "warning", (watch.summary(), said)


def test_blackout_is_not_a_freeze_but_black_outside_it_is_said(gl_show):
    loop, renderer, watch, said = gl_show
    from vj.engine import Blackout
    for n in range(60):
        t = n / 30
        desc = loop.tick(t, silence_until(loop, t), [Blackout(True)] if n == 10 else [])
        renderer.draw(desc)
        watch.sample(t, desc, t)
    assert watch.frozen.longest < 0.1 and watch.black.longest == 0.0 and not said
    # frames that draw nothing (no clip has a picture) outside a blackout: black, and said
    empty = dataclasses.replace(_frame(loop, renderer, 2.0), brightness=1.0)
    renderer.compositor.render(empty, {})
    for n in range(60, 110):
        watch.sample(n / 30, dataclasses.replace(empty, time=n / 30, layers=empty.layers), n / 30)
    assert watch.black.longest > SAY_AFTER and any("black" in text for _, text in said), (watch.summary(), said)


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool missing: run make setup")
def test_vj_play_held_up_for_two_seconds_reports_the_freeze(test_bank, tmp_path):
    root, banks, track = test_bank
    with xvfb("1280x800x24") as display:
        run = PlayRun(display, [str(banks / "t"), "--audio-file", str(track), "--mute", "--duration", "10"],
                      tmp_path).start()
        try:
            run.wait_window()
            time.sleep(2.0)
            os.kill(run.proc.pid, signal.SIGSTOP)   # the frame loop held up, as a stuck driver call would
            time.sleep(2.0)
            os.kill(run.proc.pid, signal.SIGCONT)
            code = run.wait()
        finally:
            run.terminate()
    assert code == 0, run.stderr
    stats = run.stats()
    assert 1.8 < stats["frozen_s_max"] < 4.0, stats
    assert "stood still for" in run.stderr, run.stderr
    assert run.frozen() > 1.8   # and the grabs from outside saw it too
