"""What the show loop hears from: one protocol for every audio feed, and the status it reports.

:class:`~vj.audio.live.LiveInput` (a sound card, through a capture process) and
:class:`~vj.audio.file_input.FileInput` (a decoded file released by a clock) both provide
:class:`AudioFeed`; the live player reads whichever it was given, once per frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from . import ANALYSIS_RATE

#: Most silence one read_new hands out for a gap (a reader that was away for minutes must
#: not get minutes of zeros to analyse in one frame).
MAX_GAP_S = 3.0


@dataclass(frozen=True, slots=True)
class InputStatus:
    """What the operator's screen shows about the audio input."""

    device: str                   #: device name (or file name)
    state: str                    #: "connecting", "connected", "disconnected", "closed" (file: "playing", "ended")
    connected: bool               #: real audio is arriving
    sample_rate: float            #: device rate, Hz (0 before the first connection)
    analysis_rate: int            #: rate of what read_new returns
    hostapi: str = ""
    channels: tuple[int, ...] = ()  #: 1-based channels mixed to mono
    blocksize: int = 0
    latency_s: float = 0.0        #: input latency PortAudio reports for the stream
    overruns: int = 0             #: times the reader fell behind the ring and lost audio
    lost_s: float = 0.0           #: audio lost to overruns, seconds
    input_overflows: int = 0      #: PortAudio input-overflow flags (the driver dropped audio)
    level: float = 0.0            #: RMS over about the last 300 ms (linear, 1.0 = full scale)
    peak: float = 0.0             #: peak |sample|, held and falling 20 dB/s
    since_audio_s: float = math.inf  #: seconds since the last audio callback
    reconnects: int = 0           #: streams opened after the first one
    error: str = ""               #: the latest problem, for the operator

    @property
    def level_db(self) -> float:
        return 20 * math.log10(self.level) if self.level > 0 else -math.inf

    @property
    def peak_db(self) -> float:
        return 20 * math.log10(self.peak) if self.peak > 0 else -math.inf

    def line(self) -> str:
        """One status line, e.g. for `vj audio monitor`."""
        lvl = f"{self.level_db:6.1f}" if self.level > 0 else "  -inf"
        pk = f"{self.peak_db:6.1f}" if self.peak > 0 else "  -inf"
        text = (f"{self.state:<12} {self.device[:32]:<32} {self.sample_rate:>6g} Hz  "
                f"rms {lvl} dBFS  peak {pk} dBFS  overruns {self.overruns}  "
                f"overflows {self.input_overflows}  reconnects {self.reconnects}")
        if not self.connected and self.error:
            text += f"  ({self.error.splitlines()[0][:120]})"
        return text


class AudioFeed(Protocol):
    """Where the show's audio comes from.  ``read_new`` is called from the frame thread only; it never
    raises and never blocks, and while nothing arrives it keeps time (silence by the wall clock)."""

    analysis_rate: int

    def start(self) -> "AudioFeed": ...
    def read_new(self) -> np.ndarray: ...   # mono float32 at analysis_rate, everything since the last call
    def status(self) -> InputStatus: ...    # safe from any thread
    def close(self) -> None: ...


__all__ = ["ANALYSIS_RATE", "AudioFeed", "InputStatus", "MAX_GAP_S"]
