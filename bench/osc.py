"""OSC intake under floods, before and after the hardening of issue 14, side by side in one run.

Each case runs in its own process: the real ``OscServer`` on loopback, fed by a sender in another
process that sends as fast as it can for a few seconds, while a frame loop at 60 Hz does what the
player's does with the controls (``drain``, ``engine.step``, ``publish``) plus 8 ms of Python work
standing for the render.  It reports how many packets the server took per second, what the drain
(with the step and publish) cost per frame, the most commands one frame had to apply, the frame
rate the loop kept, and whether OSC still answered ``/vj/query/state`` after the flood.

Floods: ``valid`` (``/vj/zoom/pulse`` with changing values), ``malformed`` (random bytes, cut,
bit-flipped and mistyped messages, none of which hang python-osc), ``campaign`` (the fault
campaign's 32-byte packet once, then a valid flood).  "before" is the code at ``--before`` (default:
where this branch left main), unpacked with ``git archive``; "after" is this working tree.

    python bench/osc.py [--before REV] [--seconds 3] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FPS = 60.0
RENDER_WORK = 0.008          #: s of pure-Python work a frame, standing for the render (GL calls hold the interpreter too)
KILLER = b"#bundle\0" + struct.pack(">Qi", 1, -4) + b"/vj/clip/next\0\0\0,\0\0\0"


# ---- the sender (its own process, no vj import) --------------------------------------------------

def _osc(address: str, tags: str = "", payload: bytes = b"") -> bytes:
    def pad(b: bytes) -> bytes:
        return b + b"\0" * (4 - len(b) % 4)
    return pad(address.encode()) + pad(("," + tags).encode()) + payload


def flood_packets(kind: str) -> list[bytes]:
    rng = random.Random(14)
    if kind in ("valid", "campaign"):
        return [_osc("/vj/zoom/pulse", "f", struct.pack(">f", i / 1000)) for i in range(1000)]
    out = []
    base = [_osc("/vj/zoom/pulse", "f", struct.pack(">f", 0.5)), _osc("/vj/clip/cue", "i", struct.pack(">i", 3)),
            _osc("/vj/clip/cue_id", "s", b"c1\0\0")]
    while len(out) < 1000:
        r = rng.random()
        if r < 0.3:
            out.append(bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))))
        elif r < 0.5:
            b = rng.choice(base)
            out.append(b[:rng.randrange(1, len(b))])
        elif r < 0.7:
            b = bytearray(rng.choice(base))
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
            out.append(bytes(b))
        elif r < 0.85:
            out.append(_osc("/vj/zoom/pulse", rng.choice(["q", "ff", "s", "x[", "]"]), struct.pack(">f", 0.5)))
        else:
            out.append(b"/vj/" + bytes(rng.randrange(1, 256) for _ in range(rng.randint(4, 60))))
    return out


def sender(port: int, kind: str, seconds: float) -> None:
    packets = flood_packets(kind)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    if kind == "campaign":
        s.sendto(KILLER, ("127.0.0.1", port))
    end = time.monotonic() + seconds
    sent = 0
    while time.monotonic() < end:
        for p in packets[:200]:
            s.sendto(p, ("127.0.0.1", port))
        sent += 200
        packets = packets[200:] + packets[:200]
    print(sent, flush=True)


# ---- one case (its own process, importing the vj of VJ_TREE) ------------------------------------

def case(kind: str, seconds: float) -> dict:
    sys.path.insert(0, os.environ["VJ_TREE"])
    from pythonosc.osc_packet import OscPacket

    from vj.audio.snapshot import AudioSnapshot
    from vj.control import ShowControl, SongEntry
    from vj.control.oscserver import OscServer
    from vj.engine import ClipRef, ShowEngine, ShowRules

    clips = [ClipRef(f"c{i}", (0.5, 0.5), 0.0, 10.0, "loop", 30.0) for i in range(3)]
    engine = ShowEngine(clips, ShowRules(), rotation=tuple(c.id for c in clips))
    control = ShowControl([SongEntry("one", tuple(c.id for c in clips))])
    stop = threading.Event()
    drains: list[float] = []
    most = [0]
    starts: list[float] = []

    def frames() -> None:
        t0 = time.monotonic()
        n = 0
        while not stop.is_set():
            due = t0 + n / FPS
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            start = time.monotonic()
            starts.append(start)
            t = start - t0
            evs = control.drain(t, engine)
            desc = engine.step(t, AudioSnapshot(time=t), evs)
            control.publish(desc, engine)
            drains.append(time.monotonic() - start)
            most[0] = max(most[0], len(evs))
            x = 0
            while time.monotonic() - start < RENDER_WORK:   # the render's CPU side, holding the GIL
                x += 1
            n = max(n + 1, int((time.monotonic() - t0) * FPS))   # a late frame is skipped, as vsync would

    loop = threading.Thread(target=frames, daemon=True)
    server = OscServer(control, port=0, log=lambda line: None).start()
    loop.start()
    time.sleep(0.5)
    base = server.counts["packets"]
    first = len(starts)
    proc = None
    if kind != "none":
        proc = subprocess.Popen([sys.executable, __file__, "--send", str(server.port), kind, str(seconds)],
                                stdout=subprocess.PIPE, text=True)
    t0 = time.monotonic()
    time.sleep(seconds)
    sent = int(proc.communicate()[0].strip() or 0) if proc else 0
    took = time.monotonic() - t0
    handled = server.counts["packets"] - base
    span = starts[first:]
    drain_ms = sorted(1000 * d for d in drains[first:])
    fps = (len(span) - 1) / (span[-1] - span[0]) if len(span) > 1 else 0.0
    gaps = sorted(1000 * (b - a) for a, b in zip(span, span[1:]))
    time.sleep(0.5)                                  # the backlog drains
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.settimeout(1.0)
    answered = False
    for _ in range(3):                               # asked up to 3 times: the kernel may drop a packet
        probe.sendto(_osc("/vj/query/state"), ("127.0.0.1", server.port))
        try:
            data, _ = probe.recvfrom(65536)
            answered = bool(OscPacket(data).messages)
            break
        except socket.timeout:
            pass
    stop.set()
    return {"kind": kind, "sent": sent, "handled_per_s": handled / took, "drain_p50": statistics.median(drain_ms),
            "drain_p99": drain_ms[int(0.99 * (len(drain_ms) - 1))], "drain_max": drain_ms[-1],
            "most_per_frame": most[0], "fps": fps, "gap_p99": gaps[int(0.99 * (len(gaps) - 1))] if gaps else 0.0,
            "answers": answered}


def http_case() -> dict:
    """OSCQuery with 150 idle connections open: threads, and the time a real request then takes."""
    sys.path.insert(0, os.environ["VJ_TREE"])
    import http.client

    from vj.control import ShowControl, SongEntry
    from vj.control.oscserver import OscServer

    server = OscServer(ShowControl([SongEntry("s", ("a", "b"))]), port=0, query_port=0, log=lambda line: None).start()

    def get() -> float:
        t = time.perf_counter()
        c = http.client.HTTPConnection("127.0.0.1", server.query.port, timeout=10)
        c.request("GET", "/")
        c.getresponse().read()
        c.close()
        return 1000 * (time.perf_counter() - t)

    alone = min(get() for _ in range(5))
    before = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", server.query.port), timeout=5) for _ in range(150)]
    time.sleep(1.0)
    threads = threading.active_count() - before
    try:
        busy = min(get() for _ in range(5))
    except OSError as exc:
        busy = float("nan")
        print(exc, file=sys.stderr)
    for s in idle:
        s.close()
    return {"kind": "http", "threads": threads, "get_ms": alone, "get_ms_idle": busy}


# ---- the driver ---------------------------------------------------------------------------------------

def unpack(rev: str, into: Path) -> str:
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], capture_output=True, text=True,
                         check=True).stdout.strip()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "vj"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return sha


def run_case(tree: Path, kind: str, seconds: float) -> dict:
    env = dict(os.environ, VJ_TREE=str(tree), PYTHONWARNINGS="ignore")
    try:
        out = subprocess.run([sys.executable, __file__, "--case", kind, str(seconds)], env=env, capture_output=True,
                             text=True, timeout=seconds + 30)
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, IndexError, json.JSONDecodeError) as exc:
        return {"kind": kind, "error": type(exc).__name__}


def latency(samples: int = 200) -> list:
    from vj.control import ShowControl, SongEntry
    from vj.control.oscserver import OscServer

    class Stamped(ShowControl):
        """The show's control, telling the bench when each command reached it."""
        def __init__(self, songs):
            super().__init__(songs)
            self.submitted: queue.SimpleQueue[float] = queue.SimpleQueue()

        def submit(self, cmd):
            super().submit(cmd)
            self.submitted.put(time.monotonic())

    control = Stamped([SongEntry("s", ("a", "b"))])
    server = OscServer(control, port=0, log=lambda line: None).start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    lat = []
    msg = _osc("/vj/tempo/tap")
    for _ in range(samples):
        t = time.monotonic()
        client.sendto(msg, ("127.0.0.1", server.port))
        lat.append((control.submitted.get() - t) * 1000)
        time.sleep(0.005)
    server.close()
    client.close()
    lat.sort()
    return [f"{statistics.median(lat):.3f}", f"{lat[int(0.99 * len(lat)) - 1]:.3f}", f"{lat[-1]:.3f}"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", default=None,
                    help="git revision for 'before' (default: where this branch left main; none on main itself)")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from common import machine, table

    before = args.before
    for base in ([] if before else ["main", "origin/main"]):
        found = subprocess.run(["git", "-C", str(ROOT), "merge-base", "HEAD", base], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip() != subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip():
            before = found.stdout.strip()
            break
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        trees = [("after", ROOT)]
        if before:           # without a 'before' (this is main itself, or no main here): after only
            trees.insert(0, (f"before ({unpack(before, Path(tmp))})", Path(tmp)))
        runs: dict[tuple[str, str], list[dict]] = {}
        http: dict[str, list[dict]] = {}
        for _ in range(args.repeat):                  # interleaved: the machine's load hits both alike
            for kind in ("none", "valid", "malformed", "campaign"):
                for name, tree in trees:
                    runs.setdefault((kind, name), []).append(run_case(tree, kind, args.seconds))
            for name, tree in trees:
                http.setdefault(name, []).append(run_case(tree, "http", 0))
    rows = []
    for (kind, name), results in runs.items():
        ok = [r for r in results if "error" not in r]
        if not ok:
            rows.append([kind, name, "hung: " + results[0]["error"], "", "", "", "", "", ""])
            continue

        def rng(key: str, fmt: str = "{:.2f}") -> str:
            vals = [r[key] for r in ok]
            return fmt.format(min(vals)) if len(vals) == 1 or fmt.format(min(vals)) == fmt.format(max(vals)) \
                else f"{fmt.format(min(vals))}-{fmt.format(max(vals))}"
        rows.append([kind, name, rng("handled_per_s", "{:,.0f}"), rng("drain_p50"), rng("drain_p99"),
                     rng("drain_max"), rng("most_per_frame", "{:d}"), rng("fps", "{:.1f}"),
                     "/".join("yes" if r["answers"] else "NO" for r in ok)])
    print(f"flood of {args.seconds:g} s from another process; frame loop at {FPS:g} Hz with "
          f"{RENDER_WORK * 1000:g} ms of render work; ranges over {args.repeat} interleaved runs")
    print(table(["flood", "code", "packets handled/s", "drain ms p50", "p99", "max", "commands in one frame",
                 "frame loop fps", "answers after"], rows))
    print()
    print("OSCQuery with 150 idle connections open:")
    print(table(["code", "threads added", "GET / alone (ms)", "GET / with them open (ms)"],
                [[name, "/".join(str(r.get("threads", r.get("error"))) for r in rs),
                  "/".join(f"{r['get_ms']:.1f}" for r in rs if "get_ms" in r),
                  "/".join(f"{r['get_ms_idle']:.1f}" for r in rs if "get_ms_idle" in r)] for name, rs in http.items()]))
    print()
    sys.path.insert(0, str(ROOT))
    print("send -> in the show's queue (ms), 200 taps, after:")
    print(table(["median", "p99", "max"], [latency()]))


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    if sys.argv[1:2] == ["--send"]:
        sender(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
    elif sys.argv[1:2] == ["--case"]:
        result = http_case() if sys.argv[2] == "http" else case(sys.argv[2], float(sys.argv[3]))
        print(json.dumps(result), flush=True)
        os._exit(0)                                   # a hung receive thread must not keep the process alive
    else:
        main()
