"""The demo bank (`vj bank demo`): the project's own clips, rendered by :mod:`vj.demo` into
``banks/demo`` with previews and looks, and rendered again only when the renderer or its parameters change.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import BANKS
from ..errors import Problem, VjError
from ..fileio import atomic_write
from ..probe import ProbeCache, ProbeError
from ..progress import ProgressFn, report
from .locate import slug, unique_id
from .model import BANK_FILE, CACHE_FILE, FORMAT, STATE_DIR, Bank
from .read import load_bank, measure_looks
from .write import HEADER, Entry, file_text, write_preview


DEMO_NAME = "demo"
DEMO_STAMP = "demo.json"
#: seconds of each demo clip: the demo setlist's longest slot (4 bars at 96 BPM = 10 s) and a margin for a
#: tracker reading 95 BPM, so the demo never warns about its own clips being short
DEMO_SECONDS = 10.5


def _renderer_hash(render: Callable[..., Any]) -> str:
    """Hash of the renderer's source and its scene shaders, so editing either re-renders the demo bank."""
    from .. import SHADERS

    digest = hashlib.sha1()
    try:
        source = inspect.getsourcefile(render)
        if source:
            digest.update(Path(source).read_bytes())
        for shader in sorted((SHADERS / "scenes").glob("*")):
            digest.update(shader.name.encode())
            digest.update(shader.read_bytes())
    except (TypeError, OSError):
        return ""
    return digest.hexdigest()[:16]


def build_demo_bank(banks_dir: Path = BANKS, *, size: tuple[int, int] = (640, 360), seconds: float = DEMO_SECONDS,
                    fps: int = 30, force: bool = False, progress: ProgressFn | None = None,
                    render: Callable[..., Iterable[Any]] | None = None) -> Bank:
    """Render the project's own demo clips into ``banks_dir/demo`` and return the bank.

    Idempotent: a complete demo bank made with the same parameters (and the same
    renderer source) is loaded, not re-rendered, unless ``force``.  ``render``
    defaults to :func:`vj.demo.scenes.render_demo_clips`.
    """
    if render is None:
        try:
            from ..demo.scenes import render_demo_clips as render  # type: ignore[no-redef]
        except ImportError as exc:
            raise VjError(Problem("vj/demo/scenes.py", f"the demo clip renderer is not available ({exc}).",
                                  fix="update your checkout; `vj bank import` works with your own clips meanwhile.")) from None
    assert render is not None
    dir = Path(banks_dir) / DEMO_NAME
    stamp_path = dir / STATE_DIR / DEMO_STAMP
    params = {"format": FORMAT, "size": [int(size[0]), int(size[1])], "seconds": float(seconds), "fps": int(fps),
              "renderer": _renderer_hash(render)}
    if not force:
        try:
            stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stamp = None
        if stamp == params and (dir / BANK_FILE).is_file():
            try:
                return load_bank(dir)
            except VjError:
                pass  # damaged: render again

    clips_dir = dir / "clips"
    for sub in (clips_dir, dir / STATE_DIR):
        shutil.rmtree(sub, ignore_errors=True)
    (dir / BANK_FILE).unlink(missing_ok=True)
    clips_dir.mkdir(parents=True)
    demo = list(render(clips_dir, size=(int(size[0]), int(size[1])), seconds=float(seconds), fps=int(fps),
                       progress=progress))
    cache = ProbeCache(dir / STATE_DIR / CACHE_FILE)
    taken: set[str] = set()
    entries: list[Entry] = []
    problems: list[Problem] = []
    for i, c in enumerate(demo):
        file = Path(c.file)
        if not file.is_absolute():
            file = clips_dir / file if (clips_dir / file).exists() else dir / file
        report(progress, i, len(demo), f"preview {file.name}")
        try:
            info = cache.get(file)
            cid = unique_id(slug(file.stem), taken)
            write_preview(dir, cid, file, info)
        except ProbeError as exc:
            problems.append(Problem(file, f"the rendered demo clip {exc.reason}",
                                    "run `vj bank demo --force`; if it happens again it is a bug in vj/demo."))
            continue
        entries.append(Entry(cid, file_text(dir, Path(os.path.normpath(file))), prompt=c.prompt,
                             tags=tuple(c.tags), focus=(float(c.focus[0]), float(c.focus[1])),
                             energy=float(c.energy), info=info))
    report(progress, len(demo), len(demo), "")
    cache.save()
    if problems or not entries:
        raise VjError(problems or [Problem(clips_dir, "the demo renderer made no clips.", "this is a bug in vj/demo.")])
    header = HEADER.replace("# Edit freely: `vj bank import` appends new clips and adds a measured focus_track to clips\n"
                            "# that lack one; it never changes a line you wrote.\n",
                            f"# Generated by `vj bank demo` ({size[0]}x{size[1]}, {seconds:g} s, {fps} fps);\n"
                            "# re-rendering (other parameters, --force) rewrites this file.\n")
    atomic_write(dir / BANK_FILE, header + "".join(e.toml() for e in entries))
    bank = measure_looks(load_bank(dir), progress)   # what `vj bank import` measures, cached in .vj/
    atomic_write(stamp_path, json.dumps(params))
    return bank
