"""The bar-level vote (``phase_cues.bar_turns``, round 36): at the beat the kick and the snare
take turns over the bar, at the "and" they do not, so a break whose kicks lie mostly on the "and"
still gets its beat from the bar.  Synthetic audio with an exact beat grid, through the real
features."""

from __future__ import annotations

import numpy as np
import pytest

from signals import SR, hat, kick, place

from vj.audio import phase_cues as pc
from vj.audio.features import FeatureExtractor
from vj.audio.tempo_comb import OnsetStrength

HOP = 512
#: A beat of 44 hops (117.45 BPM) from hop 20: the beat and its "and" fall on the same place in
#: their hops, so the fold reads a hit on either alike.
PERIOD = 44 * HOP / SR
FIRST = 20 * HOP / SR
SECONDS = 12.0


def _snare() -> np.ndarray:
    """White noise with a 30 ms decay: a snare's crack."""
    n = np.random.default_rng(3).standard_normal(int(0.15 * SR))
    return (0.5 * n * np.exp(-np.arange(n.size) / SR / 0.03)).astype(np.float32)


def _at(bar_positions: list[list[float]]) -> np.ndarray:
    """Times of hits at these beat positions in each bar (the list cycles over the bars)."""
    out, bar = [], 0
    while FIRST + 4 * bar * PERIOD < SECONDS:
        out += [FIRST + (4 * bar + p) * PERIOD for p in bar_positions[bar % len(bar_positions)]]
        bar += 1
    t = np.array(out)
    return t[t < SECONDS - 0.2]


def _folds(audio: np.ndarray) -> np.ndarray:
    """``phase_cues.fold_channels`` at the labelled beats over the last 6 s."""
    fe, onset = FeatureExtractor(SR, HOP), OnsetStrength()
    cues = pc.PhaseCues(SR, HOP)
    for i in range(audio.size // HOP):
        fe.process(audio[i * HOP:(i + 1) * HOP])
        onset(fe.bands_raw)
        cues(onset.flux, fe.bands_raw, fe.power, (i + 1) * HOP / SR)

    class Labelled:  # the labelled grid: beats at FIRST + k * PERIOD
        def position(self, t):
            return (np.asarray(t) - FIRST) / PERIOD

    return cues.folds(Labelled(), SECONDS - 0.3, 6.0)


def _turns_alone(folds: np.ndarray, monkeypatch) -> np.ndarray:
    for c in pc.PhaseCues.CUES:
        monkeypatch.setitem(pc.WEIGHTS, c, 0.0)
    return pc.hand_scores(folds)


def _two_step() -> np.ndarray:
    """A UK garage 2-step over two bars (``bench/corpus_styles.st_garage``): kicks on 1 and the
    "a" of 3, then on 1, the "a" of 2 and the "and" of 3 (none on 2 and 4); snares on 2 and 4;
    hats on every 16th but the beats.  The kick's beat-level fold has as much off the beat as on
    it, and the hats are heard on every 16th of the "and"s' side."""
    kicks = _at([[0, 2.75], [0, 1.75, 2.5]])
    snares = _at([[1, 3]])
    hats = _at([[q / 4 for q in range(16) if q % 4]])
    return place(SECONDS, kick(), kicks, 0.8) + place(SECONDS, _snare(), snares, 0.5) \
        + place(SECONDS, hat(), hats, 0.3)


def test_a_two_step_groove_gets_its_beat_from_the_kick_and_snare_taking_turns(monkeypatch):
    """The bar-level vote alone puts a 2-step groove's beat on the labelled beat, not on its
    "and" (garage-2step-132's groove: the family the vote helps most on the tuning split)."""
    s = _turns_alone(_folds(_two_step()), monkeypatch)
    assert s.sum() > 0.0  # it votes
    assert int(np.argmax(s)) == 0
    assert s[0] - max(s[1:]) > 0.02


def test_a_kick_on_every_beat_and_a_snare_on_two_and_four_keep_the_beat(monkeypatch):
    """A straight groove (a kick on every beat, a snare on 2 and 4, hats on every "and"): the
    vote stands where the other cues are: on the beat."""
    audio = (place(SECONDS, kick(), _at([[0, 1, 2, 3]]), 0.8) + place(SECONDS, _snare(), _at([[1, 3]]), 0.5)
             + place(SECONDS, hat(), _at([[0.5, 1.5, 2.5, 3.5]]), 0.3))
    s = _turns_alone(_folds(audio), monkeypatch)
    assert int(np.argmax(s)) == 0


@pytest.mark.parametrize("beats_heard", [4, 7])
def test_under_two_bars_there_is_no_bar_level_vote(beats_heard: int):
    """Over fewer than ``TURNS_MIN_BEATS`` beats (a seed's second or two of audio) the row is
    zeros: no vote, the margins are the other cues' alone."""
    pos = np.linspace(0.0, beats_heard, beats_heard * pc.BINS, endpoint=False)
    beat = np.floor(pos).astype(int)
    b = np.floor((pos % 1.0) * pc.BINS).astype(int)
    x = np.where(beat % 2 == 0, 1.0, 0.1)
    assert not pc.bar_turns(x, 1.1 - x, beat, b).any()
