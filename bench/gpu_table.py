"""The one table bench/gpu.sh prints, from the raw outputs it kept in OUT_DIR.

Each part is read back from what its own program printed (the markdown tables of bench/compositor.py
and bench/switches.py, the --stats JSON of vj play); a part that failed becomes a row that says so.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path


def md_rows(text: str) -> list[dict[str, str]]:
    """The rows of the first markdown table in ``text``, as dicts by header."""
    lines = [ln for ln in text.splitlines() if ln.startswith("|")]
    if len(lines) < 3:
        return []
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    return [dict(zip(head, (c.strip() for c in ln.strip("|").split("|")))) for ln in lines[2:]]


def first_line(path: Path) -> str:
    try:
        lines = [ln for ln in path.read_text().splitlines() if ln.strip()]
    except OSError:
        return "no output"
    return lines[-1][:100] if lines else "no output"


def main(out: Path) -> str:
    rows: list[tuple[str, str, str]] = []
    comp = out / "compositor.txt"
    found = [r for r in md_rows(comp.read_text() if comp.exists() else "")
             if r.get("output") == "1920x1080" and "motion blur" in r.get("case", "")]
    if found:
        r = found[0]
        tail = r.get("p99 ms") or r.get("p95 ms", "?")
        which = "p99" if "p99 ms" in r else "p95"
        rows.append(("compositor 1920x1080, 2 layers + motion blur", f"{r['fps uncapped']} fps uncapped",
                     f"median {r['median ms']} ms, {which} {tail} ms"))
    else:
        rows.append(("compositor 1920x1080, 2 layers + motion blur", "failed", first_line(comp)))
    sw = out / "switches.txt"
    found = md_rows(sw.read_text() if sw.exists() else "")
    for r in found:
        rows.append((f"switches at 60 Hz, {r['clips']} clips",
                     f"{r['dropped']} dropped / {r['frames']} frames",
                     f"{r['switches']} switches, {r['stalled switches']} stalled, p99 {r['p99 ms']} ms"))
    if not found:
        rows.append(("switches at 60 Hz", "failed", first_line(sw)))
    try:
        s = json.loads((out / "play.json").read_text())
        ft = s["frame_time_ms"]
        extra = f", render scale {s['render_scale']}" if "render_scale" in s else ""
        rows.append((f"vj play {os.environ.get('GPU_PLAY_SECONDS', '60')} s, 1920x1080 @ 60 Hz, Xvfb",
                     f"{s['dropped_frames']} dropped / {s['frames']} frames",
                     f"p50 {ft['p50']:.1f} ms, p99 {ft['p99']:.1f} ms, {s['switches']} switches{extra}"))
    except (OSError, ValueError, KeyError):
        rows.append(("vj play under Xvfb", "failed", first_line(out / "play.txt")))
    gl = re.search(r"\(machine: (.*)\)\s*$", comp.read_text() if comp.exists() else "", re.M)
    head = f"GPU check (machine: {gl.group(1)})\n\n" if gl else ""
    w = [max(len(r[i]) for r in rows + [("check", "result", "detail")]) for i in range(3)]
    lines = ["| " + " | ".join(c.ljust(n) for c, n in zip(("check", "result", "detail"), w)) + " |",
             "|" + "|".join("-" * (n + 2) for n in w) + "|"]
    lines += ["| " + " | ".join(c.ljust(n) for c, n in zip(r, w)) + " |" for r in rows]
    return head + "\n".join(lines)


if __name__ == "__main__":
    print(main(Path(sys.argv[1] if len(sys.argv) > 1 else "out/gpu")))
