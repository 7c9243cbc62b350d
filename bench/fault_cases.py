"""The faults of issue 14's campaign, one function each (bench/faults.py runs them into its table).  Each plays
the real `vj play` (tests/playrig.py) and injects its fault as the stage would; the fault tests' setups are
imported, not copied."""

from __future__ import annotations

import random
import shutil
import socket
import struct
import sys
import time
from pathlib import Path
from typing import Callable

from fault_rig import Row, Show, finish, fps_of, said, words
from media import write_clip
from playrig import PlayRun, dgram
from test_resume import setlist as resume_setlist
from test_faults_songs import two_songs

#: the campaign's packet (fault 2): a bundle whose element says it is -4 bytes long
CAMPAIGN_PACKET = b"#bundle\0" + struct.pack(">Qi", 1, -4) + b"/vj/clip/next\0\0\0,\0\0\0"


def baseline(show: Show) -> Row:
    run = show.play([two_songs(show.root, show.banks)], "baseline", 14)
    try:
        run.wait_window()
        code = finish(run)
    finally:
        run.terminate()
    return Row("baseline (no fault)", run.black(), run.frozen(), None, None if code == 0 else False, [], fps_of(run),
               expect_said=False)


def songs_back_and_forth(show: Show) -> Row:
    """Fault 1: song changes flooding in (300 a second for 3 s), then back to the first song."""
    run = show.play([two_songs(show.root, show.banks)], "songs", 16)
    try:
        run.wait_window()
        time.sleep(2.0)
        t0, k = time.monotonic(), 0
        while time.monotonic() - t0 < 3.0:
            run.osc("/vj/song/select", 1 + k % 2)
            k += 1
            time.sleep(1 / 300)
        run.osc("/vj/song/select", 2)
        time.sleep(2.5)
        run.osc("/vj/song/prev")
        time.sleep(4.0)
        state = run.query()
        code = finish(run)
    finally:
        run.terminate()
    clips = run.stats().get("clips", [])
    twos = [i for i, c in enumerate(clips) if c in ("clip2", "clip3")]
    back = bool(twos) and any(c in ("clip0", "clip1") for c in clips[max(twos):])
    return Row("1 song changes flood, back to song 1", run.black(), run.frozen(), None,
               code == 0 and back and state.get("song") == 1, [], fps_of(run), expect_said=False)


def osc_packets(show: Show) -> Row:
    """Fault 2: the campaign's packet, then 3 s of seeded malformed packets; OSC must still answer."""
    setlist, _ = show.own_bank("osc")
    run = show.play([str(setlist)], "osc", 12)
    rng = random.Random(14)
    try:
        run.wait_window()
        time.sleep(1.0)
        run.send(CAMPAIGN_PACKET)
        good = b"/vj/zoom/pulse\0\0,f\0\0" + struct.pack(">f", 0.5)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 3.0:
            kind = rng.randrange(3)
            if kind == 0:
                data = bytes(rng.randrange(256) for _ in range(4 * rng.randrange(1, 16)))
            elif kind == 1:
                data = bytearray(CAMPAIGN_PACKET)
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
                data = bytes(data)
            else:
                data = good[:rng.randrange(1, len(good))]
            run.send(data)
            time.sleep(0.001)
        time.sleep(1.0)
        state = run.query(timeout=2.0)
        code = finish(run)
    finally:
        run.terminate()
    return Row("2 campaign OSC packet + malformed flood", run.black(), run.frozen(),
               said(run, "broken packet", "flood of packets"), code == 0 and bool(state), [], fps_of(run))


def _clip_recovered(run: PlayRun) -> bool:
    s = run.stats()
    return bool(s.get("failed_clips")) and set(s.get("restored_clips", [])) == set(s["failed_clips"])


def drive_unplugged(show: Show) -> Row:
    """Fault 3: the drive with every clip gone for 6 s, then back."""
    setlist, src = show.own_bank("drive")
    drive, away = src.parent, src.parent.with_name("unplugged")
    run = show.play([str(setlist)], "drive", 16)
    try:
        run.wait_window()
        time.sleep(2.5)
        drive.rename(away)
        time.sleep(6.0)
        away.rename(drive)
        code = finish(run)
    finally:
        run.terminate()
        if away.exists():
            away.rename(drive)
    return Row("3 every clip gone 6 s (drive unplugged)", run.black(), run.frozen(),
               said(run, "clip"), code == 0 and _clip_recovered(run), [], fps_of(run))


def clips_cut_short(show: Show) -> Row:
    """Faults 3 and 10: every clip cut to 3 kB mid-show (a copy gone wrong), then copied back whole."""
    setlist, src = show.own_bank("cut")
    whole = {f: f.read_bytes() for f in src.glob("*.mp4")}
    run = show.play([str(setlist)], "cut", 16)
    try:
        run.wait_window()
        time.sleep(2.5)
        for f, data in whole.items():
            f.write_bytes(data[:3000])
        time.sleep(6.0)
        for f, data in whole.items():
            f.write_bytes(data)
        code = finish(run)
    finally:
        run.terminate()
    raw = [w for w in ("InvalidDataError", "Errno", "avcodec_", "Traceback") if w in run.stderr]
    line = said(run, "clip")
    return Row("3,10 every clip cut short 6 s, then whole", run.black(), run.frozen(),
               f"RAW {raw}" if raw else line, code == 0 and _clip_recovered(run), [], fps_of(run))


def bad_clips_at_start(show: Show) -> Row:
    """Fault 4: one clip missing and one damaged when vj play starts."""
    setlist, src = show.own_bank("start")
    (src / "clip0.mp4").rename(src.parent / "clip0.keep")
    good1 = (src / "clip1.mp4").read_bytes()
    (src / "clip1.mp4").write_bytes(b"\x00garbage" * 500)
    run = show.play([str(setlist)], "start", 8)
    try:
        run.wait_window()
        code = finish(run)
    finally:
        run.terminate()
        (src.parent / "clip0.keep").rename(src / "clip0.mp4")
        (src / "clip1.mp4").write_bytes(good1)
    started = code == 0 and set(run.stats().get("clips", [])) == {"clip2"}
    return Row("4 a missing + a damaged clip at start", run.black(), run.frozen(),
               said(run, "left out"), started, [], fps_of(run))


def jack_killed(show: Show) -> Row | None:
    """Fault 5: the audio server (a real jackd) killed with SIGKILL for 4 s, then started again."""
    if shutil.which("jackd") is None:
        return None
    from jack import jack_server
    with jack_server() as server:
        run = PlayRun(show.display, [str(show.banks / "t"), "--audio-device", "system", "--duration", "16"],
                      show.root / "runs" / f"jack{show.tag}").start()
        try:
            run.wait_window()
            time.sleep(2.5)
            server.kill()
            time.sleep(4.0)
            server.start()
            code = finish(run)
        finally:
            run.terminate()
    audio = run.stats().get("audio_input", {})
    back = said(run, "audio input back") is not None and audio.get("connected_at_end") is True
    return Row("5 JACK killed 4 s, restarted", run.black(), run.frozen(), said(run, "audio input lost"),
               code == 0 and back, [], fps_of(run))


def midi_garbage_and_unplug(show: Show) -> Row | None:
    """MIDI: an APC MINI on JACK MIDI sends 3 s of garbage, is unplugged for 3 s and plugged in again; its
    fader must move the show afterwards."""
    if shutil.which("jackd") is None:
        return None
    from jack import jack_server
    from midi_controller import MidiController
    setlist, _ = show.own_bank("midi")
    with jack_server() as server:
        ctl = MidiController("APC MINI", env=server.env).start()
        run = show.play([str(setlist), "--midi", "--midi-backend", "mido.backends.rtmidi/UNIX_JACK"], "midi", 18)
        moved = False
        try:
            run.wait_window()
            deadline = time.monotonic() + 10
            while said(run, "opened") is None and time.monotonic() < deadline:
                time.sleep(0.2)
            ctl.send("garbage 3")
            ctl.send("unplug")
            time.sleep(3.0)
            ctl.send("plug")
            deadline = time.monotonic() + 8
            while run.stderr.count("opened") < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
            blur = []
            for value in (0, 127):
                ctl.send(f"cc 51 {value}")
                time.sleep(0.5)
                blur.append(run.query().get("blur"))
            moved = None not in blur and blur[0] != blur[1]
            code = finish(run)
        finally:
            run.terminate()
            ctl.kill()
    return Row("MIDI garbage 3 s, unplugged 3 s, replugged", run.black(), run.frozen(), said(run, "disconnected"),
               code == 0 and moved, [], fps_of(run))


def oscquery_abuse(show: Show) -> Row:
    """Fault 6: 150 idle OSCQuery connections, a half-sent request and 40 clients that reset mid-answer;
    OSCQuery must still answer."""
    import http.client
    setlist, _ = show.own_bank("oscq")
    run = show.play([str(setlist)], "oscq", 14)
    socks: list[socket.socket] = []
    try:
        run.wait_window()
        port = run.osc_port + 1
        time.sleep(1.0)
        for _ in range(150):
            s = socket.socket()
            s.settimeout(2.0)
            try:
                s.connect(("127.0.0.1", port))
                socks.append(s)
            except OSError:
                s.close()
        if socks:
            socks[0].sendall(b"GET / HTTP/1.1\r\nHost: x")    # half a request, never finished
        for _ in range(40):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            try:
                s.connect(("127.0.0.1", port))
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            except OSError:
                pass
            s.close()                                     # a reset, mid-answer
        time.sleep(1.0)
        for s in socks:
            s.close()
        socks = []
        answered = False
        deadline = time.monotonic() + 8.0
        while not answered and time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2.0)
                c.request("GET", "/")
                answered = c.getresponse().status == 200
                c.close()
            except OSError:
                time.sleep(0.5)
        code = finish(run)
    finally:
        for s in socks:
            s.close()
        run.terminate()
    tracebacks = "Traceback" in run.stderr or "BrokenPipe" in run.stderr or "ConnectionReset" in run.stderr
    return Row("6 OSCQuery: 150 idle, 40 resets", run.black(), run.frozen(),
               "RAW traceback" if tracebacks else said(run, "OSCQuery: "), code == 0 and answered, [], fps_of(run),
               expect_said=True)


def feedback_flood(show: Show) -> Row:
    """Fault 7: 100 clients register for feedback, then 300 state queries from one unregistered address;
    the first client must keep its feedback, and vj must not answer the flood packet for packet."""
    setlist, _ = show.own_bank("feedback")
    run = show.play([str(setlist)], "feedback", 12)
    socks: list[socket.socket] = []
    try:
        run.wait_window()
        time.sleep(1.0)
        for _ in range(100):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.0.1", 0))
            s.sendto(dgram("/vj/feedback/register"), ("127.0.0.1", run.osc_port))
            socks.append(s)
            time.sleep(0.002)
        flooder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        flooder.bind(("127.0.0.1", 0))
        for _ in range(300):
            flooder.sendto(dgram("/vj/query/state"), ("127.0.0.1", run.osc_port))
            time.sleep(0.002)
        time.sleep(1.5)
        flooder.setblocking(False)
        back = 0
        while True:
            try:
                flooder.recvfrom(65536)
                back += 1
            except BlockingIOError:
                break
        flooder.close()
        first = socks[0]
        first.settimeout(0.2)
        while True:                                        # what came before
            try:
                first.recvfrom(65536)
            except socket.timeout:
                break
        first.sendto(dgram("/vj/query/state"), ("127.0.0.1", run.osc_port))
        first.settimeout(2.0)
        try:
            kept = bool(first.recvfrom(65536)[0])
        except socket.timeout:
            kept = False
        code = finish(run)
    finally:
        for s in socks:
            s.close()
        run.terminate()
    return Row(f"7 100 feedback registrations, 300 queries ({back} packets back)", run.black(), run.frozen(),
               said(run, "registered already"), code == 0 and kept and back <= 20, [], fps_of(run))


def import_cut_short(show: Show) -> Row:
    """Fault 9: `vj bank import` of a folder with a clip cut short whose header still probes (no vj play)."""
    import subprocess
    src = show.root / f"import{show.tag}" / "src"
    write_clip(src / "good.mp4", size=(96, 54), seconds=3.0, seed=1)
    cut = write_clip(src / "cut.mkv", size=(96, 54), seconds=3.7, seed=2)
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 5])

    def vj_import(banks: Path, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "vj", "bank", "import", str(src), "--name", "imp", "--no-focus",
                               "--banks-dir", str(banks), *extra], capture_output=True, text=True, timeout=300)
    plain = vj_import(src.parent / "banks")
    strict = vj_import(src.parent / "banks-strict", "--strict")
    said = next((line.strip() for line in plain.stderr.splitlines() if "cut short" in line), None)
    return Row("9 import of a clip cut short (plain, --strict)", float("nan"), float("nan"), said,
               plain.returncode == 0 and strict.returncode == 1, [], (float("nan"), 0))


def kill9_resume(show: Show) -> Row:
    """Fault 8: kill -9 mid-show after a song change, a set tempo and fader moves; then `--resume`."""
    path = resume_setlist(show.root, show.banks, f"resume{show.tag}.toml")
    run = show.play([path], "crash", 60)
    from vj.live.autosave import state_path
    import json
    state_file = state_path(path)
    try:
        run.wait_window()
        run.osc("/vj/song/select", 2)
        run.osc("/vj/tempo/bpm", 100.0)
        run.osc("/vj/zoom/speed", 0.33)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if state_file.exists():
                s = json.loads(state_file.read_text())["show"]
                if s["song"] == 1 and s["song_bar"] >= 2:
                    break
        time.sleep(0.7)
        run.kill9()
    finally:
        run.terminate()
    again = show.play([path, "--resume"], "resumed", 8)
    try:
        shown_after = again.wait_window()
        state = again.query()
        code = finish(again)
    finally:
        again.terminate()
    lost = []
    if state.get("song") != 2:
        lost.append(f"song {state.get('song')}")
    if abs(float(state.get("bpm", 0)) - 100.0) > 0.5:
        lost.append(f"tempo {state.get('bpm')}")
    if abs(float(state.get("zoom_speed", 0)) - 0.33) > 1e-3:
        lost.append(f"zoom speed {state.get('zoom_speed')}")
    row = Row(f"8 kill -9, then --resume (picture {shown_after:.1f} s)", again.black(), again.frozen(),
              said(again, "resuming at"), code == 0, lost, fps_of(again))
    return row


def setlist_deleted_and_broken(show: Show) -> Row:
    """Fault 10: the setlist deleted for 3 s, then saved with an error, then fixed."""
    setlist, _ = show.own_bank("edits")
    text = setlist.read_text()
    run = show.play([str(setlist)], "edits", 16)
    said_gone = said_bad = None
    try:
        run.wait_window()
        time.sleep(1.5)
        setlist.unlink()
        time.sleep(3.0)
        setlist.write_text(text)
        time.sleep(2.0)
        said_gone = said(run, "the setlist file is gone")
        setlist.write_text(text.replace("switch_bars = 1", "switch_bars = \"many\""))
        time.sleep(2.0)
        said_bad = next((line for line in run.stderr.splitlines() if "not reloaded" in line and "switch_bars" in line),
                        None)
        setlist.write_text(text)
        time.sleep(1.5)
        code = finish(run)
    finally:
        run.terminate()
        setlist.write_text(text)
    fixed = said(run, "setlist reloaded") is not None
    def why(line: str) -> str:
        return words(line.split("as it was: ", 1)[-1], 8, yes=False)
    both = f"{why(said_gone)}; {why(said_bad)}" if said_gone and said_bad else None
    return Row("10 setlist deleted 3 s, saved broken, fixed", run.black(), run.frozen(), both,
               code == 0 and fixed, [], fps_of(run), said_words=20)


FAULTS: dict[str, Callable[[Show], Row | None]] = {
    "songs": songs_back_and_forth, "osc": osc_packets, "drive": drive_unplugged, "cut": clips_cut_short,
    "start": bad_clips_at_start, "jack": jack_killed, "midi": midi_garbage_and_unplug, "oscquery": oscquery_abuse, "feedback": feedback_flood,
    "resume": kill9_resume, "import": import_cut_short, "setlist": setlist_deleted_and_broken,
}
