"""Writing files the way vj always does: atomically, and PNGs without an imaging library.

A crash, a full disk or a pulled cable while vj writes leaves the old file or the new one,
never half of one: the bytes go to a temporary name in the same folder, are flushed to the
disk (fsync), and are renamed over the old name; the folder is synced too, so the rename
itself survives a power cut.  bank.toml, MIDI maps, the probe cache, previews, reports and
screenshots are all written through :func:`atomic_write`.

Files vj derives from a user's file (the probe and look caches) or watches for edits (setlists,
shaders) know that file by its :func:`stamp`; :class:`StampedCache` is the one shape of such a cache.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np


def temporary_name(path: Path) -> Path:
    """Where to write ``path``'s next version (same folder, hidden, unique to this process)."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def atomic_write(path: Path, data: str | bytes, *, backup: bool = False) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; ``backup`` keeps the previous version as ``path.bak``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with open(tmp, "wb") as f:
            f.write(raw)
        if backup and path.exists():
            shutil.copy2(path, path.with_name(path.name + ".bak"))
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def commit(tmp: Path, path: Path) -> None:
    """Make the finished file ``tmp`` (written by vj or by an encoder) the new ``path``: flush it to the
    disk, rename it over ``path``, and sync the folder so the rename survives a power cut."""
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    try:
        fd = os.open(Path(path).parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:  # some filesystems cannot sync a folder; the file itself is synced
        pass


def stamp(path: str | os.PathLike) -> tuple[int, int] | None:
    """``(mtime_ns, size)`` of a file, None when it cannot be read: what changes when it is saved."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class StampedCache:
    """A JSON file of entries derived from other files (``{"format": N, "clips": {key: entry}}``),
    each valid while its file's size and modification time match those stored with it.

    Derived data only: an unreadable or other-format file is simply empty (everything is measured
    again), and a failed save leaves the cache unsaved (a read-only bank just stays unmeasured).
    """

    #: the ``format`` this cache reads and writes; an entry's layout changing bumps it
    FORMAT = 1
    #: ``json.dumps`` keywords of the saved file
    DUMP: dict[str, Any] = {"separators": (",", ":")}

    def __init__(self, path: Path):
        self.path = Path(path)
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") == self.FORMAT and isinstance(data.get("clips"), dict):
                self.entries = data["clips"]
        except (OSError, ValueError, AttributeError):
            pass

    def fresh(self, key: str, st: os.stat_result) -> dict[str, Any] | None:
        """The entry under ``key`` if it was stored for this size and modification time, else None."""
        entry = self.entries.get(key)
        if not entry or entry.get("size") != st.st_size or entry.get("mtime_ns") != st.st_mtime_ns:
            return None
        return entry

    def store(self, key: str, size: int, mtime_ns: int, **values: Any) -> None:
        """Remember ``values`` for the file version with this size and modification time."""
        self.entries[key] = {"size": size, "mtime_ns": mtime_ns, **values}
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        """Forget the keys not in ``keep``, so the cache does not grow forever."""
        stale = [k for k in self.entries if k not in keep]
        for k in stale:
            del self.entries[k]
        self.dirty |= bool(stale)

    def save(self) -> None:
        """Write atomically if anything changed."""
        if not self.dirty:
            return
        try:
            atomic_write(self.path, json.dumps({"format": self.FORMAT, "clips": self.entries}, **self.DUMP))
            self.dirty = False
        except OSError:
            pass


def encode_png(rgb: np.ndarray) -> bytes:
    """PNG bytes of an RGB uint8 array (height, width, 3), via PyAV's png encoder (no extra dependency)."""
    import av

    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    codec = av.CodecContext.create("png", "w")
    codec.width, codec.height, codec.pix_fmt = rgb.shape[1], rgb.shape[0], "rgb24"
    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
    return b"".join(bytes(p) for p in codec.encode(frame) + codec.encode(None))


def write_png(path: Path, rgb: np.ndarray) -> Path:
    """Write an RGB uint8 array as a PNG, atomically."""
    atomic_write(Path(path), encode_png(rgb))
    return Path(path)
