"""Synthetic audio with exact beat grids, and the ways tests listen to it (through the show loop)."""

from __future__ import annotations

import numpy as np

from vj.audio.snapshot import AudioSnapshot
from vj.show.loop import ShowLoop

SR = 44100
HOP = 512
FPS = 60


# -- synthetic audio -----------------------------------------------------------------------

def kick(sr: int = SR) -> np.ndarray:
    """A pitch-dropping sine (140 -> 50 Hz) with a 60 ms decay: all bass, sharp attack."""
    t = np.arange(int(sr * 0.18)) / sr
    f = 50 + 90 * np.exp(-t / 0.03)
    return (np.sin(2 * np.pi * np.cumsum(f) / sr) * np.exp(-t / 0.06)).astype(np.float32)


def click_kick(sr: int = SR) -> np.ndarray:
    """The kick with a 3 ms beater click on top, as real kick drums have."""
    k = kick(sr)
    n = int(0.003 * sr)
    k[:n] += (0.5 * np.random.default_rng(9).standard_normal(n) * np.linspace(1, 0, n)).astype(np.float32)
    return k


def hat(sr: int = SR, seed: int = 0) -> np.ndarray:
    """Twice-differenced noise, 10 ms decay: all treble."""
    n = np.random.default_rng(seed).standard_normal(int(sr * 0.04))
    n = np.diff(np.diff(n, prepend=0), prepend=0)
    return (0.15 * n * np.exp(-np.arange(n.size) / sr / 0.01)).astype(np.float32)


def bass_note(sr: int = SR, hz: float = 55.0) -> np.ndarray:
    t = np.arange(int(sr * 0.2)) / sr
    return (0.5 * np.sin(2 * np.pi * hz * t) * np.minimum(1, t / 0.005) * np.exp(-t / 0.15)).astype(np.float32)


def place(seconds: float, sound: np.ndarray, times: np.ndarray, gain: float = 1.0) -> np.ndarray:
    """Mix ``sound`` in at ``times``; its last 10 ms fade out, so a cut tail is no extra onset."""
    sound = sound * np.minimum(1.0, np.arange(sound.size, 0, -1) / (0.01 * SR)).astype(np.float32)
    out = np.zeros(int(seconds * SR), np.float32)
    for t in times:
        i = int(round(t * SR))
        m = min(sound.size, out.size - i)
        if m > 0:
            out[i:i + m] += gain * sound[:m]
    return out


def grid(bpm: float, seconds: float, first: float) -> np.ndarray:
    return np.arange(first, seconds, 60.0 / bpm)


def kick_track(bpm: float, seconds: float, first: float = 0.2,
               gap: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Kicks on every beat from ``first``; ``gap`` = (start, end) of digital silence.
    Returns the audio and the full beat grid (including beats inside the gap)."""
    beats = grid(bpm, seconds, first)
    played = beats if gap is None else beats[(beats < gap[0]) | (beats >= gap[1])]
    x = place(seconds, kick(), played, 0.8)
    if gap is not None:
        x[int(gap[0] * SR):int(gap[1] * SR)] = 0.0
    return x, beats


def groove(bpm: float, seconds: float, first: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Bar of 4: accented kick on 1, softer kick on 3, hats on every 8th, a bass note on each off-beat."""
    beats = grid(bpm, seconds, first)
    p = 60.0 / bpm
    x = place(seconds, kick(), beats[0::4], 0.9) + place(seconds, kick(), beats[2::4], 0.5)
    x += place(seconds, hat(), grid(bpm * 2, seconds, first), 0.6)
    x += place(seconds, bass_note(), beats + p / 2, 0.5)
    return x, beats


def house(bpm: float, seconds: float, first: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Four-on-the-floor: kick on every beat; a louder open hat and a bass note on every
    off-beat; quiet closed hats on the 16ths.  The off-beats fit a grid as well as the
    kicks do, and aubio often sits on them."""
    beats = grid(bpm, seconds, first)
    p = 60.0 / bpm
    x = place(seconds, click_kick(), beats, 0.8) + place(seconds, hat(seed=3), beats + p / 2, 1.5)
    x += place(seconds, bass_note(hz=82), beats + p / 2, 0.8)
    x += place(seconds, hat(seed=5), grid(bpm * 4, seconds, first), 0.25)
    return x, beats


# -- helpers ---------------------------------------------------------------------------------

def stab_breakdown(bpm: float, stab_bpm: float, seconds: float = 32.0, out: float = 10.0,
                   back: float = 22.0) -> tuple[np.ndarray, np.ndarray]:
    """(audio, beats): kicks at ``bpm``, out from ``out`` to ``back`` s, where chord stabs (no
    bass) play at ``stab_bpm`` instead; then the kicks again on the same grid."""
    beats = grid(bpm, seconds, 0.2)
    t = np.arange(int(SR * 0.25)) / SR
    chord = sum(np.sin(2 * np.pi * f * t) for f in (330.0, 415.0, 495.0)) / 3
    stab = (chord * np.minimum(1.0, t / 0.005) * np.exp(-t / 0.12)).astype(np.float32)
    x = (place(seconds, kick(), beats[(beats < out) | (beats >= back)], 0.8)
         + place(seconds, stab, np.arange(out + 0.05, back, 60.0 / stab_bpm), 0.5))
    return x, beats


def same(a: AudioSnapshot, b: AudioSnapshot) -> bool:
    """Field-by-field equality, the arrays (spectrum, waveform) by value."""
    names = [n for n in AudioSnapshot.__slots__ if n not in ("spectrum", "waveform")]
    return all(getattr(a, n) == getattr(b, n) for n in names) and np.array_equal(a.spectrum, b.spectrum) \
        and np.array_equal(a.waveform, b.waveform)


def listen(x: np.ndarray, sr: int, times, **kw) -> list[AudioSnapshot]:
    """Feed ``x`` to the show loop up to each of ``times`` (seconds, non-decreasing; clamped to the
    track) and take its snapshot there, exactly as rehearsal does.  ``kw`` goes to ShowLoop."""
    loop = ShowLoop(sample_rate=sr, **kw)
    out: list[AudioSnapshot] = []
    for t in times:
        until = min(max(int(round(t * sr)), 0), len(x))
        if until < loop.samples_heard:
            raise ValueError(f"listen: times must not decrease (got {t} after {loop.audio_time()})")
        loop.tick(t, x[loop.samples_heard:until])
        out.append(loop.audio)
    return out


def frames(x: np.ndarray, fps: int = FPS, **kw) -> list[AudioSnapshot]:
    """One snapshot per video frame, fed the way the renderer feeds the analyser."""
    return listen(x, SR, np.arange(0.0, x.size / SR, 1.0 / fps), **kw)


def fired(snaps: list[AudioSnapshot]) -> list[AudioSnapshot]:
    """The snapshots at which a new beat had fired."""
    out, prev = [], -1
    for s in snaps:
        if s.beat.beat_count != prev:
            out.append(s)
            prev = s.beat.beat_count
    return [s for s in out if s.beat.beat_count >= 0]


def nearest_error(t: np.ndarray, beats: np.ndarray) -> np.ndarray:
    return t - beats[np.abs(np.asarray(t)[:, None] - beats[None, :]).argmin(axis=1)]


def track_live(audio: np.ndarray, sample_rate: int, shift_at: float | None = None,
               shift: int = 0) -> tuple[list, np.ndarray]:
    """(snapshot per 512-sample block, beat times fired) of the analysis chain fed ``audio`` as live.
    At ``shift_at`` seconds the tracker's beats are moved by ``shift`` quarters (a deliberately
    mis-seeded grid, for the phase challenger's tests)."""
    from vj.audio.analysis import Analyzer
    an = Analyzer(sample_rate=sample_rate, hop=512)
    snaps, beats, last = [], [], -1
    for i in range(0, audio.size, 512):
        if shift_at is not None and i / sample_rate >= shift_at:
            an.tracker.shift_phase(shift)
            shift_at = None
        an.process(audio[i:i + 512])
        s = an.snapshot()
        snaps.append(s)
        if s.beat.beat_count > last:
            beats.append(s.beat.last_beat)
            last = s.beat.beat_count
    return snaps, np.array(beats)


def phase_error(est: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Each fired beat's distance from the labelled beat grid ``ref``, in beats (-0.5..0.5; -0.5 the off-beat)."""
    pos = np.interp(est, ref, np.arange(ref.size))
    return (pos + 0.5) % 1.0 - 0.5
