"""The keys bank.toml may hold: one :class:`~vj.tomlloc.Field` row each for a [[clips]] table, [bank] and
the file's root, read table-driven by :mod:`vj.bank.read` (add a row to grow the format).
"""

from __future__ import annotations

from ..engine import LOOP_MODES
from ..engine.framing import FITS
from ..focus import store as focus_store
from ..tomlloc import REQUIRED, Field, choice_check, range_check
from .model import FORMAT, ID_RE


def _id_check(v: str) -> str | None:
    return None if ID_RE.match(v) else f"'{v}' is not a valid id."


def _focus_check(v: tuple[float, float]) -> str | None:
    if all(0.0 <= c <= 1.0 for c in v):
        return None
    return f"focus [{v[0]:g}, {v[1]:g}] is outside 0..1."


_FOCUS_FIX = "write focus = [x, y] with x and y between 0 and 1 (0, 0 = top-left, 0.5, 0.5 = centre)."

#: The keys of one [[clips]] table.  Add a row to grow the format.
CLIP_FIELDS: tuple[Field, ...] = (
    Field("id", str, None, check=_id_check,
          fix="use letters, digits, '_', '-' or '.', unique in the bank (it names the preview and setlist cues)."),
    Field("file", str, REQUIRED, fix="give the video's path, relative to the bank folder or absolute.",
          aliases=("path", "video", "filename")),
    Field("prompt", str, "", fix='write prompt = "text".', aliases=("description", "text")),
    Field("tags", list, (), item=str, fix='write tags = ["tag", "other"].'),
    Field("in", float, 0.0, check=range_check(0.0, None), fix="in is the start in seconds, 0 or more.",
          aliases=("in_point", "inpoint", "start")),
    Field("out", float, None, check=range_check(0.0, None, lo_open=True),
          fix="out is the end in seconds, after 'in'; remove it to play to the end.",
          aliases=("out_point", "outpoint", "end", "stop")),
    Field("loop", str, "auto", check=choice_check(LOOP_MODES), fix=f"use one of: {', '.join(LOOP_MODES)}.",
          aliases=("mode", "loop_mode", "playback")),
    Field("focus", list, (0.5, 0.5), item=float, length=2, check=_focus_check, fix=_FOCUS_FIX,
          aliases=("focus_point", "center", "centre", "zoom")),
    Field("energy", float, 0.5, check=range_check(0.0, 1.0), fix="energy is a number from 0 (calm) to 1 (wild)."),
    Field("fit", str, None, check=choice_check(FITS),
          fix="use fill (crop to the screen's shape), fit (whole picture, black bars) or blur (whole picture over a "
              "blurred copy of itself).", aliases=("framing", "aspect", "scale")),
    focus_store.FIELD,
)
BANK_FIELDS: tuple[Field, ...] = (
    Field("format", int, FORMAT, check=choice_check((FORMAT,)), fix=f"this vj reads format = {FORMAT}."),
    Field("notes", str, "", fix='write notes = "text".'),
    Field("fit", str, "fill", check=choice_check(FITS),
          fix="use fill (crop to the screen's shape), fit (whole picture, black bars) or blur (whole picture over a "
              "blurred copy of itself); a clip's own fit wins.", aliases=("framing", "aspect", "scale")),
)
ROOT_FIELDS: tuple[Field, ...] = (
    Field("bank", dict, {}, fix="write [bank] as a table."),
    Field("clips", list, (), item=dict, fix="write each clip as a [[clips]] table."),
)
