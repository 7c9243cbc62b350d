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


def test_a_stamped_cache_entry_holds_only_while_its_file_is_unchanged(tmp_path):
    """The probe and look caches' one shape: an entry is the file's only for the size and
    modification time it was stored with; a saved cache reads back; another format, or a
    damaged file, reads as empty (everything is measured again), never as an error."""
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"x" * 10)
    st = clip.stat()
    cache = fileio.StampedCache(tmp_path / ".vj" / "c.json")
    assert cache.fresh(str(clip), st) is None
    cache.store(str(clip), st.st_size, st.st_mtime_ns, look=[1, 2])
    cache.store("gone", 1, 1, look=[])
    cache.prune({str(clip)})
    cache.save()
    again = fileio.StampedCache(tmp_path / ".vj" / "c.json")
    assert list(again.entries) == [str(clip)] and again.fresh(str(clip), st)["look"] == [1, 2]
    clip.write_bytes(b"y" * 10)                          # same size, a new modification time
    os.utime(clip, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert again.fresh(str(clip), clip.stat()) is None
    clip.write_bytes(b"y" * 11)
    os.utime(clip, ns=(st.st_atime_ns, st.st_mtime_ns))  # the old time, another size
    assert again.fresh(str(clip), clip.stat()) is None

    class Other(fileio.StampedCache):
        FORMAT = 2
    assert Other(tmp_path / ".vj" / "c.json").entries == {}
    (tmp_path / ".vj" / "c.json").write_text("{not json")
    assert fileio.StampedCache(tmp_path / ".vj" / "c.json").entries == {}
    assert fileio.stamp(tmp_path / "nothing") is None and fileio.stamp(clip) == (st.st_mtime_ns, 11)


def test_the_look_cache_gives_back_a_measured_look_until_the_clip_changes(tmp_path):
    from vj.look.descriptor import ClipLook
    from vj.look.store import LookCache

    clip = tmp_path / "a.mp4"
    clip.write_bytes(b"x")
    look = ClipLook(times=(0.0, 1.0), grids=((0.1, 0.2), (0.3, 0.4)), motion=0.5, frame_diff=2.0, loop_diff=9.0)
    cache = LookCache(tmp_path / "looks.json")
    cache.put(clip, look, 0.0, 4.0)
    cache.save()
    again = LookCache(tmp_path / "looks.json")
    assert again.get(clip, 0.0, 4.0) == look
    assert again.get(clip, 0.0, None) is None            # another range is another measurement
    clip.write_bytes(b"xy")
    assert again.get(clip, 0.0, 4.0) is None
