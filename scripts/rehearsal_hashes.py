"""Frame hashes of a rehearsal: the "no behaviour change" check of a refactor.

    python scripts/rehearsal_hashes.py setlists/demo.toml --size 160x90 > before.txt
    (change the code)
    python scripts/rehearsal_hashes.py setlists/demo.toml --size 160x90 > after.txt
    diff before.txt after.txt

Each line is one frame: its index, time, clip on screen and the SHA-1 of its NV12 pixels, so a
difference names the first frame that changed.  The last line hashes the whole list.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("target", help="a setlist .toml")
    ap.add_argument("--size", default="160x90", help="WxH (default 160x90)")
    ap.add_argument("--fps", type=int, default=30)
    args = ap.parse_args(argv)
    w, h = (int(v) for v in args.size.split("x"))
    try:  # the planning module moved out of the renderer; the hashes are comparable across the move
        from vj.show.plan import plan_show  # type: ignore[import-not-found]
    except ImportError:
        from vj.render.rehearse import plan_show  # type: ignore[no-redef]
    from vj.render.rehearse import rehearse

    plans = plan_show(args.target)
    with tempfile.TemporaryDirectory() as tmp:
        result = rehearse(plans, Path(tmp) / "show.mp4", size=(w, h), fps=args.fps, hash_frames=True)
    total = hashlib.sha1()
    for n, (digest, log) in enumerate(zip(result.frame_hashes, result.log)):
        print(f"{n:6d} {log.time:9.4f} {log.clip:<24} {digest}")
        total.update(digest.encode())
    print(f"frames {len(result.frame_hashes)} total {total.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
