"""`vj isf check DIR` as a performer runs it, and the files this project ships under shaders/isf/."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vj.gfx.context import headless_context
from vj.isf import IsfAudio, load_isf
from vj.isf.check import check_picture
from vj.isf.images import load_picture, read_picture, texture_from_picture

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "shaders" / "isf"
VIDVOX = Path(__file__).parent / "data" / "isf" / "vidvox"


def vj(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vj", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_check_rows_summary_and_exit_code(tmp_path):
    for name in ("Zoom.fs", "Bloom.fs", "Bloom.vs"):
        shutil.copy(VIDVOX / name, tmp_path / name)
    shutil.copy(SHIPPED / "Slice Wipe.fs", tmp_path / "Slice Wipe.fs")
    (tmp_path / "broken.fs").write_text('/*{\n"INPUTS": []\n}*/\nvoid main() {\n  gl_FragColor = vec4(nope);\n}\n')
    (tmp_path / "notisf.fs").write_text("void main() {}\n")
    shots = tmp_path / "shots"
    r = vj("isf", "check", str(tmp_path), "--frames", "2", "--save", str(shots))
    assert r.returncode == 0, r.stderr  # bad shaders are rows, not a failed command
    rows = {line.split()[0]: line for line in r.stdout.splitlines()[1:]}
    assert set(rows) == {"Bloom.fs", "broken.fs", "notisf.fs", "Slice", "Zoom.fs"}
    assert " filter " in rows["Zoom.fs"] and " ok " in rows["Zoom.fs"]
    assert " transition " in rows["Slice"] and " ok " in rows["Slice"]
    assert " failed " in rows["broken.fs"] and "broken.fs:5: GLSL compile error" in rows["broken.fs"]
    assert "nope" in rows["broken.fs"]
    assert " failed " in rows["notisf.fs"] and "ISF header" in rows["notisf.fs"]
    ms = float(rows["Zoom.fs"].split()[3])
    assert ms > 0
    assert "3 of 5 files ok (60.0%), 2 failed" in r.stderr
    # the last frame of each good file, to look at
    assert sorted(p.name for p in shots.iterdir()) == ["Bloom.png", "Slice Wipe.png", "Zoom.png"]
    assert load_picture(shots / "Zoom.png").shape == (360, 640, 4)


def test_check_of_a_missing_folder_is_an_error(tmp_path):
    r = vj("isf", "check", str(tmp_path / "nothere"))
    assert r.returncode == 1 and "no such file or folder" in r.stderr


# ------------------------------------------------------------------ the shipped effects
@pytest.fixture(scope="module")
def ctx():
    c = headless_context()
    yield c
    c.release()


SIZE = (160, 90)


def test_shipped_files_all_pass_check(ctx):
    from vj.isf.check import check_files, find_files
    rows = list(check_files(ctx, find_files([SHIPPED]), SIZE, frames=2))
    assert len(rows) >= 4 and all(r.ok for r in rows), [r.why for r in rows if not r.ok]
    kinds = {r.path.stem: r.kind for r in rows}
    assert kinds["Slice Wipe"] == "transition" and kinds["Beat Trails"] == "filter"


def moving(ctx, frame: int):
    return texture_from_picture(ctx, np.roll(check_picture(SIZE, 0), frame * 4, axis=1))


def test_beat_trails_leave_trails_on_beats_only(ctx):
    def run(beats: bool) -> np.ndarray:
        s = load_isf(ctx, SHIPPED / "Beat Trails.fs", SIZE)
        for f in range(30):
            t = f / 30
            tex = moving(ctx, f)
            env = math.exp(-(t % 0.5) / 0.08) if beats else 0.0
            out = read_picture(s.apply(tex, t, {"beat": env, "smear": 0.0}))
            tex.release()
        now = check_picture(SIZE, 0)
        s.release()
        return np.abs(out[..., :3].astype(int) - np.roll(now, 29 * 4, axis=1)[..., :3]).mean()
    assert run(False) < 0.5          # no beat, no smear: the picture passes through
    assert run(True) > 5.0           # beats stamp echoes that linger


def test_rgb_shift_follows_the_bass(ctx):
    s = load_isf(ctx, SHIPPED / "RGB Shift.fs", SIZE)
    tex = texture_from_picture(ctx, check_picture(SIZE, 0))
    quiet = read_picture(s.apply(tex, 0.0, {"amount": 0.0}))
    bass = np.zeros(64, np.float32)
    bass[:4] = 1.0
    loud = read_picture(s.apply(tex, 0.0, {"amount": 0.0}, IsfAudio(spectrum=bass)))
    treble = np.zeros(64, np.float32)
    treble[40:] = 1.0
    high = read_picture(s.apply(tex, 0.0, {"amount": 0.0}, IsfAudio(spectrum=treble)))
    src = check_picture(SIZE, 0)
    assert np.array_equal(quiet, src)                     # no drive: untouched
    assert np.array_equal(high, src)                      # treble does not drive it
    assert np.abs(loud[..., 0].astype(int) - src[..., 0]).mean() > 3   # red moved
    assert np.array_equal(loud[..., 1], src[..., 1])      # green stays put
    tex.release()
    s.release()


def test_kaleidoscope_is_mirror_symmetric(ctx):
    size = (90, 90)
    s = load_isf(ctx, SHIPPED / "Kaleidoscope Turn.fs", size)
    tex = texture_from_picture(ctx, check_picture(size, 0))
    out = read_picture(s.apply(tex, 0.0, {"segments": 4, "speed": 0.0})).astype(int)
    # four mirrors around the centre: the picture is symmetric about both axes
    assert np.abs(out - out[::-1]).mean() < 3 and np.abs(out - out[:, ::-1]).mean() < 3
    assert out[..., :3].std() > 10
    tex.release()
    s.release()


def test_slice_wipe_starts_and_lands(ctx):
    s = load_isf(ctx, SHIPPED / "Slice Wipe.fs", SIZE)
    a, b = check_picture(SIZE, 0), check_picture(SIZE, 1)
    ta, tb = texture_from_picture(ctx, a), texture_from_picture(ctx, b)
    assert np.array_equal(read_picture(s.blend(ta, tb, 0.0, 0.0)), a)
    assert np.array_equal(read_picture(s.blend(ta, tb, 1.0, 0.0)), b)
    # half way: the first (bottom) slice has landed, the last (top) one has not started, the rest slide
    mid = read_picture(s.blend(ta, tb, 0.5, 0.0, {"slices": 6, "stagger": 0.5})).astype(int)
    rows = SIZE[1] // 6
    assert np.array_equal(mid[-rows:], b[-rows:])
    assert np.array_equal(mid[:rows], a[:rows])
    middle = mid[2 * rows:4 * rows]
    assert np.abs(middle - a[2 * rows:4 * rows]).mean() > 10 and np.abs(middle - b[2 * rows:4 * rows]).mean() > 10
    ta.release()
    tb.release()
    s.release()


def test_a_missing_semicolon_points_at_the_line_before_too(tmp_path):
    """Mesa reports a ';' missing at the end of line 12 at line 13, the next word: the fix said "fix the shader at
    that line", and line 13 was right (a performer's walkthrough, an effect of their own)."""
    (tmp_path / "tint.fs").write_text('/*{\n"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]\n}*/\n'
                                      'void main() {\n  vec4 c = IMG_NORM_PIXEL(inputImage, isf_FragNormCoord);\n'
                                      '  c.r = c.r * 0.5\n  gl_FragColor = c;\n}\n')
    r = vj("isf", "check", str(tmp_path / "tint.fs"), "--frames", "2")
    row = r.stdout.splitlines()[1]
    assert "tint.fs:7: GLSL compile error: syntax error" in row, row
    assert "at that line or at the end of line 6 (a syntax error is found at the word after it)" in row, row


def test_save_into_the_shaders_own_folder_is_refused_and_writes_nothing(tmp_path):
    """`vj isf check ~/ISF --save ~/ISF` wrote Logo.png over the picture Logo.fs imports (NAME.png per NAME.fs)."""
    shutil.copy(SHIPPED / "Slice Wipe.fs", tmp_path / "Logo.fs")
    (tmp_path / "Logo.png").write_bytes(b"the performer's own logo")
    r = vj("isf", "check", str(tmp_path), "--frames", "2", "--save", str(tmp_path))
    assert r.returncode == 1 and "shaders' own folder" in r.stderr and "--save isf-shots" in r.stderr, r.stderr
    assert (tmp_path / "Logo.png").read_bytes() == b"the performer's own logo"
    r = vj("isf", "check", str(tmp_path), "--frames", "2", "--save", str(tmp_path / "shots"))
    assert r.returncode == 0 and (tmp_path / "shots" / "Logo.png").is_file(), r.stderr


def test_save_into_a_folder_of_linked_shaders_is_refused_too(tmp_path):
    """~/ISF holding links to a shader collection: the refusal compared --save with the folders the links point
    into, and Logo.png beside the link Logo.fs in ~/ISF was written over."""
    (tmp_path / "collection").mkdir()
    (tmp_path / "isf").mkdir()
    shutil.copy(SHIPPED / "Slice Wipe.fs", tmp_path / "collection" / "Logo.fs")
    (tmp_path / "isf" / "Logo.fs").symlink_to(tmp_path / "collection" / "Logo.fs")
    (tmp_path / "isf" / "Logo.png").write_bytes(b"the performer's own logo")
    r = vj("isf", "check", str(tmp_path / "isf"), "--frames", "2", "--save", str(tmp_path / "isf"))
    assert r.returncode == 1 and "shaders' own folder" in r.stderr, r.stderr
    assert (tmp_path / "isf" / "Logo.png").read_bytes() == b"the performer's own logo"
