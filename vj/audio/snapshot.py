"""The one thing the show engine knows about audio: an immutable per-frame snapshot.

Like projectM's per-frame audio data, the renderer and the engine read only this;
they never touch a device, a file or the tracker's internals.  Live and offline
analysis both produce it through the same processor chain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, slots=True)
class BeatState:
    """Where the music is, in musical time, as the causal tracker sees it.

    ``beat_count`` is the index of the last beat that fired (-1 before the first);
    ``last_beat`` is its time and ``next_beat`` the predicted time of the next one,
    both in seconds of audio time.  ``bar_beat`` is the position of the last beat in
    its bar (0 = downbeat).
    """

    bpm: float = 0.0
    confidence: float = 0.0
    beat_count: int = -1
    last_beat: float = 0.0
    next_beat: float = 0.0
    beats_per_bar: int = 4
    bar_beat: int = 0
    source: str = "none"

    @property
    def locked(self) -> bool:
        return self.beat_count >= 0 and self.next_beat > self.last_beat

    def beat_position(self, t: float) -> float:
        """Continuous beat count at time ``t`` (integer at each beat), extrapolated.

        Between the last beat and the predicted next one it runs linearly; past the
        prediction it keeps running at the same period (flywheel).  Before lock it is
        NaN.
        """
        if not self.locked:
            return math.nan
        period = self.next_beat - self.last_beat
        return self.beat_count + (t - self.last_beat) / period

    def bar_position(self, t: float) -> float:
        """Continuous bar count at ``t`` (integer on downbeats); NaN before lock."""
        pos = self.beat_position(t)
        if math.isnan(pos):
            return pos
        # beat indices of downbeats are congruent to this, mod beats_per_bar
        downbeat_phase = (self.beat_count - self.bar_beat) % self.beats_per_bar
        return (pos - downbeat_phase) / self.beats_per_bar


def _frozen_array(values: np.ndarray | None) -> np.ndarray:
    arr = np.zeros(0, dtype=np.float32) if values is None else np.array(values, dtype=np.float32)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, slots=True, eq=False)
class AudioSnapshot:
    """Audio features at one instant (``time``, seconds of audio analysed so far).

    Band levels are linear RMS-like energies in 0..~1; the ``*_att`` versions are
    fast-attack/slow-release smoothed (projectM's ``bass_att``).  ``onset`` is the
    onset detection function of the latest hop, ``onset_fired`` whether an onset was
    detected since the previous snapshot.
    """

    time: float = 0.0
    rms: float = 0.0
    bass: float = 0.0
    mid: float = 0.0
    treble: float = 0.0
    bass_att: float = 0.0
    mid_att: float = 0.0
    treble_att: float = 0.0
    onset: float = 0.0
    onset_fired: bool = False
    beat: BeatState = BeatState()
    spectrum: np.ndarray = field(default_factory=lambda: _frozen_array(None))
    #: the latest hop's samples (-1..1), what an ISF ``audio`` input shows as a waveform (VDMX feeds the
    #: latest audio buffer); empty when the chain gives none
    waveform: np.ndarray = field(default_factory=lambda: _frozen_array(None))

    def __eq__(self, other: object) -> bool:
        """Field by field; the arrays by value (dataclass equality would compare arrays ambiguously)."""
        if not isinstance(other, AudioSnapshot):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self.__slots__ if f not in _ARRAYS) \
            and all(np.array_equal(getattr(self, f), getattr(other, f)) for f in _ARRAYS)

    __hash__ = None  # type: ignore[assignment]

    @staticmethod
    def frozen_spectrum(values: np.ndarray | None) -> np.ndarray:
        """A read-only float32 copy, so a snapshot can be shared between threads."""
        return _frozen_array(values)


_ARRAYS = ("spectrum", "waveform")
SILENT = AudioSnapshot()
