"""Real servers for tests: a virtual X screen (Xvfb).  Started and stopped by the tests, loopback only."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from contextlib import contextmanager

#: seconds Xvfb may take to come up (it can be slow on a loaded machine)
START_TIMEOUT = 20.0


@contextmanager
def xvfb(size: str = "1280x720x24", screens: int = 1):
    """Start Xvfb on a free display number and set DISPLAY; kill it by pid afterwards.

    Xvfb chooses the display number itself (``-displayfd``): it takes the first number whose lock
    file it can create, atomically, and writes it to a pipe.  Looking for a free number first and
    then starting the server would race with another test run doing the same.

    ``screens`` > 1 gives that many monitors side by side (Xinerama), like a laptop plus a projector.
    """
    exe = shutil.which("Xvfb")
    if exe is None:
        raise RuntimeError("Xvfb is not installed: run `make setup` (apt-get install xvfb)")
    screen_args = [a for i in range(screens) for a in ("-screen", str(i), size)]
    if screens > 1:
        screen_args.append("+xinerama")
    read_fd, write_fd = os.pipe()
    try:
        proc = subprocess.Popen([exe, "-displayfd", str(write_fd), *screen_args, "-nolisten", "tcp", "-noreset"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write_fd,))
    finally:
        os.close(write_fd)
    try:
        number = _read_display(read_fd, proc)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        os.close(read_fd)
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
            proc.wait()


def _read_display(fd: int, proc: subprocess.Popen) -> int:
    """The display number Xvfb writes (then a newline) once it accepts connections."""
    deadline = time.monotonic() + START_TIMEOUT
    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            raise RuntimeError("Xvfb did not start" + (f" (exit code {proc.returncode})" if proc.poll() is not None
                                                       else f" within {START_TIMEOUT:g} s"))
        ready, _, _ = select.select([fd], [], [], min(left, 0.2))
        if ready:
            chunk = os.read(fd, 64)
            if not chunk:   # the pipe closed without a number: Xvfb gave up
                raise RuntimeError(f"Xvfb did not start (exit code {proc.wait()})")
            data += chunk
    return int(data.strip())
