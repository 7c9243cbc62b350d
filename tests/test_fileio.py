"""vj.fileio: every file vj writes goes through one atomic, fsync'ed path; PNGs without an imaging library."""

from __future__ import annotations

import os

import numpy as np
import pytest

from media import png_pixels
from vj import fileio


def test_atomic_write_syncs_the_file_and_the_folder_and_keeps_a_backup(tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(fileio.os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real(fd)))
    path = tmp_path / "sub" / "map.toml"
    fileio.atomic_write(path, "one\n")
    fileio.atomic_write(path, "two\n", backup=True)
    assert path.read_text() == "two\n" and (tmp_path / "sub" / "map.toml.bak").read_text() == "one\n"
    # each write flushed its temporary file before the rename, then the folder after it
    assert [os.path.basename(p) for p in synced] == [f".map.toml.tmp-{os.getpid()}", "sub"] * 2
    assert sorted(p.name for p in path.parent.iterdir()) == ["map.toml", "map.toml.bak"]


def test_a_failed_write_leaves_the_old_file_and_no_litter(tmp_path, monkeypatch):
    path = tmp_path / "bank.toml"
    path.write_text("mine\n")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        fileio.atomic_write(path, "new\n")
    assert path.read_text() == "mine\n" and [p.name for p in tmp_path.iterdir()] == ["bank.toml"]


def test_png_round_trip(tmp_path):
    rgb = np.zeros((9, 16, 3), np.uint8)
    rgb[..., 0] = np.arange(16, dtype=np.uint8)[None, :] * 16
    rgb[3:6, :, 2] = 200
    assert np.array_equal(png_pixels(fileio.write_png(tmp_path / "x.png", rgb)), rgb)
