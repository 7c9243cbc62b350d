"""Clip switching under live conditions: 200 random cued switches at 60 Hz.

The live show loop and renderer (ShowRenderer, live=True: it never waits for a decoder) run on
a headless EGL context, paced at 60 Hz by a monotonic clock, on a perfect 240 BPM
beat grid with one-beat flights, so a cue lands every 0.25 s.  Each switch is cued
to a random clip a beat before its flight, so pre-roll has one beat to open, seek
and upload the clip.  Reported per clip size:
  dropped   frames missed against the 60 Hz deadline (an interval of 3 periods = 2)
  stall     frames the incoming clip was drawn without a picture (goal: 0)
  p99       frame interval, ms
The output is small (640x360) so llvmpipe's rasterising does not hide the cost being
measured: opening, seeking, decoding and uploading 720p and 1080p H.264 clips.
"""

from __future__ import annotations

import random
import sys
import time

from common import CACHE, machine, table, test_clip

import numpy as np

from vj.audio.snapshot import AudioSnapshot, BeatState
from vj.bank import import_bank, load_bank
from vj.engine import Cue, ShowRules
from vj.gfx.compositor import Compositor
from vj.gfx.context import gl_info, headless_context
from vj.live.stats import FrameStats
from vj.render.renderer import ShowRenderer
from vj.show.loop import ShowLoop
from vj.show.plan import SongPlan

BPM = 240.0


def grid(t: float) -> BeatState:
    period = 60.0 / BPM
    k = int(t // period)
    return BeatState(bpm=BPM, confidence=1.0, beat_count=k, last_beat=k * period, next_beat=(k + 1) * period,
                     bar_beat=k % 4, source="bench")


class GridListener:
    """The show loop's analysis stage on a perfect grid (the beat is not what is measured here)."""

    sample_rate = 1000

    def __init__(self):
        self.samples = 0

    def process(self, block) -> None:
        self.samples += len(block)

    def snapshot(self) -> AudioSnapshot:
        t = self.samples / self.sample_rate
        return AudioSnapshot(time=t, beat=grid(t))


def bank_of(size: tuple[int, int], n: int = 6):
    src = CACHE / f"switch-src-{size[0]}x{size[1]}"
    src.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        link = src / f"c{i}.mp4"
        if not link.exists():
            link.symlink_to(test_clip(size, seconds=4.0, name=f"sw-{size[0]}x{size[1]}-{i}.mp4", seed=10 + i))
    banks = CACHE / "banks"
    name = f"switch{size[1]}"
    if not (banks / name / "bank.toml").exists():
        import_bank(src, name, banks_dir=banks)
    return load_bank(name, banks_dir=banks)


def run(size: tuple[int, int], switches: int, out=(640, 360), fps: float = 60.0) -> list:
    bank = bank_of(size)
    ctx = headless_context()
    comp = Compositor(ctx, out, fps=fps)
    rules = ShowRules(switch_bars=64, transition_beats=1.0, pulse=0.0)
    loop = ShowLoop([SongPlan(bank.name, bank, None, rules, tempo_hint=BPM)], analyzer=GridListener())
    renderer = ShowRenderer(comp, loop.clips, live=True)
    stats = FrameStats(period=1.0 / fps)
    rng = random.Random(7)
    ids = [c.id for c in bank.clips]
    period = 1.0 / fps
    start = time.monotonic()
    deadline = start
    last = None
    next_cue = 0.5
    cued = 0
    current = None
    while renderer.sources.stats.switches <= switches and time.monotonic() - start < switches * 0.6 + 20:
        now = time.monotonic()
        t = now - start
        events = []
        if t >= next_cue and cued < switches:
            choices = [c for c in ids if c != current]
            events.append(Cue(rng.choice(choices), switch=True))
            cued += 1
            next_cue += 2 * 60.0 / BPM
        r0 = time.monotonic()
        heard = np.zeros(max(0, int(t * GridListener.sample_rate) - loop.samples_heard), np.float32)
        desc = loop.tick(t, heard, events)
        loop.feedback(renderer.draw(desc))
        comp.read()  # finish the GL work, as a window flip would
        current = desc.current_clip
        done = time.monotonic()
        stats.frame(None if last is None else done - last, done - r0)
        last = done
        deadline += period
        delay = deadline - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        elif delay < -period:
            deadline = time.monotonic()
    src = renderer.sources.stats
    renderer.close()
    comp.release()
    ctx.release()
    s = stats.summary()
    stalls = src.stalls[1:]
    return [f"{size[0]}x{size[1]}", len(stalls), s["frames"], s["dropped_frames"], s["late_frames"],
            sum(1 for x in stalls if x > 0), max(stalls) if stalls else 0, src.preroll_hits, src.cold_starts,
            f"{s['frame_time_ms']['p50']:.1f}", f"{s['frame_time_ms']['p99']:.1f}",
            f"{stats.render.mean() * 1000:.1f}"]


def main(switches: int = 200) -> str:
    rows = [run((1280, 720), switches), run((1920, 1080), switches)]
    ctx = headless_context()
    info = gl_info(ctx)
    ctx.release()
    return (f"Random cued switches at 60 Hz, output 640x360 (machine: {machine()}; GL: {info})\n\n"
            + table(["clips", "switches", "frames", "dropped", "late", "stalled switches", "worst stall (frames)",
                     "pre-rolled", "cold", "p50 ms", "p99 ms", "mean render ms"], rows))


if __name__ == "__main__":
    print(main(*(int(a) for a in sys.argv[1:])))
