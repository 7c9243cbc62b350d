"""OSC control over UDP: the control address space as ``/vj/...``, Resolume aliases, feedback, scheduled bundles.

Threads, and what each may touch:

- the **receiver** reads datagrams (64 KiB buffer, so an oversized packet is seen whole and
  refused), checks each packet's structure (:mod:`.oscpacket`) before python-osc's packet classes
  parse it (not its servers: the socketserver ones cut datagrams at 8 KiB, the asyncio one sleeps
  in its loop on future-timetagged bundles), checks every message and hands commands to the show
  through a per-frame budget (:mod:`.framegate`).  It never waits for anything but the socket.
- the **scheduler** holds bundles timetagged in the future on a heap and hands them over when due.
- the **sender** sends feedback; the show's status listener only enqueues for it.

Bad input of any kind (broken packets, unknown addresses, wrong types, out-of-range values, floods)
is counted by kind and reported in a throttled line (:mod:`.throttle`) on the log and the panel: it
cannot stop or change the show.  What vj sends back is bounded too (:mod:`.oscfeedback`).
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import logging
import queue
import socket
import sys
import threading
import time
from collections import Counter
from dataclasses import fields
from typing import Callable

from ..errors import Problem, VjError
from .controller import ShowControl, ShowStatus, tagged
from .framegate import FrameGate
from .oscaddress import to_command_args
from .oscfeedback import CLIENT_TTL, MAX_CLIENTS, UNKNOWN_RATE, FeedbackClients, ReplyBudget, SentValues
from .oscpacket import check_packet
from .targets import BY_NAME, FX, ControlError, command
from .throttle import LogThrottle

DEFAULT_PORT = 9000
MAX_PENDING = 1000          #: future-timetagged messages held at once
MAX_AHEAD = 60.0            #: seconds; a timetag further ahead is refused
FLUSH_EVERY = 0.25          #: seconds between checks for throttled counts to report
#: Python runs one thread at a time: a receive thread busy with a flood takes the interpreter from
#: the frame loop, and a thread that wants it back may wait a whole switch interval (5 ms).  So the
#: receiver spends at most RECEIVE_SHARE of each RECEIVE_SLOT (its own CPU time) on packets, then
#: sleeps to the end of the slot: the frame loop never waits more than ~0.5 ms for it, and a flood
#: beyond that waits in (and overflows) the socket's buffer.  Measured (bench/osc.py, a loaded
#: 2-core machine): 1,400-3,600 packets/s still taken in a flood, where no controller sends 1,000;
#: 5 ms slots let the frame loop's drain wait 8-25 ms at p99, 2 ms slots 5-13 ms.
RECEIVE_SLOT = 0.002
RECEIVE_SHARE = 0.25
FLOOD_PAUSES = 50           #: pauses within a second that make a flood (worth a line), not a burst
STATE_PREFIX = "/vj/state/"
#: s between two feedbacks of the effects' values.  An input bound to the music (``amount = "bass"``) changes
#: every frame: 3 effects of 4 such inputs sent each change as it came cost 673 packets/s to every client at
#: 60 fps, and the process 11.2% of a core with 16 clients; held to 20 a second, in bundles, 23 packets/s and
#: 3.4% (bench/osc_fx_feedback.py, a loaded 2-core machine).  20 a second still moves a fader smoothly on a
#: tablet; a change after a quiet moment (a button, a section) goes out at once.
FX_FEEDBACK_EVERY = 0.05
FX_PER_BUNDLE = 32          #: effect values in one feedback bundle (about 1.3 KB: one Ethernet frame)


def _quiet_pythonosc(record: logging.LogRecord) -> bool:
    """python-osc warns on the root logger for every odd bundle; our own throttled line says it once."""
    return "pythonosc" not in record.pathname


def _osc_value(v: object) -> object:
    return int(v) if isinstance(v, bool) else v


def _fx_message(target: str, value: object):
    """An effect control's value on the address a surface sends it to (``/vj/fx/NAME/INPUT``), typed as the
    control takes it (a switch, bool or menu an int); None for a control the show no longer has."""
    from pythonosc.osc_message_builder import OscMessageBuilder

    t = BY_NAME.get(target)
    if t is None:
        return None
    b = OscMessageBuilder(t.address)
    for p, v in zip(t.params, value if isinstance(value, tuple) else (value,)):
        b.add_arg(int(round(v)) if p.kind == "i" else float(v))
    return b.build()


#: what to do about each kind of broken packet (oscpacket.Fault.kind), in the performer's words
_PACKET_FIX = {
    "not-osc": "send only OSC to this port (something is sending another protocol here: a web page, MIDI over "
               "the network, a game?)",
    "size": "send smaller packets: split big bundles",
}
_OTHER_FIX = ("check the sender's OSC settings (vj reads OSC 1.0); if it is not yours, name the senders you trust "
              "with --osc-allow IP")


class OscServer:
    """The OSC surface of one show: listen, check, submit; feedback to registered clients."""

    def __init__(self, controls: ShowControl, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 allow: tuple[str, ...] = (), feedback: tuple[tuple[str, int], ...] = (),
                 query_port: int | None = None, log: Callable[[str], None] | None = None,
                 feedback_cap: int = MAX_CLIENTS, feedback_ttl: float = CLIENT_TTL):
        self.controls = controls
        self.host = host
        self.allow = frozenset(allow)
        self.log = log or (lambda line: print(f"vj: osc: {line}", file=sys.stderr, flush=True))
        self._warn = LogThrottle(self._say)      # problems: the log and the panel's problems
        self._news = LogThrottle(self.log)       # news (a client registered): the log
        root = logging.getLogger()
        if _quiet_pythonosc not in root.filters:
            root.addFilter(_quiet_pythonosc)
        self.clients = FeedbackClients(tuple(feedback), cap=feedback_cap, ttl=feedback_ttl)
        self.replies = ReplyBudget()
        self.sent = SentValues()     #: effect values senders set, not fed back to them yet
        self.gate = FrameGate(controls.submit)
        self.counts = {"packets": 0, "messages": 0, "commands": 0, "refused": 0, "scheduled": 0, "paused": 0}
        self.refused: Counter[str] = Counter()   #: refusals by kind ("element", "allow", "control", "busy", ...)
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
        self.sock.settimeout(FLUSH_EVERY)
        self.port = self.sock.getsockname()[1]
        self.query = None
        if query_port is not None:
            from .oscquery import OscQueryServer
            try:
                self.query = OscQueryServer(host, query_port, self.port, lambda: self.controls.status,
                                            fx=lambda: self.controls.fx_values, allow=self.allow, log=self.log)
            except OSError as exc:  # OSCQuery is a convenience: OSC itself goes on without it
                self.log(f"no OSCQuery: cannot listen on {host}:{query_port}: {exc.strerror}. "
                         "Fix: pick another port with --oscquery-port")
        self._threads: list[threading.Thread] = []

    # -- life ------------------------------------------------------------------------------------
    def start(self) -> "OscServer":
        self.controls.add_status_listener(self._on_status)
        self.controls.add_clock_listener(self.gate.tick)   # once a frame, after the drain
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

    def stats(self) -> dict:
        """What OSC and OSCQuery took and refused, by kind (for ``vj play --stats``)."""
        return {"counts": dict(self.counts), "refused": dict(self.refused), "feedback_clients": len(self.clients),
                "oscquery": dict(self.query.counts) if self.query is not None else None}

    # -- receiving -------------------------------------------------------------------------------
    def _say(self, line: str) -> None:
        """A throttled report: on the log, and in the panel's problems."""
        self.log(line)
        self.controls.reject(tagged("osc", line))

    def _refuse(self, kind: str, line: str) -> None:
        self.counts["refused"] += 1
        self.refused[kind] += 1
        self._warn(kind, line)

    def _receive_loop(self) -> None:
        from pythonosc.osc_packet import OscPacket

        flushed = slot = second = time.monotonic()
        cpu0 = time.thread_time()
        sender = ("", 0)
        pauses = 0                               # in the current second
        while not self._stop.is_set():
            now = time.monotonic()
            if now - slot >= RECEIVE_SLOT:
                slot, cpu0 = now, time.thread_time()
            elif time.thread_time() - cpu0 > RECEIVE_SHARE * RECEIVE_SLOT:   # busy: leave the rest to the show
                self.counts["paused"] += 1
                pauses += 1
                if now - second >= 1.0:
                    second, pauses = now, 0
                elif pauses == FLOOD_PAUSES:     # not one big bundle: a flood
                    self._warn("flood", str(Problem(
                        f"OSC from {sender[0]}", f"a flood of packets: vj reads them at most {RECEIVE_SHARE:.0%} "
                        "of the time so the show keeps its frame rate, and the system drops what does not fit",
                        fix="find the sender that loops, or name the senders you trust with --osc-allow IP")))
                time.sleep(max(0.0, slot + RECEIVE_SLOT - now))
                continue
            if now - flushed >= FLUSH_EVERY:   # say the counts a flood left behind, even when it has stopped
                flushed = now
                self._warn.flush()
                self._news.flush()
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
                    self._refuse("allow", str(Problem(f"OSC from {sender[0]}", "refused: not in --osc-allow",
                                                      fix=f"add --osc-allow {sender[0]} if this sender is yours")))
                    continue
                self.clients.heard(sender[0])
                fault = check_packet(data)
                if fault is not None:
                    self._refuse(fault.kind, str(Problem(
                        f"OSC from {sender[0]}:{sender[1]}",
                        f"ignored a broken packet of {len(data)} bytes: {fault}; the show is unaffected",
                        fix=_PACKET_FIX.get(fault.kind, _OTHER_FIX))))
                    continue
                timed = OscPacket(data).messages
                now_wall = time.time()
                for tm in timed:
                    self._message(tm.message.address, tuple(tm.message.params), sender, tm.time, now_wall)
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
            self._register((sender[0], port))
            self.sent.link((sender[0], sender[1]), (sender[0], port))   # its moves are that client's own
            return
        if address == "/vj/feedback/unregister":
            port = params[0] if params and isinstance(params[0], int) else sender[1]
            self.clients.unregister((sender[0], port))
            return
        if address == "/vj/query/state":
            self._answer(sender, "query")
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
        t = BY_NAME.get(cmd.target)
        if cmd.target.startswith(FX + "/") and t is not None and not t.momentary:   # its echo is not news to it
            self.sent.note((sender[0], sender[1]), cmd.target, float(cmd.args[0]) if len(cmd.args) == 1 else
                           tuple(float(a) for a in cmd.args))
        if not self.gate.offer(cmd, sender[0]):
            self._refuse("busy", str(Problem(
                f"OSC from {sender[0]}", f"too many messages at once: {address} ignored (the show takes "
                f"{self.gate.per_host} a frame from one sender; faders keep their latest value)",
                fix="slow the sender down, or check it is not sending in a loop")))

    def _register(self, addr: tuple[str, int]) -> None:
        said = self.clients.register(addr)
        if said == "full":
            self._refuse("clients", str(Problem(
                f"OSC from {addr[0]}", f"feedback to {addr[0]}:{addr[1]} refused: {self.clients.cap} clients "
                f"are registered already",
                fix="unregister the ones not in use (/vj/feedback/unregister); a client expires "
                    f"{self.clients.ttl / 60:g} min after its host last sent anything")))
            return
        if said == "new":
            n = len(self.clients)
            self._news("register", f"feedback to {addr[0]}:{addr[1]} ({n} client{'' if n == 1 else 's'})")
        self._answer(addr, "register")

    def _answer(self, addr: tuple[str, int], why: str) -> None:
        """The whole state to ``addr``, one bundle, within the reply budget (a query's sender may be forged)."""
        if self.replies.allow(addr, addr in self.clients):
            self._out.put(("all", addr))
            return
        self.refused["reply"] += 1
        self._warn("reply", f"answers to {addr[0]}:{addr[1]} held back: too many {why}s (an address that did not "
                            f"register for feedback gets at most {UNKNOWN_RATE[0]:g} a second)")

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
        """Frame thread: only enqueue (the effects' values go too: a dict the show replaces, never changes)."""
        self._out.put(("changed", status, changed, self.controls.fx_values))

    def _send_loop(self) -> None:
        from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
        from pythonosc.osc_message_builder import OscMessageBuilder

        def message(field: str, value: object):
            b = OscMessageBuilder(STATE_PREFIX + field)
            b.add_arg(_osc_value(value))
            return b.build()

        def bundles(msgs: list) -> list[bytes]:
            """``msgs`` as bundles of at most FX_PER_BUNDLE messages (a packet stays well inside a UDP datagram)."""
            out = []
            for i in range(0, len(msgs), FX_PER_BUNDLE):
                bundle = OscBundleBuilder(IMMEDIATELY)
                for m in msgs[i:i + FX_PER_BUNDLE]:
                    bundle.add_content(m)
                out.append(bundle.build().dgram)
            return out

        #: each effect control's value as last said (an effect switched off keeps its inputs'): only changes go out
        sent_fx: dict[str, object] = dict(self.controls.fx_values)
        held: dict[str, object] = {}   # changed since, waiting for FX_FEEDBACK_EVERY to pass
        due = 0.0                      # when held values may go out (time.monotonic())
        while True:
            try:
                item = self._out.get(timeout=max(0.0, due - time.monotonic()) if held else None)
            except queue.Empty:
                item = ("fx",)
            if item is None or self._stop.is_set():
                return
            try:
                msgs: list[bytes] = []
                fx_to: dict[tuple, list] = {}   # client -> the effects' changes for it (not its own echoes)
                if item[0] in ("changed", "fx"):
                    if item[0] == "changed":
                        _, status, changed, fx = item
                        msgs = [message(f.name, getattr(status, f.name)).dgram
                                for f in fields(ShowStatus) if f.name in changed]
                        if FX in changed:
                            for t, v in fx.items():
                                if sent_fx.get(t) != v:
                                    held[t] = v
                                else:
                                    held.pop(t, None)   # back to what the clients were told
                    now = time.monotonic()
                    if held and now >= due:    # the effects' changes: at most every FX_FEEDBACK_EVERY, in bundles
                        sent_fx.update(held)
                        now_clients = self.clients.current()
                        by_owner: dict[frozenset, list] = {}   # clients that made the same moves: asked once
                        for addr in now_clients:
                            owner = self.sent.owner(addr, now_clients)
                            if owner not in by_owner:
                                by_owner[owner] = bundles([m for m in (_fx_message(t, v) for t, v in held.items()
                                                                       if not self.sent.echo(owner, t, v))
                                                           if m is not None])
                            fx_to[addr] = by_owner[owner]
                        held, due = {}, now + FX_FEEDBACK_EVERY
                    clients = self.clients.current() if msgs or fx_to else []
                else:   # the whole state, as one bundle: one packet out for one packet in
                    _, who = item
                    status = self.controls.status
                    if status is None:
                        continue
                    clients = [who]
                    bundle = OscBundleBuilder(IMMEDIATELY)
                    for f in fields(ShowStatus):
                        bundle.add_content(message(f.name, getattr(status, f.name)))
                    for m in (_fx_message(t, v) for t, v in self.controls.fx_values.items()):
                        if m is not None:
                            bundle.add_content(m)
                    msgs = [bundle.build().dgram]
                for addr in clients:
                    for m in msgs + fx_to.get(addr, []):
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
