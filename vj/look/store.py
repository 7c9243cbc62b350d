"""The look cache: ``.vj/looks.json`` in a bank, one measured :class:`ClipLook` per clip file and range.

Derived data, like the probe cache: valid while the file's size and modification time match and the
in/out points are those measured; safe to delete (the next import, or the next show that needs it,
measures again).  Written atomically.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..fileio import atomic_write
from .descriptor import ClipLook

FILE = "looks.json"
FORMAT = 1


def _key(file: Path, in_point: float, out_point: float | None) -> str:
    return f"{file}|{in_point:g}|{'' if out_point is None else f'{out_point:g}'}"


class LookCache:
    """``looks.json`` of one bank's ``.vj`` folder."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("clips"), dict):
                self.entries = data["clips"]
        except (OSError, ValueError, AttributeError):
            pass  # none or unreadable: measured again when needed

    def get(self, file: Path, in_point: float = 0.0, out_point: float | None = None) -> ClipLook | None:
        """The cached look if it is still the file's, else None."""
        entry = self.entries.get(_key(file, in_point, out_point))
        try:
            st = os.stat(file)
        except OSError:
            return None
        if not entry or entry.get("size") != st.st_size or entry.get("mtime_ns") != st.st_mtime_ns:
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
        self.entries[_key(file, in_point, out_point)] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns,
                                                         "look": asdict(look)}
        self.dirty = True

    def save(self) -> None:
        """Write atomically if anything changed; a read-only bank just stays unmeasured."""
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"format": FORMAT, "clips": self.entries}, separators=(",", ":")))
            self.dirty = False
        except OSError:
            pass
