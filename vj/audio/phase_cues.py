"""Which grid is on the beat: the beat or its half-beat offset, from several cues at once.

Onsets on the "and" fit a grid as well as onsets on the beat, so the tempo comb and the
grid fit cannot tell a grid from its off-beat twin.  The music can: four cues, each a
per-hop activation kept for the last ``WINDOW_S``, are folded at the grid's beat
positions (its own bend included) and compared at the beat and half a beat later:

- **kick**: a low-band onset (43-172 Hz) that is short and falls in pitch.  Its weight
  is the low-band flux times ``DECAY_GAIN`` x the energy drop over the next
  ``KICK_DELAY`` hops (nats) plus ``FALL_GAIN`` x the fall of the low-band centroid over
  the next ``FALL_HOPS`` hops (FFT bins), clipped to 1 each.  A sustained tonal bass note
  on the "and" rises as sharply but neither decays nor falls, and a sidechain pump's
  swell rises slowly; an 808 with a long tail still falls.
- **backbeat**: snare and clap: broadband flux at 1.1-5 kHz (the share of those bands
  that rise by ``BROAD_NATS`` or more, times their flux).  Snares land on beats 2 and 4.
- **hats**: flux above 6.3 kHz, counted for the *other* grid: an open hat on every "and"
  is evidence that the beat is half a beat away from it.
- **harmony**: chroma change across the hop (the mean chroma of the ``CHROMA_HOPS``
  before against the ``CHROMA_HOPS`` after): chords change on downbeats.

The grid is compared with its offsets by 1/4, 1/2 and 3/4 of a beat: each cue's fold is
read at the four quarter-beat positions (its peak within a 16th of each; hats at the
position half a beat later), normalised to sum 1, and weighted by ``WEIGHTS`` times how
much of the fold's range lies between those four values (a cue that is flat there says
little).  The margin is the grid's score less its best rival's: +1 the grid is surely
on the beat, negative when an offset explains the music better.
"""

from __future__ import annotations

import math

import numpy as np

from . import bar_template, phase_template
from .grid_fit import GridFit

#: Seconds of cue activations kept (and folded at most).
WINDOW_S = 8.0
#: Log floor of a band level (linear RMS, -80 dBFS), as in the tempo comb.
BAND_FLOOR = 1e-4
#: Bands (indices into the 32 log bands of ``features``; bands 0-14 are single FFT bins of
#: 43 Hz at 44.1 kHz / 1024) of each cue.
LOW_BANDS = slice(0, 4)        # 43-172 Hz: the kick's body
CENTROID_BANDS = 6             # 43-258 Hz: where its pitch falls
MID_BANDS = slice(18, 26)      # 1.1-5.2 kHz: snare and clap
HIGH_BANDS = slice(27, 32)     # 6.3-16 kHz: hats
#: A kick's energy drop is measured ``KICK_DELAY`` hops after its onset (~70 ms), its
#: pitch fall over ``FALL_HOPS`` (~35 ms); the cue is then ``KICK_DELAY`` hops late.
KICK_DELAY = 6
FALL_HOPS = 3
DECAY_GAIN = 0.5
FALL_GAIN = 1.0
#: ... and its low-band flux counts by its share against the mean flux of 690 Hz-5 kHz
#: (``LOWNESS_BANDS``) weighted ``LOWNESS_MID`` (a snare's body reaches into the kick's
#: bands).  On the tuning split: items whose 16-beat windows mostly pick the labelled phase
#: 87.7 -> 88.5 %; in the tracker, wrong-phase items 7 -> 5 (F 0.855 -> 0.854).
LOWNESS_BANDS = slice(15, 26)
LOWNESS_MID = 0.5
LOW_N = LOW_BANDS.stop - LOW_BANDS.start
#: A mid band counts as "rising" (a broadband hit) at this flux (nats per hop).
BROAD_NATS = 0.5
#: Chroma is compared over this many hops either side (~93 ms).
CHROMA_HOPS = 8
CHROMA_LO_HZ, CHROMA_HI_HZ = 60.0, 5000.0
#: The backbeat's fold is the mean, per phase bin, of its loudest ``BACKBEAT_TOP`` of the
#: window's beats (at least one), not of all of them: a snare or clap lands on some beats
#: only (2 and 4; fewer in a break), so a mean over every beat halves it, while an open hat
#: on every "and" (whose 1-5 kHz flux the backbeat bands also see, loudest through a laptop
#: mic) keeps its full level there.  Measured on the tuning split (``bench/cue_probe.py``,
#: windows of 8 labelled beats every 2, all cues and the template): windows on the labelled
#: beat 95.26 -> 95.65 %, items 119 -> 120 (12-beat windows: 96.45 -> 96.91 %); the top half
#: 95.40, a third 95.45, the per-beat maximum 95.51 (and noisier in rooms).
BACKBEAT_TOP = 0.25
#: ... over at least this many beats (the window's, partial ones counted); under it the plain
#: mean: a quarter of fewer beats is one beat, a maximum as noisy as a single hit.  Without
#: this floor the seeds of a grid heard from mid-music (a second of audio, 2-3 beats) read a
#: different margin and locks came 0.5-2 s later on 14 of 98 items (``bench/midstart.py``,
#: mid-music F 0.857 -> 0.842; ``out/b18-mid-try1.json``).
BACKBEAT_MIN_BEATS = 8
#: The hats cue's fold (for ``hand_scores``) is, per phase bin, the lesser of its mean over the
#: window's even beats and its mean over its odd beats (``steady_hats``): a hat pattern (an open
#: hat on every "and", a ride on every 8th) is heard on every beat, while the highs of a snare or
#: clap on 2 and 4 are heard on every other beat, and counted for the grid half a beat away they
#: put the beat on the "and" (round 26: jungle-165@opl3, snares on 2 and 4 through OPL3 and a
#: ride on every 8th: the hats cue alone read -0.151 for the labelled beat, +0.088 read so).
#: Measured on the tuning split (``bench/cue_probe.py``, 12-beat windows every 2, the template
#: kept on the mean fold): the hats cue alone 53 -> 56 items, windows 43.9 -> 48.1 %; all cues
#: and the template 96.9 -> 97.2 % (8-beat windows 95.6 -> 96.0 %, items 120 -> 121); a median
#: over beats instead of the lesser parity: 55 items, 45.1 %, jungle-165@opl3 -0.173.
#: ... over at least this many beats (the window's, partial ones at both ends counted: two of
#: each parity); under it the plain mean.  Round 28 measured the floor on the tuning split and
#: from mid-music (``bench/beats.py``, ``bench/midstart.py``; F gain over ``02d84cb``, tuning +
#: mid-music; 4 from round 26's runs): 4 +0.0063 +0.0059 = +0.0122; 5 +0.0066 +0.0046 =
#: +0.0112; 6 +0.0066 +0.0007; 8 +0.0066 +0.0014.  A higher floor gives rock-112-room@timgm
#: back (5 and up) and lofi-swing-75@timgm from mid-music (8), but takes away the mid-music
#: seeds on a second of audio that the lesser parity puts right (reggaeton-98-club@opl3
#: 0.977 -> 0.864 from 5 on; house-124-reverb@numpy, offbass-124-club@timgm from 6 on): the
#: beat count does not tell the few-beat reads that help from those that hurt; 4 is kept.
STEADY_HATS_MIN_BEATS = 4
#: ... the row of ``fold_channels``' output that holds it (after the 14 channels).
STEADY_HATS_ROW = 14
#: Cue weights in the margin.
WEIGHTS = {"kick": 1.0, "backbeat": 0.6, "hats": 0.3, "harmony": 0.2}
#: The learned phase template (``phase_template``): ten groups of the 32 bands' flux (the
#: kick's fundamental up to the hats' air), folded like the cues; with the four cues'
#: folds they are its 14 channels.
FLUX_GROUPS = ((0, 2), (2, 4), (4, 8), (8, 12), (12, 15), (15, 18), (18, 22), (22, 26), (26, 29), (29, 32))
#: Weight of the template's four probabilities next to the hand-made cues' (whose weights sum
#: to 2.1).  Measured on the tuning split, leave-one-source-out (``bench/phase_model.py``):
#: windows whose labelled beat scores highest 83.7 % (cues alone), 85.3 % (template alone),
#: 88.6 % (cues + 0.2-0.4 x template; their mistakes differ).
LEARNED_WEIGHT = 0.3
#: The learned bar template (``bar_template``, round 52): the 14 channels folded over four
#: beats (``bar_fold``), scored at every quarter-beat roll and summed over which beat is the 1.
#: Its weight next to the cues' and the beat template's, in ``bar_holds`` only: the bar read may
#: veto a phase challenger's vote for a flip, never cast one (``scores`` and ``margin`` read
#: without it).  Round 52 measured 0.2 (leave one source out, the probe's best: windows on the
#: beat 95.64 -> 96.49 %) added to every read: jungle-165@opl3 0.419 -> 0.970, but
#: rock-112-room@opl3's right grid flipped onto the "and" (0.963 -> 0.789).  As a veto (round 54,
#: docs/BEATS.md): jungle-165@opl3 0.988, rock-112-room@opl3 as main's.
BAR_WEIGHT = 0.2
MEASURED_BAR_WEIGHT = 0.2
#: Beats in a bar fold; and the fewest beats a window must span (partial ones counted) for the
#: bar template to vote: three bars, each bar position heard three times.  Round 52, tuning
#: split: at two bars (8) house-124-laptop@opl3 flipped onto the "and" on windows of 3.6-5.1 s
#: just after its lock (F 0.984 -> 0.772, main's cues at -0.03..-0.06 there); at 12 it is back
#: at 0.984 and jungle-165@opl3 and offbass-124-club@timgm keep their gains.
BAR_BEATS = 4
BAR_MIN_BEATS = 12
#: Phase bins of a fold; each quarter-beat position takes the peak within a bin of it.
BINS = 16
QUARTER_BINS = np.arange(4) * (BINS // 4)
_QUARTER_BIN_LIST = QUARTER_BINS.tolist()
#: A fold's bins as grids 0, 1/4, 1/2 and 3/4 of a beat later see them (``np.roll`` by a quarter).
_ROTATIONS = [np.roll(np.arange(BINS), -q * (BINS // 4)) for q in range(4)]
#: A bar fold's bins as grids 0, 1/4, ... 15/4 beats later see them: (16 rolls, BAR_BEATS * BINS).
_BAR_ROLLS = np.array([np.roll(np.arange(BAR_BEATS * BINS), -r * (BINS // 4)) for r in range(4 * BAR_BEATS)])


def chroma_bins(sample_rate: int, win: int) -> tuple[np.ndarray, np.ndarray]:
    """The FFT bins between ``CHROMA_LO_HZ`` and ``CHROMA_HI_HZ`` and each one's pitch class."""
    freqs = np.arange(win // 2 + 1) * sample_rate / win
    bins = np.flatnonzero((freqs >= CHROMA_LO_HZ) & (freqs <= CHROMA_HI_HZ))
    return bins, np.rint(12 * np.log2(freqs[bins] / 440.0) + 69).astype(int) % 12


def np_sum(xs: list[float]) -> float:
    """``float(np.array(xs).sum())`` for fewer than 16 values, in plain Python: numpy adds under
    8 values left to right, and 8-15 as eight running sums added pairwise, then the rest
    (numpy 2.4, float64; checked bit for bit by ``tests/test_beat_tracker.py``)."""
    if len(xs) < 8:
        r = xs[0]
        for x in xs[1:]:
            r += x
        return r
    assert len(xs) < 16
    r = ((xs[0] + xs[1]) + (xs[2] + xs[3])) + ((xs[4] + xs[5]) + (xs[6] + xs[7]))
    for x in xs[8:]:
        r += x
    return r


def np_dot_index(xs: list[float]) -> float:
    """``float(np.array(xs) @ np.arange(1, len(xs) + 1.0))`` (a centroid's numerator) for up
    to 12 values: BLAS adds the products left to right."""
    r = 0.0
    for i, x in enumerate(xs):
        r += x * float(i + 1)
    return r


def flux_group_sums(f: list[float]) -> list[float]:
    """The bands' flux summed over each of ``FLUX_GROUPS``, as ``np.add.reduceat`` adds them
    (the first value, plus the rest added left to right)."""
    out = []
    for a, b in FLUX_GROUPS:
        rest = 0.0
        for x in f[a + 1:b]:
            rest += x
        out.append(f[a] + rest)
    return out


class PhaseCues:
    """Per-hop cue activations, and the phase scores of a grid over the recent ones."""

    CUES = ("kick", "backbeat", "hats", "harmony")

    def __init__(self, sample_rate: int, hop: int, win: int = 1024, window_s: float = WINDOW_S):
        self.dt = hop / sample_rate
        self.n = int(math.ceil(window_s / self.dt))
        self.t = np.full(self.n, -math.inf)  # the time each activation describes
        # the 14 channels in one array (a fold gathers its rows once): the four cues, then
        # the template's band-flux groups; ``act`` and ``groups`` are views of it
        self._chan = np.zeros((self.n, len(self.CUES) + len(FLUX_GROUPS)))
        self.act = {c: self._chan[:, i] for i, c in enumerate(self.CUES)}
        self.groups = self._chan[:, len(self.CUES):]  # the template's band-flux channels
        self._kick, self._back, self._hats, self._harm = (self.act[c] for c in self.CUES)
        #: each hop's kick pitch fall (``FALL_GAIN`` x the low-band centroid's fall, clipped to
        #: 0..1), at the kick activation's slot: what tells a kick from a low note (``kick_cue``)
        self.fall = np.zeros(self.n)
        cbins, self._cpc = chroma_bins(sample_rate, win)
        self._chroma_bins = slice(int(cbins[0]), int(cbins[-1]) + 1)  # (a run of bins)
        self._lag = max(KICK_DELAY, 2 * CHROMA_HOPS) + 1
        self._low = [0.0] * self._lag   # low-band energy
        self._cen = [0.0] * self._lag   # its centroid (bins)
        self._lflux = [0.0] * self._lag
        self._chroma = np.zeros((self._lag, 12))
        self._after = np.zeros(12)   # running sums of the last CHROMA_HOPS chroma vectors
        self._before = np.zeros(12)  # ... and of the CHROMA_HOPS before those
        self._k = 0  # hops seen

    def __call__(self, flux: np.ndarray, bands: np.ndarray, power: np.ndarray | None, t: float) -> None:
        """One hop: ``flux`` the positive log flux of the 32 bands (``tempo_comb.OnsetStrength``),
        ``bands`` their raw levels, ``power`` the FFT power (for chroma; may be None), ``t`` the
        time at the end of the hop."""
        # (per hop, so in Python floats: a dozen small sums cost more as numpy calls than the
        # arithmetic; ``np_sum`` adds them in numpy's order, so the numbers are numpy's)
        k = self._k
        j = k % self._lag
        n = self.n
        f = flux.tolist()
        e = [x * x for x in bands[:CENTROID_BANDS].tolist()]
        tot = np_sum(e) + 1e-12
        self._low[j] = tot
        self._cen[j] = np_dot_index(e) / tot
        # a kick is all low end: the low flux counts by its share against the snare-and-clap
        # bands rising at the same time (a snare's body reaches down to 150-250 Hz)
        low = np_sum(f[LOW_BANDS])
        lmean = low / LOW_N
        lowness = f[LOWNESS_BANDS]
        self._lflux[j] = low * lmean / (lmean + LOWNESS_MID * (np_sum(lowness) / len(lowness)) + 1e-12)
        slot = k % n
        self.t[slot] = t - self.dt  # the hop's window centre, about
        mid = f[MID_BANDS]
        self._back[slot] = np_sum(mid) * float(sum(x > BROAD_NATS for x in mid)) / len(mid)
        self._hats[slot] = np_sum(f[HIGH_BANDS])
        self.groups[slot] = flux_group_sums(f)
        self._kick[slot] = 0.0
        self.fall[slot] = 0.0
        self._harm[slot] = 0.0
        if k >= KICK_DELAY:
            # the kick of KICK_DELAY hops ago: did it decay, did its pitch fall?
            j0 = (k - KICK_DELAY) % self._lag
            j1 = (k - KICK_DELAY + 1) % self._lag
            jf = (k - KICK_DELAY + FALL_HOPS) % self._lag
            decay = math.log(max(self._low[j0], self._low[j1])) - math.log(tot)
            fall = self._cen[j0] - self._cen[jf]
            falls = min(1.0, max(0.0, FALL_GAIN * fall))
            shape = min(1.0, max(0.0, DECAY_GAIN * decay)) + falls
            self._kick[(k - KICK_DELAY) % n] = self._lflux[j0] * 0.5 * shape
            self.fall[(k - KICK_DELAY) % n] = falls
        if power is not None:
            c = np.bincount(self._cpc, weights=power[self._chroma_bins], minlength=12)
            c /= math.sqrt(float(c @ c)) + 1e-12
            # running sums: the newest CHROMA_HOPS ("after") and the CHROMA_HOPS before them
            mid_j = (k - CHROMA_HOPS) % self._lag
            old_j = (k - 2 * CHROMA_HOPS) % self._lag
            self._after += c - (self._chroma[mid_j] if k >= CHROMA_HOPS else 0.0)
            if k >= CHROMA_HOPS:
                self._before += self._chroma[mid_j] - (self._chroma[old_j] if k >= 2 * CHROMA_HOPS else 0.0)
            self._chroma[j] = c
            if k >= 2 * CHROMA_HOPS:
                # the chord change at CHROMA_HOPS ago: the mean before against the mean after
                a, b = self._after, self._before
                den = math.sqrt(float(a @ a) * float(b @ b))
                self._harm[(k - CHROMA_HOPS) % n] = 1.0 - float(a @ b) / den if den > 0 else 0.0
        self._k = k + 1

    def folds(self, fit: GridFit, now: float, window_s: float) -> np.ndarray | None:
        """The 14 channels (the four cues, then ``FLUX_GROUPS``) over the last ``window_s``,
        each folded at ``fit``'s beat positions into ``BINS`` phase bins (means; the backbeat's
        over its loudest beats, ``loudest_beats``); None without audio there."""
        sel = (self.t > now - window_s) & (self.t <= now)
        if not sel.any():
            return None
        return fold_channels(self._chan[sel], fit.position(self.t[sel]))

    @property
    def channels(self) -> np.ndarray:
        """Every hop's 14 channel values, in ring order (a view: ``t`` gives each row's time)."""
        return self._chan

    def scores(self, fit: GridFit, now: float, window_s: float) -> np.ndarray:
        """How well the cues over the last ``window_s`` put the beat on ``fit`` moved by 0,
        1/4, 1/2 and 3/4 of a beat: four scores in 0..1 (they sum to at most 1)."""
        sel = (self.t > now - window_s) & (self.t <= now)
        if not sel.any():
            return np.zeros(4)
        x, pos = self._chan[sel], fit.position(self.t[sel])
        return combined(fold_channels(x, pos))

    def bar_holds(self, fit: GridFit, now: float, window_s: float, q: int, need: float) -> bool:
        """With the bar template's vote added (``BAR_WEIGHT``), ``fit`` is no longer beaten by
        the offset ``q`` by more than ``need``: the bar read vetoes a flip's vote.  False under
        ``BAR_MIN_BEATS`` beats or with the bar off."""
        sel = (self.t > now - window_s) & (self.t <= now)
        if BAR_WEIGHT <= 0.0 or not sel.any():
            return False
        x, pos = self._chan[sel], fit.position(self.t[sel])
        bar = bar_fold(x, pos)
        if bar is None:
            return False
        s = combined(fold_channels(x, pos), bar)
        return float(s[0] - s[q]) >= -need

    def margin(self, fit: GridFit, now: float, window_s: float) -> tuple[float, int]:
        """How clearly the cues put the beat on ``fit`` rather than on its best rival among
        the quarter-beat offsets (-1..+1), and that rival (1..3: 1/4, 1/2, 3/4 beat later)."""
        s = self.scores(fit, now, window_s)
        q = 1 + int(np.argmax(s[1:]))
        return float(s[0] - s[q]), q


def fold_channels(x: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The channel rows ``x`` (one per hop, at beat positions ``pos``: beat number plus phase)
    folded into ``BINS`` phase bins: means, the backbeat's over its loudest beats
    (``loudest_beats``); then one more row, ``STEADY_HATS_ROW``: the hats over the even and the
    odd beats (``steady_hats``, round 26).  What ``PhaseCues.folds`` reads, and
    ``bench/cue_probe.py`` too."""
    b = np.floor((pos % 1.0) * BINS).astype(int) % BINS
    onehot = np.zeros((b.size, BINS))
    onehot[np.arange(b.size), b] = 1.0
    cnt = np.maximum(onehot.sum(0), 1.0)
    f = (x.T @ onehot) / cnt
    beat = np.floor(pos).astype(int)
    f[1] = loudest_beats(x[:, 1], beat, b, f[1])  # the backbeat
    return np.vstack([f, steady_hats(x[:, 2], beat, b, f[2])[None]])


def steady_hats(x: np.ndarray, beat: np.ndarray, b: np.ndarray, mean_fold: np.ndarray) -> np.ndarray:
    """The hats' fold as ``hand_scores`` reads it: per bin, the lesser of the mean over the even
    beats and the mean over the odd beats (what is heard on every beat, not on every other:
    ``STEADY_HATS_MIN_BEATS``); ``mean_fold`` over fewer beats."""
    beat = beat - beat.min()
    nb = int(beat.max()) + 1
    if nb < STEADY_HATS_MIN_BEATS:
        return mean_fold
    idx = (beat % 2) * BINS + b
    s = np.bincount(idx, weights=x, minlength=2 * BINS).reshape(2, BINS)
    c = np.bincount(idx, minlength=2 * BINS).reshape(2, BINS)
    return (s / np.maximum(c, 1)).min(0)


def loudest_beats(x: np.ndarray, beat: np.ndarray, b: np.ndarray, mean_fold: np.ndarray) -> np.ndarray:
    """The fold of ``x`` (one value per hop; ``beat`` its beat number, ``b`` its phase bin) as the
    mean, per bin, of its ``BACKBEAT_TOP`` loudest beats there (each beat's mean in the bin),
    scaled to the sum of ``mean_fold`` (the plain mean fold)."""
    beat = beat - beat.min()
    nb = int(beat.max()) + 1
    if nb < BACKBEAT_MIN_BEATS:
        return mean_fold
    idx = beat * BINS + b
    per = (np.bincount(idx, weights=x, minlength=nb * BINS)
           / np.maximum(np.bincount(idx, minlength=nb * BINS), 1)).reshape(nb, BINS)
    k = max(1, int(round(BACKBEAT_TOP * nb)))
    top = -np.sort(-per, axis=0)[:k].mean(0)
    s = float(top.sum())
    return top * (float(mean_fold.sum()) / s) if s > 0.0 else mean_fold


def hand_scores(folds: np.ndarray) -> np.ndarray:
    """The four cues' phase scores (unnormalised: they sum to at most the sum of ``WEIGHTS``)
    from their folds (the first four rows of ``folds``; the hats' from ``STEADY_HATS_ROW`` where
    ``folds`` has it)."""
    out = [0.0] * 4  # (sixteen numbers: Python floats, the same arithmetic as numpy's here)
    for i, c in enumerate(PhaseCues.CUES):
        row = STEADY_HATS_ROW if c == "hats" and len(folds) > STEADY_HATS_ROW else i
        f = folds[row].tolist()
        v = [max(f[b - 1], f[b], f[(b + 1) % BINS]) for b in _QUARTER_BIN_LIST]  # the peak within a bin
        if c == "hats":
            v = v[2:] + v[:2]  # a hat at q + 1/2 counts for q
        total, span = np_sum(v), max(f) - min(f)
        if total <= 0.0 or span <= 0.0:
            continue
        rel = (max(v) - min(v)) / span  # how much of the fold's range lies at these places
        g = WEIGHTS[c] * rel
        out = [o + g * x / total for o, x in zip(out, v)]
    return np.array(out)


def template_input(folds: np.ndarray) -> np.ndarray:
    """Each channel's fold relative to its mean (clipped), so a channel's level does not count,
    only how it is spread over the beat: (channels, BINS).  The template reads the 14 channels'
    folds (the hats' mean fold, as it was trained), not ``STEADY_HATS_ROW``."""
    folds = folds[:STEADY_HATS_ROW]
    m = folds.mean(1, keepdims=True)
    return np.clip((folds - m) / (m + 1e-6), -1.0, 6.0)


def template_probabilities(folds: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """The learned template's probabilities that the beat lies 0, 1/4, 1/2, 3/4 of a beat
    after the fold's bin 0 (softmax over the four rotations of one linear template)."""
    w = phase_template.WEIGHTS if weights is None else weights
    x = template_input(folds)
    z = np.array([float(np.sum(w * x[:, rot])) for rot in _ROTATIONS])
    z = np.exp(z - z.max())
    return z / z.sum()


def combined(folds: np.ndarray, bar: np.ndarray | None = None) -> np.ndarray:
    """The cues' scores and the template's probabilities, weighted, normalised to sum at most 1;
    plus ``BAR_WEIGHT`` x the bar template's (``bar``: ``bar_fold``'s output, None for no vote),
    over the same total, so a read without it scores as before."""
    total = sum(WEIGHTS.values()) + LEARNED_WEIGHT
    s = hand_scores(folds) + LEARNED_WEIGHT * template_probabilities(folds)
    if bar is not None and BAR_WEIGHT > 0.0:
        s = s + BAR_WEIGHT * bar_probabilities(bar)
    return s / total


def bar_fold(x: np.ndarray, pos: np.ndarray, min_beats: int | None = None) -> np.ndarray | None:
    """The 14 channel rows ``x`` folded over ``BAR_BEATS`` beats (beat number mod ``BAR_BEATS``,
    times ``BINS`` phase bins): (14, BAR_BEATS * BINS) means; None under ``min_beats`` beats
    (``BAR_MIN_BEATS``; ``bench/bar_model.py`` trains on its own)."""
    beat = np.floor(pos).astype(int)
    if int(beat.max()) - int(beat.min()) + 1 < (BAR_MIN_BEATS if min_beats is None else min_beats):
        return None
    n = BAR_BEATS * BINS
    idx = (beat % BAR_BEATS) * BINS + np.floor((pos % 1.0) * BINS).astype(int) % BINS
    onehot = np.zeros((idx.size, n))
    onehot[np.arange(idx.size), idx] = 1.0
    return (x[:, :STEADY_HATS_ROW].T @ onehot) / np.maximum(onehot.sum(0), 1.0)


def bar_relative(bar: np.ndarray) -> np.ndarray:
    """Each channel's bar fold relative to its mean (clipped), as ``template_input``."""
    m = bar.mean(1, keepdims=True)
    return np.clip((bar - m) / (m + 1e-6), -1.0, 6.0)


def bar_input(bar: np.ndarray) -> np.ndarray:
    """What the bar template reads: ``bar_relative`` less its mean over the bar's beats, per phase
    bin: only how the beats of the bar differ (kick, snare, kick, snare), not what every beat has
    in common, which the cues and the beat template already read (round 52: with the common part
    too, leave-one-source-out, 88.7 % of windows alone and the sum worse than without it)."""
    r = bar_relative(bar).reshape(bar.shape[0], BAR_BEATS, BINS)
    return (r - r.mean(1, keepdims=True)).reshape(bar.shape[0], BAR_BEATS * BINS)


def bar_probabilities(bar: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """The bar template's probabilities that the beat lies 0, 1/4, 1/2, 3/4 of a beat after the
    fold's bin 0: a softmax over the 16 quarter-beat rolls of the bar, each phase's four rolls
    (which beat is the 1, unknown here) summed."""
    w = bar_template.WEIGHTS if weights is None else weights
    x = bar_input(bar)
    z = np.einsum("cb,crb->r", w, x[:, _BAR_ROLLS])
    z = np.exp(z - z.max())
    return z.reshape(BAR_BEATS, 4).sum(0) / z.sum()
