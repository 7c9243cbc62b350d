"""Offline rehearsal: render the show for recorded tracks into a video file.

One show for the whole setlist, as live: the songs' tracks play one after another into one show
loop, and each next song is armed when its track starts, so it flies in on a downbeat as a
performer's ``N`` brings it in.  It runs the live chain, frame by frame: the show loop hears only the audio up to each
frame's time (causal, as live) and steps the engine, decoders deliver the frame on
screen at that time (here waiting for it, so the result is deterministic), the
compositor draws it, and the frame goes to the encoder instead of a window.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from ..audio import ANALYSIS_RATE
from ..audio.file_source import load_audio
from ..engine import Event, SongEnds
from ..gfx.compositor import Compositor
from ..gfx.context import headless_context
from ..show.effects import song_shaders
from ..show.loop import ShowLoop
from ..show.plan import SongPlan
from .renderer import ShowRenderer
from .seam import seam_score
from .writer import REVIEW_CRF, VideoWriter, read_audio_planar

OUTPUT_AUDIO_RATE = 48000


@dataclass(slots=True)
class FrameLog:
    time: float
    clip: str
    transition: float
    beat_fired: bool
    bar_fired: bool
    bpm: float
    seam: float | None = None   #: the seam score of a flight frame (vj.render.seam), None outside flights
    continuity: float | None = None  #: on a flight's first frame: its continuity distance (ShowReport.continuity)
    next_clip: str = ""         #: the clip flying in (during a flight) or queued next
    bar: float = 0.0            #: the show clock's bar position (0 at the show's start)
    flight: str = ""            #: the ISF transition drawing this frame's flight ("": the zoom-through)


@dataclass(slots=True)
class SongLog:
    """One rendered song, for the report."""

    title: str
    start: float                      #: seconds into the video
    duration: float
    beats: list[float] = field(default_factory=list)    #: beats the tracker reported (song seconds)
    tempo: list[tuple[float, float]] = field(default_factory=list)  #: (song seconds, BPM the show ran at)
    fired: list = field(default_factory=list)            #: sections and cues as they fired (cues.Fired)
    bar_one: float = 0.0   #: the show's bar position where the song's bar 1 begins (its first clip landed; nan: never)
    cut: bool = False      #: rendered only in part (``--duration``): what never came may have come later


@dataclass(slots=True)
class RehearsalResult:
    out: Path
    frames: int = 0
    duration: float = 0.0
    render_seconds: float = 0.0
    switches: list[tuple[float, str, str]] = field(default_factory=list)  #: (time the new clip filled the screen, from, to)
    log: list[FrameLog] = field(default_factory=list)
    frame_hashes: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    songs: list[SongLog] = field(default_factory=list)

    @property
    def speed(self) -> float:
        """Rendering speed as a multiple of real time."""
        return self.duration / self.render_seconds if self.render_seconds > 0 else math.inf


def _track_duration(path: Path | None) -> float:
    """Decode ``path`` as the render will (raising VjError naming a bad file) and keep
    only its duration."""
    return load_audio(path, ANALYSIS_RATE).duration


def rehearse(plans: list[SongPlan], out: Path, *, size: tuple[int, int] = (1920, 1080), fps: int = 30,
             progress: Callable[[int, int, str], None] | None = None, hash_frames: bool = False,
             crf: int = REVIEW_CRF, preset: str = "ultrafast", duration: float | None = None,
             number: int = 1) -> RehearsalResult:
    """Render ``plans`` one after another into ``out`` (video + the songs' audio); with ``duration``, only the
    show's first ``duration`` seconds (a quick look: the frames are those of the whole render, cut short).
    ``plans[0]`` is the setlist's song ``number`` (--from-song): the progress note counts as the setlist does.

    Every track is decoded once up front, so a bad file fails before anything renders,
    and then again for its own song only: one track in memory at a time (an hour of
    mono 44.1 kHz float is 635 MB; decoding runs ~500x real time, ~7 s an hour)."""
    durations = [_track_duration(plan.audio) for plan in plans]
    total_frames = sum(int(round(d * fps)) for d in durations)
    if duration is not None:
        total_frames = min(total_frames, max(1, int(round(duration * fps))))
    result = RehearsalResult(Path(out))
    ctx = headless_context()
    compositor = Compositor(ctx, size, fps=fps)
    try:
        writer = VideoWriter(Path(out), size, fps, audio_rate=OUTPUT_AUDIO_RATE, crf=crf, preset=preset)
    except Exception:
        compositor.release()
        ctx.release()
        raise
    started = time.perf_counter()
    done = 0
    # one show for the whole setlist, as `vj play` runs it: the songs' tracks follow one another, and each
    # next song is armed as its track starts (as a performer's N), flying in on the next downbeat
    loop = ShowLoop(plans, aspect=size[0] / size[1])
    renderer = ShowRenderer(compositor, loop.clips, live=False)
    # every shader of the setlist compiled now, as `vj play` does: one that fails is said (and in the report)
    # even when the render stops (--duration) before the song, section or flight that uses it
    renderer.effects.prepare((s.name, str(s.shader)) for s in song_shaders(plans).values())
    prev_clip = None
    rate = loop.sample_rate
    try:
        for song_no, plan in enumerate(plans, 1):
            if done >= total_frames:   # --duration ended the render before this song
                break
            track = load_audio(plan.audio, ANALYSIS_RATE)
            whole = int(round(track.duration * fps))   # the song's end, as the show knows it
            n_frames = min(whole, total_frames - done)
            # the muxed audio is the original track, exactly as long as the video part of this song
            stereo = read_audio_planar(plan.audio, OUTPUT_AUDIO_RATE, 2)
            n_audio = int(round(n_frames / fps * OUTPUT_AUDIO_RATE))
            if stereo.shape[1] < n_audio:
                stereo = np.pad(stereo, ((0, 0), (0, n_audio - stereo.shape[1])))
            writer.write_audio(stereo[:, :n_audio])

            song_log = SongLog(plan.title, result.duration, n_frames / fps, cut=n_frames < whole)
            result.songs.append(song_log)
            t0 = result.duration
            s0 = loop.samples_heard   # the analyser has heard the songs before this one
            loop.hearing_track(song_no - 1, s0)   # its own track from here: its known downbeats in track time
            # the track's end is known, and the next song flies in then: a clip's flight that would land just
            # before it is not started (the last song's video simply ends)
            events: list[Event] = [SongEnds(t0 + whole / fps if song_no < len(plans) else None)]
            events += [loop.arm_song(song_no - 1)] if song_no > 1 else []
            try:
                for n in range(n_frames):
                    t = t0 + n / fps
                    # causal, as live: the show has heard the audio up to this frame and no further
                    fed = loop.samples_heard - s0
                    until = max(min(int(round((t - t0) * rate)), len(track.samples)), fed)
                    desc = loop.tick(t, track.samples[fed:until], events)
                    events = []
                    loop.feedback(renderer.draw(desc))
                    if loop.heard is not None:
                        song_log.beats.append(loop.heard.time - t0)
                    song_log.tempo.append((t - t0, desc.bpm))
                    y_plane, uv_plane = compositor.read_nv12()  # converted on the GPU: no CPU colour conversion
                    writer.write_nv12(y_plane, uv_plane)
                    if hash_frames:
                        result.frame_hashes.append(hashlib.sha1(y_plane + uv_plane).hexdigest())
                    seam = None
                    if desc.transition >= 0 and renderer.ready(desc):
                        luma = np.frombuffer(y_plane, np.uint8).reshape(size[1], size[0])
                        seam = seam_score(luma, compositor.read_mask())
                    if prev_clip is not None and desc.current_clip != prev_clip:
                        result.switches.append((t, prev_clip, desc.current_clip))
                    prev_clip = desc.current_clip
                    result.log.append(FrameLog(t, desc.current_clip, desc.transition, desc.beat_fired,
                                               desc.bar_fired, desc.bpm, seam, desc.report.continuity,
                                               desc.next_clip, desc.report.bar_position, desc.flight))
                    result.messages += [*desc.report.messages, *renderer.messages]
                    done += 1
                    if progress is not None:  # the whole show's bar, and this song's in the note
                        fill = round(10 * (n + 1) / n_frames)
                        which = f"song {number + song_no - 1}/{number + len(plans) - 1}"
                        progress(done, total_frames, f"{which} [{'#' * fill}{'-' * (10 - fill)}] {plan.title}")
                # the rest of the song's last frame: the show hears the track to its end (or the song's last
                # frame, past a shorter track), so its clock stays the video's in the next song (left unheard, each
                # song put the show a frame ahead of the music from there on: 15 frames by a 16th song)
                end = int(round(n_frames / fps * rate))
                fed = loop.samples_heard - s0
                if end > fed:
                    rest = np.zeros(end - fed, np.float32)   # a copy: nothing keeps a view of this track
                    have = max(0, min(end, len(track.samples)) - fed)
                    rest[:have] = track.samples[fed:fed + have]
                    loop.hear(rest)
            finally:
                song_log.fired = [replace(f, time=f.time - t0) for f in loop.fired if f.song == song_no - 1]
                # only once this song's first clip has landed (a song too short for its flight keeps none)
                song_log.bar_one = float(loop.bar_one) if loop.song == song_no - 1 else math.nan
                del track, stereo  # before the next song's track is decoded
            result.duration += n_frames / fps
            result.frames += n_frames
    finally:
        renderer.close()
        writer.close()
        compositor.release()
        ctx.release()
    result.render_seconds = time.perf_counter() - started
    return result
