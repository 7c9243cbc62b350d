"""A labelled item of the beat corpus (bench/beat_corpus.py), heard by the live analyser: what the beat-rule
tests that replay one real item (a room, a waltz) share."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import beat_corpus as bc  # noqa: E402

from vj.audio.analysis import Analyzer  # noqa: E402

HOP = 512


def heard(name: str, seconds: float, hop: int = HOP):
    """(the corpus item ``name``, an Analyzer that has heard its first ``seconds``, ``hop`` samples at a time)."""
    item = bc.load(bc.select(bc.all_specs(), [name], None, None)[0])
    return item, hear(item, seconds, hop)


def hear(item, seconds: float, hop: int = HOP) -> Analyzer:
    """An Analyzer that has heard ``item``'s (a loaded corpus item's) first ``seconds``, as live: ``hop`` at a time."""
    x = np.asarray(item.audio, np.float32)[:int(seconds * item.sample_rate)]
    an = Analyzer(sample_rate=item.sample_rate, hop=hop)
    for i in range(0, x.size - hop, hop):
        an.process(x[i:i + hop])
    return an
