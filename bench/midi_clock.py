"""MIDI clock tempo: per-tick tempo vs vj's robust least-squares fit (vj/control/midi_clock.py).

A 128 BPM clock (24 ticks per beat) whose ticks arrive with Gaussian jitter; optionally a few
late outliers (a busy USB bus), or one stall (a driver or machine that holds the ticks back and hands
them on together).  For each case: the per-tick tempo's range, and the fit's
worst and RMS error once its window is full, over many seeded runs.

    .venv/bin/python bench/midi_clock.py [--runs 50] [--bpm 128]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from vj.control.midi_clock import MidiClockFollower, per_tick_bpm  # noqa: E402


def run(bpm: float, jitter: float, window: int, outliers: float, runs: int, beats: int = 32, stall: float = 0.0):
    naive_lo, naive_hi, worst, sq, n, cost = np.inf, -np.inf, 0.0, 0.0, 0, 0.0
    for seed in range(runs):
        rng = np.random.default_rng(seed)
        k = beats * 24
        t = 1.0 + np.arange(k) * 60.0 / (24 * bpm) + rng.normal(0.0, jitter, k)
        if outliers:
            late = rng.random(k) < outliers
            t[late] += rng.uniform(0.005, 0.020, late.sum())
        if stall:   # once, mid-run: the ticks of `stall` seconds held back and handed on together
            at = t[k // 2]
            held = (t > at) & (t < at + stall)
            t[held] = at + stall
        t = np.maximum.accumulate(t)   # MIDI bytes arrive in order
        naive = per_tick_bpm(t)
        naive_lo, naive_hi = min(naive_lo, naive.min()), max(naive_hi, naive[np.isfinite(naive)].max())
        f = MidiClockFollower(window=window, publish_every=1)
        f.feed(0.9, "start")
        c0 = time.perf_counter()
        for i, ti in enumerate(t):
            r = f.feed(float(ti), "clock")
            if r is not None and i >= window:
                e = r.bpm - bpm
                worst, sq, n = max(worst, abs(e)), sq + e * e, n + 1
        cost += time.perf_counter() - c0
    return naive_lo, naive_hi, worst, (sq / max(n, 1)) ** 0.5, cost / (runs * beats * 24) * 1e6


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=50)
    p.add_argument("--bpm", type=float, default=128.0)
    a = p.parse_args()
    print(f"MIDI clock at {a.bpm:g} BPM, {a.runs} runs of 32 beats each; fit errors once the window is full\n")
    print("| jitter | late outliers | stall | window | per-tick BPM range | fit worst error | fit RMS error | cost per tick |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for jitter, outl, stall in ((0.001, 0.0, 0.0), (0.002, 0.0, 0.0), (0.001, 0.02, 0.0), (0.001, 0.0, 0.1),
                                (0.001, 0.0, 0.2), (0.001, 0.0, 0.4)):
        for window in (48, 96):
            lo, hi, worst, rms, us = run(a.bpm, jitter, window, outl, a.runs, stall=stall)
            print(f"| {jitter * 1000:g} ms | {outl * 100:g}% (5-20 ms) | {stall * 1000:g} ms | {window} | "
                  f"{lo:.0f}..{hi:.0f} | {worst:.3f} BPM | {rms:.3f} BPM | {us:.0f} us |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
