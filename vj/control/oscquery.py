"""OSCQuery: the OSC address space as JSON over HTTP, so OSCQuery-aware controllers discover it.

A stdlib HTTP server in a thread (the protocol is a few JSON documents; no library needed).
Nodes follow the OSCQuery proposal: FULL_PATH, CONTENTS, TYPE, RANGE, DESCRIPTION, ACCESS
(1 read, 2 write, 3 both) and, for the show state, VALUE.
"""

from __future__ import annotations

import json
import threading
from dataclasses import fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit

from .controller import ShowStatus
from .targets import TARGETS

_TAGS = {"int": "i", "float": "f", "str": "s", "bool": "i"}


def _insert(root: dict, path: str, node: dict) -> None:
    parts = path.strip("/").split("/")
    cur = root
    for i, part in enumerate(parts[:-1]):
        cur = cur.setdefault("CONTENTS", {}).setdefault(
            part, {"FULL_PATH": "/" + "/".join(parts[: i + 1]), "ACCESS": 0})
    cur.setdefault("CONTENTS", {})[parts[-1]] = node


def address_tree(status: ShowStatus | None) -> dict:
    """The whole namespace, with the current show state as VALUEs."""
    root: dict = {"FULL_PATH": "/", "ACCESS": 0, "DESCRIPTION": "vj: live visuals", "CONTENTS": {}}
    for t in TARGETS:
        node: dict = {"FULL_PATH": t.address, "ACCESS": 2, "DESCRIPTION": t.help}
        if t.params:
            node["TYPE"] = t.typetags
            node["RANGE"] = [{"MIN": p.lo, "MAX": p.hi} if p.lo is not None else {} for p in t.params]
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


class OscQueryServer:
    def __init__(self, host: str, port: int, osc_port: int, status: Callable[[], ShowStatus | None]):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                url = urlsplit(self.path)
                if url.query == "HOST_INFO":
                    body = {"NAME": "vj", "OSC_PORT": outer.osc_port, "OSC_TRANSPORT": "UDP",
                            "OSC_IP": outer.host,
                            "EXTENSIONS": {"ACCESS": True, "VALUE": True, "RANGE": True, "DESCRIPTION": True,
                                           "TYPE": True}}
                else:
                    body = find(address_tree(status()), url.path)
                    if body is None:
                        self.send_error(404, f"no OSC address {url.path}")
                        return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet: the show's stderr is for problems
                pass

        self.host = host
        self.osc_port = osc_port
        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="oscquery", daemon=True)

    def start(self) -> "OscQueryServer":
        self._thread.start()
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
