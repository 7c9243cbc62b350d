"""Continuity at the switch: order "flow" against "shuffle" (and bank order), same bank, same track.

    python bench/flow.py

The show loop (analysis, setlist rules, engine: what `vj rehearse` and `vj play` run; no pixels
needed, the engine measures each flight's continuity as it begins) plays a track over a bank three
times, once per order.  Each flight's continuity distance (vj.look.descriptor.distance: the picture
around A's focus when the flight begins against B's opening about its focus) is averaged.  Banks:
the demo bank (9 rendered scenes) and a bank of real photos and video frames moved by a virtual
camera (bench/focus_corpus.py, both splits: nothing in vj.look was tuned on it).  The energy term
pulls the other way (it picks by the music, not the picture), so the gain is not free.
"""

from __future__ import annotations

import shutil
import statistics
import sys
from dataclasses import replace
from pathlib import Path

from common import CACHE, ROOT, machine, table

import focus_corpus as fc

from vj.audio import ANALYSIS_RATE
from vj.audio.file_source import load_audio
from vj.bank import build_demo_bank, import_bank, load_bank, measure_looks
from vj.engine import ShowRules
from vj.setlist import Song
from vj.show.loop import ShowLoop
from vj.show.plan import SongPlan

FPS = 30


def corpus_bank() -> Path:
    src = CACHE / "flow-src"
    banks = CACHE / "flow-banks"
    if not (banks / "corpus" / "bank.toml").exists():
        shutil.rmtree(src, ignore_errors=True)
        src.mkdir(parents=True)
        for item in fc.ITEMS:
            if item.forward:
                (src / f"{item.name}.mp4").symlink_to(fc.make(item, CACHE / "focus-corpus"))
        import_bank(src, "corpus", banks_dir=banks)
    return banks


def run(bank, track, order: str, switch_bars: int) -> list[tuple[str, str, float]]:
    ids = [c.id for c in bank.clips]
    song = Song("bench", str(bank.path), None, 120.0, order=order if order != "flow" else "bank")
    plan = SongPlan("bench", bank, None, ShowRules(switch_bars=switch_bars), 120.0, song.clip_order(ids),
                    flow=order == "flow")
    loop = ShowLoop([plan])
    out, cur = [], None
    samples = track.samples
    for n in range(int(track.duration * FPS)):
        t = n / FPS
        fed = loop.samples_heard
        desc = loop.tick(t, samples[fed:max(min(int(round(t * ANALYSIS_RATE)), len(samples)), fed)])
        if desc.report.continuity is not None:
            out.append((desc.current_clip, desc.next_clip, desc.report.continuity))
    return out


def main() -> int:
    print(f"# Continuity at the switch ({machine()})\n")
    track = load_audio(ROOT / "setlists" / "audio" / "demo.flac", ANALYSIS_RATE)
    banks = {"demo": measure_looks(build_demo_bank(CACHE / "flow-demo")),
             "corpus (real pictures)": measure_looks(load_bank("corpus", banks_dir=corpus_bank()))}
    rows = []
    for name, bank in banks.items():
        for bars in (2, 4):
            res = {o: run(bank, track, o, bars) for o in ("flow", "shuffle", "bank")}
            mean = {o: statistics.mean(c for _, _, c in r) for o, r in res.items()}
            distinct = len({b for _, b, _ in res["flow"]})
            rows.append([name, len(bank.clips), bars, len(res["flow"]), f"{mean['flow']:.3f}", f"{mean['shuffle']:.3f}",
                         f"{mean['bank']:.3f}", f"{100 * (1 - mean['flow'] / mean['shuffle']):.0f} %", distinct])
    print(table(["bank", "clips", "switch_bars", "flights", "flow", "shuffle", "bank order", "flow vs shuffle",
                 "clips flow showed"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
