"""The OSC tests' show: a real engine stepped like the player's frame loop, and a UDP sender."""

from __future__ import annotations

import socket
import threading
import time

from pythonosc.osc_message_builder import OscMessageBuilder

from vj.audio.snapshot import AudioSnapshot
from vj.control import ShowControl, SongEntry
from vj.engine import ClipRef, FrameDesc, ShowEngine, ShowRules

CLIPS = [ClipRef(f"c{i}", (0.5, 0.5), 0.0, 10.0, "loop", 30.0) for i in range(6)]
SONGS = [SongEntry("one", ("c0", "c1", "c2")), SongEntry("two", ("c3", "c4", "c5"), {"switch_bars": 2})]


class Show:
    """A real engine stepped every ``period`` s (100 Hz) on its own thread, as the player's frame loop does."""

    def __init__(self, period: float = 0.01):
        self.period = period
        self.engine = ShowEngine(CLIPS, ShowRules(), rotation=SONGS[0].clip_ids)
        self.host_calls: list = []
        self.control = ShowControl(SONGS, host=self)
        self.events: list = []
        self.t0 = time.monotonic()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.frames = 0
        self.most_drained = 0      #: the most events one frame's drain returned
        self.desc = FrameDesc(0.0, ())   #: the latest frame (an empty one until the first step)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def select_song(self, i):
        self.host_calls.append(("song", i))

    def ui(self, a):
        self.host_calls.append(("ui", a))

    def _run(self):
        while not self.stop.is_set():
            t = time.monotonic() - self.t0
            with self.lock:
                evs = self.control.drain(t, self.engine.report)
                self.events += evs
                self.most_drained = max(self.most_drained, len(evs))
                self.desc = self.engine.step(t, AudioSnapshot(time=t), evs)
                self.control.publish(self.desc)
                self.frames += 1
            time.sleep(self.period)

    def wait_for(self, pred, timeout=5.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if pred():
                    return True
            time.sleep(0.01)
        return False

    def close(self):
        self.stop.set()
        self.thread.join()


def send(client, server, address, *args):
    client.sendto(dgram(address, *args), ("127.0.0.1", server.port))


def dgram(address, *args) -> bytes:
    b = OscMessageBuilder(address)
    for a in args:
        b.add_arg(a)
    return b.build().dgram


def udp_client(host: str = "127.0.0.1", timeout: float = 3.0) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, 0))
    s.settimeout(timeout)
    return s
