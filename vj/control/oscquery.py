"""OSCQuery: the OSC address space as JSON over HTTP, so OSCQuery-aware controllers discover it.

Nodes follow the OSCQuery proposal: FULL_PATH, CONTENTS, TYPE, RANGE, DESCRIPTION, ACCESS
(1 read, 2 write, 3 both) and VALUE: the show state's (``/vj/state/...``) and the effects' switches and
inputs (``/vj/fx/NAME/...``, read and write: the show feeds their values back on the addresses surfaces send to).

The server is small and bounded, because it listens wherever OSC does (``--osc-host 0.0.0.0`` puts
it on the network) and must cost the show nothing whoever connects:

- it answers only the hosts of ``--osc-allow`` (when given), like OSC: others are closed at accept;
- one thread waits on every open connection at once (``selectors``) until a whole request head
  has arrived, so an idle or slow connection holds no thread; ``WORKERS`` threads answer;
- at most ``MAX_CONNECTIONS`` are open: a newcomer closes the one that has waited longest;
  a request head must arrive within ``REQUEST_TIMEOUT`` and the answer be taken within
  ``SEND_TIMEOUT``;
- one request per connection (HTTP/1.0 style, ``Connection: close``);
- a client that goes away mid-answer is counted, never printed (no BrokenPipe tracebacks).
"""

from __future__ import annotations

import json
import selectors
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Callable, Mapping
from urllib.parse import unquote, urlsplit

from .controller import ShowStatus
from .targets import FX, all_targets
from .throttle import LogThrottle

MAX_CONNECTIONS = 32     #: open at once; a controller or a browser needs one or two
WORKERS = 2              #: answering threads; an answer (the whole tree as JSON) takes about 1 ms
REQUEST_TIMEOUT = 5.0    #: s for a connection to send its whole request head
SEND_TIMEOUT = 5.0       #: s for a client to take its answer
MAX_HEAD = 8192          #: bytes of request head; a browser sends about 500

_TAGS = {"int": "i", "float": "f", "str": "s", "bool": "i"}
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}


def _insert(root: dict, path: str, node: dict) -> None:
    parts = path.strip("/").split("/")
    cur = root
    for i, part in enumerate(parts[:-1]):
        cur = cur.setdefault("CONTENTS", {}).setdefault(
            part, {"FULL_PATH": "/" + "/".join(parts[: i + 1]), "ACCESS": 0})
    cur.setdefault("CONTENTS", {})[parts[-1]] = node


def address_tree(status: ShowStatus | None, fx: Mapping[str, float | tuple[float, ...]] | None = None) -> dict:
    """The whole namespace, with the current show state as VALUEs, and the effects' controls with the values
    ``fx`` gives (``ShowControl.fx_values``: what OSC feedback sends on the same addresses)."""
    root: dict = {"FULL_PATH": "/", "ACCESS": 0, "DESCRIPTION": "vj: live visuals", "CONTENTS": {}}
    for t in all_targets():
        node: dict = {"FULL_PATH": t.address, "ACCESS": 2, "DESCRIPTION": t.help}
        if t.params:
            node["TYPE"] = t.typetags
            node["RANGE"] = [{"MIN": p.lo, "MAX": p.hi} if p.lo is not None else {} for p in t.params]
        v = fx.get(t.name) if fx is not None and t.group == FX else None
        if v is not None:   # typed as feedback sends it: an int for a switch, a bool or a menu
            node["ACCESS"] = 3
            node["VALUE"] = [int(round(x)) if p.kind == "i" else float(x)
                             for p, x in zip(t.params, v if isinstance(v, tuple) else (v,))]
        _insert(root, t.address, node)
    for f in fields(ShowStatus):
        path = f"/vj/state/{f.name}"
        node = {"FULL_PATH": path, "ACCESS": 1, "TYPE": _TAGS.get(str(f.type), "s"),
                "DESCRIPTION": f"show state: {f.name.replace('_', ' ')} (sent as feedback)"}
        if status is not None:
            v = getattr(status, f.name)
            node["VALUE"] = [int(v) if isinstance(v, bool) else v]
        _insert(root, path, node)
    return root


def find(tree: dict, path: str) -> dict | None:
    cur = tree
    for part in [p for p in path.strip("/").split("/") if p]:
        cur = cur.get("CONTENTS", {}).get(part)
        if cur is None:
            return None
    return cur


@dataclass(slots=True)
class _Waiting:
    """A connection whose request head has not all arrived."""

    peer: str
    deadline: float
    head: bytes = b""


class OscQueryServer:
    def __init__(self, host: str, port: int, osc_port: int, status: Callable[[], ShowStatus | None], *,
                 fx: Callable[[], Mapping[str, float | tuple[float, ...]]] = dict,
                 allow: frozenset[str] | tuple[str, ...] = (), log: Callable[[str], None] | None = None,
                 max_connections: int = MAX_CONNECTIONS, workers: int = WORKERS,
                 request_timeout: float = REQUEST_TIMEOUT, send_timeout: float = SEND_TIMEOUT):
        self.host = host
        self.osc_port = osc_port
        self.status = status
        self.fx = fx   #: the effects' values (read on an answering thread: the frame thread replaces the dict whole)
        self.allow = frozenset(allow)
        self.max_connections = max_connections
        self.request_timeout = request_timeout
        self.send_timeout = send_timeout
        self._warn = LogThrottle(log or (lambda line: None))
        self.counts = {"connections": 0, "answered": 0, "refused": 0, "evicted": 0, "timed_out": 0, "gone": 0}
        self.listener = socket.create_server((host, port), backlog=64)   # SO_REUSEADDR; never SO_REUSEPORT
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self._waiting: dict[socket.socket, _Waiting] = {}   # oldest first
        self._answering = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._sel = selectors.DefaultSelector()
        self._sel.register(self.listener, selectors.EVENT_READ)
        self._sel.register(self._wake_r, selectors.EVENT_READ)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="oscquery-answer")
        self._thread = threading.Thread(target=self._loop, name="oscquery", daemon=True)

    # -- life ------------------------------------------------------------------------------------
    def start(self) -> "OscQueryServer":
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass
        if self._thread.is_alive():
            self._thread.join(timeout=2.0)
        self._pool.shutdown(wait=False, cancel_futures=True)
        for conn in list(self._waiting):
            conn.close()
        self._waiting.clear()
        self._sel.close()
        self.listener.close()
        self._wake_r.close()
        self._wake_w.close()

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._waiting) + self._answering

    # -- the waiting thread ------------------------------------------------------------------------
    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ready = self._sel.select(timeout=0.25)
            except OSError:
                return
            for key, _ in ready:
                if key.fileobj is self.listener:
                    self._accept()
                elif key.fileobj is self._wake_r:
                    return
                else:
                    self._read(key.fileobj)
            now = time.monotonic()
            for conn in [c for c, w in self._waiting.items() if now > w.deadline]:
                self.counts["timed_out"] += 1
                self._drop(conn)

    def _accept(self) -> None:
        for _ in range(64):   # a burst of connections, but never starve the ones already waiting
            try:
                conn, peer = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:   # e.g. out of file descriptors: refuse quietly, try again next round
                return
            self.counts["connections"] += 1
            if self.allow and peer[0] not in self.allow:
                self.counts["refused"] += 1
                self._warn("allow", f"OSCQuery: connection from {peer[0]} refused: not in --osc-allow. "
                                    f"Fix: add --osc-allow {peer[0]} if this controller is yours")
                _close(conn)
                continue
            with self._lock:
                full = len(self._waiting) + self._answering >= self.max_connections
            if full:
                if not self._waiting:    # every open connection is being answered: refuse the newcomer
                    self.counts["refused"] += 1
                    _close(conn)
                    continue
                self.counts["evicted"] += 1
                self._warn("full", f"OSCQuery: {self.max_connections} connections open at once (from "
                                   f"{peer[0]} among others): the one waiting longest was closed")
                self._drop(next(iter(self._waiting)))
            conn.setblocking(False)
            with self._lock:
                self._waiting[conn] = _Waiting(peer[0], time.monotonic() + self.request_timeout)
            self._sel.register(conn, selectors.EVENT_READ)

    def _read(self, conn: socket.socket) -> None:
        w = self._waiting.get(conn)
        if w is None:
            return
        try:
            data = conn.recv(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:                 # the client went away before asking
            self.counts["gone"] += 1
            self._drop(conn)
            return
        w.head += data
        if len(w.head) > MAX_HEAD:   # not a controller: close (an answer would be lost to the unread rest anyway)
            self.counts["refused"] += 1
            self._drop(conn)
            return
        if b"\r\n\r\n" in w.head or b"\n\n" in w.head:
            self._sel.unregister(conn)
            with self._lock:
                del self._waiting[conn]
                self._answering += 1
            self._pool.submit(self._answer, conn, w.head)

    def _drop(self, conn: socket.socket) -> None:
        try:
            self._sel.unregister(conn)
        except (KeyError, ValueError):
            pass
        with self._lock:
            self._waiting.pop(conn, None)
        _close(conn)

    # -- the answering threads ---------------------------------------------------------------------
    def _answer(self, conn: socket.socket, head: bytes) -> None:
        try:
            conn.setblocking(True)
            conn.settimeout(self.send_timeout)
            code, body, only_head = self._respond(head, conn.getsockname()[0])
            conn.sendall(b"".join([
                f"HTTP/1.0 {code} {_REASONS[code]}\r\n".encode(),
                b"Content-Type: " + (b"application/json" if code == 200 else b"text/plain; charset=utf-8") + b"\r\n",
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode(),
                b"" if only_head else body]))
            self.counts["answered"] += 1
        except OSError:              # the client left, or did not take the answer in time: its business
            self.counts["gone"] += 1
        except Exception as exc:     # a bug must not take the server down, nor print a traceback
            self._warn("bug", f"OSCQuery: answer failed: {type(exc).__name__}: {exc}")
        finally:
            _close(conn)
            with self._lock:
                self._answering -= 1

    def _respond(self, head: bytes, local_ip: str) -> tuple[int, bytes, bool]:
        """(status, body, HEAD request) for one request head."""
        parts = head.split(b"\n", 1)[0].decode("latin-1").split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            return 400, b"not an HTTP request\n", False
        method, target = parts[0], parts[1]
        if method not in ("GET", "HEAD"):
            return 405, b"only GET\n", False
        url = urlsplit(target)
        if url.query == "HOST_INFO":
            body: dict | None = {
                "NAME": "vj", "OSC_PORT": self.osc_port, "OSC_TRANSPORT": "UDP",
                "OSC_IP": local_ip,   # the address this client reached: never 0.0.0.0
                "EXTENSIONS": {"ACCESS": True, "VALUE": True, "RANGE": True, "DESCRIPTION": True, "TYPE": True}}
        else:
            body = find(address_tree(self.status(), self.fx()), unquote(url.path))
            if body is None:
                return 404, f"no OSC address {unquote(url.path)!r}\n".encode(), method == "HEAD"
        return 200, json.dumps(body).encode(), method == "HEAD"


def _close(conn: socket.socket) -> None:
    try:
        conn.close()
    except OSError:
        pass
