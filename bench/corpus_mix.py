"""Stems, a random mix per item, and the rooms a microphone hears: the corpus's audio
after the notes are chosen.

``render_stems`` places each note's one-shot (``corpus_synth``) at its exact sample, one
stem per part.  ``draw_mix`` draws a mix for the item; ``mixdown`` applies it:

- every stem is first brought to a reference level (``PART_LEVEL_DB``, measured as the
  95th percentile of its 50 ms RMS), so a font's own balance does not decide the mix;
- kick and bass then move by -9..+9 dB each (a recipe may narrow that: a quiet kick, a
  bass over the kick), every other part by up to ``OTHER_DB``;
- an EQ tilt of up to ``TILT_DB_OCT`` dB per octave around 1 kHz (zero-phase: timing kept);
- sidechain pumping on bass and pads (and chords) from the kick, ``PUMP_DB`` deep, on half
  the items;
- one to three melodic parts with long attacks (``ATTACK_S``);
- a peak level drawn in ``LEVEL_DB``.

Degradations (``DEGRADATIONS``) are causal filters or additive noise, so the direct sound
keeps its timing: ``reverb``, ``crowd``, ``laptop`` (as before) and ``club`` (a PA with
more low end, a room, and a little saturation).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from corpus_synth import SR, note_key, one_shot

DRUM_PARTS = ("kick", "snare", "hats", "perc", "cymbal")
MELODIC_PARTS = ("bass", "chords", "pad", "lead", "keys", "guitar", "strings")
#: Reference level of each stem (dB, 95th percentile of its 50 ms RMS) before the draw:
#: a kick-led mix with audible hats, as the old single-font corpus had.
PART_LEVEL_DB = {"kick": 0.0, "snare": -3.0, "hats": -12.0, "perc": -10.0, "cymbal": -13.0, "bass": -4.0,
                 "chords": -10.0, "pad": -13.0, "lead": -11.0, "keys": -10.0, "guitar": -9.0, "strings": -13.0}
KICK_DB = (-9.0, 9.0)
BASS_DB = (-9.0, 9.0)
OTHER_DB = 3.0
TILT_DB_OCT = 1.5
TILT_MAX_DB = 8.0
PUMP_SHARE = 0.5
PUMP_DB = (4.0, 14.0)
PUMP_RELEASE_S = (0.06, 0.25)
PUMPED = ("bass", "pad", "chords", "strings")
ATTACK_S = (0.04, 0.4)
LEVEL_DB = (-15.0, -1.0)
#: Hats that a closed or pedal hat cuts off (the GM exclusive class), and the fade (s).
OPEN_HAT, HAT_CHOKERS, CHOKE_FADE_S = 46, (42, 44), 0.01


@dataclass(frozen=True)
class Mix:
    """One item's mix, drawn by ``draw_mix`` (kept in the item's metadata)."""

    gains_db: dict = field(default_factory=dict)  # per part, on top of PART_LEVEL_DB
    tilt_db_oct: float = 0.0
    pump_db: float = 0.0
    pump_release_s: float = 0.1
    attacks_s: dict = field(default_factory=dict)  # part -> attack (s)
    level_db: float = -3.0

    def as_dict(self) -> dict:
        return asdict(self)


def neutral_mix(parts: set[str], kick_db=KICK_DB, bass_db=BASS_DB) -> Mix:
    """No random draw: kick and bass at the middle of their ranges, nothing else changed."""
    gains = {p: 0.0 for p in sorted(parts)}
    if "kick" in parts:
        gains["kick"] = 0.5 * (kick_db[0] + kick_db[1])
    if "bass" in parts:
        gains["bass"] = 0.5 * (bass_db[0] + bass_db[1])
    return Mix(gains_db=gains, level_db=-3.0)


def draw_mix(rng: np.random.Generator, parts: set[str], kick_db=KICK_DB, bass_db=BASS_DB,
             bass_over_kick_db: float | None = None) -> Mix:
    gains = {p: float(rng.uniform(-OTHER_DB, OTHER_DB)) for p in sorted(parts)}
    if "kick" in parts:
        gains["kick"] = float(rng.uniform(*kick_db))
    if "bass" in parts:
        gains["bass"] = float(rng.uniform(*bass_db))
        if bass_over_kick_db is not None and "kick" in parts:
            gains["bass"] = max(gains["bass"], gains["kick"] + bass_over_kick_db)
    pump = rng.uniform() < PUMP_SHARE and "kick" in parts
    melodic = [p for p in MELODIC_PARTS if p in parts]
    n_slow = min(len(melodic), int(rng.integers(1, 4)))
    slow = list(rng.choice(melodic, n_slow, replace=False)) if n_slow else []
    return Mix(gains_db=gains, tilt_db_oct=float(rng.uniform(-TILT_DB_OCT, TILT_DB_OCT)),
               pump_db=float(rng.uniform(*PUMP_DB)) if pump else 0.0,
               pump_release_s=float(rng.uniform(*PUMP_RELEASE_S)),
               attacks_s={str(p): float(rng.uniform(*ATTACK_S)) for p in slow},
               level_db=float(rng.uniform(*LEVEL_DB)))


def render_stems(notes, total: int, source: str, kit=None, attacks: dict | None = None) -> dict[str, np.ndarray]:
    """One stem per part: each note's one-shot at its exact sample.  A note ends at the next
    start of the same pitch in its part, and an open hat at the next closed or pedal hat."""
    attacks = attacks or {}
    stems: dict[str, np.ndarray] = {}
    by_voice: dict[tuple, list] = {}
    for n in notes:
        by_voice.setdefault((n.part, n.pitch), []).append(n)
    chokes = sorted(n.start for n in notes if n.is_drum and n.pitch in HAT_CHOKERS)
    for (part, pitch), ns in by_voice.items():
        ns.sort(key=lambda n: n.start)
        stem = stems.setdefault(part, np.zeros(total, np.float64))
        for i, n in enumerate(ns):
            key, gain = note_key(n.is_drum, n.program, n.pitch, n.vel, n.end - n.start)
            x = one_shot(source, key, kit)
            s0 = int(round(n.start * SR))
            if s0 >= total:
                continue
            stop = total
            if i + 1 < len(ns):
                stop = min(stop, int(round(ns[i + 1].start * SR)))
            if n.is_drum and n.pitch == OPEN_HAT:
                j = np.searchsorted(chokes, n.start + 1e-4)
                if j < len(chokes):
                    stop = min(stop, int(round(chokes[j] * SR)) + int(CHOKE_FADE_S * SR))
            m = min(x.size, stop - s0)
            if m <= 0:
                continue
            y = x[:m].astype(np.float64) * gain
            if stop - s0 < x.size:  # cut off: a short fade, no click
                f = min(m, int(CHOKE_FADE_S * SR))
                y[m - f:] *= np.linspace(1.0, 0.0, f)
            att = attacks.get(part)
            if att:
                y *= np.minimum(np.arange(m) / (att * SR), 1.0)
            stem[s0:s0 + m] += y
    return stems


def stem_level(x: np.ndarray) -> float:
    """95th percentile of the 50 ms RMS, linear (0 for silence)."""
    w = int(0.05 * SR)
    n = x.size // w
    if n == 0:
        return 0.0
    r = np.sqrt(np.mean(x[:n * w].reshape(n, w) ** 2, axis=1))
    r = r[r > 0]
    return float(np.percentile(r, 95)) if r.size else 0.0


def mixdown(stems: dict[str, np.ndarray], mix: Mix, kick_times: np.ndarray, total: int) -> np.ndarray:
    out = np.zeros(total, np.float64)
    pump = _pump(kick_times, total, mix.pump_db, mix.pump_release_s) if mix.pump_db else None
    for part, x in stems.items():
        lvl = stem_level(x)
        if lvl <= 0:
            continue
        g = 10 ** ((PART_LEVEL_DB.get(part, -10.0) + mix.gains_db.get(part, 0.0)) / 20) / lvl
        y = x * g
        if pump is not None and part in PUMPED:
            y *= pump
        out += y
    out = tilt(out, mix.tilt_db_oct)
    peak = float(np.max(np.abs(out))) or 1.0
    return out * (10 ** (mix.level_db / 20) / peak)


def _pump(kicks: np.ndarray, total: int, depth_db: float, release_s: float) -> np.ndarray:
    """A sidechain compressor's gain: down by ``depth_db`` 2 ms after each kick, back up
    with time constant ``release_s``."""
    from scipy.signal import lfilter
    imp = np.zeros(total)
    idx = np.round(np.asarray(kicks) * SR).astype(int)
    imp[idx[(idx >= 0) & (idx < total)]] = 1.0
    a = math.exp(-1.0 / (release_s * SR))
    env = np.minimum(lfilter([1.0], [1.0, -a], imp), 1.0)
    ramp = int(0.002 * SR)  # attack
    env = lfilter(np.ones(ramp) / ramp, [1.0], env)
    return 1.0 - (1.0 - 10 ** (-depth_db / 20)) * env


def tilt(x: np.ndarray, db_per_octave: float, centre_hz: float = 1000.0, max_db: float = TILT_MAX_DB) -> np.ndarray:
    """Zero-phase spectral tilt (dB per octave around ``centre_hz``, clipped at ``max_db``)."""
    if not db_per_octave:
        return x
    X = np.fft.rfft(x)
    f = np.fft.rfftfreq(x.size, 1.0 / SR)
    gdb = np.clip(db_per_octave * np.log2(np.maximum(f, 20.0) / centre_hz), -max_db, max_db)
    return np.fft.irfft(X * 10 ** (gdb / 20), x.size)


# --------------------------------------------------------------------------- rooms

def _butter(x, kind, freq, order=4, sr=SR):
    from scipy.signal import butter, sosfilt
    return sosfilt(butter(order, freq, kind, fs=sr, output="sos"), x)


def _rms(x):
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


def reverb(x: np.ndarray, rng: np.random.Generator, rt60: float = 1.6, drr_db: float = -2.0, sr: int = SR):
    """Direct sound plus a synthetic room: early reflections and a decaying-noise tail.

    The tail decays faster in the highs (air absorption).  ``drr_db`` is the
    direct-to-reverberant energy ratio; negative means the room dominates, as far
    from the speakers.  The direct path keeps zero delay.
    """
    from scipy.signal import fftconvolve
    n = int(rt60 * 1.3 * sr)
    t = np.arange(n) / sr
    lo = _butter(rng.standard_normal(n), "lowpass", 2500, 2) * np.exp(-6.91 * t / rt60)
    hi = _butter(rng.standard_normal(n), "highpass", 2500, 2) * np.exp(-6.91 * t / (rt60 * 0.45))
    ir = lo + hi
    ir[: int(0.015 * sr)] = 0.0  # pre-delay before the diffuse tail
    for _ in range(8):  # early reflections 5..40 ms
        k = int(rng.uniform(0.005, 0.04) * sr)
        ir[k] += rng.uniform(-1, 1) * 6 * np.sqrt(np.mean(ir[int(0.015 * sr):int(0.1 * sr)] ** 2))
    ir /= np.sqrt(np.sum(ir ** 2))
    wet = fftconvolve(x, ir)[: len(x)]
    gain = 10 ** (-drr_db / 20)  # unit-energy IR: wet energy ~ dry energy * gain^2
    return x + gain * wet


def crowd(x: np.ndarray, rng: np.random.Generator, snr_db: float = 6.0, sr: int = SR):
    """Crowd noise: babble of talkers, cheers that swell and fade, and random hand claps."""
    n = len(x)
    t = np.arange(n) / sr
    babble = np.zeros(n)
    for _ in range(10):
        f0 = rng.uniform(400, 1600)
        v = _butter(rng.standard_normal(n), "bandpass", [f0 * 0.6, f0 * 1.8], 2)
        syll = 0.5 + 0.5 * np.sin(2 * np.pi * rng.uniform(2.5, 6) * t + rng.uniform(0, 6.3))
        slow = 0.6 + 0.4 * np.sin(2 * np.pi * rng.uniform(0.05, 0.3) * t + rng.uniform(0, 6.3))
        babble += v * syll ** 2 * slow
    cheer = np.zeros(n)
    k = 0.0
    while True:
        k += rng.exponential(9.0)
        if k >= t[-1]:
            break
        length = rng.uniform(1.0, 3.5)
        i0, i1 = int(k * sr), min(n, int((k + length) * sr))
        env = np.sin(np.linspace(0, np.pi, i1 - i0)) ** 1.5
        cheer[i0:i1] += env * rng.uniform(1.5, 3.0)
    cheer *= _butter(rng.standard_normal(n), "bandpass", [500, 4000], 2)
    claps = np.zeros(n)
    clap_len = int(0.03 * sr)
    clap_env = np.exp(-np.arange(clap_len) / (0.006 * sr))
    k = 0.0
    while True:
        k += rng.exponential(1 / 4.0)  # ~4 claps a second, not in time with the music
        i0 = int(k * sr)
        if i0 + clap_len >= n:
            break
        claps[i0:i0 + clap_len] += clap_env * rng.uniform(0.5, 1.5) * rng.standard_normal(clap_len)
    claps = _butter(claps, "bandpass", [800, 5000], 2)
    noise = babble / (_rms(babble) + 1e-12) + 0.7 * cheer / (_rms(cheer) + 1e-12) + 0.8 * claps / (_rms(claps) + 1e-12)
    noise *= _rms(x) / (_rms(noise) + 1e-12) * 10 ** (-snr_db / 20)
    return x + noise


def laptop_mic(x: np.ndarray, rng: np.random.Generator, sr: int = SR):
    """A laptop microphone: 300 Hz-6 kHz band-pass, a pumping AGC, clipping, a noise floor."""
    y = _butter(x, "bandpass", [300, 6000], 4)
    # AGC: causal peak follower (5 ms attack, 400 ms release) evaluated per 1 ms block,
    # driving the level toward a target with gain limits
    blk = sr // 1000
    nb = len(y) // blk
    peaks = np.abs(y[: nb * blk]).reshape(nb, blk).max(axis=1)
    env = np.empty(nb)
    e = 1e-3
    a_att, a_rel = 1 - np.exp(-1 / 5), 1 - np.exp(-1 / 400)
    for i, p in enumerate(peaks):
        e += (a_att if p > e else a_rel) * (p - e)
        env[i] = e
    gain = np.clip(0.5 / np.maximum(env, 1e-4), 0.25, 20.0)
    g = np.repeat(gain, blk)
    g = np.concatenate([g, np.full(len(y) - len(g), g[-1] if len(g) else 1.0)])
    y = y * g * 1.8  # hot input stage
    y = np.clip(y, -0.9, 0.9)  # the ADC clips
    y += rng.standard_normal(len(y)) * 10 ** (-62 / 20)
    return y


def club(x: np.ndarray, rng: np.random.Generator, sr: int = SR):
    """A club heard from the floor: a PA with more low end (+3..+8 dB under 120 Hz), a room
    (RT60 0.8-2.0 s, direct-to-reverberant -4..+2 dB), and a little saturation."""
    peak = float(np.max(np.abs(x))) or 1.0
    y = x / peak
    y = y + (10 ** (rng.uniform(3, 8) / 20) - 1) * _butter(y, "lowpass", 120, 2)
    y = reverb(y, rng, rt60=float(rng.uniform(0.8, 2.0)), drr_db=float(rng.uniform(-4, 2)))
    drive = float(rng.uniform(1.5, 4.0))
    y = np.tanh(drive * y / (np.max(np.abs(y)) or 1.0)) / math.tanh(drive)
    return y * peak


DEGRADATIONS = {"reverb": reverb, "crowd": crowd, "laptop": laptop_mic, "club": club}
