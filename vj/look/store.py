"""The look cache: ``.vj/looks.json`` in a bank, one measured :class:`ClipLook` per clip file and range.

Derived data, like the probe cache: valid while the file's size and modification time match and the
in/out points are those measured; safe to delete (the next import, or the next show that needs it,
measures again).  Written atomically.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

from ..fileio import StampedCache
from .descriptor import ClipLook

FILE = "looks.json"
FORMAT = 1


def _key(file: Path, in_point: float, out_point: float | None) -> str:
    return f"{file}|{in_point:g}|{'' if out_point is None else f'{out_point:g}'}"


class LookCache(StampedCache):
    """``looks.json`` of one bank's ``.vj`` folder."""

    FORMAT = FORMAT

    def get(self, file: Path, in_point: float = 0.0, out_point: float | None = None) -> ClipLook | None:
        """The cached look if it is still the file's, else None."""
        try:
            st = os.stat(file)
        except OSError:
            return None
        entry = self.fresh(_key(file, in_point, out_point), st)
        if entry is None:
            return None
        try:
            raw = entry["look"]
            return ClipLook(times=tuple(raw["times"]), grids=tuple(tuple(g) for g in raw["grids"]),
                            motion=raw["motion"], frame_diff=raw["frame_diff"], loop_diff=raw["loop_diff"])
        except (KeyError, TypeError):
            return None

    def put(self, file: Path, look: ClipLook, in_point: float = 0.0, out_point: float | None = None) -> None:
        try:
            st = os.stat(file)
        except OSError:
            return
        self.store(_key(file, in_point, out_point), st.st_size, st.st_mtime_ns, look=asdict(look))
