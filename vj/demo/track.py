"""A synthesized electronic demo track with an exact beat grid (numpy only).

vj needs music for its demo show and for testing beat tracking, and no music ships with it.
This is a small four-on-the-floor house tune in A minor: kick on every beat, clap on 2 and 4,
hats on the eighths, an off-beat bassline, pad chords, an arpeggio, and a short arrangement
(intro, groove, breakdown without kick, a build with a snare roll and riser, drop).  Every hit
starts on the sample nearest its grid time, so ``DemoTrack.beats`` is ground truth to half a
sample.  Deterministic for a given seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

PEAK_DBFS = -1.0
MASTER_DRIVE = 1.5

#: Chord progressions (one chord per bar) the seed picks from: (bass root MIDI, chord MIDI notes).
PROGRESSIONS: tuple[tuple[tuple[int, tuple[int, ...]], ...], ...] = (
    ((33, (57, 60, 64)), (29, (57, 60, 65)), (36, (55, 60, 64)), (31, (55, 59, 62))),   # Am F C G
    ((33, (57, 60, 64)), (31, (55, 59, 62)), (29, (57, 60, 65)), (28, (56, 59, 64))),   # Am G F E
    ((38, (57, 62, 65)), (33, (57, 60, 64)), (29, (57, 60, 65)), (31, (55, 59, 62))),   # Dm Am F G
)
#: Bass rhythms, as sixteenth steps within a bar (off-beat eighths, with variations).
BASS_PATTERNS: tuple[tuple[int, ...], ...] = ((2, 6, 10, 14), (2, 3, 6, 10, 11, 14), (2, 6, 7, 10, 14, 15))


@dataclass(frozen=True)
class DemoTrack:
    """A rendered (or only synthesized, ``path=None``) demo track and its ground truth."""

    path: Path | None
    sample_rate: int
    bpm: float
    beats: np.ndarray       #: ground-truth beat times, seconds (from lead_in to the end)
    downbeats: np.ndarray   #: bar starts (4/4), seconds
    duration: float         #: seconds, lead_in included
    #: arrangement: (name, start s, end s); the kick is silent in "breakdown"
    sections: tuple[tuple[str, float, float], ...] = field(default=())

    def kick_beats(self) -> np.ndarray:
        """The beats that carry a kick drum (all but the breakdown's)."""
        quiet = [(s, e) for name, s, e in self.sections if name == "breakdown"]
        keep = np.ones(len(self.beats), bool)
        for s, e in quiet:
            keep &= ~((self.beats >= s - 1e-9) & (self.beats < e - 1e-9))
        return self.beats[keep]


def midi_hz(note: float) -> float:
    return 440.0 * 2.0 ** ((note - 69.0) / 12.0)


# ---- instruments: each returns a short float sample (mono) or (n, 2) ------------------------

def _exp_env(n: int, sr: int, tau: float, attack: float = 0.001) -> np.ndarray:
    t = np.arange(n) / sr
    env = np.exp(-t / tau)
    a = max(1, int(attack * sr))
    env[:a] *= np.linspace(0.0, 1.0, a, endpoint=False) ** 0.5
    return env


def _band(x: np.ndarray, sr: int, lo: float, hi: float) -> np.ndarray:
    """Brick-wall band-pass by FFT: fine for short one-shot samples."""
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1.0 / sr)
    spec[(f < lo) | (f > hi)] = 0.0
    return np.fft.irfft(spec, len(x))


def kick(sr: int) -> np.ndarray:
    n = int(0.42 * sr)
    t = np.arange(n) / sr
    # pitch drop 125 -> 48 Hz: punchy, yet all below 150 Hz so the low band peaks at the onset
    freq = 48.0 + 77.0 * np.exp(-t / 0.025)
    # a 15 ms punch on top of the 200 ms boom: the loudest moment is the onset itself
    amp = np.exp(-t / 0.2) * (0.55 + 0.45 * np.exp(-t / 0.015))
    body = np.sin(2 * np.pi * np.cumsum(freq) / sr) * amp
    body *= np.minimum(1.0, t / 0.0008)                    # 0.8 ms attack: no click artefact
    click = np.sin(2 * np.pi * 1800 * t) * np.exp(-t / 0.0025) * 0.2
    return np.tanh(body + click) / np.tanh(1.0)


def clap(sr: int, rng: np.random.Generator) -> np.ndarray:
    n = int(0.3 * sr)
    t = np.arange(n) / sr
    noise = _band(rng.standard_normal(n), sr, 900.0, 6000.0)
    noise /= np.max(np.abs(noise))
    env = sum(np.where(t >= d, np.exp(-(t - d) / 0.007), 0.0) for d in (0.0, 0.011, 0.022))
    env = env + np.where(t >= 0.03, np.exp(-(t - 0.03) / 0.09), 0.0) * 0.7
    tone = np.sin(2 * np.pi * 240 * t) * np.exp(-t / 0.05) * 0.4   # snare body under the clap
    return noise * env * 0.8 + tone


def hat(sr: int, rng: np.random.Generator, open_: bool) -> np.ndarray:
    n = int((0.25 if open_ else 0.06) * sr)
    noise = _band(rng.standard_normal(n), sr, 7000.0, 16000.0)
    noise /= np.max(np.abs(noise))
    return noise * _exp_env(n, sr, 0.09 if open_ else 0.018)


def crash(sr: int, rng: np.random.Generator) -> np.ndarray:
    n = int(2.0 * sr)
    noise = _band(rng.standard_normal(n), sr, 3000.0, 15000.0)
    noise /= np.max(np.abs(noise))
    return noise * _exp_env(n, sr, 0.6)


_TABLES: dict[tuple[int, float], np.ndarray] = {}


def _saw_table(harmonics: int, rolloff: float = 1.0, size: int = 4096) -> np.ndarray:
    """One cycle of a band-limited saw (soft with rolloff > 1), for cheap oscillators."""
    key = (harmonics, rolloff)
    if key not in _TABLES:
        ph = np.arange(size) / size
        _TABLES[key] = sum(np.sin(2 * np.pi * h * ph) / h ** rolloff for h in range(1, harmonics + 1))
        _TABLES[key] /= np.max(np.abs(_TABLES[key]))
    return _TABLES[key]


def _osc(freq: float, n: int, sr: int, harmonics: int, rolloff: float = 1.0, phase: float = 0.0) -> np.ndarray:
    table = _saw_table(max(1, min(harmonics, int(sr * 0.45 / freq))), rolloff)
    idx = ((phase + freq * np.arange(n) / sr) % 1.0 * len(table)).astype(np.int64)
    return table[idx]


def bass_note(freq: float, n: int, sr: int) -> np.ndarray:
    t = np.arange(n) / sr
    tone = 0.75 * _osc(freq, n, sr, 10, 1.4) + 0.3 * np.sin(2 * np.pi * freq * t)
    env = np.minimum(1.0, t / 0.004) * np.exp(-t / 0.16)
    end = min(n, int(0.006 * sr))
    env[n - end:] *= np.linspace(1.0, 0.0, end)
    return np.tanh(1.3 * tone * env)


def pad_chord(notes: tuple[int, ...], n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """A bar of detuned soft-saw chord, stereo (n, 2): left and right voices detune apart."""
    t = np.arange(n) / sr
    out = np.zeros((n, 2))
    for note in notes:
        for ch, cents in ((0, -7.0), (1, 7.0)):
            f = midi_hz(note) * 2.0 ** (cents / 1200.0)
            out[:, ch] += _osc(f, n, sr, 14, 1.6, phase=float(rng.random()))
    env = np.minimum(1.0, t / 0.25) * np.minimum(1.0, (n - np.arange(n)) / (0.12 * sr))
    return out * env[:, None] / len(notes)


def pluck(freq: float, n: int, sr: int) -> np.ndarray:
    t = np.arange(n) / sr
    tone = _osc(freq, n, sr, 8, 1.8) + 0.3 * np.sin(2 * np.pi * 2 * freq * t)
    return tone * np.minimum(1.0, t / 0.002) * np.exp(-t / 0.09)


# ---- arrangement -------------------------------------------------------------------------------

def arrangement(n_bars: int) -> list[str]:
    """Section name per bar.  Short tracks (< 8 bars, e.g. in tests) are one full groove; up to
    40 bars get one breakdown in the middle; longer ones repeat a 32-bar phrase."""
    if n_bars < 8:
        return ["groove"] * n_bars
    if n_bars <= 40:
        bars = ["groove"] * n_bars
        b = max(3, n_bars // 2 - 1)
        bars[b:b + 2] = ["breakdown"] * 2
        bars[b + 2] = "build"
        bars[b + 3:] = ["drop"] * (n_bars - b - 3)
    else:
        phrase = ["groove"] * 13 + ["breakdown"] * 2 + ["build"] + ["drop"] * 16
        bars = (phrase * (n_bars // len(phrase) + 1))[:n_bars]
    bars[:2] = ["intro"] * 2
    return bars


def synth_track(*, bpm: float = 124.0, seconds: float = 32.0, sample_rate: int = 44100, seed: int = 0,
                lead_in: float = 0.0) -> tuple[np.ndarray, DemoTrack]:
    """Synthesize the track: float32 stereo samples, shape (n, 2), and its ground truth.

    ``seconds`` of music follow ``lead_in`` seconds of digital silence; the beat grid starts at
    ``lead_in``.  The mix is peak-normalised to -1 dBFS.
    """
    if bpm <= 0 or seconds <= 0 or sample_rate <= 0 or lead_in < 0:
        raise ValueError("bpm, seconds and sample_rate must be positive and lead_in >= 0")
    sr = int(sample_rate)
    rng = np.random.default_rng(seed)
    beat = 60.0 / bpm
    step = beat / 4                                       # a sixteenth
    n_music = int(round(seconds * sr))
    lead = int(round(lead_in * sr))
    n_beats = int(math.ceil(seconds / beat - 1e-9))
    n_bars = int(math.ceil(n_beats / 4))
    bars = arrangement(n_bars)
    prog = PROGRESSIONS[int(rng.integers(len(PROGRESSIONS)))]
    bass_rhythm = BASS_PATTERNS[int(rng.integers(len(BASS_PATTERNS)))]
    arp_order = rng.permutation(4)

    def at(t: float) -> int:
        return int(round(t * sr))

    # one float32 stereo bus (lead-in included) and the sidechain envelope: long tracks stay small
    tail = int(2.5 * sr)                                  # room for ring-outs, cut at the end
    out = np.zeros((lead + n_music + tail, 2), np.float32)
    duck = np.ones(n_music + tail, np.float32)            # pads and bass pump with the kick
    duck_shape = (1.0 - 0.65 * np.exp(-np.arange(int(0.3 * sr)) / (0.09 * sr))).astype(np.float32)
    kicks = [b * 4 * beat + q * beat for b, section in enumerate(bars) if section != "breakdown" for q in range(4)]
    kicks = [t for t in kicks if t < seconds]
    for t in kicks:
        i = at(t)
        d = duck_shape[: len(duck) - i]
        np.minimum(duck[i:i + len(d)], d, out=duck[i:i + len(d)])

    def add(smp: np.ndarray, t: float, gain: float = 1.0, pan: float = 0.0, ducked: bool = False) -> None:
        i = at(t)
        if i >= n_music + tail:
            return
        s = smp[: n_music + tail - i] * gain
        if ducked:
            s = s * (duck[i:i + len(s)] if s.ndim == 1 else duck[i:i + len(s), None])
        if s.ndim == 1:                                   # constant-power pan
            s = s[:, None] * np.array([math.sqrt(1.0 - pan), math.sqrt(1.0 + pan)])
        out[lead + i: lead + i + len(s)] += s

    k_smp, c_smp = kick(sr), clap(sr, rng)
    hat_c, hat_o, crash_smp = hat(sr, rng, False), hat(sr, rng, True), crash(sr, rng)
    pad_len = int(round(4 * beat * sr)) + int(0.1 * sr)
    for t in kicks:
        add(k_smp, t)
    for b, section in enumerate(bars):
        t0 = b * 4 * beat
        root, chord = prog[b % len(prog)]
        add(pad_chord(chord, pad_len, sr, rng), t0, 0.7 if section in ("intro", "breakdown") else 0.4, ducked=True)
        for q in (1, 3):                                  # clap on 2 and 4
            if section != "intro" and t0 + q * beat < seconds:
                add(c_smp, t0 + q * beat, 0.6)
        for s16 in range(16):                             # sixteenths
            ts = t0 + s16 * step
            if ts >= seconds:
                break
            if s16 % 2 == 0:
                open_ = s16 % 4 == 2 and section != "intro"
                add(hat_o if open_ else hat_c, ts, (0.15 if open_ else 0.2) * (0.85 + 0.3 * rng.random()), pan=0.25)
            elif section in ("drop", "groove") and rng.random() < 0.6:
                add(hat_c, ts, 0.1 * (0.7 + 0.6 * rng.random()), pan=-0.3)
            if section != "intro" and s16 in bass_rhythm:
                octave = 12 if (section == "drop" and s16 in (6, 14)) else 0
                add(bass_note(midi_hz(root + octave), int(step * 2 * sr * 0.9), sr), ts, 0.32, ducked=True)
            if section in ("breakdown", "drop", "build"):
                tones = sorted(chord) + [chord[0] + 12]
                note = tones[int(arp_order[s16 % 4])] + 12
                add(pluck(midi_hz(note), int(0.25 * sr), sr), ts, 0.22 * (1.0 if s16 % 4 else 1.3),
                    pan=0.45 if s16 % 2 else -0.45)
            if section == "build" and (s16 % 2 == 0 or s16 >= 8):   # snare roll: eighths, then sixteenths
                add(c_smp, ts, 0.12 + 0.22 * s16 / 15)
        if section == "build":
            n = int(4 * beat * sr)
            ramp = np.linspace(0.0, 1.0, n) ** 2
            riser = _band(rng.standard_normal(n), sr, 2000.0, 12000.0)
            sweep = np.sin(2 * np.pi * np.cumsum(np.linspace(200.0, 1600.0, n)) / sr) * 0.08
            add((riser / np.max(np.abs(riser)) * 0.18 + sweep) * ramp, t0)
        if b > 0 and section == "drop" and bars[b - 1] == "build":
            add(crash_smp, t0, 0.35)

    samples = out[: lead + n_music]
    fade = min(n_music, int(0.4 * sr))                    # ease out instead of stopping dead
    samples[len(samples) - fade:] *= (np.linspace(1.0, 0.0, fade, dtype=np.float32) ** 2)[:, None]
    # master bus: a soft saturator tames the kick's peaks so the whole mix sits louder
    samples *= MASTER_DRIVE / (float(np.max(np.abs(samples))) or 1.0)
    np.tanh(samples, out=samples)
    samples *= np.float32(10.0 ** (PEAK_DBFS / 20.0) / (float(np.max(np.abs(samples))) or 1.0))

    duration = len(samples) / sr
    beats = lead_in + np.arange(n_beats) * beat
    sections: list[tuple[str, float, float]] = []
    for b, name in enumerate(bars):
        start, end = lead_in + b * 4 * beat, min(lead_in + (b + 1) * 4 * beat, duration)
        if sections and sections[-1][0] == name:
            sections[-1] = (name, sections[-1][1], end)
        else:
            sections.append((name, start, end))
    track = DemoTrack(path=None, sample_rate=sr, bpm=float(bpm), beats=beats, downbeats=beats[::4].copy(),
                      duration=duration, sections=tuple(sections))
    return samples, track


# ---- writing -------------------------------------------------------------------------------------

#: suffix -> (container format, codec, sample format).  Lossy codecs add encoder delay that FFmpeg
#: trims on decode; use .flac or .wav where the grid must be exact to the sample.
FORMATS = {
    ".flac": ("flac", "flac", "s16"),
    ".wav": ("wav", "pcm_s16le", "s16"),
    ".m4a": ("ipod", "aac", "fltp"),
    ".mp3": ("mp3", "libmp3lame", "fltp"),
}


def write_audio(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write (n, channels) float samples with PyAV; the format follows the suffix (see FORMATS)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot write {path.name}: use one of {', '.join(FORMATS)}")
    fmt, codec, sample_fmt = FORMATS[suffix]
    path.parent.mkdir(parents=True, exist_ok=True)
    x = np.clip(np.asarray(samples, np.float32).reshape(len(samples), -1), -1.0, 1.0)
    layout = "stereo" if x.shape[1] == 2 else "mono"
    with av.open(str(path), "w", format=fmt, options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream(codec, rate=sample_rate, layout=layout)
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        if codec in ("aac", "libmp3lame"):
            stream.bit_rate = 192_000
        chunk = 4096
        for i in range(0, len(x), chunk):
            part = x[i:i + chunk]
            if sample_fmt == "s16":
                data = np.round(part * 32767.0).astype(np.int16).reshape(1, -1)   # packed: interleaved
            else:
                data = np.ascontiguousarray(part.T)                               # planar
            frame = av.AudioFrame.from_ndarray(data, format=sample_fmt, layout=layout)
            frame.sample_rate = sample_rate
            frame.pts = i
            frame.time_base = Fraction(1, sample_rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def render_demo_track(path: Path, *, bpm: float = 124.0, seconds: float = 32.0, sample_rate: int = 44100,
                      seed: int = 0, lead_in: float = 0.0) -> DemoTrack:
    """Synthesize the demo track and write it to ``path`` (.flac, .wav, .m4a or .mp3)."""
    samples, track = synth_track(bpm=bpm, seconds=seconds, sample_rate=sample_rate, seed=seed, lead_in=lead_in)
    write_audio(Path(path), samples, sample_rate)
    return replace(track, path=Path(path))


def write_demo_track(out: Path, *, bpm: float, seconds: float) -> DemoTrack:
    """:func:`render_demo_track` into ``out`` through a temporary name, flushed and then renamed: an
    interrupted render never leaves half a track under its name (`vj demo-track`, `vj demo`)."""
    from ..fileio import commit

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.partial{out.suffix}")
    track = render_demo_track(tmp, bpm=bpm, seconds=seconds)
    commit(tmp, out)
    return replace(track, path=out)
