"""Rehearsal speed as a multiple of real time (goal: >= 1x at 1280x720, 30 fps, on two CPU cores).

Renders the same show (a 120 BPM test track, switches every 2 bars so a flythrough is
on screen a quarter of the time) from 720p H.264 clips, at 1280x720 and 1920x1080,
through the real `vj rehearse` path: causal analysis, engine, decode threads,
compositor on EGL, readback, x264 + AAC.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from common import CACHE, machine, table, test_clip

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from vj.bank import import_bank  # noqa: E402
from vj.engine import ShowRules  # noqa: E402
from vj.gfx.context import gl_info, headless_context  # noqa: E402
from vj.render.rehearse import rehearse  # noqa: E402
from vj.show.plan import plan_show  # noqa: E402


def bench_bank(clip_size=(1280, 720)) -> tuple[Path, str]:
    src = CACHE / f"bank-src-{clip_size[0]}x{clip_size[1]}"
    src.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        target = src / f"clip{i}.mp4"
        if not target.exists():
            target.symlink_to(test_clip(clip_size, seconds=6.0, name=f"bank-{clip_size[0]}x{clip_size[1]}-{i}.mp4", seed=i + 1))
    banks = CACHE / "banks"
    name = f"bench{clip_size[1]}"
    if not (banks / name / "bank.toml").exists():
        import_bank(src, name, banks_dir=banks)
    return banks, name


def track(seconds: float = 20.0) -> Path:
    from media import write_track  # the tests' 120 BPM track generator
    path = CACHE / f"track-{seconds:g}.flac"
    if not path.exists():
        write_track(path, seconds)
    return path


def demo_bank() -> tuple[Path, str]:
    from vj.bank import build_demo_bank
    banks = CACHE / "banks"
    build_demo_bank(banks)
    return banks, "demo"


def main(seconds: float = 20.0) -> str:
    audio = track(seconds)
    rows = []
    for label, (banks, name) in (("demo bank, 640x360 clips", demo_bank()), ("720p H.264 clips", bench_bank())):
        for size in ((1280, 720), (1920, 1080)):
            plans = plan_show(name, audio, rules=ShowRules(switch_bars=2), banks_dir=banks)
            with tempfile.TemporaryDirectory() as tmp:
                r = rehearse(plans, Path(tmp) / "show.mp4", size=size, fps=30)
            rows.append([label, f"{size[0]}x{size[1]}", "30", f"{r.duration:.1f}", f"{r.render_seconds:.1f}",
                         f"{r.speed:.2f}x", f"{r.render_seconds / r.frames * 1000:.1f}", len(r.switches)])
    ctx = headless_context()
    info = gl_info(ctx)
    ctx.release()
    return (f"Rehearsal speed (machine: {machine()}; GL: {info})\n\n"
            + table(["clips", "output", "fps", "show s", "render s", "x real time", "ms/frame", "switches"], rows))


if __name__ == "__main__":
    print(main(*(float(a) for a in sys.argv[1:])))
