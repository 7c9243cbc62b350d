"""Writing files the way vj always does: atomically, and PNGs without an imaging library.

A crash, a full disk or a pulled cable while vj writes leaves the old file or the new one,
never half of one: the bytes go to a temporary name in the same folder, are flushed to the
disk (fsync), and are renamed over the old name; the folder is synced too, so the rename
itself survives a power cut.  bank.toml, MIDI maps, the probe cache, previews, reports and
screenshots are all written through :func:`atomic_write`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

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
