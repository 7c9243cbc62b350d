"""OSCQuery over real HTTP connections (issue 14, fault 6): the allow-list, idle connections that hold no
thread, timeouts, a connection cap, and clients that hang up without a traceback."""

from __future__ import annotations

import http.client
import json
import socket
import struct
import threading
import time

import pytest
from oscrig import Show

from vj.control.oscquery import MAX_CONNECTIONS, WORKERS, OscQueryServer
from vj.control.oscserver import OscServer


@pytest.fixture()
def show():
    s = Show()
    yield s
    s.close()


def get(port: int, path: str = "/", source: str | None = None, timeout: float = 5.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                      source_address=(source, 0) if source else None)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def test_oscquery_answers_only_the_allowed_hosts(show):
    lines: list[str] = []
    server = OscServer(show.control, port=0, query_port=0, allow=("127.0.0.2",), log=lines.append).start()
    try:
        status, body = get(server.query.port, "/vj/state/bpm", source="127.0.0.2")
        assert status == 200 and json.loads(body)["ACCESS"] == 1
        with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
            get(server.query.port, "/", source="127.0.0.1", timeout=3)
        assert server.query.counts["refused"] == 1
        assert any("127.0.0.1" in ln and "--osc-allow" in ln and "Fix:" in ln for ln in lines), lines
    finally:
        server.close()


def test_host_info_names_the_address_the_client_reached(show):
    server = OscServer(show.control, port=0, query_port=0, log=lambda line: None).start()
    try:
        status, body = get(server.query.port, "/?HOST_INFO")
        info = json.loads(body)
        assert status == 200 and info["OSC_IP"] == "127.0.0.1" and info["OSC_PORT"] == server.port
        assert get(server.query.port, "/no/such")[0] == 404
    finally:
        server.close()


def test_150_idle_connections_do_not_make_150_threads_and_the_server_still_answers(show):
    server = OscServer(show.control, port=0, query_port=0, log=lambda line: None).start()
    idle: list[socket.socket] = []
    try:
        get(server.query.port)                               # its threads exist now
        before = threading.active_count()
        for _ in range(150):
            idle.append(socket.create_connection(("127.0.0.1", server.query.port), timeout=5))
        time.sleep(0.5)
        assert threading.active_count() <= before + WORKERS, threading.enumerate()
        status, body = get(server.query.port, "/vj/state")
        assert status == 200 and "bpm" in json.loads(body)["CONTENTS"]
        assert server.query.open_connections <= MAX_CONNECTIONS
        assert server.query.counts["evicted"] >= 150 - MAX_CONNECTIONS
    finally:
        for s in idle:
            s.close()
        server.close()


def test_a_connection_that_sends_nothing_is_closed_after_the_timeout():
    q = OscQueryServer("127.0.0.1", 0, 9000, lambda: None, request_timeout=0.5).start()
    try:
        s = socket.create_connection(("127.0.0.1", q.port), timeout=5)
        s.sendall(b"GET / HT")                               # a slow client: half a request line, then nothing
        t0 = time.monotonic()
        assert s.recv(100) == b""                            # closed by the server
        assert time.monotonic() - t0 < 4.0
        s.close()
        assert q.counts["timed_out"] == 1
        assert get(q.port, "/vj")[0] == 200
    finally:
        q.close()


def test_clients_that_hang_up_mid_answer_leave_no_traceback(show, capfd):
    server = OscServer(show.control, port=0, query_port=0, log=lambda line: None).start()
    try:
        for _ in range(60):
            s = socket.create_connection(("127.0.0.1", server.query.port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))   # hang up hard: RST
            s.close()
        time.sleep(1.0)
        assert get(server.query.port)[0] == 200
    finally:
        server.close()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "BrokenPipe" not in err and "ConnectionReset" not in err, err[-2000:]


def test_a_request_head_too_long_is_dropped_and_the_server_goes_on():
    q = OscQueryServer("127.0.0.1", 0, 9000, lambda: None).start()
    try:
        s = socket.create_connection(("127.0.0.1", q.port), timeout=5)
        try:
            s.sendall(b"GET /" + b"a" * 200_000 + b" HTTP/1.1\r\n\r\n")
            while s.recv(4096):
                pass
        except ConnectionError:
            pass                                             # closed by the server, as it should be
        s.close()
        assert q.counts["refused"] == 1 and q.open_connections == 0
        assert get(q.port, "/vj")[0] == 200
    finally:
        q.close()
