"""Streaming sample-rate conversion for live input: the device's rate in, the analysis rate out."""

from __future__ import annotations

import numpy as np

from . import ANALYSIS_RATE


class StreamResampler:
    """Streaming sample-rate conversion of mono float32 with FFmpeg's swresample (via PyAV).

    Feed blocks of any length; the output is the same whatever the blocking (swresample
    keeps its filter state between calls) and about 16 input samples are held back.
    Equal rates pass through.
    """

    def __init__(self, in_rate: float, out_rate: int = ANALYSIS_RATE):
        self.in_rate = int(round(in_rate))
        self.out_rate = int(out_rate)
        self._resampler = None

    @property
    def passthrough(self) -> bool:
        return self.in_rate == self.out_rate

    def process(self, x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=np.float32)
        if self.passthrough or x.size == 0:
            return x if self.passthrough else np.zeros(0, np.float32)
        import av

        if self._resampler is None:
            self._resampler = av.AudioResampler(format="flt", layout="mono", rate=self.out_rate)
        frame = av.AudioFrame.from_ndarray(x.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self.in_rate
        outs = [np.frombuffer(f.planes[0], np.float32, count=f.samples) for f in self._resampler.resample(frame)]
        if not outs:
            return np.zeros(0, np.float32)
        return np.concatenate(outs) if len(outs) > 1 else outs[0].copy()  # copy: the frame's buffer is reused
