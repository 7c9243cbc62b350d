"""`vj play`: the live show in a window, driven by an audio input (or a file played in real time)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..audio.feed import AudioFeed
from ..errors import Problem, VjError
from .audio import add_input_arguments, live_input_from_args
from . import add_banks_dir, interrupt_held
from .rehearse import parse_size

#: `--stats` with no file: print the statistics only
STATS_PRINT = Path("-")

def demo_setlist() -> Path:
    """What `vj play` alone plays: the demo setlist (the checkout's setlists/demo.toml; installed, the one
    `vj demo` set up in the user data folder)."""
    from .. import SETLISTS
    from ..demo_show import DEMO_SETLIST

    return SETLISTS / DEMO_SETLIST


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("play", help="play the show live in a window",
                       description="Play the show live. With no argument it plays the demo setlist (setlists/demo.toml "
                                   "of a vj checkout; installed, the one `vj demo` sets up); with no audio input device it plays the demo track through the "
                                   "file source and says so.")
    p.add_argument("target", nargs="?", metavar="SETLIST_OR_BANK", help="a setlist .toml, or a bank (default: the demo)")
    add_input_arguments(p)
    from ..control.midi_play import add_midi_arguments
    from ..control.link import add_link_arguments
    from ..control.oscserver import add_osc_arguments
    add_osc_arguments(p)
    add_midi_arguments(p)
    add_link_arguments(p)
    p.add_argument("--audio-file", type=Path, metavar="FILE", help="use this file as the audio input, played in real time")
    add_banks_dir(p)
    p.add_argument("--screen", type=int, help="screen (0, 1, ...) for the output window")
    p.add_argument("--fullscreen", action="store_true", help="fullscreen output")
    p.add_argument("--size", type=parse_size, default=(1280, 720), help="output size WxH (default 1280x720)")
    p.add_argument("--fps", type=float, default=60.0, help="target frame rate (default 60)")
    p.add_argument("--no-vsync", action="store_true", help="pace frames by the clock instead of the display")
    p.add_argument("--no-panel", action="store_true", help="no control panel beside the output")
    p.add_argument("--control-window", action="store_true",
                   help="the control panel in its own window (default when --screen picks one of several screens)")
    p.add_argument("--no-hud", action="store_true", help="start with the HUD hidden (H toggles)")
    p.add_argument("--latency", type=float, default=0.0, metavar="MS", help="schedule visuals this many ms ahead")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this long (tests, benchmarks)")
    p.add_argument("--stats", nargs="?", const=STATS_PRINT, type=Path, metavar="FILE.json",
                   help="when done, print the frame statistics (frame times, dropped and late frames, render scale, "
                        "switches); with FILE.json, also write all of them there as JSON")
    p.add_argument("--screenshots", type=Path, metavar="DIR", help="save a PNG of the window every second")
    p.add_argument("--mute", action="store_true", help="do not play a file source out loud")
    p.add_argument("--tracks", action="store_true",
                   help="rehearse live against the setlist's own tracks: each song's audio in turn, heard and "
                        "followed; the next song starts when its track ends, or on N")
    p.add_argument("--quality", choices=("auto", "fixed"), default="auto",
                   help="auto (default): hold the frame rate by lowering the render scale, then motion blur, then "
                        "clip size, restoring them when there is room; fixed: always full quality")
    p.add_argument("--priority", choices=("realtime", "raised", "normal"), default="realtime",
                   help="realtime (default): ask the system for real-time CPU priority, else a raised one (nice "
                        "-10), so that other programs do not drop the show's frames (given up if the show uses "
                        "most of the CPU); raised: nice -10 only; normal: leave vj's priority as it is")
    p.add_argument("--resume", action="store_true",
                   help="continue the show where it was when vj play last ended (after a crash: song, bar, clip, "
                        "tempo, faders, effects, blackout); without it vj asks after an unclean exit")
    p.add_argument("--fresh", action="store_true", help="start from the top without asking, even after a crash")
    p.add_argument("--no-autosave", action="store_true",
                   help="do not save the show's state (twice a second, for --resume after a crash)")
    p.set_defaults(func=run)


def open_feed(args: argparse.Namespace, plans) -> tuple[AudioFeed, str]:
    """The audio source: a device, a file, or (no device at all) the setlist's/demo track, saying so."""
    from ..audio.file_input import FileInput

    if getattr(args, "tracks", False):
        if args.audio_file is not None or args.audio_device is not None:
            raise VjError(Problem("--tracks", "--tracks plays the setlist's own tracks: it takes no --audio-file "
                                              "or --audio-device", fix="drop one of them"))
        from ..live.tracks import SetlistTracks
        if not any(p.audio is not None for p in plans):
            raise VjError(Problem("--tracks", "none of the setlist's songs names an audio track",
                                  fix="add audio = \"FILE\" to the songs (docs/SETLISTS.md)"))
        feed = SetlistTracks([p.audio for p in plans], mute=args.mute).start()
        return feed, feed.label
    if args.audio_file is not None:
        if args.audio_device is not None:
            raise VjError(Problem("--audio-file", "give either --audio-device or --audio-file, not both",
                                  fix="drop one of them"))
        return FileInput(args.audio_file).start(), f"file {args.audio_file.name}"
    feed = live_input_from_args(args)
    try:
        feed.start()
        return feed, f"input {feed.status().device}"
    except VjError as exc:
        feed.close()
        if args.audio_device is not None:
            raise  # the device the performer asked for: say so, with the device list
        # no input device at all: play the song's track through the file source, and say so
        track = next((p.audio for p in plans if p.audio is not None), None)
        if track is None:
            raise VjError(Problem("audio", f"no audio input device ({exc.problems[0]}) and no track to play",
                                  fix="pass --audio-device DEV (see `vj audio devices`) or --audio-file FILE")) from None
        print(f"vj: no audio input device; playing {track} through the file source instead", file=sys.stderr)
        return FileInput(track).start(), f"file {Path(track).name} (no input device)"


def start_surfaces(args: argparse.Namespace, controls) -> list:
    """The control surfaces the options ask for (OSC, MIDI, Link), each attached to the player's controls.

    A surface that cannot start (a bad MIDI map, a port in use) is a VjError before the show starts;
    the ones already started are closed again."""
    from ..control.midi_play import start_midi
    from ..control.link import start_link
    from ..control.controller import tagged
    from ..control.oscserver import start_osc

    def log(line: str) -> None:  # on stderr, and in the control panel's message line
        print(f"vj: {line}", file=sys.stderr, flush=True)
        controls.notify(line)

    started: list = []
    try:
        started.append(start_osc(args, controls, log=lambda line: log(tagged("osc", line))))
        started.append(start_midi(args, controls, log=lambda line: log(tagged("midi", line))))
        started.append(start_link(args, controls, log=lambda line: log(tagged("link", line))))
    except BaseException:
        for surface in reversed(started):
            surface.close()
        raise
    return started


def run(args: argparse.Namespace) -> int:
    with interrupt_held():   # the player's modules (GL, ImGui) load here: Ctrl+C meanwhile is said, not a traceback
        from ..live.app import PlayOptions, Player
        from ..show.plan import plan_show

    _check_stats_path(args.stats)   # before anything is planned or asked
    from ..show.plan import show_target
    target = show_target(args.target or demo_setlist())
    if args.target is None and not Path(target).is_file():
        # an installed vj ships the demo setlist as package data; `vj demo` puts it where this looks
        raise VjError(Problem(target, "the demo show is not set up yet: `vj play` alone plays the demo setlist",
                              fix="run `vj demo` (it sets up the demo bank, setlist and tracks, about a minute the "
                                  "first time, and plays them), or name what to play: `vj play SETLIST.toml`, or a "
                                  "bank with a track, `vj play BANK --audio-file TRACK.flac`"))
    from ..live.priority import leave_priority, raise_priority, say
    # before any thread starts (decoders, audio, the GL driver's): they inherit the calling thread's priority
    priority = leave_priority() if args.priority == "normal" else raise_priority(realtime=args.priority == "realtime")
    if priority.realtime:   # NVIDIA's GL waits by sched_yield, which at real-time yields to no normal program
        os.environ.setdefault("__GL_YIELD", "USLEEP")
    say(priority)
    # a show starts whatever it can play: a missing or damaged clip is left out with a warning, as mid-show
    plans = plan_show(target, args.audio_file, require_audio=False, lenient=True, banks_dir=args.banks_dir)
    for problem in dict.fromkeys(str(w) for p in plans for w in p.warnings):
        print(f"vj: warning: {problem}", file=sys.stderr)
    _check_display()   # the show's own problems first: a setlist can be fixed over SSH too
    autosave, resume = _autosave_and_resume(args, target, plans)
    feed, label = open_feed(args, plans)
    options = PlayOptions(size=args.size, fps=args.fps, fullscreen=args.fullscreen, screen=args.screen,
                          vsync=not args.no_vsync, hud=not args.no_hud, panel=not args.no_panel,
                          duration=args.duration,
                          stats_path=None if args.stats in (None, STATS_PRINT) else args.stats, screenshots=args.screenshots,
                          latency=args.latency / 1000.0, control_window=True if args.control_window else None,
                          setlist=Path(target) if str(target).endswith(".toml") else None, quality=args.quality,
                          autosave=autosave, resume=resume, banks_dir=args.banks_dir)
    from ..audio.file_input import FileInput

    playback = None
    if not args.mute and isinstance(feed, FileInput) and feed.started_at is not None and Path(feed.name).is_file():
        from ..audio.playback import Playback
        playback = Playback(Path(feed.name), feed.started_at)  # heard in step with what the show listens to
    try:
        player = Player(plans, feed, options, feed_label=label)
    except Exception as exc:
        if type(exc).__name__ != "NoSuchDisplayException":   # pyglet's, from its window or its xlib display
            raise
        feed.close()
        if playback is not None:
            playback.close()
        raise VjError(_no_display(f"no X server answers at {os.environ.get('DISPLAY', '')!r}")) from None
    player.playback = playback
    if priority.realtime:
        from ..live.priority import RealtimeGuard
        player.rt_guard = RealtimeGuard(advice="use --quality auto" if args.quality == "fixed" else
                                        "lower the output size (--size) or close other programs")
    player.stat_sources["priority"] = lambda: priority.stats() | {
        "realtime_given_up": player.rt_guard is not None and player.rt_guard.given_up_at is not None}
    if priority.note:
        player.controls.notify(priority.headline())   # the fix in full went to the terminal
    surfaces: list = []
    from ..live.autosave import state_path
    from ..live.signals import ShowSignals
    signals = ShowSignals(player, state_path(target).with_suffix(".log"))
    try:
        surfaces = start_surfaces(args, player.controls)
        for name, surface in zip(("osc", "midi", "link"), surfaces):
            if hasattr(surface, "stats"):
                player.stat_sources[name] = surface.stats
        signals.install()   # the terminal closing no longer ends the show; SIGTERM and Ctrl+C end it cleanly
        summary = player.run()
    finally:
        for surface in reversed(surfaces):
            surface.close()
        player.close()
        if playback is not None:
            playback.close()
        signals.restore(streams=False)   # the last lines below still go to the log when the terminal is gone
    if signals.ended_by:
        print(f"vj: {signals.ended_by}: the show ended cleanly, as Ctrl+Q ends it ("
              + ("its place saved for --resume, " if player.autosave is not None else "")
              + "the controllers and audio closed)", file=sys.stderr)
    print(f"vj: played {summary['frames']} frames, {summary['dropped_frames']} dropped, "
          f"{summary['late_frames']} late, {summary['switches']} switches, render scale {summary['render_scale']:g} "
          f"({summary['quality']})")
    if args.stats is not None:
        print(stats_table(summary))
    signals.restore()
    return 0


def _no_display(why: str) -> Problem:
    return Problem("DISPLAY", f"{why}: there is no screen to open the show's window on",
                   fix="run vj play on the machine with the screen (in its desktop, or with DISPLAY=:0 set), or render "
                       "the show to a video and watch that: `vj rehearse SETLIST.toml --out show.mp4`")


def _check_display() -> None:
    """Over SSH or on a server there is no X display: say so before the audio starts (after the show's own
    problems), instead of pyglet's traceback from inside the player (`vj play` from a fresh install)."""
    if not sys.platform.startswith("linux"):
        return
    display = os.environ.get("DISPLAY")
    if not (display or os.environ.get("WAYLAND_DISPLAY")):
        raise VjError(_no_display("not set (an SSH session, or a server?)"))
    if display and not x_server_answers(display):   # a stale DISPLAY: said before the sound starts, too
        raise VjError(_no_display(f"no X server answers at {display!r}"))


#: how long a remote X server (``host:N``, SSH X forwarding) may take to accept a connection before the show says
#: there is none; a local one answers at once or not at all
X_CONNECT_S = 2.0


def x_server_answers(display: str) -> bool:
    """Whether anything listens where DISPLAY points (its socket, or TCP port 6000+N): a probe without pyglet,
    whose display opens only inside the player, after the audio has started.  A form it does not know: True
    (the player still says it)."""
    import re
    import socket

    m = re.fullmatch(r"(?P<host>[^:/]*)(?:/\w+)?:(?P<n>\d+)(?:\.\d+)?", display)
    if m is None:
        return True
    host, n = m["host"], int(m["n"])
    try:
        if host in ("", "unix"):
            for address in (f"/tmp/.X11-unix/X{n}", f"\0/tmp/.X11-unix/X{n}"):   # the file, or Linux's abstract one
                with socket.socket(socket.AF_UNIX) as sock:
                    try:
                        sock.connect(address)
                        return True
                    except OSError:
                        continue
            return False
        with socket.create_connection((host, 6000 + n), timeout=X_CONNECT_S):
            return True
    except OSError:
        return False


def _check_stats_path(path: Path | None) -> None:
    """`--stats` takes a .json file: `vj play --stats show.toml` (or a bank's name) would read the setlist as
    the statistics file, play the demo and write over it (or leave a file named like the bank)."""
    if path is None or path == STATS_PRINT:
        return
    if path.suffix.lower() != ".json" or path.is_dir():
        raise VjError(Problem(path, "--stats writes its numbers to a .json file, and this is not one",
                              fix=f"put the show first (`vj play {path} --stats`) or name a .json file "
                                  "(`--stats stats.json`)"))


def stats_table(summary: dict) -> str:
    """The numbers a performer checks after a run, one per line (all of them go to --stats FILE.json)."""
    ft, frames = summary["frame_time_ms"], max(1, summary["frames"])
    rows = [("frames", f"{summary['frames']} at {summary['target_fps']:g} fps"),
            ("dropped", f"{summary['dropped_frames']} ({100.0 * summary['dropped_frames'] / frames:.2f} %)"),
            ("late", f"{summary['late_frames']} ({100.0 * summary['late_frames'] / frames:.2f} %)"
                     + (f": {summary['late_work']} took over a frame to make, {summary['late_start']} started "
                        "late" if summary.get("late_frames") else "")),
            ("frame time", f"p50 {ft['p50']:.1f} ms, p95 {ft['p95']:.1f} ms, p99 {ft['p99']:.1f} ms, "
                           f"max {ft['max']:.1f} ms"),
            ("render scale", f"{summary['render_scale']:g} at the end, {summary['render_scale_settled']:g} settled "
                             f"({summary['quality']}: {summary['quality_level']} at the end, "
                             f"{summary['quality_changes']} changes)"),
            ("switches", f"{summary['switches']}, {summary['preroll_hits']} pre-rolled, worst stall "
                         f"{summary['worst_switch_stall_frames']} frames"),
            ("clip uploads put off", str(summary["uploads_deferred"])),
            ("tempo", f"{summary['bpm']:g} BPM from {summary['beat_source']}"),
            ("GL", str(summary["gl"]))]
    if isinstance(summary.get("priority"), dict) and "nice" in summary["priority"]:
        pr = summary["priority"]
        kind = ("real-time given up, " if pr.get("realtime_given_up") else
                f"real-time ({pr['threads_realtime']} of {pr['threads']} threads at the end), " if pr.get("realtime") else "")
        rows.append(("CPU priority", f"{kind}nice {pr['nice']} (asked for {pr['wanted']}; {pr['threads_at_nice']} of "
                                     f"{pr['threads']} threads)"))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k:<{width}}  {v}" for k, v in rows)


def _autosave_and_resume(args: argparse.Namespace, target: str, plans) -> tuple[Path | None, object]:
    """Where this show autosaves, and where it starts: the saved state with --resume, or after an unclean
    exit if the performer does not say no (vj.live.autosave)."""
    from ..live.autosave import ask_resume, match_plans, pid_alive, read_state, state_path

    path = state_path(target)
    saved = None if args.fresh else read_state(path)
    if saved is not None and saved.running and pid_alive(saved.pid):
        print(f"vj: another vj play (pid {saved.pid}) is playing this show; this one does not autosave it",
              file=sys.stderr)
        return None, None
    autosave = None if args.no_autosave else path
    if saved is None:
        if args.resume:
            print("vj: nothing to resume (no saved state for this show): starting from the top", file=sys.stderr)
        return autosave, None
    if not (args.resume or (saved.running and ask_resume(saved))):
        return autosave, None
    point, notes = match_plans(saved, plans)
    for note in notes:
        print(f"vj: {note}", file=sys.stderr)
    print(f"vj: resuming at {saved.describe()}", file=sys.stderr)
    return autosave, point