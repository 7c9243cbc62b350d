"""Real servers for tests: a virtual X screen (Xvfb).  Started and stopped by the tests, loopback only."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def xvfb(size: str = "1280x720x24", screens: int = 1):
    """Start Xvfb on a free display number and set DISPLAY; kill it by pid afterwards.

    ``screens`` > 1 gives that many monitors side by side (Xinerama), like a laptop plus a projector.
    """
    exe = shutil.which("Xvfb")
    if exe is None:
        raise RuntimeError("Xvfb is not installed: run `make setup` (apt-get install xvfb)")
    for number in range(90, 140):
        if not Path(f"/tmp/.X{number}-lock").exists() and not Path(f"/tmp/.X11-unix/X{number}").exists():
            break
    else:
        raise RuntimeError("no free X display number between :90 and :139")
    screen_args = [a for i in range(screens) for a in ("-screen", str(i), size)]
    if screens > 1:
        screen_args.append("+xinerama")
    proc = subprocess.Popen([exe, f":{number}", *screen_args, "-nolisten", "tcp", "-noreset"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not sock.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"Xvfb :{number} did not start")
        time.sleep(0.05)
    old = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = f":{number}"
    try:
        yield f":{number}"
    finally:
        if old is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = old
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
