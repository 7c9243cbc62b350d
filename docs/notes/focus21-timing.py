"""Round focus21: bench/focus.py's timing alone (no corpus scored): the focus estimate at REV and now, interleaved,
on a push-in, a slow push-in and a still shot at 720p and 1080p, and a whole import per clip.
Run from the repo root: .venv/bin/python docs/notes/focus21-timing.py REV"""
import sys
sys.path.insert(0, "bench")
import focus as B
from common import machine, table

rev = sys.argv[1]
print(f"# Focus timing ({machine()})\n")
print(table(["clip (4.0 s, 30 fps)", "motion", f"focus CPU: {rev}", "focus CPU: now", "ratio", f"wall: {rev}", "wall: now"],
            B.timing_before(rev)))
one, par = B.timing()
print()
print(table(["clip", "length", "focus: CPU", "focus: wall", "import (probe, filmstrip, focus): CPU", "import: wall"], one))
print()
print(table(["import of 720p clips", "clips", "wall", "wall per clip", "CPU", "speed-up"], par))
