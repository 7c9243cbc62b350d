"""Writing bank.toml: its header and one [[clips]] table per :class:`Entry`, and what an entry is made
from (the clip files under a folder, a prompt left beside a clip, its filmstrip preview in ``.vj/``).
Used by import and by the demo bank; never rewrites a line the VJ wrote (import only appends).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..focus import store as focus_store
from ..focus.track import Key as FocusKey
from ..preview import SPAN, preview_name, write_filmstrip
from ..probe import VIDEO_EXTENSIONS, ProbeInfo
from ..tomlloc import toml_string
from .model import PREVIEW_DIR, STATE_DIR


HEADER = """\
# vj clip bank.  One [[clips]] table per clip; see docs/BANKS.md.
# Edit freely: `vj bank import` appends new clips and adds a measured focus_track to clips
# that lack one; it never changes a line you wrote.
#   file   = video path, relative to this folder or absolute
#   in/out = seconds; loop = "auto" | "loop" | "crossfade" | "pingpong" | "hold"
#   focus  = [x, y] in 0..1 (0, 0 = top-left): where the camera zooms and the next clip emerges;
#            set by hand it always wins over focus_track, which import measures from the motion
#   energy = 0..1
#   fit    = "fill" (crop to the screen's shape) | "fit" (black bars) | "blur" (over a blurred copy);
#            [bank] fit sets every clip's, a clip's own wins
[bank]
format = 1
"""


def _num(x: float) -> str:
    text = repr(float(x))
    return text if ("." in text or "e" in text or "n" in text) else text + ".0"


@dataclass(frozen=True, slots=True)
class Entry:
    """A [[clips]] table to write."""

    id: str
    file: str
    prompt: str = ""
    tags: tuple[str, ...] = ()
    focus: tuple[float, float] | None = None  #: written as a hand-set focus (the demo bank's known ones)
    energy: float = 0.5
    info: ProbeInfo | None = None
    track: tuple[FocusKey, ...] | None = None  #: a measured focus track (None: not measured)

    def toml(self) -> str:
        out = ["", "[[clips]]"]
        if self.info:
            out.append(f"# {self.info.describe()}")
        out += [f"id = {toml_string(self.id)}",
                f"file = {toml_string(self.file)}",
                f"prompt = {toml_string(self.prompt)}",
                f"tags = [{', '.join(toml_string(t) for t in self.tags)}]",
                "in = 0.0"]
        if self.info:
            out.append(f"# out = {self.info.duration:.3f}")
        out.append('loop = "auto"')
        if self.focus is not None:
            out.append(f"focus = [{_num(self.focus[0])}, {_num(self.focus[1])}]")
        if self.track is not None:
            out += focus_store.toml_lines(self.track)
        out.append(f"energy = {_num(self.energy)}")
        return "\n".join(out) + "\n"


def file_text(bank: Path, file: Path) -> str:
    """How bank.toml refers to a file: relative inside the bank folder, absolute elsewhere."""
    try:
        return file.relative_to(bank).as_posix()
    except ValueError:
        return str(file)


def scan_videos(src: Path) -> list[Path]:
    """Video files under ``src`` (recursive, sorted, hidden folders skipped)."""
    found = []
    for root, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and f.lower().endswith(VIDEO_EXTENSIONS):
                found.append(Path(root) / f)
    return found


def sidecar_prompt(file: Path) -> str:
    """Generators often leave the prompt beside the clip as ``STEM.txt``."""
    try:
        return file.with_suffix(".txt").read_text(encoding="utf-8").strip()[:2000]
    except (OSError, UnicodeDecodeError):
        return ""


def write_preview(dir: Path, cid: str, file: Path, info: ProbeInfo, fit: str = "fill") -> Path:
    """The clip's filmstrip as its ``fit`` (the clip's own, else the bank's) frames it on a 16:9 screen, under
    the name that framing gives it (:func:`~vj.preview.preview_name`)."""
    return write_filmstrip(file, dir / STATE_DIR / PREVIEW_DIR / preview_name(cid, fit, info.aspect),
                           span=min(SPAN, info.duration), fit=fit, aspect=info.aspect)
