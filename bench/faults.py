"""The standing fault suite (issue 14): each fault of the campaign against the real `vj play`, beside a
fault-free baseline run in the same invocation, in one table.

Every run is `vj play` in its own process under one Xvfb, its output grabbed from outside by X grabs
(tests/playrig.py, tests/xgrab.py), faults injected as the stage would: files moved away and cut short,
a real JACK server killed, OSC packets over UDP, idle and reset OSCQuery connections, `kill -9`, the
setlist deleted and saved broken.  The fault tests' setups are imported, not copied.

Columns: the longest black and frozen stretch of the output (s, from its first picture to the end of the
show), whether vj said something in a performer's words (and its first words), whether the show came back
to what it did before the fault, and whether anything the user wrote was lost (the setlist, bank.toml and
clip files hashed before and after; for the crash, the resumed state against the one set before it).
The issue's target: no row over 1 s black or frozen, no data lost.

    python bench/faults.py              # every fault once, a baseline first and last (~4 min here)
    python bench/faults.py --rounds 2   # twice each, the worst of each column (~8 min here)
    python bench/faults.py --only osc   # one fault (names: see --list)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import socket
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from common import machine, table  # noqa: E402
from media import write_clip, write_track  # noqa: E402
from playrig import PlayRun, dgram  # noqa: E402
from servers import xvfb  # noqa: E402
from test_faults_songs import two_songs  # noqa: E402
from test_resume import setlist as resume_setlist  # noqa: E402
from vj.bank import import_bank  # noqa: E402

#: the issue's target for every fault: no black or frozen stretch of the output longer than this (s)
TARGET_S = 1.0
#: the campaign's packet (fault 2): a bundle whose element says it is -4 bytes long
CAMPAIGN_PACKET = b"#bundle\0" + struct.pack(">Qi", 1, -4) + b"/vj/clip/next\0\0\0,\0\0\0"


@dataclass
class Show:
    """The media of one invocation: the test bank ``t`` (4 clips) with its track, and per fault a bank of
    its own whose files the fault may break."""
    root: Path
    banks: Path
    track: Path
    display: str
    tag: str = ""     #: the round, in every name a fault makes (each round's files are its own)

    def own_bank(self, name: str) -> tuple[Path, Path]:
        name += self.tag
        src = self.root / name / "drive" / "clips"
        for i in range(3):
            write_clip(src / f"clip{i}.mp4", size=(96, 54), seconds=2.0, seed=i * 5)
        import_bank(src, name, banks_dir=self.banks, focus=False)
        setlist = self.root / f"{name}.toml"
        setlist.write_text(f'[setlist]\ntitle = "{name}"\n[[songs]]\ntitle = "one"\nbank = "{self.banks / name}"\n'
                           "switch_bars = 1\n")
        return setlist, src

    def play(self, args: list[str], name: str, seconds: float, *, audio: bool = True) -> PlayRun:
        extra = ["--audio-file", str(self.track), "--mute"] if audio else []
        return PlayRun(self.display, [*args, *extra, "--duration", str(seconds)],
                       self.root / "runs" / f"{name}{self.tag}").start()


@dataclass
class Row:
    fault: str
    black: float
    frozen: float
    said: str | None          #: the first line that names the fault, None when nothing was said
    recovered: bool | None    #: None: nothing to recover from (the baseline)
    lost: list[str]           #: what the user wrote that is gone or changed
    fps: tuple[float, int]     #: frames a second, frames dropped
    expect_said: bool = True
    said_words: int = 9        #: how many of its words the table shows


def _user_files(root: Path) -> dict[str, str]:
    """What the user wrote: setlists, bank.toml files and clips, by content."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in (".toml", ".mp4") and "runs" not in p.parts:
            out[str(p.relative_to(root))] = hashlib.sha1(p.read_bytes()).hexdigest()
    return out


def _said(run: PlayRun, *words: str) -> str | None:
    for line in run.stderr.splitlines():
        if any(w in line for w in words):
            return line.strip()
    return None


def _fps(run: PlayRun) -> tuple[float, int]:
    """Frames shown a second over the show's --duration, and the frames the loop dropped (from --stats)."""
    try:
        s = run.stats()
    except (OSError, ValueError):
        return 0.0, 0
    seconds = float(run.args[run.args.index("--duration") + 1])
    return s.get("frames", 0) / seconds, int(s.get("dropped_frames", 0))


def _finish(run: PlayRun) -> int:
    try:
        return run.wait()
    finally:
        run.terminate()
        (run.workdir / "stderr.txt").write_text(run.stderr)


# ---- the faults --------------------------------------------------------------------------------------

def baseline(show: Show) -> Row:
    run = show.play([two_songs(show.root, show.banks)], "baseline", 14)
    try:
        run.wait_window()
        code = _finish(run)
    finally:
        run.terminate()
    return Row("baseline (no fault)", run.black(), run.frozen(), None, None if code == 0 else False, [], _fps(run),
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
        code = _finish(run)
    finally:
        run.terminate()
    clips = run.stats().get("clips", [])
    twos = [i for i, c in enumerate(clips) if c in ("clip2", "clip3")]
    back = bool(twos) and any(c in ("clip0", "clip1") for c in clips[max(twos):])
    return Row("1 song changes flood, back to song 1", run.black(), run.frozen(), None,
               code == 0 and back and state.get("song") == 1, [], _fps(run), expect_said=False)


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
        code = _finish(run)
    finally:
        run.terminate()
    return Row("2 campaign OSC packet + malformed flood", run.black(), run.frozen(),
               _said(run, "broken packet", "flood of packets"), code == 0 and bool(state), [], _fps(run))


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
        code = _finish(run)
    finally:
        run.terminate()
        if away.exists():
            away.rename(drive)
    return Row("3 every clip gone 6 s (drive unplugged)", run.black(), run.frozen(),
               _said(run, "clip"), code == 0 and _clip_recovered(run), [], _fps(run))


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
        code = _finish(run)
    finally:
        run.terminate()
    raw = [w for w in ("InvalidDataError", "Errno", "avcodec_", "Traceback") if w in run.stderr]
    said = _said(run, "clip")
    return Row("3,10 every clip cut short 6 s, then whole", run.black(), run.frozen(),
               f"RAW {raw}" if raw else said, code == 0 and _clip_recovered(run), [], _fps(run))


def bad_clips_at_start(show: Show) -> Row:
    """Fault 4: one clip missing and one damaged when vj play starts."""
    setlist, src = show.own_bank("start")
    (src / "clip0.mp4").rename(src.parent / "clip0.keep")
    good1 = (src / "clip1.mp4").read_bytes()
    (src / "clip1.mp4").write_bytes(b"\x00garbage" * 500)
    run = show.play([str(setlist)], "start", 8)
    try:
        run.wait_window()
        code = _finish(run)
    finally:
        run.terminate()
        (src.parent / "clip0.keep").rename(src / "clip0.mp4")
        (src / "clip1.mp4").write_bytes(good1)
    started = code == 0 and set(run.stats().get("clips", [])) == {"clip2"}
    return Row("4 a missing + a damaged clip at start", run.black(), run.frozen(),
               _said(run, "left out"), started, [], _fps(run))


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
            code = _finish(run)
        finally:
            run.terminate()
    audio = run.stats().get("audio_input", {})
    back = _said(run, "audio input back") is not None and audio.get("connected_at_end") is True
    return Row("5 JACK killed 4 s, restarted", run.black(), run.frozen(), _said(run, "audio input lost"),
               code == 0 and back, [], _fps(run))


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
        code = _finish(run)
    finally:
        for s in socks:
            s.close()
        run.terminate()
    tracebacks = "Traceback" in run.stderr or "BrokenPipe" in run.stderr or "ConnectionReset" in run.stderr
    return Row("6 OSCQuery: 150 idle, 40 resets", run.black(), run.frozen(),
               "RAW traceback" if tracebacks else _said(run, "OSCQuery: "), code == 0 and answered, [], _fps(run),
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
        code = _finish(run)
    finally:
        for s in socks:
            s.close()
        run.terminate()
    return Row(f"7 100 feedback registrations, 300 queries ({back} packets back)", run.black(), run.frozen(),
               _said(run, "registered already"), code == 0 and kept and back <= 20, [], _fps(run))


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
        code = _finish(again)
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
              _said(again, "resuming at"), code == 0, lost, _fps(again))
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
        said_gone = _said(run, "the setlist file is gone")
        setlist.write_text(text.replace("switch_bars = 1", "switch_bars = \"many\""))
        time.sleep(2.0)
        said_bad = next((line for line in run.stderr.splitlines() if "not reloaded" in line and "switch_bars" in line),
                        None)
        setlist.write_text(text)
        time.sleep(1.5)
        code = _finish(run)
    finally:
        run.terminate()
        setlist.write_text(text)
    fixed = _said(run, "setlist reloaded") is not None
    def why(line: str) -> str:
        return _words(line.split("as it was: ", 1)[-1], 8, yes=False)
    said = f"{why(said_gone)}; {why(said_bad)}" if said_gone and said_bad else None
    return Row("10 setlist deleted 3 s, saved broken, fixed", run.black(), run.frozen(), said,
               code == 0 and fixed, [], _fps(run), said_words=20)


FAULTS: dict[str, Callable[[Show], Row | None]] = {
    "songs": songs_back_and_forth, "osc": osc_packets, "drive": drive_unplugged, "cut": clips_cut_short,
    "start": bad_clips_at_start, "jack": jack_killed, "oscquery": oscquery_abuse, "feedback": feedback_flood,
    "resume": kill9_resume, "import": import_cut_short, "setlist": setlist_deleted_and_broken,
}


def _words(line: str | None, n: int = 9, *, yes: bool = True) -> str:
    """The first words of a line, paths cut to their file names (the table stays readable)."""
    if not line:
        return "no"
    words = [w.rsplit("/", 1)[-1] if "/" in w.rstrip("/") and not w.startswith("/vj/") else w
             for w in line.removeprefix("vj: ").split()]
    return ("yes: " if yes else "") + " ".join(words[:n]) + (" ..." if len(words) > n else "")


def _merge(rows: list[tuple[str, Row]]) -> list[Row]:
    """One row per fault over the rounds: the worst black and frozen stretch, recovered only if every
    round did, said only if every round said (the first round's line), anything lost in any round."""
    out: dict[str, Row] = {}
    for name, r in rows:
        m = out.get(name)
        if m is None:
            out[name] = Row(r.fault, r.black, r.frozen, r.said, r.recovered, list(r.lost), r.fps, r.expect_said,
                            r.said_words)
            continue
        m.black, m.frozen = max(m.black, r.black), max(m.frozen, r.frozen)
        m.said = m.said if (m.said and r.said) else None
        m.recovered = None if m.recovered is None and r.recovered is None else bool(m.recovered is not False
                                                                                   and r.recovered is not False)
        m.lost += r.lost
        m.fps = (min(m.fps[0], r.fps[0]), max(m.fps[1], r.fps[1]))
    return list(out.values())


def _secs(x: float) -> str:
    return "-" if x != x else f"{x:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=sorted(FAULTS), help="run only these faults (repeatable)")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--rounds", type=int, default=1, help="run every fault this many times (the table keeps "
                    "the worst of each column)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (runs' stderr and stats)")
    args = ap.parse_args()
    if args.list:
        print("\n".join(f"{k}: {(v.__doc__ or '').strip().splitlines()[0]}" for k, v in FAULTS.items()))
        return 0
    names = args.only or list(FAULTS)
    work = Path(tempfile.mkdtemp(prefix="vj-faults-"))
    os.environ["VJ_STATE_DIR"] = str(work / "states")    # never the user's saved shows
    rows: list[tuple[str, Row]] = []
    load = [os.getloadavg()[0]]
    t0 = time.monotonic()
    try:
        root = work / "show"
        for i in range(4):
            write_clip(root / "src" / f"clip{i}.mp4", size=(96, 54), seconds=2.0, seed=i * 3)
        import_bank(root / "src", "t", banks_dir=root / "banks")
        track = write_track(root / "track.flac")
        with xvfb("1280x800x24") as display:
            show = Show(root, root / "banks", track, display)
            plan = [(r, name) for r in range(args.rounds) for name in ["baseline", *names]]
            plan.append((args.rounds, "baseline"))
            for rnd, name in plan:
                show.tag = f"-{rnd}" if rnd else ""
                fn = baseline if name == "baseline" else FAULTS[name]
                before = _user_files(root)
                print(f"[{time.monotonic() - t0:5.0f} s] {name} ...", file=sys.stderr, flush=True)
                try:
                    row = fn(show)
                except Exception as e:     # a fault that broke the rig is a row too, never a lost table
                    row = Row(f"{name}: the run failed: {type(e).__name__}: {str(e)[:120]}", float("nan"),
                              float("nan"), None, False, [], (0.0, 0))
                if row is None:
                    continue
                after = _user_files(root)
                row.lost += [f"{k} changed" for k, v in before.items() if after.get(k, v) != v]
                row.lost += [f"{k} gone" for k in before if k not in after]
                rows.append((name, row))
    finally:
        if args.keep:
            print(f"work folder: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    load.append(os.getloadavg()[0])
    rows = _merge(rows)
    base = [r.fps[0] for r in rows if r.fault.startswith("baseline") and r.fps[0]]
    base_fps = sum(base) / len(base) if base else 0.0
    print(f"\nvj play under Xvfb at 320x180, --fps 30; {machine()}; {time.monotonic() - t0:.0f} s in all; "
          f"each fault run {args.rounds} time(s), the baseline {args.rounds + 1}; load average {load[0]:.1f} at the "
          f"start, {load[1]:.1f} at the end")
    print(table(["fault", "longest black s", "longest frozen s", "fps (vs baseline), dropped", "message said",
                 "recovered", "data lost"],
          [[r.fault, _secs(r.black), _secs(r.frozen),
            "-" if r.fps[0] != r.fps[0] else (f"{r.fps[0]:.1f} ({r.fps[0] / base_fps:.2f}), {r.fps[1]}" if base_fps
                                              else f"{r.fps[0]:.1f}, {r.fps[1]}"),
            _words(r.said, r.said_words) if r.expect_said or r.said else "- (nothing to say)",
            "-" if r.recovered is None else ("yes" if r.recovered else "NO"),
            "no" if not r.lost else "YES: " + ", ".join(r.lost)] for r in rows]))
    bad = [r.fault for r in rows if r.black > TARGET_S or r.frozen > TARGET_S or r.lost
           or r.recovered is False or (r.expect_said and not r.said)]
    print(f"\ntarget (no black or frozen stretch over {TARGET_S:g} s, nothing lost, every fault said and recovered): "
          + ("met" if not bad else "MISSED by " + "; ".join(bad)))
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
