"""Offline rehearsal: render the show for recorded tracks into a video file.

It runs the live chain, frame by frame: the analyser sees only the audio up to each
frame's time (causal, as live), the engine steps, decoders deliver the frame on
screen at that time (here waiting for it, so the result is deterministic), the
compositor draws it, and the frame goes to the encoder instead of a window.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..audio.analysis import Analyzer
from ..audio.file_source import load_audio
from ..bank import Bank, load_bank
from ..engine import ShowRules
from ..errors import Problem, VjError
from ..gfx.compositor import Compositor
from ..gfx.context import headless_context
from ..setlist import load_setlist
from .runner import ShowRunner
from .writer import VideoWriter, read_audio_planar

ANALYSIS_RATE = 44100
OUTPUT_AUDIO_RATE = 48000


@dataclass(frozen=True, slots=True)
class SongPlan:
    """One song to render: its clips, its track and how the show moves."""

    title: str
    bank: Bank
    audio: Path | None
    rules: ShowRules
    tempo_hint: float | None = None
    clip_order: tuple[str, ...] = ()          #: the bank's clip ids in playing order (empty: bank order)
    sections: tuple = ()                      #: the song's sections and cues (vj.setlist.Section)
    bpm_range: tuple[float, float] | None = None


@dataclass(slots=True)
class FrameLog:
    time: float
    clip: str
    transition: float
    beat_fired: bool
    bar_fired: bool
    bpm: float


@dataclass(slots=True)
class SongLog:
    """One rendered song, for the report."""

    title: str
    start: float                      #: seconds into the video
    duration: float
    beats: list[float] = field(default_factory=list)    #: beats the tracker reported (song seconds)
    tempo: list[tuple[float, float]] = field(default_factory=list)  #: (song seconds, BPM the show ran at)
    fired: list = field(default_factory=list)            #: sections and cues as they fired (cues.Fired)


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


def plan_show(target: str | Path, audio: Path | None = None, *, rules: ShowRules | None = None,
              banks_dir: Path | None = None, require_audio: bool = True) -> list[SongPlan]:
    """Songs for ``vj rehearse TARGET`` (or ``vj play``): a setlist file, or a bank with ``--audio``.

    Rehearsal needs a track per song; live play (``require_audio=False``) listens instead.
    """
    kw = {"banks_dir": banks_dir} if banks_dir is not None else {}
    target_path = Path(target)
    base = rules or ShowRules()
    if target_path.suffix == ".toml" and target_path.is_file():
        setlist = load_setlist(target_path, **kw)
        plans = []
        problems = []
        for i, song in enumerate(setlist.songs, 1):
            track = audio or song.audio
            if track is None and require_audio:
                problems.append(Problem(target_path, "no audio to rehearse against", where=f"song {i} '{song.title}', field 'audio'",
                                        fix="add `audio = \"path/to/track.flac\"` to the song, or pass --audio"))
                continue
            changes = {"switch_bars": song.switch_bars, "beats_per_bar": song.beats_per_bar, **song.rules}
            # a flight never outlasts the switch interval (e.g. 1 bar of 3/4 with 4-beat flights)
            changes["transition_beats"] = min(base.transition_beats, song.switch_bars * song.beats_per_bar)
            try:
                song_rules = base.with_changes(changes)
            except ValueError as exc:
                problems.append(Problem(target_path, str(exc), where=f"song {i} '{song.title}'",
                                        fix="check switch_bars and beats_per_bar (docs/SETLISTS.md)"))
                continue
            bank = load_bank(song.bank, **kw)
            plans.append(SongPlan(song.title, bank, Path(track) if track else None, song_rules, song.tempo_hint,
                                  song.clip_order([c.id for c in bank.clips]), song.sections, song.bpm_range))
        if problems:
            raise VjError(problems)
        return plans
    if audio is None and require_audio:
        raise VjError(Problem(str(target), "rehearsing a bank needs a track",
                              fix=f"run `vj rehearse {target} --audio TRACK.flac --out show.mp4`"))
    bank = load_bank(str(target), **kw)
    return [SongPlan(bank.name, bank, Path(audio) if audio else None, base)]


def _track_duration(path: Path | None) -> float:
    """Decode ``path`` as the render will (raising VjError naming a bad file) and keep
    only its duration."""
    return load_audio(path, ANALYSIS_RATE).duration


def rehearse(plans: list[SongPlan], out: Path, *, size: tuple[int, int] = (1920, 1080), fps: int = 30,
             progress: Callable[[int, int, str], None] | None = None, hash_frames: bool = False,
             crf: int = 18, preset: str = "ultrafast") -> RehearsalResult:
    """Render ``plans`` one after another into ``out`` (video + the songs' audio).

    Every track is decoded once up front, so a bad file fails before anything renders,
    and then again for its own song only: one track in memory at a time (an hour of
    mono 44.1 kHz float is 635 MB; decoding runs ~500x real time, ~7 s an hour)."""
    durations = [_track_duration(plan.audio) for plan in plans]
    total_frames = sum(int(round(d * fps)) for d in durations)
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
    try:
        for song_no, plan in enumerate(plans, 1):
            track = load_audio(plan.audio, ANALYSIS_RATE)
            n_frames = int(round(track.duration * fps))
            # the muxed audio is the original track, exactly as long as the video part of this song
            stereo = read_audio_planar(plan.audio, OUTPUT_AUDIO_RATE, 2)
            n_audio = int(round(n_frames / fps * OUTPUT_AUDIO_RATE))
            if stereo.shape[1] < n_audio:
                stereo = np.pad(stereo, ((0, 0), (0, n_audio - stereo.shape[1])))
            writer.write_audio(stereo[:, :n_audio])

            runner = ShowRunner(compositor, plan.bank, plan.rules, live=False, tempo_hint=plan.tempo_hint,
                                orders=[plan.clip_order], sections=[plan.sections])
            song_log = SongLog(plan.title, result.duration, n_frames / fps)
            result.songs.append(song_log)
            analyzer = Analyzer(sample_rate=ANALYSIS_RATE, beats_per_bar=plan.rules.beats_per_bar,
                                bpm_hint=plan.tempo_hint, bpm_range=plan.bpm_range)
            fed = 0
            prev_count = -1
            t0 = result.duration
            prev_clip = None
            try:
                for n in range(n_frames):
                    t = n / fps
                    # causal, as live: the analyser has heard the audio up to this frame and no further
                    until = min(int(round(t * ANALYSIS_RATE)), len(track.samples))
                    if until > fed:
                        analyzer.process(track.samples[fed:until])
                        fed = until
                    snap = analyzer.snapshot()
                    desc = runner.frame(t, snap)
                    if snap.beat.beat_count > prev_count:
                        prev_count = snap.beat.beat_count
                        song_log.beats.append(snap.beat.last_beat)
                    song_log.tempo.append((t, desc.bpm))
                    y_plane, uv_plane = compositor.read_nv12()  # converted on the GPU: no CPU colour conversion
                    writer.write_nv12(y_plane, uv_plane)
                    if hash_frames:
                        result.frame_hashes.append(hashlib.sha1(y_plane + uv_plane).hexdigest())
                    if prev_clip is not None and desc.current_clip != prev_clip:
                        result.switches.append((t0 + t, prev_clip, desc.current_clip))
                    prev_clip = desc.current_clip
                    result.log.append(FrameLog(t0 + t, desc.current_clip, desc.transition, desc.beat_fired,
                                               desc.bar_fired, desc.bpm))
                    result.messages += runner.messages
                    done += 1
                    if progress is not None:  # the whole show's bar, and this song's in the note
                        fill = round(10 * (n + 1) / n_frames)
                        progress(done, total_frames, f"song {song_no}/{len(plans)} [{'#' * fill}{'-' * (10 - fill)}] "
                                                     f"{plan.title}")
            finally:
                song_log.fired = list(runner.fired)
                runner.close()
                del track, stereo  # before the next song's track is decoded
            result.duration += n_frames / fps
            result.frames += n_frames
    finally:
        writer.close()
        compositor.release()
        ctx.release()
    result.render_seconds = time.perf_counter() - started
    return result
