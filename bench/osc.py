"""OSC intake: how many messages per second the receive thread checks and hands to the show, and the
latency from sendto() to the command being in the show's queue.

Real UDP on loopback, the real ShowControl; the frame thread is simulated by draining at 60 Hz.
"""

from __future__ import annotations

import socket
import statistics
import threading
import time

from common import machine, table
from pythonosc.osc_message_builder import OscMessageBuilder

from vj.control import ShowControl, SongEntry
from vj.control.oscserver import OscServer


def dgram(address: str, *args) -> bytes:
    b = OscMessageBuilder(address)
    for a in args:
        b.add_arg(a)
    return b.build().dgram


def flood(kind: str, data: bytes, n: int) -> list:
    control = ShowControl([SongEntry("s", ("a", "b"))])
    server = OscServer(control, port=0, log=lambda line: None).start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    t0 = time.perf_counter()
    for _ in range(n):
        client.sendto(data, ("127.0.0.1", server.port))
    last, last_change = -1, time.perf_counter()
    while time.perf_counter() - last_change < 0.3:   # until nothing more arrives
        if server.counts["packets"] != last:
            last, last_change = server.counts["packets"], time.perf_counter()
        time.sleep(0.002)
    dt = last_change - t0
    got = server.counts["packets"]
    server.close()
    client.close()
    return [kind, n, got, f"{got / dt:,.0f}", f"{100 * (n - got) / n:.1f}"]


def latency(samples: int = 200) -> list:
    control = ShowControl([SongEntry("s", ("a", "b"))])
    server = OscServer(control, port=0, log=lambda line: None).start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    lat = []
    msg = dgram("/vj/tempo/tap")
    for _ in range(samples):
        t = time.monotonic()
        client.sendto(msg, ("127.0.0.1", server.port))
        while True:
            item = control._queue.get()
            lat.append((item.stamp - t) * 1000)
            break
        time.sleep(0.005)
    server.close()
    client.close()
    lat.sort()
    return [f"{statistics.median(lat):.3f}", f"{lat[int(0.99 * len(lat)) - 1]:.3f}", f"{lat[-1]:.3f}"]


def main() -> None:
    print(machine())
    n = 10_000
    rows = [flood("valid /vj/zoom/pulse 0.5", dgram("/vj/zoom/pulse", 0.5), n),
            flood("out of range /vj/clip/cue 5000", dgram("/vj/clip/cue", 5000), n),
            flood("garbage (200 random bytes)", bytes(range(200)), n)]
    print(table(["messages (sent in one burst)", "sent", "handled", "per second", "lost in the kernel %"], rows))
    print()
    print("send -> in the show's queue (ms), 200 taps:")
    print(table(["median", "p99", "max"], [latency()]))


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
