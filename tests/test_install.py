"""vj as a performer installs it: a plain (non-editable) wheel in a fresh venv, run from outside the checkout.

The wheel is built from a copy of the sources (nothing is written into the checkout) and installed
with --no-deps into a venv that borrows the dependencies from the test venv (a .pth line: no
network, and the borrowed folder's own .pth files, such as the editable vj, are not read).  Then
`vj --help`, `vj bank demo` and one rendered frame of the demo bank, and `vj demo` then `vj play` alone (the
demo show set up in the user data folder), all in a temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from media import png_pixels
from servers import xvfb

CHECKOUT = Path(__file__).resolve().parent.parent
#: what the wheel is built from (the rest of the checkout is not needed)
SOURCES = ("pyproject.toml", "setup.py", "README.md", "vj", "shaders", "setlists/demo.toml")

RENDER = """
import sys
from pathlib import Path

import numpy as np

import vj
from vj.fileio import write_png
from vj.gfx.compositor import Compositor
from vj.gfx.context import headless_context
from vj.render.renderer import ShowRenderer
from vj.show.loop import ShowLoop
from vj.show.plan import plan_show

assert Path(vj.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()), vj.__file__
ctx = headless_context()
comp = Compositor(ctx, (96, 54), fps=30)
setlist = Path(sys.argv[1]).with_name("fx.toml")             # the bank in $VJ_HOME/banks, a shipped effect by name
setlist.write_text('[[songs]]\\ntitle = "x"\\nbank = "demo"\\n[[songs.effects]]\\nshader = "Kaleidoscope Turn"\\n')
loop = ShowLoop(plan_show(setlist, require_audio=False))
renderer = ShowRenderer(comp, loop.clips, live=False)
for n in range(3):
    desc = loop.tick(n / 30)
    loop.feedback(renderer.draw(desc))
assert [fx.name for fx in desc.effects] == ["kaleidoscope_turn"] and not renderer.messages, renderer.messages
img = np.frombuffer(comp.read(), np.uint8).reshape(54, 96, 4)[..., :3]
write_png(Path(sys.argv[1]), img)
renderer.close()
print(desc.current_clip)
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("install")
    src = root / "src"
    for name in SOURCES:
        path = CHECKOUT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    r = subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(root / "dist"),
                        str(src)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    (wheel,) = (root / "dist").glob("vj-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "vj-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    r = subprocess.run([*pip, "--python", str(py), "install", "--no-deps", "--no-index", str(wheel)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VJ_HOME")}
    env["VJ_HOME"] = str(root / "home")
    return venv, env


def run(venv: Path, env: dict, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_wheel_is_plain_and_carries_the_shaders(installed):
    venv, env = installed
    site = next((venv / "lib").glob("python*/site-packages"))
    assert (site / "vj" / "shaders" / "zoom.frag").is_file() and (site / "vj" / "shaders" / "scenes" / "tunnel.glsl").is_file()
    assert (site / "vj" / "control" / "maps" / "akai_apc_mini.toml").is_file()
    assert (site / "vj" / "shaders" / "isf" / "Beat Trails.fs").is_file() and (site / "vj" / "shaders" / "isf" / "Beat Trails.vs").is_file()
    assert not list(site.glob("__editable__*vj*")) and not list(site.glob("*.egg-link"))


def test_installed_vj_runs_the_demo_from_outside_the_checkout(installed, tmp_path):
    venv, env = installed
    vj = str(venv / "bin" / "vj")
    r = run(venv, env, tmp_path, vj, "--help")
    assert r.returncode == 0 and "rehearse" in r.stdout and "play" in r.stdout, r.stderr
    import tomllib
    want = tomllib.loads((CHECKOUT / "pyproject.toml").read_text())["project"]["version"]
    r = run(venv, env, tmp_path, vj, "--version")                      # what a bug report names
    assert r.returncode == 0 and r.stdout.strip() == f"vj {want}", (r.stdout, r.stderr)
    r = run(venv, env, tmp_path, vj, "bank", "demo", "--size", "64x36", "--seconds", "0.5", "--fps", "10")
    assert r.returncode == 0, r.stderr
    assert (Path(env["VJ_HOME"]) / "banks" / "demo" / "bank.toml").is_file()   # not in site-packages, not in cwd
    script = tmp_path / "render.py"
    script.write_text(RENDER)
    r = run(venv, env, tmp_path, str(venv / "bin" / "python"), str(script), str(tmp_path / "frame.png"))
    assert r.returncode == 0, r.stderr
    img = png_pixels(tmp_path / "frame.png")
    assert img.shape == (54, 96, 3) and img.mean() > 15 and img.std() > 5   # a demo clip on screen, not black


def test_installed_vj_sets_up_the_demo_show_and_plays_it_alone(installed, tmp_path):
    """A pip-installed vj has no checkout: `vj demo` writes the shipped demo setlist, its tracks and the demo bank
    into the user data folder, and `vj play` alone then plays that setlist (two seconds under Xvfb)."""
    venv, env = installed
    env = {**env, "VJ_HOME": str(tmp_path / "home"), "DISPLAY": ""}
    vj = str(venv / "bin" / "vj")
    setlist = tmp_path / "home" / "setlists" / "demo.toml"
    # before: `vj play` alone said "run `make run` from the vj checkout", which a pip user does not have
    r = run(venv, env, tmp_path, vj, "play", "--duration", "1")
    assert r.returncode == 1 and "not set up yet" in r.stderr and "run `vj demo`" in r.stderr, r.stderr
    # named as from the folder vj ran in (vj.errors.shown): tmp_path here
    assert "vj: home/setlists/demo.toml:" in r.stderr and "vj play SETLIST.toml" in r.stderr, r.stderr
    small = ("--size", "64x36", "--seconds", "0.5", "--fps", "10")
    r = run(venv, env, tmp_path, vj, "demo", *small)
    assert r.returncode == 0 and "no display here" in r.stderr, r.stderr
    shipped = (CHECKOUT / "setlists" / "demo.toml").read_text()
    assert setlist.read_text() == shipped
    assert sorted(p.name for p in (setlist.parent / "audio").iterdir()) == ["demo-140.flac", "demo-96.flac", "demo.flac"]
    # a demo setlist as an older vj wrote it, unedited, becomes this vj's; an edited one is the performer's
    import hashlib
    stamp = setlist.parent / ".demo.toml.shipped"
    setlist.write_text("# an older vj's demo\n")
    stamp.write_text(hashlib.sha256(b"# an older vj's demo\n").hexdigest())
    r = run(venv, env, tmp_path, vj, "demo", "--no-play", *small)
    assert r.returncode == 0 and setlist.read_text() == shipped and "updated the demo setlist" in r.stderr, r.stderr
    setlist.write_text(shipped + "# mine\n")
    r = run(venv, env, tmp_path, vj, "demo", "--no-play", *small)
    assert r.returncode == 0 and setlist.read_text().endswith("# mine\n"), r.stderr   # kept, not rewritten
    assert "kept your edited demo setlist" in r.stderr, r.stderr
    with xvfb("1280x800x24") as display:
        r = run(venv, {**env, "DISPLAY": display}, tmp_path, vj, "play", "--duration", "2", "--mute", "--stats")
    assert r.returncode == 0, r.stderr
    # the demo setlist's first track, from the data folder (no sound card here: followed through the file source)
    assert f"playing {setlist.parent / 'audio' / 'demo.flac'}" in r.stderr, r.stderr
    assert re.search(r"vj: played [1-9]\d* frames", r.stdout), r.stdout
