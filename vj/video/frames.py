"""Decoded frames as YUV planes: the hot path never converts colour on the CPU."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class YuvFrame:
    """One 4:2:0 frame; ``planes`` are (rows, line_size) uint8 views into the decoder's buffers.

    ``play_time`` is seconds since the clip's playback began, unwrapped across loops
    (a ping-pong's way back counts forward), so a player can pick frames by a clock.
    """

    play_time: float
    media_time: float
    width: int
    height: int
    planes: tuple[np.ndarray, np.ndarray, np.ndarray]
    colorspace: str = "bt709"
    color_range: str = "limited"
    serial: int = 0

    @property
    def line_sizes(self) -> tuple[int, int, int]:
        return (self.planes[0].shape[1], self.planes[1].shape[1], self.planes[2].shape[1])
