"""Loop points: the frame difference where a clip wraps, against the clip's median frame difference.

    python bench/loops.py

Clips without a seamless loop (real photos and video frames moved by a virtual camera, 1.7-4 s, from
bench/focus_corpus.py: flights, pans, still shots with people moving) are played by the real decoder
(vj.video.decoder) for 12 s in each loop mode; the mean absolute luma difference between consecutive
frames is measured, and the jump at a wrap (or a ping-pong's turn) is given as a multiple of the clip's
median (of the frames where the picture changes: sources at a lower frame rate repeat frames).  ~1 is no
jump; a plain loop of a flythrough jumps 5-10x.  "auto" is what `loop = "auto"` picks from the
clip's measured look (vj.look).
"""

from __future__ import annotations

import statistics
import sys

import numpy as np

from common import CACHE, machine, table

import focus_corpus as fc

from vj.bank import played_loop
from vj.engine.clipref import crossfade_window
from vj.look.measure import measure_look
from vj.video.decoder import ClipDecoder, DecodeSpec

ITEMS = ("coffee-drift", "hallway-drift", "milk-zoom", "bottles-pan", "milk-static", "hallway-static",
         "camera-drift", "walk-zoom", "parking-drift", "chelsea-pan", "walk-static", "parking-static")
MODES = ("loop", "crossfade", "pingpong", "auto")


def play(path, mode: str, length: float, seconds: float = 12.0, fps: float = 30.0) -> tuple[list[float], list[bool]]:
    """Frame differences over ``seconds`` of playback, and for each whether a wrap happened there."""
    dec = ClipDecoder(DecodeSpec(path, loop=mode, crossfade=crossfade_window(length), end=length))
    diffs, wraps, prev, step = [], [], None, 1.0 / fps
    try:
        for n in range(int(seconds * fps)):
            f = dec.frame_at(n / fps, wait=True)
            y = f.planes[0][:f.height, :f.width].astype(np.float32)
            if prev is not None:
                diffs.append(float(np.abs(y - prev[0]).mean()))
                d = f.media_time - prev[1]
                # a wrap (the file's time jumps) or a ping-pong's turn (it changes direction)
                wraps.append(abs(abs(d) - step) > 0.5 * step or (d < 0) != (prev[2] < 0))
            prev = (y, f.media_time, f.media_time - prev[1] if prev is not None else step)
    finally:
        dec.close()
    return diffs, wraps


def loop_ratio(path, mode: str, length: float) -> tuple[float, float]:
    """(median frame difference, worst difference at a wrap / median)."""
    diffs, wraps = play(path, mode, length)
    # the median of the steps where the picture changes: a video source at a lower frame rate repeats frames
    # (differences of 0), and a ratio to 0 says nothing
    med = statistics.median([d for d in diffs if d > 0.05] or [0.05])
    at_wrap = [d for d, w in zip(diffs, wraps) if w] or [max(diffs)]
    return med, max(at_wrap) / max(med, 1e-6)


def main() -> int:
    print(f"# Loop points ({machine()})\n")
    rows = []
    by_mode: dict[str, list[float]] = {m: [] for m in MODES}
    for name in ITEMS:
        item = next(i for i in fc.ITEMS if i.name == name)
        path = fc.make(item, CACHE / "focus-corpus")
        look = measure_look(path)
        auto = played_loop("auto", look)
        row = [name, item.group, item.motion, f"{item.seconds:g} s", f"{look.motion * 100:.1f} %/s", auto]
        for mode in MODES:
            med, ratio = loop_ratio(path, auto if mode == "auto" else mode, item.seconds)
            by_mode[mode].append(ratio)
            row.append(f"{ratio:.2f}")
        row.insert(6, f"{med:.1f}")
        rows.append(row)
    print(table(["clip", "set", "motion", "length", "picture speed", "auto plays", "median diff", *(
        f"{m}: jump / median" for m in MODES)], rows))
    print()
    print(table(["mode", "median jump / median", "worst"], [[m, f"{statistics.median(v):.2f}", f"{max(v):.2f}"]
                                                             for m, v in by_mode.items()]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
