"""The analysis chain on synthetic tracks with exact beat grids (real aubio, no mocks)."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from signals import (FPS, HOP, SR, fired, frames, grid, groove, hat, house, kick, kick_track, listen, nearest_error,
                     place, same)
from vj.audio.analysis import Analyzer
from vj.audio.file_source import iter_blocks
from vj.audio.snapshot import AudioSnapshot
from vj.audio.beat_tracker import BeatTracker, fold_bpm


# -- the chain -------------------------------------------------------------------------------

def test_block_size_does_not_change_any_snapshot():
    x, _ = groove(124, 7.0)
    checkpoints = list(range(3001, x.size, 11025)) + [x.size]  # 0.25 s apart, off the hop grid
    results = []
    for block in (64, 256, 1000, 4096):
        an = Analyzer(SR)
        snaps, fed = [], 0
        for cp in checkpoints:
            for b in iter_blocks(x[fed:cp], block):
                an.process(b)
            fed = cp
            snaps.append(an.snapshot())
        results.append(snaps)
    assert results[0][-1].beat.locked  # the comparison covers a locked clock
    for other in results[1:]:
        assert all(same(a, b) for a, b in zip(results[0], other))


def test_a_snapshot_between_hops_does_not_change_the_beats():
    """The beats do not depend on when snapshots are taken.  A groove's grid is moved onto the
    "and" (``shift_phase(2)``) 8 s in, at a hop's end, and the phase challenger takes it back
    on its once-a-beat checks.  Fed and read once a frame (60 fps, as play and rehearsal do),
    the beats are those of the same audio read once a hop (the bench's 512-sample blocks).  A
    snapshot taken between a beat and the next hop used to fire that beat itself, and the
    hop skipped its check: read once a frame, the beats parted from the 20th on."""
    x, _ = groove(124, 16.0)
    shift_at = int(math.ceil(8.0 * SR / HOP)) * HOP
    per_frame = np.round(np.arange(1.0 / FPS, x.size / SR, 1.0 / FPS) * SR).astype(int)
    beats = []
    for ends in (range(HOP, x.size, HOP), per_frame):
        an, fired_at, last, fed = Analyzer(SR), [], -1, 0
        for end in sorted({*ends, shift_at, x.size}):
            an.process(x[fed:end])
            fed = end
            b = an.snapshot().beat
            if b.beat_count > last:
                fired_at.append(b.last_beat)
                last = b.beat_count
            if end == shift_at:
                an.tracker.shift_phase(2)
        beats.append(np.array(fired_at))
    assert beats[0].size > 25  # (locked, and the shifted grid taken back: measured 32 beats)
    np.testing.assert_array_equal(beats[1], beats[0])


def test_offline_listening_equals_live_feeding_and_stereo_input_is_mixed():
    x, _ = kick_track(120, 6.0)
    rng = np.random.default_rng(7)
    live = Analyzer(SR)
    snaps, pos = [], 0
    stereo = np.stack([x, x], axis=1)  # (frames, channels), as sounddevice delivers
    while pos < x.size:
        n = int(rng.integers(64, 4097))
        live.process(stereo[pos:pos + n])
        pos += n
        snaps.append(live.snapshot())
    offline = listen(x, SR, [s.time for s in snaps])
    assert len(offline) == len(snaps)
    assert all(same(a, b) for a, b in zip(snaps, offline))
    assert snaps[-1].time == pytest.approx(x.size / SR)


def test_bass_follows_the_kick_not_the_hat_and_treble_the_other_way():
    p = 0.5
    kicks, hats = grid(120, 8.0, 0.2), grid(120, 8.0, 0.2 + p / 2)
    x = place(8.0, kick(), kicks, 0.8) + place(8.0, hat(), hats)
    t = np.arange(1, x.size // HOP + 1) * HOP / SR
    snaps = listen(x, SR, t)
    bass = np.array([s.bass for s in snaps])
    treble = np.array([s.treble for s in snaps])

    def peak(arr: np.ndarray, at: np.ndarray) -> np.ndarray:
        return np.array([arr[(t >= a) & (t < a + 0.06)].max() for a in at if a > 2.0])

    assert peak(bass, kicks).min() > 0.8 and peak(bass, hats).max() < 0.1
    assert peak(treble, hats).min() > 0.8 and peak(treble, kicks).max() < 0.1
    k = snaps[int(np.searchsorted(t, kicks[8] + 0.03))]
    h = snaps[int(np.searchsorted(t, hats[8] + 0.02))]
    assert k.spectrum.shape == (32,) and not k.spectrum.flags.writeable
    assert k.spectrum.argmax() < 8 and h.spectrum.argmax() > 24
    # *_att: up at once with the kick, then a slow fall (not back to 0 by the hat)
    assert k.bass_att > 0.8 and 0.2 < h.bass_att < k.bass_att


def test_automatic_gain_makes_a_quiet_input_move_like_a_loud_one():
    x, _ = groove(120, 8.0)
    t = np.arange(0.0, 8.0, 1 / FPS)
    loud, quiet = listen(x, SR, t), listen(x * 0.01, SR, t)  # -40 dB
    late = t > 4.0
    for name in ("bass", "mid", "treble", "bass_att"):
        lv = np.array([getattr(s, name) for s in loud])[late]
        qv = np.array([getattr(s, name) for s in quiet])[late]
        assert qv.max() > 0.8 and qv.min() < 0.2, name
        assert np.abs(lv - qv).max() < 0.15, name
    assert quiet[-1].rms < 0.02 * loud[-1].rms + 1e-9  # rms stays absolute
    silent = listen(np.zeros(SR * 2, np.float32), SR, [1.0, 2.0])[-1]
    assert silent.rms == 0 and silent.bass == 0 and silent.treble == 0 and not silent.onset_fired


def test_onsets_fire_once_per_kick():
    x, beats = kick_track(128, 6.0)
    snaps = frames(x)
    assert sum(s.onset_fired for s in snaps) == len(beats)
    assert max(s.onset for s in snaps) == pytest.approx(1.0)


#: The analyser's CPU time per hop over that of REFERENCE_HOP, the same kind of numpy work (a windowed
#: 1024-point FFT and 32 band sums).  Both are CPU time (time.process_time) of the same process, so
#: the ratio does not depend on the machine's speed or on what else runs: measured 6.8-7.1 on the idle
#: 2-core dev box and 7.2-9.8 under `stress-ng --cpu 2` on top of the other helpers' test suites (load
#: average 5), best of 5 runs each.  An analyser twice as costly (ratio ~14) fails.
MAX_COST_RATIO = 13.0


def _reference_hop_cost(x: np.ndarray) -> float:
    win = np.hanning(1024).astype(np.float32)
    buf = np.zeros(1024, np.float32)
    edges = np.geomspace(2, 512, 33).astype(int)
    n = x.size // HOP
    start = time.process_time()
    for i in range(n):
        buf[:-HOP] = buf[HOP:]
        buf[-HOP:] = x[i * HOP:(i + 1) * HOP]
        np.log(np.add.reduceat(np.abs(np.fft.rfft(buf * win)), edges[:-1]) + 1e-9).sum()
    return (time.process_time() - start) / n


def _analyser_hop_cost(x: np.ndarray) -> float:
    an = Analyzer(SR)
    start = time.process_time()
    for b in iter_blocks(x, 1024):
        an.process(b)
    return (time.process_time() - start) / (x.size / HOP)


def test_cpu_per_hop_stays_small():
    x, _ = groove(128, 6.0)
    runs = [(_analyser_hop_cost(x), _reference_hop_cost(x)) for _ in range(5)]
    best, ref = min(a for a, _ in runs), min(r for _, r in runs)
    assert best / ref < MAX_COST_RATIO, f"{best * 1e6:.0f} us per hop, {best / ref:.1f}x the reference FFT"
    assert best < 0.1 * HOP / SR   # and far inside real time: under a tenth of a core


# -- the beat clock -------------------------------------------------------------------------

def check_clock(snaps: list[AudioSnapshot], beats: np.ndarray, bpm: float, lock_within: float) -> dict[str, float]:
    """The properties every locked clock must have; returns the measured numbers."""
    beats = np.concatenate([beats, beats[-1] + 60.0 / bpm * np.arange(1, 4)])  # predictions past the end
    hits = fired(snaps)
    assert hits, "never locked"
    lock = hits[0].time
    assert lock - beats[0] < lock_within
    counts = [s.beat.beat_count for s in snaps]
    assert all(b - a in (0, 1) for a, b in zip(counts, counts[1:]))  # +1 per beat, no skip, no repeat
    pos = np.array([s.beat.beat_position(s.time) for s in snaps if s.beat.locked])
    assert np.all(np.diff(pos) >= 0)
    settled = [s for s in snaps if s.time > lock + 1.0]
    bpm_err = max(abs(s.beat.bpm / bpm - 1) for s in settled)
    assert bpm_err < 0.01
    fired_err = np.abs(nearest_error(np.array([s.beat.last_beat for s in hits]), beats))
    next_err = np.abs(nearest_error(np.array([s.beat.next_beat for s in settled]), beats))
    assert fired_err.max() < 0.020 and next_err.max() < 0.020
    # no bias beyond 12 ms: onsets go into the grid ONSET_LEAD_S (6 ms) early, tuned on the corpus's
    # soundfont kicks; this instant-attack sine kick then fires about 11 ms early (5 ms before)
    assert abs(nearest_error(np.array([s.beat.last_beat for s in hits]), beats).mean()) < 0.012
    # a beat fires in the first frame at or after its predicted time
    assert all(0 <= s.time - s.beat.last_beat < 1 / FPS + 1e-9 for s in hits[1:])
    return {"lock": lock - beats[0], "err": fired_err.max(), "bpm_err": bpm_err}


@pytest.mark.parametrize("bpm, first", [(96, 0.31), (120, 0.18), (128, 0.11), (140, 0.27)])
def test_kick_tracks_lock_to_tempo_and_phase(bpm: float, first: float):
    x, beats = kick_track(bpm, 12.0, first=first)
    snaps = frames(x)
    check_clock(snaps, beats, bpm, lock_within=3.0)
    assert snaps[-1].beat.confidence > 0.8 and snaps[-1].beat.source == "comb"


def test_before_lock_the_clock_says_so():
    snaps = frames(kick_track(120, 1.0)[0])
    assert all(not s.beat.locked and math.isnan(s.beat.beat_position(s.time)) for s in snaps)
    assert snaps[-1].beat.beat_count == -1 and snaps[-1].beat.confidence == 0.0


def test_leading_digital_silence_does_not_stop_the_lock():
    x, beats = kick_track(120, 12.0, first=3.2)
    x[:int(3.2 * SR)] = 0.0
    check_clock(frames(x), beats, 120, lock_within=3.0)


def test_lock_survives_four_seconds_of_digital_silence():
    gap = (6.0, 10.0)
    x, beats = kick_track(128, 16.0, first=0.2, gap=gap)
    snaps = frames(x)
    check_clock(snaps, beats, 128, lock_within=3.0)
    period = 60.0 / 128
    inside = [s for s in snaps if gap[0] + 0.5 < s.time < gap[1]]
    assert all(s.beat.locked and s.beat.next_beat - s.beat.last_beat == pytest.approx(period, rel=0.01)
               for s in inside)  # flywheel at the old tempo
    # the count stays on the grid: (true beat index - beat_count) never changes, gap included
    hits = fired(snaps)
    index = np.abs(np.array([s.beat.last_beat for s in hits])[:, None] - beats[None, :]).argmin(axis=1)
    assert len(set(index - np.array([s.beat.beat_count for s in hits]))) == 1
    conf = {round(s.time, 2): s.beat.confidence for s in snaps}
    assert conf[5.5] > 0.8 and conf[9.8] < 0.6 and conf[15.9] > 0.8


@pytest.mark.parametrize("bpm", [126, 140])  # at 140 aubio drifts to a 3:2 tempo that fits the 8th hats too
def test_groove_locks_and_its_downbeat_is_the_strongest_kick(bpm: float):
    x, beats = groove(bpm, 16.0, first=0.15)
    snaps = frames(x)
    check_clock(snaps, beats, bpm, lock_within=3.0)
    late = [s for s in fired(snaps) if s.time > 9.0]
    index = np.abs(np.array([s.beat.last_beat for s in late])[:, None] - beats[None, :]).argmin(axis=1)
    assert all(s.beat.bar_beat == i % 4 for s, i in zip(late, index))


@pytest.mark.parametrize("bpm", [124, 132])
def test_house_beat_sits_on_the_kicks_not_the_off_beat_bass_and_hats(bpm: float):
    x, beats = house(bpm, 12.0)
    check_clock(frames(x), beats, bpm, lock_within=3.0)


def test_tempo_change_is_followed_without_running_backwards():
    first = grid(120, 10.0, 0.2)
    second = np.arange(first[-1] + 60 / 126, 22.0, 60 / 126)
    x = place(22.0, kick(), np.concatenate([first, second]), 0.8)
    snaps = frames(x)
    pos = np.array([s.beat.beat_position(s.time) for s in snaps if s.beat.locked])
    assert np.all(np.diff(pos) >= 0)
    counts = [s.beat.beat_count for s in snaps]
    assert all(b - a in (0, 1) for a, b in zip(counts, counts[1:]))
    assert all(abs(s.beat.bpm - 126) < 1.26 for s in snaps if s.time > 18.0)
    late = np.array([s.beat.last_beat for s in fired(snaps) if s.time > 18.0])
    assert np.abs(nearest_error(late, second)).max() < 0.020  # phase re-converged too


@pytest.mark.parametrize("bpm, hint, expect", [(120, None, 120), (120, 60, 60), (120, 240, 240),
                                               (65, None, 130), (65, 65, 65)])
def test_tempo_is_folded_into_the_range_or_the_hint(bpm: float, hint: float | None, expect: float):
    x, _ = kick_track(bpm, 10.0)
    last = frames(x, bpm_hint=hint)[-1].beat
    assert last.bpm == pytest.approx(expect, rel=0.01)


def test_fold_bpm():
    assert fold_bpm(60, 70, 180) == 120 and fold_bpm(200, 70, 180) == 100 and fold_bpm(90, 70, 180) == 90


def test_tracker_alone_matches_the_analyzer():
    """Without shared features the tracker runs its own; the beat clock comes out the same."""
    x, _ = kick_track(132, 6.0)
    tracker = BeatTracker(SR, HOP)
    for i in range(x.size // HOP):
        tracker.process_hop(x[i * HOP:(i + 1) * HOP], (i + 1) * HOP / SR)
    t = (x.size // HOP) * HOP / SR
    assert tracker.state(t) == listen(x, SR, [t])[0].beat
    assert tracker.state(t).locked
