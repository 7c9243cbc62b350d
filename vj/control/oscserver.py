"""OSC control over UDP: the control address space as ``/vj/...``, Resolume aliases, feedback, scheduled bundles.

Threads, and what each may touch:

- the **receiver** reads datagrams (64 KiB buffer, so an oversized packet is seen whole and
  refused), parses them with python-osc's packet classes (not its servers: the socketserver ones
  cut datagrams at 8 KiB, the asyncio one sleeps in its loop on future-timetagged bundles), checks
  every message and ``submit``s commands.  It never waits for anything but the socket.
- the **scheduler** holds bundles timetagged in the future on a heap and submits them when due.
- the **sender** sends feedback; the show's status listener only enqueues for it.

Bad input of any kind (garbage bytes, unknown addresses, wrong types, out-of-range values, floods)
becomes a rate-limited log line and ``ShowControl.reject``: it cannot stop or change the show.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import logging
import queue
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, fields
from typing import Callable

from ..engine.rules import TEMPO_RANGE
from ..errors import Problem, VjError
from .controller import ShowControl, ShowStatus
from .targets import BY_NAME, TARGETS, ControlError, command

DEFAULT_PORT = 9000
MAX_PACKET = 16384          #: bytes; a controller's packet is far smaller, anything bigger is refused
MAX_PENDING = 1000          #: future-timetagged messages held at once
MAX_AHEAD = 60.0            #: seconds; a timetag further ahead is refused
LOG_EVERY = 1.0             #: seconds between log lines of one kind (a flood logs once, with a count)
STATE_PREFIX = "/vj/state/"


@dataclass(frozen=True, slots=True)
class Alias:
    """A foreign address (Resolume's) that does one of our controls."""

    pattern: str           #: regex over the address; groups feed ``args``
    target: str
    args: Callable[[re.Match, tuple], tuple]
    help: str
    example: str
    shown: str = ""        #: the address as the docs show it (default: the pattern)


def _press(m: re.Match, params: tuple) -> tuple:
    return ()


def _resolume_tempo(m: re.Match, params: tuple) -> tuple:
    """Resolume's tempo fader is normalised: 0..1 over 20..500 BPM.  A value above 1 is taken as BPM."""
    v = float(params[0]) if params else 0.0
    return (20.0 + v * 480.0 if 0.0 <= v <= 1.0 else v,)


ALIASES: tuple[Alias, ...] = (
    Alias(r"/composition/tempocontroller/tempotap", "tempo/tap", _press, "tap tempo",
          "/composition/tempocontroller/tempotap 1"),
    Alias(r"/composition/tempocontroller/resync", "tempo/resync", _press, "resync the bar",
          "/composition/tempocontroller/resync 1"),
    Alias(r"/composition/tempocontroller/tempo", "tempo/bpm", _resolume_tempo,
          "set the tempo: Resolume's normalised 0..1 = 20..500 BPM (a value above 1 is BPM)",
          "/composition/tempocontroller/tempo 0.2083"),
    Alias(r"/composition/layers/\d+/clips/(\d+)/connect", "clip/cue", lambda m, p: (int(m.group(1)),),
          "fly into clip M of the song (any layer)", "/composition/layers/1/clips/3/connect 1",
          "/composition/layers/L/clips/M/connect"),
    Alias(r"/composition/columns/(\d+)/connect", "clip/cue", lambda m, p: (int(m.group(1)),),
          "fly into clip M of the song", "/composition/columns/3/connect 1",
          "/composition/columns/M/connect"),
    Alias(r"/composition/layers/\d+/clear", "output/blackout", lambda m, p: (1,), "blackout on",
          "/composition/layers/1/clear 1",
          "/composition/layers/L/clear"),
    Alias(r"/composition/tempocontroller/tempo/(?:multiply|double)", "tempo/double", _press, "double the tempo",
          "/composition/tempocontroller/tempo/multiply 1",
          "/composition/tempocontroller/tempo/multiply (or /double)"),
    Alias(r"/composition/tempocontroller/tempo/(?:divide|half)", "tempo/half", _press, "halve the tempo",
          "/composition/tempocontroller/tempo/divide 1",
          "/composition/tempocontroller/tempo/divide (or /half)"),
)
_ALIAS_RE = [(re.compile(a.pattern + r"\Z"), a) for a in ALIASES]


class _Throttle:
    """One log line per kind per ``LOG_EVERY`` s, saying how many were held back."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.last: dict[str, float] = {}
        self.held: dict[str, int] = {}

    def __call__(self, kind: str, line: str) -> None:
        now = time.monotonic()
        if now - self.last.get(kind, -1e9) >= LOG_EVERY:
            more = self.held.pop(kind, 0)
            self.last[kind] = now
            self.log(line + (f" (and {more} more like it)" if more else ""))
        else:
            self.held[kind] = self.held.get(kind, 0) + 1


def _quiet_pythonosc(record: logging.LogRecord) -> bool:
    """python-osc warns on the root logger for every odd bundle; our own throttled line says it once."""
    return "pythonosc" not in record.pathname


def _is_release(params: tuple) -> bool:
    """A button's release (0, 0.0 or False): buttons send 1 on press and 0 on release; fire once."""
    return len(params) == 1 and isinstance(params[0], (int, float, bool)) and not params[0]


def to_command_args(address: str, params: tuple) -> tuple[str, tuple] | None:
    """(target, args) for an OSC message, None for a button release; ControlError when it means nothing.

    ``/vj/clip/cue 3`` and ``/vj/clip/cue/3 1`` (the value in the path, a button's press value
    after it) are the same; a no-argument control fires on any non-zero value or none.
    """
    for rx, alias in _ALIAS_RE:
        m = rx.match(address)
        if m:
            if alias.target != "tempo/bpm" and _is_release(params):
                return None
            return alias.target, alias.args(m, params)
    if not address.startswith("/vj/"):
        raise ControlError(f"unknown address {address}: vj's addresses start with /vj/ (docs/OSC.md)")
    path = address[4:].split("/")
    for cut in range(len(path), 0, -1):
        name = "/".join(path[:cut])
        t = BY_NAME.get(name)
        if t is None:
            continue
        in_path = path[cut:]
        if in_path:  # values in the address, e.g. /vj/clip/cue/3; what follows is a button's press value
            if len(in_path) != len(t.params):
                raise ControlError(f"{address}: {name} takes {len(t.params)} value(s), the address gives {len(in_path)}")
            if _is_release(params):
                return None
            return name, tuple(_number(v) if p.kind != "s" else v for v, p in zip(in_path, t.params))
        if not t.params:
            if _is_release(params):
                return None
            if len(params) > 1:
                raise ControlError(f"{address} takes no argument (or one press value), got {len(params)}")
            return name, ()
        lo = t.params[0].lo
        if t.momentary and len(t.params) == 1 and _is_release(params) and lo is not None and lo > 0:
            return None  # e.g. /vj/clip/cue 0: a release, not clip 0
        return name, tuple(params)
    raise ControlError(f"unknown address {address}; see docs/OSC.md for the list")


def _number(text: str) -> int | float | str:
    for conv in (int, float):
        try:
            return conv(text)
        except ValueError:
            pass
    return text


def _osc_value(v: object) -> object:
    return int(v) if isinstance(v, bool) else v


class OscServer:
    """The OSC surface of one show: listen, check, submit; feedback to registered clients."""

    def __init__(self, controls: ShowControl, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 allow: tuple[str, ...] = (), feedback: tuple[tuple[str, int], ...] = (),
                 query_port: int | None = None, log: Callable[[str], None] | None = None):
        self.controls = controls
        self.host = host
        self.allow = frozenset(allow)
        self.log = log or (lambda line: print(f"vj: osc: {line}", file=sys.stderr, flush=True))
        self._warn = _Throttle(self.log)
        root = logging.getLogger()
        if _quiet_pythonosc not in root.filters:
            root.addFilter(_quiet_pythonosc)
        self.clients: set[tuple[str, int]] = set(feedback)
        self._clients_lock = threading.Lock()
        self.counts = {"packets": 0, "messages": 0, "commands": 0, "refused": 0, "scheduled": 0}
        self._stop = threading.Event()
        self._heap: list[tuple[float, int, str, tuple, str]] = []
        self._heap_cv = threading.Condition()
        self._seq = itertools.count()
        self._out: queue.SimpleQueue = queue.SimpleQueue()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.sock.bind((host, port))
        except OSError as exc:
            self.sock.close()
            raise VjError(Problem(f"--osc-port {port}", f"cannot listen for OSC on {host}:{port}: {exc.strerror}",
                                  fix="pick another port with --osc-port, or stop the program using it")) from None
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)  # absorb a burst while a frame runs
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.query = None
        if query_port is not None:
            from .oscquery import OscQueryServer
            try:
                self.query = OscQueryServer(host, query_port, self.port, lambda: self.controls.status)
            except OSError as exc:  # OSCQuery is a convenience: OSC itself goes on without it
                self.log(f"no OSCQuery: cannot listen on {host}:{query_port}: {exc.strerror}. "
                         "Fix: pick another port with --oscquery-port")
        self._threads: list[threading.Thread] = []

    # -- life ------------------------------------------------------------------------------------
    def start(self) -> "OscServer":
        self.controls.add_status_listener(self._on_status)
        for fn, name in ((self._receive_loop, "osc-receive"), (self._schedule_loop, "osc-schedule"),
                         (self._send_loop, "osc-send")):
            th = threading.Thread(target=fn, name=name, daemon=True)
            th.start()
            self._threads.append(th)
        if self.query is not None:
            self.query.start()
        self.controls.surfaces["osc"] = f"{self.host}:{self.port}"
        where = "this machine only" if self.host in ("127.0.0.1", "localhost") else f"the network ({self.host})"
        self.log(f"listening on {self.host}:{self.port} ({where})"
                 + (f"; OSCQuery on http://{self.host}:{self.query.port}/" if self.query else ""))
        return self

    def close(self) -> None:
        self._stop.set()
        with self._heap_cv:
            self._heap_cv.notify_all()
        self._out.put(None)
        for th in self._threads:
            th.join(timeout=2.0)
        if self.query is not None:
            self.query.close()
        self.sock.close()

    # -- receiving -------------------------------------------------------------------------------
    def _refuse(self, kind: str, line: str) -> None:
        self.counts["refused"] += 1
        self.controls.reject(f"osc: {line}")
        self._warn(kind, line)

    def _receive_loop(self) -> None:
        from pythonosc.osc_packet import OscPacket

        while not self._stop.is_set():
            try:
                data, sender = self.sock.recvfrom(65536)
            except socket.timeout:
                continue
            except OSError:
                if self._stop.is_set():
                    return
                continue
            self.counts["packets"] += 1
            try:
                if self.allow and sender[0] not in self.allow:
                    self._refuse("allow", f"packet from {sender[0]} refused: not in --osc-allow")
                    continue
                if len(data) > MAX_PACKET:
                    self._refuse("size", f"packet of {len(data)} bytes from {sender[0]} refused "
                                         f"(at most {MAX_PACKET})")
                    continue
                try:
                    packet = OscPacket(data)
                    timed = packet.messages
                except Exception as exc:
                    self._refuse("parse", f"unreadable packet from {sender[0]}:{sender[1]} ({len(data)} bytes): "
                                          f"{type(exc).__name__}")
                    continue
                now = time.time()
                for tm in timed:
                    self._message(tm.message.address, tuple(tm.message.params), sender, tm.time, now)
            except Exception as exc:  # never let one packet stop the listener
                self._refuse("bug", f"packet from {sender[0]} dropped: {type(exc).__name__}: {exc}")

    def _message(self, address: str, params: tuple, sender: tuple[str, int], due: float, now: float) -> None:
        self.counts["messages"] += 1
        if due > now + 0.001:
            if due - now > MAX_AHEAD:
                self._refuse("ahead", f"{address}: timetag {due - now:.0f} s ahead refused (at most {MAX_AHEAD:.0f} s)")
                return
            with self._heap_cv:
                if len(self._heap) >= MAX_PENDING:
                    self._refuse("pending", f"{address}: {MAX_PENDING} timetagged messages already waiting: refused")
                    return
                heapq.heappush(self._heap, (due, next(self._seq), address, params, f"{sender[0]}:{sender[1]}"))
                self.counts["scheduled"] += 1
                self._heap_cv.notify()
            return
        self._dispatch(address, params, sender)

    def _dispatch(self, address: str, params: tuple, sender: tuple[str, int], stamp: float | None = None) -> None:
        origin = f"osc {sender[0]}:{sender[1]}"
        if address == "/vj/feedback/register":
            port = params[0] if params and isinstance(params[0], int) and 0 < params[0] < 65536 else sender[1]
            with self._clients_lock:
                self.clients.add((sender[0], port))
            self.log(f"feedback to {sender[0]}:{port}")
            self._out.put(("all", (sender[0], port)))
            return
        if address == "/vj/feedback/unregister":
            port = params[0] if params and isinstance(params[0], int) else sender[1]
            with self._clients_lock:
                self.clients.discard((sender[0], port))
            return
        if address == "/vj/query/state":
            self._out.put(("all", sender))
            return
        try:
            found = to_command_args(address, params)
            if found is None:
                return
            cmd = command(found[0], *found[1], stamp=stamp, origin=origin)
        except ControlError as exc:
            said = str(exc)
            self._refuse("control", f"{origin}: {said if said.startswith(address) else address + ': ' + said}")
            return
        self.counts["commands"] += 1
        self.controls.submit(cmd)

    def _schedule_loop(self) -> None:
        while not self._stop.is_set():
            with self._heap_cv:
                while not self._heap and not self._stop.is_set():
                    self._heap_cv.wait(0.5)
                if self._stop.is_set():
                    return
                due = self._heap[0][0]
                wait = due - time.time()
                if wait > 0:
                    self._heap_cv.wait(min(wait, 0.5))
                    continue
                _, _, address, params, who = heapq.heappop(self._heap)
            host, port = who.rsplit(":", 1)
            try:
                self._dispatch(address, params, (host, int(port)))
            except Exception as exc:
                self._refuse("bug", f"scheduled {address} dropped: {type(exc).__name__}: {exc}")

    # -- feedback --------------------------------------------------------------------------------
    def _on_status(self, status: ShowStatus, changed: frozenset) -> None:
        """Frame thread: only enqueue."""
        self._out.put(("changed", status, changed))

    def _send_loop(self) -> None:
        from pythonosc.osc_message_builder import OscMessageBuilder

        def encode(field: str, value: object) -> bytes:
            b = OscMessageBuilder(STATE_PREFIX + field)
            b.add_arg(_osc_value(value))
            return b.build().dgram

        while True:
            item = self._out.get()
            if item is None or self._stop.is_set():
                return
            try:
                if item[0] == "changed":
                    _, status, changed = item
                    with self._clients_lock:
                        clients = list(self.clients)
                    if not clients:
                        continue
                    msgs = [encode(f.name, getattr(status, f.name)) for f in fields(ShowStatus) if f.name in changed]
                else:
                    _, who = item
                    status = self.controls.status
                    if status is None:
                        continue
                    clients = [who]
                    msgs = [encode(f.name, getattr(status, f.name)) for f in fields(ShowStatus)]
                for addr in clients:
                    for m in msgs:
                        try:
                            self.sock.sendto(m, addr)
                        except OSError as exc:  # a client that went away: say so, carry on
                            self._warn("send", f"feedback to {addr[0]}:{addr[1]} failed: {exc.strerror}")
                            break
            except Exception as exc:
                self._warn("bug", f"feedback dropped: {type(exc).__name__}: {exc}")


# ---- the play command's side ---------------------------------------------------------------------

def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"'{text}' is not HOST:PORT (e.g. 192.168.1.20:9001)")
    return host, int(port)


def add_osc_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("OSC (docs/OSC.md)")
    g.add_argument("--osc-port", type=int, default=DEFAULT_PORT, metavar="PORT",
                   help=f"listen for OSC on this UDP port (default {DEFAULT_PORT}; 0 turns OSC off)")
    g.add_argument("--osc-host", default="127.0.0.1", metavar="ADDR",
                   help="listen on this address (default 127.0.0.1: this machine only; 0.0.0.0: the network, "
                        "for a tablet or another laptop)")
    g.add_argument("--osc-allow", action="append", default=[], metavar="IP",
                   help="accept OSC only from these sender addresses (repeatable)")
    g.add_argument("--osc-feedback", action="append", type=_host_port, default=[], metavar="HOST:PORT",
                   help="send show state to this client (repeatable); clients can also register themselves")
    g.add_argument("--oscquery-port", type=int, default=None, metavar="PORT",
                   help="serve the address space as OSCQuery JSON over HTTP on this port (default: OSC port + 1)")


def start_osc(args: argparse.Namespace, controls: ShowControl, *, log: Callable[[str], None] | None = None):
    """OSC for ``vj play``: an object with ``close()``.  A busy port is reported and the show goes on."""
    port = getattr(args, "osc_port", DEFAULT_PORT)
    if not port:
        return _NoOsc()
    qport = getattr(args, "oscquery_port", None)
    try:
        return OscServer(controls, host=getattr(args, "osc_host", "127.0.0.1"), port=port,
                         allow=tuple(getattr(args, "osc_allow", ()) or ()),
                         feedback=tuple(getattr(args, "osc_feedback", ()) or ()),
                         query_port=qport if qport is not None else port + 1, log=log).start()
    except VjError as exc:
        (log or (lambda line: print(f"vj: osc: {line}", file=sys.stderr)))(f"off: {exc.problems[0]}")
        return _NoOsc()


class _NoOsc:
    def close(self) -> None:
        pass


# ---- docs/OSC.md -------------------------------------------------------------------------------

def osc_doc() -> str:
    """docs/OSC.md, from the control table, the aliases and the status fields."""
    out = [
        "# OSC",
        "",
        "<!-- Generated from vj/control/oscserver.py by `python -m vj.control.oscserver --write-docs`; do not edit. -->",
        "",
        f"`vj play` listens for OSC on UDP port {DEFAULT_PORT} of this machine only (`127.0.0.1`). To control it from "
        "a tablet or another computer, listen on the network with `--osc-host 0.0.0.0`, and name the senders you "
        "trust with `--osc-allow IP` (repeatable). `--osc-port 0` turns OSC off. If the port is taken, vj says so "
        "and plays without OSC.",
        "",
        "Every control of [CONTROL.md](CONTROL.md) is the address `/vj/` + its name. Values may also be given in "
        "the address: `/vj/clip/cue 3` and `/vj/clip/cue/3` do the same. Buttons work as they are: a control "
        "without a value fires on a message with no argument or any non-zero one, and ignores 0 (the release), "
        "so a button that sends 1 on press and 0 on release fires once. Bundles are honoured: one timetagged in "
        f"the future is held and applied on time (at most {MAX_PENDING} waiting, at most {MAX_AHEAD:.0f} s ahead). "
        "A message vj cannot use (unknown address, wrong type, value out of range, a packet over "
        f"{MAX_PACKET} bytes, garbage) is logged once per second with a count, shown in the control panel, and "
        "has no effect.",
        "",
        "## Addresses",
        "",
        "| address | arguments | what it does |",
        "| --- | --- | --- |",
    ]
    for t in TARGETS:
        args = ", ".join(p.describe() for p in t.params) or "none (or a press value)"
        out.append(f"| `{t.address}` | {args} | {t.help} |")
    out += [
        "| `/vj/feedback/register` | port (int, optional) | send show state to the sender's address (at this port, "
        "default the sender's port) from now on; the whole state is sent at once |",
        "| `/vj/feedback/unregister` | port (int, optional) | stop sending it |",
        "",
        "## Resolume aliases",
        "",
        "So that TouchOSC and Companion layouts made for Resolume work unchanged:",
        "",
        "| address | does | example |",
        "| --- | --- | --- |",
    ]
    for a in ALIASES:
        out.append(f"| `{a.shown or a.pattern}` | "
                   f"`{a.target}`: {a.help} | `{a.example}` |")
    out += [
        "",
        "## Feedback",
        "",
        "Registered clients (and every `--osc-feedback HOST:PORT`) get a message whenever one of these changes; "
        "`/vj/query/state` sends all of them to whoever asks.",
        "",
        "| address | value |",
        "| --- | --- |",
    ]
    for f in fields(ShowStatus):
        kind = {"int": "int", "float": "float", "str": "string", "bool": "int (0/1)"}.get(str(f.type), str(f.type))
        out.append(f"| `{STATE_PREFIX}{f.name}` | {kind} |")
    out += [
        "",
        "## OSCQuery",
        "",
        "The address space is served as OSCQuery JSON over HTTP on the OSC port + 1 (`--oscquery-port`), on the "
        "same address as OSC: `curl http://127.0.0.1:9001/` lists every address with its types, ranges and "
        "description, `?HOST_INFO` says where to send OSC. State addresses carry their current `VALUE`.",
        "",
        "## TouchOSC",
        "",
        "1. Start vj listening on the network: `vj play --osc-host 0.0.0.0 --osc-allow TABLET_IP`.",
        "2. In TouchOSC, Connections, OSC: host = the vj laptop's IP, send port 9000, receive port 9001 "
        "(any free port).",
        "3. Give each control an address from the table: a button `/vj/tempo/tap`, a button `/vj/clip/cue/3`, "
        f"a fader `/vj/zoom/pulse` (range 0..1), a fader `/vj/tempo/bpm` (range {TEMPO_RANGE[0]:g}..{TEMPO_RANGE[1]:g}).",
        "4. Make the layout register for feedback once (a button or the on-start script sending "
        "`/vj/feedback/register 9001`), then bind labels to `/vj/state/bpm`, `/vj/state/clip`, `/vj/state/beat`.",
        "",
        "## Bitfocus Companion",
        "",
        "Add a *Generic OSC* connection with the vj laptop's IP and port 9000, then make buttons that send "
        "`/vj/clip/next`, `/vj/tempo/tap`, `/vj/output/blackout_toggle`, `/vj/song/next`. Companion's Resolume "
        "module also works for tap, resync and clip/column connect (see the aliases above).",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    from pathlib import Path

    if sys.argv[1:] == ["--write-docs"]:
        dest = Path(__file__).resolve().parents[2] / "docs" / "OSC.md"
        dest.write_text(osc_doc())
        print(f"wrote {dest}")
    else:
        print(osc_doc(), end="")
