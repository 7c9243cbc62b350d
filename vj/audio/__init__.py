"""Audio: the analysis chain (samples in, :class:`~vj.audio.snapshot.AudioSnapshot` out) and the inputs
that feed it (a sound card, a file played in real time, a file read offline)."""

#: Hz: every input is resampled to this before analysis, so the tracker's hop (512 samples, 11.6 ms)
#: and its tuned time constants mean the same live and offline.
ANALYSIS_RATE = 44100
#: BPM: tempo hints and song tempo ranges the tracker is given (setlist ``tempo``/``bpm_range``,
#: ``vj beats --bpm-hint``).  The tracker folds octave errors around a hint; outside this range a hint
#: is more likely a typo (a 500 "BPM" song) than a tempo, so it is refused with the file's line.
TEMPO_HINT_RANGE = (30.0, 300.0)

from .bpm_range import TRACKER_BPM_RANGE, tracker_range  # noqa: E402,F401  (the one range play, rehearse and beats share)
