"""The hats cue (``phase_cues.steady_hats``, round 26): counted for the grid half a beat away,
it reads what is heard on *every* beat, so a snare's highs on 2 and 4 do not put the beat on
the "and".  Synthetic audio with an exact beat grid, through the real features."""

from __future__ import annotations

import numpy as np
import pytest

from signals import SR, grid, hat, place

from vj.audio import phase_cues as pc
from vj.audio.features import FeatureExtractor
from vj.audio.tempo_comb import OnsetStrength

HOP = 512
#: A beat of 44 hops (117.45 BPM) from hop 20: the beat and its "and" (22 hops later) fall on
#: the same place in their hops, so the fold reads a hit on either alike.
BPM = 60.0 * SR / (44 * HOP)
FIRST = 20 * HOP / SR
SECONDS = 10.0


def _snare() -> np.ndarray:
    """White noise with a 30 ms decay: a snare's (or clap's) crack, broadband up to the hats' air."""
    n = np.random.default_rng(3).standard_normal(int(0.15 * SR))
    return (0.5 * n * np.exp(-np.arange(n.size) / SR / 0.03)).astype(np.float32)


def _hats_scores(audio: np.ndarray, monkeypatch) -> np.ndarray:
    """The hats cue's four phase scores alone, folded at the labelled beats over the last 6 s."""
    fe, onset = FeatureExtractor(SR, HOP), OnsetStrength()
    cues = pc.PhaseCues(SR, HOP)
    for i in range(audio.size // HOP):
        fe.process(audio[i * HOP:(i + 1) * HOP])
        onset(fe.bands_raw)
        cues(onset.flux, fe.bands_raw, fe.power, (i + 1) * HOP / SR)
    period = 60.0 / BPM

    class Labelled:  # the labelled grid: beats at FIRST + k * period
        def position(self, t):
            return (np.asarray(t) - FIRST) / period

    for c in pc.PhaseCues.CUES:
        monkeypatch.setitem(pc.WEIGHTS, c, float(c == "hats"))
    return pc.hand_scores(cues.folds(Labelled(), SECONDS - 0.3, 6.0))


def test_a_snare_on_two_and_four_over_a_ride_on_every_eighth_does_not_put_the_beat_on_the_and(monkeypatch):
    """A ride on every 8th (the same on the beat and on the "and") and a snare on 2 and 4: the
    snare's highs are heard on every other beat only, so the hats cue does not vote for the
    "and".  Read as a mean over all beats (the rule off) the beats' bin is louder in the highs,
    and the hats cue, counted for the grid half a beat away, put the beat on the "and"
    (jungle-165@opl3: snares on 2 and 4 through OPL3, a ride on every 8th)."""
    beats = grid(BPM, SECONDS, FIRST)
    eighths = grid(2 * BPM, SECONDS, FIRST)
    audio = place(SECONDS, hat(), eighths, 0.6) + place(SECONDS, _snare(), beats[1::2])
    s = _hats_scores(audio, monkeypatch)
    assert s[2] - s[0] < 0.01  # (read as a mean over all beats: +0.06 for the "and")


def test_an_open_hat_on_every_and_still_puts_the_beat_half_a_beat_from_it(monkeypatch):
    """The hats' vote stands where it should: a hat on every "and" (and a snare on 2 and 4
    beside it) is heard on every beat, and the cue puts the beat half a beat from it."""
    beats = grid(BPM, SECONDS, FIRST)
    ands = beats + 30.0 / BPM
    audio = place(SECONDS, hat(), ands[ands < SECONDS], 0.6) + place(SECONDS, _snare(), beats[1::2], 0.3)
    s = _hats_scores(audio, monkeypatch)
    assert s[0] > s[2]
    assert int(np.argmax(s)) == 0


@pytest.mark.parametrize("beats_heard", [2, 3])
def test_under_four_beats_the_hats_fold_is_the_plain_mean(beats_heard: int):
    """Over fewer than ``STEADY_HATS_MIN_BEATS`` beats there is no even and odd to compare: the
    plain mean fold stands (a seed's second of audio)."""
    pos = np.linspace(0.0, beats_heard, beats_heard * pc.BINS, endpoint=False)
    x = np.where(np.floor(pos) % 2 == 1, 1.0, 0.2)
    b = np.floor((pos % 1.0) * pc.BINS).astype(int)
    mean = np.full(pc.BINS, 0.5)
    assert np.array_equal(pc.steady_hats(x, np.floor(pos).astype(int), b, mean), mean)
