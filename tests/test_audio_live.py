"""Live audio input: FileInput, and LiveInput on a real JACK server (the ring, the resampler and
the reader without a device are in test_audio_ring.py).

The JACK tests start their own server (dummy driver, tests/jack.py), play a rendered
track into vj's input ports from a second JACK client in another process, and check
what comes out of ``LiveInput.read_new``: the rate, that no sample is lost or doubled,
the level, that the analyser locks to the tempo, and that killing the server mid-stream
gives silence, "disconnected", and a reconnect when a server is back.

Measured numbers are printed (run with ``-s`` to see them).
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time

import av
import numpy as np
import pytest

from vj.audio import ring as R
from vj.audio.analysis import Analyzer
from vj.audio.file_input import FileInput
from vj.audio.live import LiveInput
from vj.audio.resample import StreamResampler
from vj.errors import VjError

from jack import Player, jack_server

SR = 44100
JACK_RATE = 48000
BPM = 120.0
FIRST_BEAT = 0.25
FRAME = 1 / 60


# -- synthetic music -------------------------------------------------------------------------

def click_kick(sr: int) -> np.ndarray:
    """A 140 -> 50 Hz pitch-drop kick (60 ms decay) with a 3 ms beater click."""
    t = np.arange(int(sr * 0.18)) / sr
    f = 50 + 90 * np.exp(-t / 0.03)
    k = np.sin(2 * np.pi * np.cumsum(f) / sr) * np.exp(-t / 0.06)
    n = int(0.003 * sr)
    k[:n] += 0.5 * np.random.default_rng(9).standard_normal(n) * np.linspace(1, 0, n)
    k *= np.minimum(1.0, np.arange(k.size, 0, -1) / (0.01 * sr))  # fade the tail
    return k.astype(np.float32)


def kick_track(sr: int, seconds: float, bpm: float = BPM, first: float = FIRST_BEAT) -> tuple[np.ndarray, np.ndarray]:
    beats = np.arange(first, seconds - 0.2, 60.0 / bpm)
    k = click_kick(sr)
    out = np.zeros(int(seconds * sr), np.float32)
    for b in beats:
        i = int(round(b * sr))
        m = min(k.size, out.size - i)
        out[i:i + m] += 0.8 * k[:m]
    return out, beats


def resample_offline(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    return StreamResampler(src, dst).process(x)


def onsets(x: np.ndarray, threshold: float, quiet: int) -> np.ndarray:
    """Sample indices where |x| first exceeds ``threshold`` after ``quiet`` samples below it."""
    above = np.nonzero(np.abs(x) > threshold)[0]
    if above.size == 0:
        return above
    keep = np.concatenate([[True], np.diff(above) > quiet])
    return above[keep]


def lag_of(captured: np.ndarray, reference: np.ndarray) -> int:
    """Where ``reference`` starts inside ``captured`` (cross-correlation peak)."""
    n = 1 << int(math.ceil(math.log2(len(captured) + len(reference))))
    c = np.fft.irfft(np.fft.rfft(captured, n) * np.conj(np.fft.rfft(reference, n)), n)
    return int(np.argmax(c[:len(captured)]))


# -- FileInput --------------------------------------------------------------------------------

def test_file_input_runs_by_an_injected_clock_faster_than_real_time(tmp_path):
    track, beats = kick_track(SR, 8.0)
    path = tmp_path / "kick.flac"
    with av.open(str(path), "w") as c:
        s = c.add_stream("flac", rate=SR, layout="mono")
        frame = av.AudioFrame.from_ndarray((track * 32767).astype(np.int16)[None, :], format="s16", layout="mono")
        frame.sample_rate = SR
        for p in s.encode(frame):
            c.mux(p)
        for p in s.encode():
            c.mux(p)
    now = [100.0]
    src = FileInput(path, clock=lambda: now[0])
    assert src.read_new().size == 0  # not started
    src.start()
    analyzer = Analyzer(SR)
    total = 0
    t0 = time.perf_counter()
    for i in range(int(9.0 / FRAME)):  # past the end of the track: silence keeps time flowing
        now[0] += FRAME
        block = src.read_new()
        total += block.size
        assert abs(total - (i + 1) * FRAME * SR) <= 1
        analyzer.process(block)
    wall = time.perf_counter() - t0
    assert src.status().state == "ended" and not src.status().connected
    # the player's watch says a file's end once; where the player says it itself (--tracks), not again
    from vj.live.audiowatch import AudioWatch
    for say_end, want in ((True, 1), (False, 0)):
        said: list[str] = []
        fresh = FileInput(path, clock=lambda: now[0]).start()
        watch = AudioWatch(fresh, lambda level, text: said.append(text), say_end=say_end)
        for k in range(4):
            watch.poll(1000.0 + k)
            now[0] += 5.0
            fresh.read_new()
        assert sum("ended: the show runs on" in t for t in said) == want, (say_end, said)
    beat = analyzer.snapshot().beat
    assert beat.locked and abs(beat.bpm - BPM) / BPM < 0.02
    print(f"\nFileInput: 9 s of audio analysed in {wall:.2f} s; {beat.bpm:.2f} BPM")
    looped = FileInput(np.arange(10, dtype=np.float32), clock=lambda: now[0], loop=True)
    looped.start()
    now[0] += 25 / SR
    np.testing.assert_array_equal(looped.read_new(), np.arange(25) % 10)


# -- LiveInput on a real JACK server ------------------------------------------------------------

def _vj_ports(server, count: int) -> list[str]:
    ports = server.wait_ports("vj:", count)
    assert len(ports) >= count, f"vj's JACK ports did not appear: {server.ports()}"
    return ports


def _patch_player(server, player) -> None:
    """Connect the player's two outputs to vj's two inputs, as a performer patches a mixer into vj."""
    vj_in, out = _vj_ports(server, 2), _player_ports(server, player.name)
    server.connect(out[0], vj_in[0])
    server.connect(out[1], vj_in[1])


def _player_ports(server, name: str) -> list[str]:
    ports = server.wait_ports(f"{name}:", 2)
    assert len(ports) == 2, f"the player's ports did not appear: {server.ports()}"
    return ports


def _run_audio_cli(*argv: str) -> subprocess.CompletedProcess:
    code = ("import argparse, sys\nfrom vj.commands import audio\n"
            "p = argparse.ArgumentParser(prog='vj'); sub = p.add_subparsers(); audio.register(sub)\n"
            "a = p.parse_args(sys.argv[1:]); sys.exit(a.func(a))\n")
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=30)


def test_live_input_through_jack_locks_to_the_tempo(tmp_path):
    seconds = 6.5
    track48, beats = kick_track(JACK_RATE, seconds)
    # channel 1 plays the track, channel 2 the track at half level; vj listens to channel 2 only
    stereo = np.stack([track48, 0.5 * track48], 1)
    reference = 0.5 * resample_offline(track48, JACK_RATE, SR)
    with jack_server() as server:
        listing = _run_audio_cli("audio", "devices")
        assert listing.returncode == 0, listing.stderr
        assert "system" in listing.stdout and "JACK Audio Connection Kit" in listing.stdout
        assert any(line.lstrip().startswith("*") and "system" in line for line in listing.stdout.splitlines())
        print("\n" + listing.stdout)

        with pytest.raises(VjError, match="no input device matches 'no such card'"):
            LiveInput(device="no such card").start()

        t_open = time.monotonic()
        live = LiveInput(device="system", channels=[2]).start()
        open_s = time.monotonic() - t_open
        player = Player(stereo, tmp_path)
        try:
            player.start()
            _patch_player(server, player)
            live.read_new()  # drop what came before the loop
            consumed0 = live.frames_taken  # device frames taken from the ring so far
            analyzer = Analyzer(SR)
            chunks, reads, fired = [], [], []
            player.play()
            t_play = time.monotonic()
            total = 0
            # until the device has delivered the whole track (a JACK server without realtime scheduling
            # runs slow on a loaded machine), or twice its length
            while (live.frames_taken - consumed0 < (seconds + 0.5) * JACK_RATE
                   and time.monotonic() - t_play < 2 * seconds):
                block = live.read_new()
                total += block.size
                reads.append((time.monotonic(), total))
                chunks.append(block)
                analyzer.process(block)
                beat = analyzer.snapshot().beat
                if beat.locked and (not fired or beat.beat_count != fired[-1][0]):
                    fired.append((beat.beat_count, beat.last_beat, beat.bpm, analyzer.time))
                time.sleep(FRAME)
            status = live.status()
            consumed = live.frames_taken - consumed0
            log = player.stop()
        finally:
            live.close()
            player.stop()  # quit cleanly: a killed JACK client stalls a --sync server for 5 s

    captured = np.concatenate(chunks)
    reads_arr = np.array(reads)
    # rate: every device frame taken from the ring came out as 44100/48000 analysis samples
    # (less the resampler's ~16-sample hold) ...
    assert abs(total - consumed * SR / JACK_RATE) < 32, (total, consumed)
    # ... and per second of wall time, about 44100.  The dummy driver's clock is the machine's, but a
    # --sync server without realtime scheduling runs its cycles late when the machine is loaded, so the
    # device itself delivers less than real time: 1 % slow when idle, 4 % and 15 % slow under
    # `stress-ng --cpu 2` beside three other test suites.  (That vj loses nothing is the check above.)
    a, b = np.searchsorted(reads_arr[:, 0], [t_play + 1.0, reads_arr[-1, 0]])
    rate = (reads_arr[b, 1] - reads_arr[a, 1]) / (reads_arr[b, 0] - reads_arr[a, 0])
    assert abs(rate - SR) / SR < 0.25, f"{rate:.0f} samples/s of wall time"
    assert status.connected and status.overruns == 0 and status.lost_s == 0
    assert status.sample_rate == JACK_RATE and status.channels == (2,)

    # no gaps, nothing doubled: every kick arrives exactly one beat (22050 samples) after the last
    lag = lag_of(captured, reference)
    hits = onsets(captured, 0.1, int(0.3 * SR))
    expected = lag + np.round(beats * SR).astype(int)
    assert len(hits) == len(beats), (hits, expected)
    spacing = np.diff(hits)
    assert np.all(np.abs(spacing - SR * 60 / BPM) <= 1), spacing
    assert np.all(np.abs(hits - expected) <= 8)

    # level: what arrived is what channel 2 played
    seg = captured[lag:lag + len(reference)]
    ref = reference[:len(seg)]
    rms_db = 20 * math.log10(np.sqrt(np.mean(seg.astype(np.float64) ** 2)) / np.sqrt(np.mean(ref.astype(np.float64) ** 2)))
    corr = float(np.dot(seg, ref) / np.sqrt(np.dot(seg, seg) * np.dot(ref, ref)))
    assert abs(rms_db) < 0.2 and corr > 0.98, (rms_db, corr)

    # the analyser locks to 120 BPM and its beats land on the played grid
    offset_s = lag / SR  # analysis time of the track's sample 0
    assert fired, "the analyser never locked"
    lock_s = fired[0][3] - offset_s  # audio seconds from the first kick's sample 0 to the first locked snapshot
    steady = [f for f in fired if 3.0 < f[1] - offset_s < beats[-1] + 0.1]   # not the flywheel after the track
    assert steady and lock_s < 4.0, fired
    errors_ms = [1000 * (f[1] - offset_s - beats[np.argmin(np.abs(beats - (f[1] - offset_s)))]) for f in steady]
    assert all(abs(f[2] - BPM) / BPM < 0.02 for f in steady), [f[2] for f in steady]
    assert max(abs(e) for e in errors_ms) < 40, errors_ms

    # end-to-end latency: player's JACK callback -> read_new returned that sample
    lat = []
    for bt in beats:
        i48 = int(round(bt * JACK_RATE))
        row = np.nonzero((log[:, 1] <= i48) & (i48 < log[:, 1] + log[:, 2]))[0]
        if row.size == 0:
            continue
        t_out = log[row[0], 0]
        idx = np.searchsorted(reads_arr[:, 1], lag + bt * SR + 1)
        if idx < len(reads_arr):
            lat.append(reads_arr[idx, 0] - t_out)
    lat_ms = 1000 * np.array(lat)
    print(f"LiveInput: opened in {open_s * 1000:.0f} ms; {rate:.1f} samples/s of wall time; "
          f"level {rms_db:+.3f} dB, correlation {corr:.4f}; input-overflow flags (JACK xruns) "
          f"{status.input_overflows}; stream latency reported {status.latency_s * 1000:.1f} ms")
    print(f"analyser: locked {lock_s:.2f} s after the track started, {steady[-1][2]:.2f} BPM; "
          f"beat error vs played grid: mean {np.mean(errors_ms):+.1f} ms, max |{max(abs(e) for e in errors_ms):.1f}| ms "
          f"over {len(errors_ms)} beats")
    print(f"end-to-end (player callback -> read_new, reads every 1/60 s): median {np.median(lat_ms):.1f} ms, "
          f"max {np.max(lat_ms):.1f} ms over {len(lat_ms)} kicks")
    assert len(lat_ms) >= len(beats) - 2 and np.median(lat_ms) < 50


def test_server_killed_mid_stream_gives_silence_then_reconnects(tmp_path):
    track48, _ = kick_track(JACK_RATE, 30.0)
    stereo = np.stack([track48, 0.5 * track48], 1)
    reference_rms = 0.75 * float(np.sqrt(np.mean(resample_offline(track48, JACK_RATE, SR)[:SR * 20].astype(np.float64) ** 2)))
    with jack_server() as server:
        live = LiveInput(device="system").start()  # default channels: 1 and 2, mixed
        player = Player(stereo, tmp_path)
        try:
            player.start()
            _patch_player(server, player)
            player.play()
            live.read_new()

            def read_for(seconds: float, until=None) -> tuple[np.ndarray, list[tuple[float, int, str]]]:
                t0, total, parts, states = time.monotonic(), 0, [], []
                while time.monotonic() - t0 < seconds:
                    x = live.read_new()  # any exception here fails the test
                    parts.append(x)
                    total += x.size
                    st = live.status()
                    states.append((time.monotonic() - t0, total, st.state))
                    if until is not None and until(st):
                        break
                    time.sleep(FRAME)
                return np.concatenate(parts), states

            # the track flowing first (on a loaded machine the player can take a while to start), then 1 s of it
            read_for(10.0, until=lambda st: st.connected and st.level > 0.05)
            before, _ = read_for(1.0)
            # the track is there (a dropout or two on a loaded machine's JACK graph is not what this checks)
            assert np.sqrt(np.mean(before.astype(np.float64) ** 2)) > 0.5 * reference_rms
            t_kill = time.monotonic()
            server.kill()  # SIGKILL: the server crashes
            player.kill()
            dead, states = read_for(2.0)
            dead_s = time.monotonic() - t_kill
            # time kept flowing: silence at the analysis rate, from where the last audio ended (on a loaded
            # machine the last block came up to ~60 ms before the kill: that gap is filled too)
            assert abs(dead.size - dead_s * SR) < 0.02 * SR * dead_s + 0.1 * SR, (dead.size, dead_s)
            first_disc = next(t for t, _, s in states if s == "disconnected")
            assert first_disc < 0.8, states[:5]
            assert states[-1][2] == "disconnected"
            tail = dead[int(SR * 0.8):]
            assert tail.size > SR and not np.any(tail)  # silence, at the analysis rate
            st = live.status()
            assert not st.connected and st.since_audio_s > 1.5 and st.error

            server.start()
            t_back = time.monotonic()
            again, states = read_for(8.0, until=lambda s: s.connected)
            reconnect_s = time.monotonic() - t_back
            assert live.status().connected, states[-3:]
            assert live.status().reconnects == 1
            player = Player(stereo, tmp_path, name="vjplayer2")
            player.start()
            _patch_player(server, player)
            player.play()
            live.read_new()
            after, _ = read_for(1.5)
            after_rms = float(np.sqrt(np.mean(after[SR // 2:].astype(np.float64) ** 2)))
            print(f"\ndisconnect: 'disconnected' {first_disc * 1000:.0f} ms after the server was killed; "
                  f"{dead.size / dead_s:.0f} samples/s of silence; reconnected {reconnect_s:.2f} s after the "
                  f"server was back; level after: {20 * math.log10(after_rms / reference_rms):+.2f} dB vs played")
            assert reconnect_s < 4.0
            assert abs(20 * math.log10(after_rms / reference_rms)) < 1.0
        finally:
            live.close()
            player.stop()


def test_stream_that_stops_calling_back_is_declared_disconnected_and_reopened():
    """The capture process freezes (SIGSTOP: a stuck driver): no callbacks, no error.  After
    0.5 s the input says disconnected and read_new gives silence; after 1 s the process is
    replaced and audio flows again.  (Asynchronous server: a frozen client does not stall it.)"""
    with jack_server(sync=False):
        live = LiveInput(device="system").start()
        try:
            t0 = time.monotonic()
            while time.monotonic() - t0 < 0.3:
                live.read_new()
                time.sleep(FRAME)
            frozen = int(live.ring.header[R.CHILD_PID])
            os.kill(frozen, signal.SIGSTOP)
            t_stop = time.monotonic()
            total, seen = 0, {}
            while time.monotonic() - t_stop < 4.0:
                total += live.read_new().size
                st = live.status()
                seen.setdefault(st.state, (time.monotonic() - t_stop, st.error))
                if "disconnected" in seen and st.connected:
                    seen["reconnected"] = (time.monotonic() - t_stop, "")
                    break
                time.sleep(FRAME)
            elapsed = time.monotonic() - t_stop
            assert 0.45 < seen["disconnected"][0] < 0.8, seen
            assert "no audio" in seen["disconnected"][1] or "reopening" in seen["disconnected"][1] or seen
            assert "reconnected" in seen and live.status().reconnects == 1, seen
            assert abs(total - elapsed * SR) < 0.05 * SR * elapsed, (total, elapsed)
            assert int(live.ring.header[R.CHILD_PID]) != frozen
            with pytest.raises(ProcessLookupError):  # the frozen process was killed and reaped
                os.kill(frozen, 0)
            print(f"\nstall: disconnected {seen['disconnected'][0] * 1000:.0f} ms after the last callback, "
                  f"audio again {seen['reconnected'][0]:.2f} s after it")
        finally:
            live.close()
