"""`vj play --stats` carries what the network refused and how the output held up (issue 14).

The OSC refusal counts (``OscServer.refused``) and OSCQuery's connection counts were only in memory;
the frozen-output detector's longest stretch (``frozen_s_max``) joins them.
"""

from __future__ import annotations

import shutil
import socket
import time
import urllib.request

import pytest

from playrig import PlayRun
from servers import xvfb

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool missing: run make setup")


def test_stats_hold_the_osc_refusals_the_oscquery_counts_and_the_frozen_stretch(test_bank, tmp_path):
    root, banks, track = test_bank
    with xvfb("1280x800x24") as display:
        run = PlayRun(display, [str(banks / "t"), "--audio-file", str(track), "--mute", "--duration", "8"],
                      tmp_path).start()
        try:
            run.wait_window()
            run.send(b"#bundle\0" + (1).to_bytes(8, "big") + (-4).to_bytes(4, "big", signed=True)
                     + b"/vj/clip/next\0\0\0,\0\0\0")      # the campaign's packet
            run.send(b"\x01\x02garbage")                    # not OSC
            run.osc("/vj/no/such/control", 1.0)             # an unknown address
            run.osc("/vj/tempo/bpm", "fast")                # a wrong type
            url = f"http://127.0.0.1:{run.osc_port + 1}/"
            with urllib.request.urlopen(url, timeout=5) as r:
                assert r.status == 200
            idle = socket.create_connection(("127.0.0.1", run.osc_port + 1))   # a client that sends nothing
            time.sleep(1.0)
            idle.close()
            code = run.wait()
        finally:
            run.terminate()
    assert code == 0, run.stderr
    stats = run.stats()
    osc = stats["osc"]
    assert osc["counts"]["refused"] >= 4 and osc["counts"]["packets"] >= 4, osc
    assert sum(osc["refused"].values()) == osc["counts"]["refused"], osc
    assert {"element", "align", "control"} <= set(osc["refused"]), osc["refused"]
    assert osc["oscquery"]["connections"] >= 2 and osc["oscquery"]["answered"] >= 1, osc["oscquery"]
    assert "frozen_s_max" in stats and "black_s_max" in stats
    assert stats["frozen_s_max"] < 2.0 and stats["black_s_max"] < 1.0, stats
    assert stats["pacing"] == "clock"   # the rig passes --no-vsync (vj.live.pacing)


def test_frame_times_are_summed_up_per_window_for_a_long_show():
    """A soak reads frame-time drift from --stats: one row per WINDOW_S seconds of frames."""
    from vj.live.stats import WINDOW_S, FrameStats

    s = FrameStats(period=1 / 30)
    n = int(2.5 * WINDOW_S * 30)
    for i in range(n):
        s.frame(1 / 30 if i < n // 2 else 2 / 30, 0.005)   # the second half runs at half the rate
    rows = s.summary()["frame_time_windows"]["rows"]
    assert len(rows) == 3, rows                            # 2.5 windows of frames at 30 fps, then 1.25 more at 15
    assert rows[0][1] in (300, 301) and abs(rows[0][2] - 33.33) < 0.01 and rows[0][5] == 5.0
    assert abs(rows[-1][2] - 66.67) < 0.01 and rows[-1][0] >= 3 * WINDOW_S
    assert s.summary()["frame_time_ms"]["max"] > 66


def test_frame_stats_keep_constant_memory_and_true_percentiles():
    """An hour at 60 fps costs what a minute does (issue 14's soak: per-frame arrays grew 0.1 MB a minute),
    and the percentiles stay within a quarter of a percent of the exact ones."""
    import sys
    import numpy as np
    from vj.live.stats import FrameStats

    def size(s: FrameStats) -> int:  # the histograms, and every buffer the dataclass holds (its window's too)
        from array import array
        from dataclasses import fields
        parts = [s.intervals, s.render, *s.steps.values()]
        buffers = [getattr(s, f.name) for f in fields(s)]
        return (sum(sys.getsizeof(p.counts) + sys.getsizeof(p.recent) for p in parts)
                + sum(sys.getsizeof(b) for b in buffers if isinstance(b, array)))

    rng = np.random.default_rng(3)
    s = FrameStats(period=1 / 60)
    xs = rng.lognormal(np.log(1 / 60), 0.3, 60 * 60 * 60)
    for i, x in enumerate(xs[:3600]):
        s.frame(float(x), 0.004)
    minute = size(s)
    for x in xs[3600:]:
        s.frame(float(x), 0.004)
    assert size(s) <= minute + 4096                       # the window buffer breathes; nothing else grows
    got = s.summary()["frame_time_ms"]
    for q in (50, 95, 99):
        exact = float(np.percentile(xs, q)) * 1000
        assert abs(got[f"p{q}"] - exact) < 0.0026 * exact, (q, got, exact)
    assert got["max"] == xs.max() * 1000
    # the render scale: the one the second half spent most frames at
    s.scales[:] = [(0, 1.0), (1000, 0.5), (len(xs) * 3 // 4, 0.75)]
    assert s.summary()["render_scale_settled"] == 0.5 and s.summary()["render_scale"] == 0.75


def test_late_frames_say_whether_they_took_too_long_or_started_late_and_the_worst_are_kept():
    """--stats tells a frame that cost too much (the show's own work, or cores taken from it during that work)
    from one that started late (woken late from its pacing wait), and keeps the LATE_KEPT longest with
    where their time went, in show order."""
    from vj.live.stats import LATE_KEPT, FrameStats

    s = FrameStats(period=1 / 60)
    for i in range(600):
        s.steps["tick+draw"].append(0.004 + i * 1e-6)
        if i % 20 == 10:       # too long to make: 40 ms of work (process CPU 45 ms)
            s.frame(0.040 + i * 1e-6, 0.040, 0.045)
        elif i % 20 == 15:     # made in 5 ms, but the frame thread woke 30 ms late
            s.frame(0.035, 0.005, 0.006)
        else:
            s.frame(1 / 60, 0.005, 0.006)
    out = s.summary()
    assert (out["late_frames"], out["late_work"], out["late_start"]) == (60, 30, 30)
    rows, cols = out["worst_late_frames"]["rows"], out["worst_late_frames"]["columns"]
    assert len(rows) == LATE_KEPT and [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert all(r[cols.index("work_ms")] == 40.0 and r[cols.index("process_cpu_ms")] == 45.0 for r in rows)
    assert min(r[cols.index("interval_ms")] for r in rows) >= 40.0   # the longest: every one of the 40 ms frames
    assert rows[-1][cols.index("interval_ms")] == round(1e3 * (0.040 + 590e-6), 1)    # the last, the longest
    assert rows[0][cols.index("tick+draw_ms")] > 4.0
