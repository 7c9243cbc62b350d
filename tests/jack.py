"""A real JACK server (dummy driver, no sound card) and a real JACK player client for tests.

``jack_server()`` starts ``jackd --no-realtime -d dummy`` under the first free name of a small
pool (``vjtest-0`` .. ``vjtest-7``), points ``JACK_DEFAULT_SERVER`` at it for the clients this
process starts, and kills it by pid afterwards, removing the /dev/shm files it left.

Why a pool: JACK keeps a registry of at most 8 servers per machine, and a server killed with
SIGKILL (a crash test) never gives its entry back.  jackd reclaims a dead server's entry only
when a server of the same name starts, so unique names (one per test run) filled the registry
for good ("Too many servers already active"); pooled names reuse their own dead entries.

``Player`` runs this file as a script in a subprocess: a PortAudio output stream on the
JACK host API that plays a (frames, 2) float32 track when told to, and logs when each
block went out.

Never import sounddevice in the test process itself: PortAudio's JACK backend aborts the
process at exit (an assert in Pa_Terminate) once a server it knew has been killed.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

_SETUP = "run `make setup` (apt-get install jackd2)"
#: seconds to wait for a free JACK server slot while other test runs (on this machine) hold them all
BUSY_WAIT = 120.0
_SHM = Path("/dev/shm")
#: server names tried in turn; JACK's registry holds 8 servers per machine
POOL = tuple(f"vjtest-{k}" for k in range(8))


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise RuntimeError(f"{name} is not installed: {_SETUP}")
    return exe


def _jack_files() -> set[str]:
    try:
        return {p.name for p in _SHM.iterdir() if p.name.startswith("jack")}
    except OSError:
        return set()


#: the JACK servers' process names: jackd, and jackdbus (a desktop's JACK: QjackCtl, Cadence, Ardour's session)
SERVERS = frozenset({"jackd", "jackdbus"})


def _other_jackd_running(exclude: set[int]) -> bool:
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) not in exclude:
            try:
                if (proc / "comm").read_text().strip() in SERVERS:
                    return True
            except OSError:
                pass
    return False


class JackServer:
    """One named jackd with the dummy driver; ``start``/``kill`` may be called repeatedly."""

    def __init__(self, name: str, rate: int = 48000, period: int = 256, sync: bool = True):
        self.name, self.rate, self.period, self.sync = name, rate, period, sync
        self.proc: subprocess.Popen | None = None
        self.pids: set[int] = set()
        self.env = dict(os.environ, JACK_DEFAULT_SERVER=name)
        self._log = Path(f"/tmp/vjtest-jackd-{name}-{os.getpid()}.log")

    def start(self, timeout: float = 10.0, busy_wait: float = BUSY_WAIT) -> None:
        """Start the server.  JACK runs at most a few servers per machine; when other test runs hold
        them all ("Too many servers already active"), wait (up to ``busy_wait`` s) for one to end."""
        deadline = time.monotonic() + busy_wait
        while True:
            try:
                return self._start(timeout)
            except RuntimeError as exc:
                if "Too many servers" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(1.0)

    def _answers(self) -> bool:
        r = subprocess.run([_tool("jack_wait"), "-s", self.name, "-c"], capture_output=True, text=True, env=self.env)
        return "running" in r.stdout and "not running" not in r.stdout

    def _start(self, timeout: float) -> None:
        exe = _tool("jackd")
        if self._answers():   # another run's server has this name: jack_wait would take it for ours
            raise RuntimeError(f"`{self.name}' server already active")
        log = self._log.open("wb")
        sync = ["--sync"] if self.sync else []
        self.proc = subprocess.Popen([exe, "-n", self.name, "--no-realtime", *sync, "-d", "dummy",
                                      "-r", str(self.rate), "-p", str(self.period)],
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        log.close()
        self.pids.add(self.proc.pid)
        deadline = time.monotonic() + timeout
        while True:
            if self._answers():
                time.sleep(0.3)   # one started at the same moment by another run exits at once ("already active")
                if self.proc.poll() is None:
                    return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"jackd -n {self.name} did not start: {self._log.read_text(errors='replace')[-800:]}")
            time.sleep(0.05)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Kill the server by pid (SIGKILL: like a crash) and wait for it."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    def log_tail(self, chars: int = 1500) -> str:
        """The end of what jackd printed (why it stopped taking clients, say)."""
        try:
            return self._log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # -- ports -----------------------------------------------------------------------------
    def ports(self) -> list[str]:
        r = subprocess.run([_tool("jack_lsp"), "-s", self.name], capture_output=True, text=True, env=self.env)
        return [line.strip() for line in r.stdout.splitlines() if line.strip()]

    def wait_ports(self, prefix: str, count: int, timeout: float = 5.0) -> list[str]:
        """The ports whose names start with ``prefix`` (e.g. ``"vj:"``), once ``count`` exist."""
        deadline = time.monotonic() + timeout
        while True:
            found = sorted(p for p in self.ports() if p.startswith(prefix))
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def connect(self, src: str, dst: str) -> None:
        r = subprocess.run([_tool("jack_connect"), "-s", self.name, src, dst], capture_output=True, text=True,
                           env=self.env)
        if r.returncode != 0:
            raise RuntimeError(f"jack_connect {src} {dst} failed: {r.stderr.strip() or r.stdout.strip()}")


@contextmanager
def jack_server(rate: int = 48000, period: int = 256, sync: bool = True):
    """Start a uniquely named JACK server (dummy driver); yield it; kill it; clean /dev/shm.

    ``sync`` (jackd --sync): the server waits for every client each cycle, so a client that
    is late on this shared, non-realtime machine delays the cycle instead of losing it.  In
    the default asynchronous mode a late client's period is dropped (a JACK xrun, which
    PortAudio reports as an input overflow)."""
    _tool("jackd")
    before = _jack_files()
    server = _start_pooled(rate, period, sync)
    name = server.name
    old = os.environ.get("JACK_DEFAULT_SERVER")
    os.environ["JACK_DEFAULT_SERVER"] = name
    try:
        yield server
    finally:
        if not server.running and server.pids:   # a test killed it (a crash) and failed before it came back
            try:   # jackd frees its slot in JACK's registry of servers (8 per machine) only when it stops
                server.start(busy_wait=0.0)    # cleanly; one left killed holds it until "Too many servers"
            except RuntimeError:
                pass
        server.kill(signal.SIGTERM)
        if old is None:
            os.environ.pop("JACK_DEFAULT_SERVER", None)
        else:
            os.environ["JACK_DEFAULT_SERVER"] = old
        _clean_shm(name, before, server.pids)
        try:
            server._log.unlink()
        except OSError:
            pass


def _start_pooled(rate: int, period: int, sync: bool) -> JackServer:
    """A started server under the first pool name no running server has.  When the registry is full and no
    jackd runs on this machine at all, its entries are all dead servers' (older harnesses' unique names,
    crashes): the registry is removed, and jackd makes a new one."""
    deadline = time.monotonic() + BUSY_WAIT
    while True:
        for name in POOL:
            server = JackServer(name, rate, period, sync)
            try:
                server.start(busy_wait=0.0)
                return server
            except RuntimeError as exc:
                full = "Too many servers" in str(exc)
                if full and not _other_jackd_running(set()):
                    (_SHM / "jack-shm-registry").unlink(missing_ok=True)
                    continue
                if not full and "already active" not in str(exc):
                    raise
        if time.monotonic() > deadline:
            raise RuntimeError(f"no JACK server slot came free in {BUSY_WAIT:g} s (other test runs hold them)")
        time.sleep(1.0)


def _clean_shm(name: str, before: set[str], our_pids: set[int]) -> None:
    """Remove what our server left in /dev/shm: its own semaphores and sockets always; the
    files all servers of this user share only if they were not there before and no other
    jackd is running now."""
    shared_ok = not _other_jackd_running(our_pids)
    for entry in _jack_files() - before:
        mine = f"_{name}_" in entry or entry.startswith(f"jack_{name}")
        if mine or shared_ok:
            path = _SHM / entry
            try:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------
# The player: a second JACK client, in its own process


class Player:
    """``python tests/jack.py play TRACK.npy NAME LOG.npy`` in a subprocess (inherits the
    server from JACK_DEFAULT_SERVER).  ``start()`` waits until its ports exist; ``play()``
    starts the track at the next JACK cycle; ``stop()`` ends it and returns the log:
    one row per callback that played audio, (time.monotonic(), first frame, frames).
    ``loop``: play the track over and over (the soak's hour-long input from a few seconds of track)."""

    def __init__(self, track: np.ndarray, workdir: Path, name: str = "vjplayer", loop: bool = False):
        self.name = name
        self.loop = loop
        self.track_path = workdir / f"{name}-track.npy"
        self.log_path = workdir / f"{name}-log.npy"
        np.save(self.track_path, np.ascontiguousarray(track, np.float32))
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> None:
        self.proc = subprocess.Popen([sys.executable, __file__, "play", str(self.track_path), self.name,
                                      str(self.log_path), *(["loop"] if self.loop else [])], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + timeout
        line = ""
        while (left := deadline - time.monotonic()) > 0:
            if not select.select([self.proc.stdout], [], [], left)[0]:
                break  # timed out
            line = self.proc.stdout.readline()
            if line.startswith("ready") or not line:
                break
        if not line.startswith("ready"):
            self.kill()
            raise RuntimeError(f"the JACK player did not start ({line.strip() or 'no output'})")

    def play(self) -> None:
        self.proc.stdin.write("play\n")
        self.proc.stdin.flush()

    def stop(self) -> np.ndarray:
        """End the player and return its log."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.kill()
        self.proc = None
        return np.load(self.log_path) if self.log_path.exists() else np.zeros((0, 3))

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None


def _play_main(track_path: str, name: str, log_path: str, loop: str = "") -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from vj.audio.devices import set_jack_client_name

    set_jack_client_name(name)
    import sounddevice as sd

    track = np.load(track_path)
    jack = [i for i, h in enumerate(sd.query_hostapis()) if "JACK" in h["name"]]
    if not jack:
        print("error: no JACK host API", flush=True)
        os._exit(1)
    device = sd.query_hostapis(jack[0])["default_output_device"]
    log = np.zeros((200000, 3))
    state = {"playing": False, "pos": 0, "k": 0}

    def callback(outdata, frames, time_info, status):
        if not state["playing"]:
            outdata.fill(0)
            return
        pos = state["pos"]
        if loop and pos + frames > len(track):
            pos = state["pos"] = 0
        n = max(0, min(frames, len(track) - pos))
        outdata[:n] = track[pos:pos + n]
        outdata[n:] = 0
        k = state["k"]
        if k < len(log):
            log[k] = (time.monotonic(), pos, frames)
            state["k"] = k + 1
        state["pos"] = pos + frames

    stream = sd.OutputStream(device=device, channels=track.shape[1], samplerate=48000, dtype="float32",
                             callback=callback)
    stream.start()
    print("ready", flush=True)
    for line in sys.stdin:
        if line.startswith("play"):
            state["playing"] = True
        elif line.startswith("quit"):
            break
    np.save(log_path, log[:state["k"]])
    sys.stdout.flush()
    if stream.active:  # the server is alive: close the JACK client properly (a vanished client
        threading.Timer(3.0, os._exit, (0,)).start()  # stalls a --sync server for its timeout)
        stream.stop()
        stream.close()
        sd._terminate()
    os._exit(0)  # never through atexit's Pa_Terminate: it aborts (or hangs) when the server is gone


if __name__ == "__main__":
    if len(sys.argv) in (5, 6) and sys.argv[1] == "play":
        _play_main(*sys.argv[2:])
    else:
        sys.exit(f"usage: {sys.argv[0]} play TRACK.npy NAME LOG.npy [loop]")
