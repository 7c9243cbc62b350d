"""The downbeat (``BeatState.bar_beat``) on generated audio: vj's own demo track (one chord per
bar, an off-beat bassline and a kick on every beat: its bass is level across the bar, and the
bass-only rule before round 40 put the bar on beat 2 all song) and a corpus-style disco groove.  Evidence per beat position: bass,
kick and chord change (``vj.audio.downbeat``)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import beat_corpus as bc  # noqa: E402
from signals import track_live  # noqa: E402

WINDOW = 0.07

#: The bass-only rule on this branch (main's) fails these: round 40's rule was measured and not
#: kept (it broke tests/test_beats_command.py's accented-kick downbeat); the rule that passes
#: them and that one is on branch ``downbeat40-v2`` (docs/BEATS.md, round 40).  Strict: a rule
#: that puts these bars right makes them fail here until the mark is taken away.
pytestmark = pytest.mark.xfail(strict=True, reason="round 40: the bass-only downbeat is a beat off on these")


def bar_starts(snaps) -> np.ndarray:
    """The beats the tracker reported as bar starts (``bar_beat == 0`` when they fired)."""
    out, last = [], -1
    for s in snaps:
        b = s.beat
        if b.locked and b.beat_count > last:
            if b.bar_beat == 0:
                out.append(b.last_beat)
            last = b.beat_count
    return np.array(out)


def share_on_downbeats(starts: np.ndarray, downbeats: np.ndarray, after: float) -> float:
    sel = starts[(starts >= after) & (starts <= downbeats[-1] + WINDOW)]  # (within the labels)
    assert sel.size >= 6, f"only {sel.size} bar starts after {after} s"
    return float(np.mean(np.min(np.abs(sel[:, None] - downbeats[None, :]), axis=1) <= WINDOW))


@pytest.mark.parametrize("bpm, seconds", [(120.0, 48.0), (140.0, 30.0)])
def test_the_demo_track_bar_starts_on_its_chord_changes_not_on_beat_2(bpm: float, seconds: float):
    """``vj demo``'s track (the samples ``render_demo_track`` writes): from 10 s on every bar
    start is a true downbeat (before round 40: none was, the bar began on beat 2)."""
    from vj.demo.track import synth_track
    samples, track = synth_track(bpm=bpm, seconds=seconds)
    snaps, _ = track_live(samples.mean(axis=1).astype(np.float32), track.sample_rate)
    assert share_on_downbeats(bar_starts(snaps), np.asarray(track.downbeats), 10.0) == 1.0


@pytest.mark.parametrize("source", ["timgm", "opl3"])
def test_a_disco_groove_bar_starts_on_its_one(source: str):
    """A corpus-style disco groove (a kick on every beat, one chord per bar): from 12 s on the bar
    starts are on the labelled downbeats (the bass-only rule before round 40: none were)."""
    item = bc.load(bc.Spec(f"test-disco@{source}", "test", (bc.Section("disco", 16, 116),), seed=3,
                           source=source, random_mix=False))
    snaps, _ = track_live(item.audio, item.sample_rate)
    assert share_on_downbeats(bar_starts(snaps), item.downbeats, 12.0) >= 0.9
