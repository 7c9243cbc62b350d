"""Two Ableton Link peers in two processes (run by tests/test_link.py inside `unshare -n`, loopback only).

The foreign peer stands for a DJ's software; vj's side is the real ShowControl + ShowEngine with a
LinkSurface.  Prints one JSON line with what was measured.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import threading
import time


def foreign(conn) -> None:
    import link
    peer = link.Link(100.0)
    peer.enabled = True
    while peer.numPeers() == 0:
        time.sleep(0.01)
    conn.send("joined")
    assert conn.recv() == "set 133"
    time.sleep(0.5)
    state = peer.captureSessionState()
    state.setTempo(133.0, peer.clock().micros())
    peer.commitSessionState(state)
    conn.send(time.monotonic())
    assert conn.recv() == "watch 97"
    end = time.monotonic() + 10
    while time.monotonic() < end and abs(peer.captureSessionState().tempo() - 97.0) > 0.01:
        time.sleep(0.001)
    conn.send((time.monotonic(), peer.captureSessionState().tempo()))
    conn.recv()


def main() -> None:
    from vj.audio.snapshot import AudioSnapshot
    from vj.control import ShowControl, SongEntry, command
    from vj.control.link import LinkSurface
    from vj.engine import ClipRef, ShowEngine

    engine = ShowEngine([ClipRef("a", (0.5, 0.5), 0.0, 10.0, "loop", 30.0)])
    control = ShowControl([SongEntry("s", ("a",))])
    lock = threading.Lock()
    stop = threading.Event()
    t0 = time.monotonic()
    last = [engine.step(0.0, AudioSnapshot())]

    def frames():
        while not stop.is_set():
            t = time.monotonic() - t0
            with lock:
                last[0] = engine.step(t, AudioSnapshot(time=t), control.drain(t, engine.report))
                control.publish(last[0])
            time.sleep(0.005)

    th = threading.Thread(target=frames, daemon=True)
    th.start()
    out: dict = {}
    parent, child = mp.Pipe()
    proc = mp.Process(target=foreign, args=(child,))
    proc.start()
    surface = LinkSurface(control, mode="follow", log=lambda line: None).start()
    assert parent.recv() == "joined"
    parent.send("set 133")
    t_set = parent.recv()
    end = time.monotonic() + 10
    while time.monotonic() < end:
        with lock:
            if last[0].report.tempo_source == "link" and abs(last[0].bpm - 133.0) < 0.05:
                break
        time.sleep(0.001)
    out["follow_ms"] = (time.monotonic() - t_set) * 1000
    with lock:
        out["follow_source"], out["follow_bpm"] = last[0].report.tempo_source, last[0].bpm
    time.sleep(1.0)  # let the show clock settle on the session's phase
    errs = []
    for _ in range(50):
        with lock:
            us = surface.link.clock().micros()
            mono = us / 1e6 + surface.offset()
            session = surface.link.captureSessionState().beatAtTime(us, 4)
            desc = last[0]   # the show clock at its latest step, run on to now
            p = desc.beat_position + (mono - t0 - desc.time) * desc.bpm / 60.0
        errs.append(((p - session + 0.5) % 1.0 - 0.5) * 60.0 / 133.0 * 1000)
        time.sleep(0.02)
    out["phase_ms_median"] = sorted(abs(e) for e in errs)[len(errs) // 2]
    out["phase_ms_max"] = max(abs(e) for e in errs)
    surface.close()
    time.sleep(0.2)
    lead = LinkSurface(control, mode="lead", log=lambda line: None).start()
    control.submit(command("tempo/bpm", 97.0))
    t_lead = time.monotonic()
    parent.send("watch 97")
    seen, tempo = parent.recv()
    out["lead_ms"] = (seen - t_lead) * 1000
    out["lead_peer_bpm"] = tempo
    parent.send("done")
    lead.close()
    stop.set()
    proc.join(5)
    print(json.dumps(out))


if __name__ == "__main__":
    mp.set_start_method("spawn")
    main()
