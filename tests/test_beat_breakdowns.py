"""Breakdowns: the drums stop, an arpeggio or stabs go on, the drums come back (round 23).

The grid must hold through them, on tempo and on the beat, and go on when the kicks return
(synthetic audio with exact beat grids; real features, no mocks)."""

from __future__ import annotations

import numpy as np

from signals import SR, click_kick, grid, hat, nearest_error, place, stab_breakdown

from vj.audio.analysis import Analyzer

HOP = 512


def run(x: np.ndarray) -> tuple[Analyzer, np.ndarray, np.ndarray]:
    """The analysis chain fed ``x`` as live: the analyser, each fired beat's time and tempo."""
    an = Analyzer(sample_rate=SR, hop=HOP)
    beats, bpms, last = [], [], -1
    for i in range(0, x.size - HOP, HOP):
        an.process(x[i:i + HOP])
        b = an.snapshot().beat
        if b.beat_count > last:
            beats.append(b.last_beat)
            bpms.append(b.bpm)
            last = b.beat_count
    return an, np.array(beats), np.array(bpms)


def legato_arpeggio(seconds: float, times: np.ndarray, notes=(98.0, 110.0, 131.0, 147.0)) -> np.ndarray:
    """A bass-register arpeggio on one oscillator: its pitch steps to the next note at each of
    ``times`` and the note is re-attacked from half level with a 3 ms click (no silence between
    notes, and no pitch fall but at the wrap: FM synths play such arpeggios)."""
    out = np.zeros(int(seconds * SR), np.float32)
    n0, n1 = int(times[0] * SR), min(out.size, int((times[-1] + 0.3) * SR))
    t = np.arange(n0, n1) / SR
    idx = np.clip(np.searchsorted(times, t, side="right") - 1, 0, len(times) - 1)
    phase = 2 * np.pi * np.cumsum(np.asarray(notes)[idx % len(notes)]) / SR
    since = t - times[idx]
    sig = np.sin(phase) * (0.5 + 0.5 * np.exp(-since / 0.1) * np.minimum(1.0, since / 0.003))
    n_click = int(0.003 * SR)
    rng = np.random.default_rng(5)
    for t0 in times:
        i = int(t0 * SR) - n0
        if 0 <= i < sig.size - n_click:
            sig[i:i + n_click] += 0.05 * rng.standard_normal(n_click) * np.linspace(1, 0, n_click)
    out[n0:n1] = sig
    return out


def test_an_arpeggio_on_the_and_in_a_breakdown_does_not_flip_the_grid():
    """Kicks (with a beater click) and off-beat hats at 126, then 16 s of a legato bass arpeggio
    on every "and" with the hats, then the kicks again.  The arpeggio's onsets rate as
    kick-strength (bass rise x attack), so "no kick: hold" never applied: the phase cues read
    its notes on the "and", and the phase challenger and the comb's "lost" re-seed moved the
    grid onto them (house-breakdown-126@opl3 flipped so, round 21).  Its notes do not fall in
    pitch: the kick cue (``kick_cue``) says the kicks stopped, and the grid holds."""
    bpm, seconds, out, back = 126.0, 34.0, 10.0, 26.0
    p = 60.0 / bpm
    beats = grid(bpm, seconds, 0.2)
    x = (place(seconds, click_kick(), beats[(beats < out) | (beats >= back)], 0.8)
         + place(seconds, hat(), beats + p / 2, 0.3)
         + 0.3 * legato_arpeggio(seconds, beats[(beats >= out) & (beats < back)] + p / 2))
    an, fired, bpms = run(x)
    moves = [m for m in an.tracker.moves if out < m.t < seconds]
    assert not [m for m in moves if (m.after.offset - m.before.offset) % 1.0 > 0.1], moves
    after = fired[fired > 4.0]
    assert np.abs(nearest_error(after, beats)).max() < 0.03
    assert np.all(np.abs(bpms[fired > 4.0] / bpm - 1.0) < 0.01)


def test_stabs_at_another_tempo_without_kicks_do_not_bend_the_grid():
    """Kicks at 130, then 12 s of chord stabs (no bass) at 150, then the kicks again.  No rule
    moved the grid, but its refit followed the stabs: 130 -> 132 BPM and beats 140 ms off by the
    breakdown's middle.  Once the kicks stopped (``kick_cue``) it flywheels instead, as in a
    silence."""
    bpm, seconds, out, back = 130.0, 32.0, 10.0, 22.0
    x, beats = stab_breakdown(bpm, 150.0, seconds, out, back)
    _, fired, bpms = run(x)
    after = fired > 4.0
    assert np.abs(nearest_error(fired[after], beats)).max() < 0.03
    assert np.all(np.abs(bpms[after] / bpm - 1.0) < 0.005)
