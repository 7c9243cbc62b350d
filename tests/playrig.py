"""`vj play` as the audience and a hostile stage see it: the real command in its own process under Xvfb,
its output watched from outside (X grabs), OSC sent over real UDP, its stderr and --stats read back.

Shared by the fault tests (tests/test_faults_*.py) and the fault campaign (bench/faults.py).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pythonosc.osc_message_builder import OscMessageBuilder

from xgrab import OutputWatch

#: the output size the rig plays at (small: a 2-core machine runs it beside the test)
SIZE = (320, 180)
#: the longest frozen stretch a test accepts: on this 2-core machine at load 10 (other test runs beside)
#: a fault-free run froze up to 0.94 s when the scheduler left vj out; the faults froze or blacked out
#: for 4-80 s.  The fault campaign (bench/faults.py) holds its runs to 1 s against a baseline beside them.
FROZEN_BOUND = 2.0
#: the longest black stretch a test accepts (a fault-free run shows none once its first picture is up)
BLACK_BOUND = 1.0


def free_udp_port() -> int:
    """A UDP port nobody listens on now, with the TCP port after it free too (OSCQuery takes port + 1)."""
    for _ in range(50):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            t.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
        finally:
            t.close()
    raise RuntimeError("no free port pair")


def dgram(address: str, *args) -> bytes:
    b = OscMessageBuilder(address)
    for a in args:
        b.add_arg(a)
    return b.build().dgram


@dataclass
class PlayRun:
    """One ``vj play`` process.  ``start()`` launches it; ``wait_window()`` waits until its output shows."""

    display: str
    args: list[str]
    workdir: Path
    size: tuple[int, int] = SIZE
    osc_port: int | None = None
    env: dict = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    watch: OutputWatch | None = None
    started_at: float = 0.0
    window_at: float | None = None      #: when the output first showed a picture
    _err: list[str] = field(default_factory=list)
    _out: list[str] = field(default_factory=list)
    _sock: socket.socket | None = None

    @property
    def stats_path(self) -> Path:
        return self.workdir / "stats.json"

    def start(self, *, osc: bool = True) -> "PlayRun":
        self.workdir.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "vj", "play", *self.args, "--no-vsync", "--fps", "30", "--no-hud",
                "--size", f"{self.size[0]}x{self.size[1]}", "--stats", str(self.stats_path)]
        if "--priority" not in self.args:   # as before real-time play: what these tests measure is not the scheduler
            argv += ["--priority", "normal"]
        if osc:
            self.osc_port = self.osc_port or free_udp_port()
            argv += ["--osc-port", str(self.osc_port)]
        env = dict(os.environ, DISPLAY=self.display, **self.env)
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env, cwd=self.workdir)
        for stream, sink in ((self.proc.stderr, self._err), (self.proc.stdout, self._out)):
            threading.Thread(target=_pump, args=(stream, sink), daemon=True).start()
        # the output is the top-left of the window (the panel, if any, is to its right); the window opens at 0, 0
        self.watch = OutputWatch(self.display, (0, 0, *self.size)).start()
        return self

    def wait_window(self, timeout: float = 60.0) -> float:
        """Seconds from launch until the output showed a picture (not black)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"vj play ended early ({self.proc.returncode}): {self.stderr[-2000:]}")
            for g in list(self.watch.grabs):
                if g.at > self.started_at and g.mean > 8:
                    self.window_at = g.at
                    return g.at - self.started_at
            time.sleep(0.05)
        raise RuntimeError(f"vj play showed no picture within {timeout:g} s: {self.stderr[-2000:]}")

    # -- input --------------------------------------------------------------------------
    def osc(self, address: str, *args) -> None:
        self.send(dgram(address, *args))

    def send(self, data: bytes) -> None:
        if self._sock is None:
            self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self._sock.bind(("127.0.0.1", 0))
        self._sock.sendto(data, ("127.0.0.1", self.osc_port))

    def query(self, timeout: float = 1.0) -> dict:
        """The show's state as vj answers /vj/query/state (name -> value)."""
        from pythonosc.osc_packet import OscPacket
        self.osc("/vj/query/state")
        state: dict = {}
        self._sock.settimeout(0.2)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                data, _ = self._sock.recvfrom(65536)
            except socket.timeout:
                if state:
                    break
                continue
            for tm in OscPacket(data).messages:
                if tm.message.params:
                    state[tm.message.address.rsplit("/", 1)[-1]] = tm.message.params[0]
        return state

    def key(self, key: str) -> None:
        """A real key press on the vj window (XTEST through xdotool)."""
        env = {"DISPLAY": self.display, "PATH": "/usr/bin:/bin"}
        r = subprocess.run(["xdotool", "search", "--name", "^vj$"], capture_output=True, text=True, env=env)
        wid = r.stdout.split()[0] if r.stdout.split() else ""
        if wid:
            subprocess.run(["xdotool", "windowfocus", "--sync", wid], env=env, timeout=5)
            subprocess.run(["xdotool", "key", "--window", wid, key], env=env, timeout=5)

    def answer(self, text: str) -> None:
        """Type a line on vj play's stdin (the resume prompt)."""
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    # -- ending ---------------------------------------------------------------------------
    def wait(self, timeout: float = 120.0) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            self._close()

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._close()

    def terminate(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._close()

    def _close(self) -> None:
        if self.watch is not None:
            self.watch.stop()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        time.sleep(0.2)  # let the pumps read the last lines

    @property
    def stderr(self) -> str:
        return "".join(self._err)

    @property
    def stdout(self) -> str:
        return "".join(self._out)

    def stats(self) -> dict:
        return json.loads(self.stats_path.read_text())

    @property
    def show_end(self) -> float:
        """When the show ended (time.monotonic()): the moment it wrote --stats, before its window closed
        (after that the screen is black, which is no fault); now if it did not write them."""
        try:
            age = time.time() - self.stats_path.stat().st_mtime
        except OSError:
            return time.monotonic()
        return time.monotonic() - age

    def frozen(self) -> float:
        """The longest frozen stretch of the output (s) from its first picture to the end of the show."""
        return self.watch.frozen_s(self.window_at or self.started_at, self.show_end)

    def black(self) -> float:
        """The longest black stretch of the output (s) from its first picture to the end of the show."""
        return self.watch.black_s(self.window_at or self.started_at, self.show_end)

    def rel(self, t: float) -> float:
        """Seconds since launch of a time.monotonic() stamp."""
        return t - self.started_at


def _pump(stream, sink: list[str]) -> None:
    for line in iter(stream.readline, ""):
        sink.append(line)
    stream.close()
