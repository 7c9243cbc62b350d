"""What OSC feedback of the effects' values costs when they change every frame (inputs bound to the music).

The real ``OscServer`` on loopback, fed by ``ShowControl.publish`` at 60 frames a second with 3 effects
of INPUTS inputs each; with ``--moving`` every input takes a new value every frame (``amount = "bass"``).
It reports the process's CPU (the frame loop here is only the publish, so it is the feedback's cost) and
the packets one client got per second, for 1, 4 and 16 clients (the others registered at ports nobody reads).

    python bench/osc_fx_feedback.py [--inputs 4] [--seconds 4]
"""

from __future__ import annotations

import argparse
import socket
import time

from vj.control import ShowControl, SongEntry
from vj.control.oscserver import OscServer
from vj.control.targets import Param, Target, set_effect_targets
from vj.engine import EffectDesc, FrameDesc


def run(inputs: int, clients: int, moving: bool, seconds: float, fps: float = 60.0) -> tuple[float, float]:
    """(CPU share of one core, packets a second to the one client that reads)."""
    targets = []
    for e in range(3):
        targets.append(Target(f"fx/e{e}/on", (Param("on", "i", 0, 1),), ""))
        targets += [Target(f"fx/e{e}/in{i}", (Param("value", "f", 0, 1),), "") for i in range(inputs)]
    set_effect_targets(targets)
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    sink.setblocking(False)
    control = ShowControl([SongEntry("one", ("c0",))])
    server = OscServer(control, port=0, feedback=(sink.getsockname(),), log=lambda line: None)
    for k in range(clients - 1):
        server.clients.register(("127.0.0.1", 40000 + k))
    server.start()
    cpu0, t0, frames, got = time.process_time(), time.monotonic(), 0, 0
    try:
        while time.monotonic() - t0 < seconds:
            vals = tuple((f"in{i}", 0.5 + 0.4 * ((frames * (i + 1)) % 97) / 97 if moving else 0.5)
                         for i in range(inputs))
            control.publish(FrameDesc(time=time.monotonic() - t0, layers=(),
                                      effects=tuple(EffectDesc(f"e{e}", "x", vals) for e in range(3))))
            frames += 1
            try:
                while True:
                    sink.recv(65536)
                    got += 1
            except BlockingIOError:
                pass
            time.sleep(max(0.0, frames / fps - (time.monotonic() - t0)))
        wall = time.monotonic() - t0
        return (time.process_time() - cpu0) / wall, got / wall
    finally:
        server.close()
        sink.close()
        set_effect_targets(())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=4.0)
    args = ap.parse_args()
    print("| inputs | clients | CPU (one core) | packets/s to a client |")
    print("| --- | --- | --- | --- |")
    for clients, moving in ((1, False), (1, True), (4, True), (16, True)):
        load, pps = run(args.inputs, clients, moving, args.seconds)
        print(f"| 3 x {args.inputs} {'moving every frame' if moving else 'still'} | {clients} | "
              f"{load * 100:.1f}% | {pps:.0f} |")


if __name__ == "__main__":
    main()
