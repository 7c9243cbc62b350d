"""The hats cue's floor (``phase_cues.STEADY_HATS_MIN_BEATS``, round 28): the lesser of the even and
odd beats' folds is read only over enough beats; over fewer (a seed on a second or two of audio,
a grid re-seeded in a room) each parity holds one or two beats, and the lesser of two such means
is as noisy as a single beat, so the plain mean fold stands."""

from __future__ import annotations

import numpy as np
import pytest

from vj.audio import phase_cues as pc


def _window(first: float, beats: float):
    """Hop rows over beat positions ``first .. first + beats`` (8 hops a bin): a hat on every
    beat's "and" and, on the odd beats only, a snare's highs on the beat (2 and 4)."""
    pos = np.arange(first, first + beats, 1.0 / (8 * pc.BINS))
    beat = np.floor(pos).astype(int)
    b = np.floor((pos % 1.0) * pc.BINS).astype(int) % pc.BINS
    x = np.where(b == pc.BINS // 2, 1.0, 0.1) + np.where((b == 0) & (beat % 2 == 1), 0.8, 0.0)
    return x, beat, b


def _steady(x, beat, b):
    mean = np.bincount(b, weights=x, minlength=pc.BINS) / np.maximum(np.bincount(b, minlength=pc.BINS), 1)
    return pc.steady_hats(x, beat, b, mean), mean


@pytest.mark.parametrize("short", [1, 2])
def test_a_read_over_fewer_beats_than_the_floor_keeps_the_plain_mean_fold(short: int):
    """``STEADY_HATS_MIN_BEATS - short`` beats heard: the mean fold stands, the snare's highs on
    the odd beats counted in it (without the floor the lesser parity drops them)."""
    x, beat, b = _window(0.0, pc.STEADY_HATS_MIN_BEATS - short)
    steady, mean = _steady(x, beat, b)
    assert np.array_equal(steady, mean)
    assert steady[0] > 0.1 + 1e-9  # the snare's highs are in it


def test_a_window_that_starts_and_ends_mid_beat_counts_its_partial_beats():
    """The floor counts the beats a window touches, partial ones at both ends: a window from
    half a beat in over ``STEADY_HATS_MIN_BEATS - 1`` beats touches ``STEADY_HATS_MIN_BEATS``."""
    x, beat, b = _window(0.5, pc.STEADY_HATS_MIN_BEATS - 1)
    steady, mean = _steady(x, beat, b)
    assert not np.array_equal(steady, mean)


@pytest.mark.parametrize("extra", [0, 4])
def test_from_the_floor_on_the_lesser_parity_is_read(extra: int):
    """At the floor and above, the lesser of the even and odd beats' folds: the hat on every
    "and" stands at its level, the snare's highs on every other beat drop out of the beat's bin."""
    x, beat, b = _window(0.0, pc.STEADY_HATS_MIN_BEATS + extra)
    steady, mean = _steady(x, beat, b)
    assert steady[0] == pytest.approx(0.1)
    assert mean[0] > 0.3
    assert steady[pc.BINS // 2] == pytest.approx(1.0)
