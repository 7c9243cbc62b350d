"""Audio input and analysis: sources produce sample blocks, processors turn them into snapshots."""

from .bpm_range import TRACKER_BPM_RANGE, tracker_range  # noqa: F401  (the one range play, rehearse and beats share)
