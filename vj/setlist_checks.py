"""A setlist song's checks against its own values and its track: what `vj setlist check` names and a show that
must start lets pass (a tempo hint outside bpm_range, a clip listed twice in order, a track that does not open),
and the known downbeats' place in the track.  Split out of ``vj.setlist`` (the reader) at 558 lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import Problem, shown


def tempo_in_range(values: dict, path: Path, line: int | None, where: str) -> list[Problem]:
    """A tempo hint outside the song's own bpm_range contradicts it: the check said OK, and the rehearsal report
    then warned that the show ran outside the range for 100 % of the song."""
    tempo, span = values.get("tempo"), values.get("bpm_range")
    if tempo is None or span is None or span[0] <= tempo <= span[1]:
        return []
    return [Problem(path, f"tempo {tempo:g} is outside this song's bpm_range [{span[0]:g}, {span[1]:g}].",
                    f"make them agree: tempo is the song's BPM, bpm_range the tempi it may have (e.g. tempo = "
                    f"{(span[0] + span[1]) / 2:g}, or widen bpm_range to include {tempo:g}).", line,
                    f"{where}, field 'tempo'")]


def order_twice(order: Any, path: Path, line: int | None, where: str) -> list[Problem]:
    """A clip listed twice: the order went on after its first place, so the show flew from it into itself all
    song and never reached the clips after it. The show now plays it at its first place; the check names it."""
    if not isinstance(order, (list, tuple)):
        return []
    twice = [x for k, x in enumerate(order) if x in order[:k]]
    if not twice:
        return []
    return [Problem(path, f"'{twice[0]}' is listed twice in order; the show plays it only at its first place.",
                    "list each clip once.", line, f"{where}, field 'order'")]


def downbeats_on_track(times: tuple[float, ...], audio: Path | None, check_files: bool, path: Path,
                        line: int | None, where: str) -> list[Problem]:
    """Known downbeats need the song's own track (they are seconds into it) and must fall inside it."""
    if not times:
        return []
    fwhere = f"{where}, field 'downbeat'"
    if audio is None:
        return [Problem(path, "downbeat is set, but the song has no audio file: its times are seconds into the "
                              "song's own track.", "add audio = \"TRACK\" to the song, or remove the line (on live "
                              "input, press R on a downbeat: docs/PLAY.md).", line, fwhere)]
    length = track_seconds(audio) if check_files and audio.is_file() else None
    if length is not None and times[-1] > length:
        return [Problem(path, f"downbeat {times[-1]:g} s is past the end of the track ({length:.2f} s, "
                              f"{shown(audio)}).", "give times within the track, or check that audio names the "
                              "right file.", line, fwhere)]
    return []


def track_seconds(audio: Path) -> float | None:
    """The track's length from its header (nothing decoded); None where the file does not say it."""
    import av
    try:
        with av.open(str(audio)) as container:
            stream = container.streams.audio[0] if container.streams.audio else None
            if stream is not None and stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
            return container.duration / 1_000_000 if container.duration else None
    except (av.error.FFmpegError, OSError, UnicodeDecodeError):
        return None   # a track that does not open is said where it is played (vj.audio.file_source)


def audio_unreadable(audio: Path) -> tuple[str, str] | None:
    """What keeps a track that exists from playing (not audio, no audio stream), with its fix; None when its
    header opens.  Only `vj setlist check` asks: the rehearsal refused such a track after the check said OK."""
    import av
    try:
        with av.open(str(audio)) as container:
            if container.streams.audio:
                return None
            return ("has no audio stream (a video without sound?).",
                    "name the track itself, or extract its audio: `ffmpeg -i FILE -vn out.flac`.")
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        why = (getattr(exc, "strerror", None) or str(exc)).strip().rstrip(".") or type(exc).__name__
        return (f"is not an audio file FFmpeg can read ({why}).",
                "convert it to FLAC or WAV (e.g. `ffmpeg -i TRACK out.flac`) and point audio at that.")
