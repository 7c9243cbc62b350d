"""`vj audio devices` and `vj audio monitor`: find the input, check it before the show."""

from __future__ import annotations

import argparse
import time

from ..errors import Problem, VjError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audio", help="audio inputs: list devices, monitor levels and tempo",
                       description="Audio input tools. See docs/AUDIO.md.")
    asub = p.add_subparsers(dest="audio_command", metavar="ACTION")

    d = asub.add_parser("devices", help="list audio input devices (* marks the default)")
    d.set_defaults(func=run_devices)

    m = asub.add_parser("monitor", help="open an input and print its level, health and tempo",
                        description="Open the input exactly as the show would and print a status line "
                                    "twice a second: level, overruns, reconnects and the tracked BPM.")
    add_input_arguments(m)
    m.add_argument("--seconds", type=float, default=0.0, help="stop after this long (default: until Ctrl-C)")
    m.set_defaults(func=run_monitor)

    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def add_input_arguments(p: argparse.ArgumentParser) -> None:
    """The live-input options, shared with the commands that play a show."""
    p.add_argument("--audio-device", "-d", default=None,
                   help="input device: index or part of its name (default: the system's default input)")
    p.add_argument("--channels", default=None,
                   help="1-based input channels mixed to mono, e.g. 1,2 or 3 (default: 1,2)")
    p.add_argument("--rate", type=float, default=None, help="device sample rate, Hz (default: the device's)")
    p.add_argument("--blocksize", type=int, default=0,
                   help="frames per audio callback (default 0: the driver's choice, lowest latency)")


def live_input_from_args(args: argparse.Namespace):
    from ..audio.devices import parse_channels
    from ..audio.live import LiveInput

    if args.blocksize < 0 or args.blocksize > 16384:
        raise VjError(Problem("--blocksize", f"{args.blocksize} is out of range", fix="use 0 (driver's choice) or 32..4096"))
    if args.rate is not None and not 8000 <= args.rate <= 384000:
        raise VjError(Problem("--rate", f"{args.rate:g} Hz is out of range", fix="use the device's rate, e.g. 48000"))
    device = args.audio_device
    if isinstance(device, str) and device.strip().isdigit():
        device = int(device)
    return LiveInput(device=device, channels=parse_channels(args.channels), samplerate=args.rate,
                     blocksize=args.blocksize)


def run_devices(args: argparse.Namespace) -> int:
    from ..audio.devices import list_input_devices

    devices = list_input_devices()
    if not devices:
        print("vj: no audio input devices found. On Linux, start JACK or PipeWire, or plug in an interface.")
        return 1
    width = max(len(d.name) for d in devices)
    print(f"    {'idx':>3}  {'name':<{width}}  {'host API':<28} {'in':>3}  {'rate':>7}")
    for d in devices:
        mark = "*" if d.is_default else " "
        print(f"  {mark} {d.index:>3}  {d.name:<{width}}  {d.hostapi:<28} {d.channels:>3}  {d.default_rate:>7g}")
    print("  (* = default input)")
    return 0


def run_monitor(args: argparse.Namespace) -> int:
    from ..show.loop import ShowLoop

    live = live_input_from_args(args)
    loop = ShowLoop(sample_rate=live.analysis_rate)  # no show: the tracker alone
    live.start()
    try:
        t0 = time.monotonic()
        next_print = t0
        while args.seconds <= 0 or time.monotonic() - t0 < args.seconds:
            block = live.read_new()
            loop.tick(loop.audio_time(len(block)), block)
            now = time.monotonic()
            if now >= next_print:
                beat = loop.audio.beat
                bpm = f"{beat.bpm:6.1f} BPM" if beat.locked else "   --- BPM"
                print(f"{live.status().line()}  {bpm}", flush=True)
                next_print += 0.5
            time.sleep(1 / 60)
    finally:
        live.close()
    return 0
