"""A drum kit and a few instruments synthesised in numpy: the corpus's one synthesis source
that is not a General MIDI soundfont, drawn afresh for every item from its seed.

Kicks vary the most (that is what a phase rule must recognise, not one sample): a sine
whose pitch falls from 90-260 Hz to 40-70 Hz in 12-70 ms, an amplitude decay of 35-600 ms
(a tight 909 to a long 808), a click of 0 to -12 dB, and some drive.  Snares, claps,
hats (six detuned square waves, as in an 808), toms, congas, rim, shaker and cymbals
follow the same idea.  Melodic parts are subtractive or additive voices chosen by the GM
program's family: bass (sub sine, filtered saw or square), keys (decaying harmonics),
plucked guitar (Karplus-Strong), pads and strings (detuned saws), leads (square), and a
log drum for programs 112-119 (a sine gliding down onto its pitch: the amapiano sound).
"""

from __future__ import annotations

import math

import numpy as np

from corpus_synth import SR, NoteKey

#: Part of the cache key: bump when a sound changes.
KIT_VERSION = 1


def _t(seconds: float) -> np.ndarray:
    return np.arange(int(seconds * SR)) / SR


def _lowpass(x: np.ndarray, hz: float) -> np.ndarray:
    a = math.exp(-2 * math.pi * hz / SR)
    from scipy.signal import lfilter
    return lfilter([1 - a], [1, -a], lfilter([1 - a], [1, -a], x))


def _highpass(x: np.ndarray, hz: float) -> np.ndarray:
    return x - _lowpass(x, hz)


def _bandpass(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    from scipy.signal import butter, sosfilt
    return sosfilt(butter(2, [lo, hi], "bandpass", fs=SR, output="sos"), x)


def _fade(x: np.ndarray, ms: float = 3.0) -> np.ndarray:
    n = min(x.size, int(ms * SR / 1000))
    if n:
        x[-n:] *= np.linspace(1.0, 0.0, n)
    return x


class NumpyKit:
    """One item's sounds, drawn from ``rng``."""

    def __init__(self, rng: np.random.Generator):
        u = rng.uniform
        self.rng_seed = int(rng.integers(1 << 30))
        self.kick = dict(f0=u(90, 260), f1=u(40, 70), sweep=u(0.012, 0.07), decay=float(np.exp(u(np.log(0.035),
                         np.log(0.6)))), click=u(0.0, 0.25) if u() < 0.75 else 0.0, drive=u(1.0, 3.0))
        self.snare = dict(tone=u(150, 260), decay=u(0.06, 0.2), noise=u(0.5, 1.5), bright=u(2000, 7000))
        self.clap = dict(bursts=int(rng.integers(2, 5)), gap=u(0.006, 0.013), decay=u(0.05, 0.2), centre=u(900, 2000))
        self.hat = dict(base=u(300, 560), closed=u(0.025, 0.07), open=u(0.18, 0.5), hp=u(5000, 9000))
        self.ride = dict(decay=u(0.6, 1.6), base=u(350, 520))
        self.bass_kind = ["sub", "saw", "square"][int(rng.integers(3))]
        self.bass_cut = u(300, 1500)
        self.pad_detune = u(0.003, 0.012)
        self.cache: dict[NoteKey, np.ndarray] = {}

    def _noise(self, key: NoteKey, n: int) -> np.ndarray:
        seed = (self.rng_seed * 1_000_003 + key.pitch * 1009 + key.program * 31 + key.dur_k) & 0x7FFFFFFF
        return np.random.default_rng(seed).standard_normal(n)

    def note(self, key: NoteKey) -> np.ndarray:
        hit = self.cache.get(key)
        if hit is None:
            x = self._drum(key) if key.drum else self._melodic(key)
            amp = (key.vel / 127.0) ** 1.6
            hit = self.cache[key] = (_fade(x) * amp * 0.5).astype(np.float32)
        return hit

    # -- drums ---------------------------------------------------------------------------

    def _drum(self, key: NoteKey) -> np.ndarray:
        p = key.pitch
        if p in (35, 36):
            k = dict(self.kick)
            if p == 35:
                k["f1"] *= 0.9
            return self._kick(**k, noise=self._noise(key, int(0.01 * SR)))
        if p in (38, 40):
            return self._snare(key)
        if p == 39:
            return self._clap(key)
        if p in (42, 44, 46):
            return self._hat(key, {42: self.hat["closed"], 44: self.hat["closed"] * 0.7, 46: self.hat["open"]}[p])
        if p in (49, 51, 53, 57, 59):
            return self._cymbal(key, self.ride["decay"] * (1.6 if p in (49, 57) else 1.0))
        if p in (41, 43, 45, 47, 48, 50):
            return self._tom(110.0 * 2 ** ((p - 41) / 12 * 1.5), 0.25)
        if p in (60, 61, 62, 63, 64):
            return self._tom(180.0 * 2 ** ((p - 64) / 12 * 2), 0.12, bend=0.15)
        if p == 37:
            t = _t(0.04)
            return np.sin(2 * np.pi * 1700 * t) * np.exp(-t / 0.008) + 0.5 * self._noise(key, t.size) * np.exp(-t / 0.005)
        if p in (54, 69, 70, 82):
            t = _t(0.09)
            env = np.minimum(t / 0.01, 1.0) * np.exp(-t / 0.03)
            return _highpass(self._noise(key, t.size), 5000) * env * 1.5
        if p == 56:
            t = _t(0.3)
            sq = np.sign(np.sin(2 * np.pi * 540 * t)) + np.sign(np.sin(2 * np.pi * 800 * t))
            return _bandpass(sq, 400, 3000) * np.exp(-t / 0.08) * 0.5
        return self._tom(200.0, 0.1)

    def _kick(self, f0, f1, sweep, decay, click, drive, noise) -> np.ndarray:
        t = _t(min(1.2, decay * 5 + 0.02))
        freq = f1 + (f0 - f1) * np.exp(-t / sweep)
        phase = 2 * np.pi * np.cumsum(freq) / SR
        body = np.sin(phase) * np.exp(-t / decay) * np.minimum(t / 0.0008, 1.0)
        body = np.tanh(drive * body) / math.tanh(drive)
        if click:
            c = _highpass(noise, 2000) * np.exp(-np.arange(noise.size) / (0.0015 * SR)) * click
            body[:c.size] += c
        return body

    def _snare(self, key: NoteKey) -> np.ndarray:
        s = self.snare
        t = _t(0.5)
        tone = np.sin(2 * np.pi * s["tone"] * t) * np.exp(-t / 0.04)
        nz = _lowpass(self._noise(key, t.size), s["bright"]) * np.exp(-t / s["decay"]) * s["noise"]
        return 0.6 * tone + nz

    def _clap(self, key: NoteKey) -> np.ndarray:
        c = self.clap
        t = _t(0.5)
        env = np.zeros(t.size)
        for b in range(c["bursts"]):
            t0 = b * c["gap"]
            env += np.where(t >= t0, np.exp(-(t - t0) / 0.004), 0.0)
        tail_start = (c["bursts"] - 1) * c["gap"]
        env += np.where(t >= tail_start, 0.6 * np.exp(-(t - tail_start) / c["decay"]), 0.0)
        return _bandpass(self._noise(key, t.size), c["centre"] * 0.6, c["centre"] * 2.5) * env * 2.0

    def _hat(self, key: NoteKey, decay: float) -> np.ndarray:
        h = self.hat
        t = _t(decay * 5 + 0.01)
        ratios = (1.0, 1.342, 1.2312, 1.6532, 1.9523, 2.1523)
        metal = sum(np.sign(np.sin(2 * np.pi * h["base"] * r * t)) for r in ratios)
        x = _highpass(metal + 1.5 * self._noise(key, t.size), h["hp"]) * np.exp(-t / decay)
        return x * 0.35

    def _cymbal(self, key: NoteKey, decay: float) -> np.ndarray:
        r = self.ride
        t = _t(min(2.5, decay * 3))
        metal = sum(np.sin(2 * np.pi * r["base"] * m * t) for m in (1.0, 2.37, 3.11, 4.73, 5.99))
        x = _highpass(0.5 * metal + self._noise(key, t.size), 3000) * np.exp(-t / decay)
        return x * 0.2

    def _tom(self, f: float, decay: float, bend: float = 0.3) -> np.ndarray:
        t = _t(decay * 5)
        freq = f * (1 + bend * np.exp(-t / 0.03))
        return np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-t / decay)

    # -- melodic ---------------------------------------------------------------------------

    def _melodic(self, key: NoteKey) -> np.ndarray:
        f = 440.0 * 2 ** ((key.pitch - 69) / 12)
        prog, dur = key.program, key.dur
        if 32 <= prog <= 39:
            return self._bass(f, dur)
        if 112 <= prog <= 119:
            return self._log_drum(f, dur)
        if 24 <= prog <= 31:
            return self._pluck(f, dur, key)
        if 40 <= prog <= 55 or 88 <= prog <= 95:
            return self._saws(f, dur, attack=0.15 if prog < 88 else 0.3, release=0.4, cutoff=2500)
        if 80 <= prog <= 87:
            t = _t(dur + 0.08)
            x = np.sign(np.sin(2 * np.pi * f * t)) * np.minimum(t / 0.005, 1.0)
            return _lowpass(x * self._release(t, dur, 0.06), 4000) * 0.25
        # keys, organ, bells and everything else: decaying harmonics
        t = _t(dur + 0.3)
        x = sum(np.sin(2 * np.pi * f * h * t) * np.exp(-t * h / 0.9) / h for h in (1, 2, 3, 4, 6))
        return x * np.minimum(t / 0.003, 1.0) * self._release(t, dur, 0.15) * 0.35

    @staticmethod
    def _release(t: np.ndarray, dur: float, release: float) -> np.ndarray:
        return np.where(t < dur, 1.0, np.exp(-(t - dur) / max(release / 4, 1e-3)))

    def _bass(self, f: float, dur: float) -> np.ndarray:
        t = _t(dur + 0.06)
        ph = 2 * np.pi * f * t
        if self.bass_kind == "sub":
            x = np.sin(ph) + 0.15 * np.sin(2 * ph)
        elif self.bass_kind == "saw":
            x = _lowpass(2 * ((f * t) % 1.0) - 1, self.bass_cut)
        else:
            x = _lowpass(np.sign(np.sin(ph)), self.bass_cut)
        env = np.minimum(t / 0.004, 1.0) * self._release(t, dur, 0.05)
        return x * env * 0.6

    def _log_drum(self, f: float, dur: float) -> np.ndarray:
        t = _t(max(dur, 0.25) + 0.1)
        freq = f * (1 + 0.6 * np.exp(-t / 0.04))
        x = np.sin(2 * np.pi * np.cumsum(freq) / SR)
        x = np.tanh(2.0 * x) * np.exp(-t / 0.35) * np.minimum(t / 0.002, 1.0)
        return x * self._release(t, max(dur, 0.25), 0.05) * 0.6

    def _pluck(self, f: float, dur: float, key: NoteKey) -> np.ndarray:
        n = int((dur + 0.2) * SR)
        period = max(2, int(round(SR / f)))
        buf = self._noise(key, period)
        out = np.empty(n)
        for i in range(0, n, period):  # Karplus-Strong, one period at a time
            m = min(period, n - i)
            out[i:i + m] = buf[:m]
            buf = 0.996 * 0.5 * (buf + np.roll(buf, -1))
        return out * self._release(np.arange(n) / SR, dur, 0.08) * 0.4

    def _saws(self, f: float, dur: float, attack: float, release: float, cutoff: float) -> np.ndarray:
        t = _t(dur + release)
        d = self.pad_detune
        x = sum(2 * ((f * m * t) % 1.0) - 1 for m in (1 - d, 1.0, 1 + d)) / 3
        env = np.minimum(t / attack, 1.0) * self._release(t, dur, release)
        return _lowpass(x, cutoff) * env * 0.3
