"""OSC feedback bounded (issue 14, fault 7), over real UDP: capped and expiring clients, one throttled
log line for a registration flood, and /vj/query/state no longer a reflector."""

from __future__ import annotations

import socket
import time

import pytest
from oscrig import Show, dgram, send, udp_client
from pythonosc.osc_packet import OscPacket

from vj.control import ShowStatus
from vj.control.oscfeedback import MAX_CLIENTS, UNKNOWN_RATE
from vj.control.oscserver import OscServer
from vj.control.throttle import LogThrottle


@pytest.fixture()
def show():
    s = Show()
    yield s
    s.close()


def packets(sock: socket.socket, quiet: float = 0.4, limit: float = 5.0) -> list[bytes]:
    """Every datagram that arrives until ``quiet`` s pass without one."""
    got = []
    end = time.monotonic() + limit
    sock.settimeout(quiet)
    while time.monotonic() < end:
        try:
            got.append(sock.recvfrom(65536)[0])
        except socket.timeout:
            break
    return got


def test_a_registration_flood_is_capped_and_said_once(show):
    lines: list[str] = []
    server = OscServer(show.control, port=0, log=lines.append).start()
    socks = [udp_client() for _ in range(100)]
    try:
        for s in socks:
            send(s, server, "/vj/feedback/register")
        assert show.wait_for(lambda: server.counts["messages"] >= 100, timeout=10)
        time.sleep(0.3)
        assert len(server.clients) == MAX_CLIENTS
        assert server.refused["clients"] == 100 - MAX_CLIENTS
        assert sum("feedback to" in ln for ln in lines) <= 3, lines     # not a line per registration
        said = next(ln for ln in lines if "refused" in ln)
        assert f"{MAX_CLIENTS} clients are registered already" in said and "Fix:" in said
        # the ones that got in get feedback; the others do not
        send(socks[0], server, "/vj/zoom/pulse", 0.77)
        assert show.wait_for(lambda: show.engine.rules.pulse == pytest.approx(0.77))
        assert any(b"/vj/state/pulse" in p for p in packets(socks[0]))
        assert not any(b"/vj/state/pulse" in p for p in packets(socks[-1], quiet=0.3))
    finally:
        for s in socks:
            s.close()
        server.close()


def test_registered_clients_expire_unless_their_host_keeps_talking(show):
    server = OscServer(show.control, port=0, log=lambda line: None, feedback_ttl=0.6,
                       feedback=(("127.0.0.1", 9),)).start()       # a fixed client never expires
    quiet, chatty = udp_client(), udp_client("127.0.0.2")
    try:
        send(quiet, server, "/vj/feedback/register")
        send(chatty, server, "/vj/feedback/register")
        assert show.wait_for(lambda: len(server.clients) == 3)
        for _ in range(8):                                          # 1.6 s: only the chatty host talks
            send(chatty, server, "/vj/effect/blur", 0.1)
            time.sleep(0.2)
        clients = server.clients.current()
        assert chatty.getsockname() in clients and ("127.0.0.1", 9) in clients
        assert quiet.getsockname() not in clients
        packets(quiet, quiet=0.2)
        send(chatty, server, "/vj/zoom/pulse", 0.66)
        assert show.wait_for(lambda: show.engine.rules.pulse == pytest.approx(0.66))
        assert any(b"/vj/state/pulse" in p for p in packets(chatty))
        assert not any(b"/vj/state/pulse" in p for p in packets(quiet, quiet=0.3))
    finally:
        quiet.close()
        chatty.close()
        server.close()


def test_query_state_is_not_a_reflector(show):
    """The campaign measured 19 packets back for each query; a forged sender now gets a trickle."""
    server = OscServer(show.control, port=0, log=lambda line: None).start()
    victim = udp_client()
    try:
        assert show.wait_for(lambda: show.control.status is not None)
        n = 300
        t0 = time.monotonic()
        for _ in range(n):
            send(victim, server, "/vj/query/state")
        got = packets(victim, quiet=0.5)
        took = time.monotonic() - t0
        allowed = UNKNOWN_RATE[1] + UNKNOWN_RATE[0] * took
        assert 1 <= len(got) <= allowed + 1, (len(got), took)
        # one answer is one packet holding the whole state
        names = {tm.message.address.rsplit("/", 1)[-1] for tm in OscPacket(got[0]).messages}
        assert names == {f.name for f in ShowStatus.__dataclass_fields__.values()}
        asked = server.counts["messages"]                    # the queries the kernel did not drop
        assert asked > 2 * allowed and server.refused["reply"] == asked - len(got)
    finally:
        victim.close()
        server.close()


def test_a_registered_client_may_ask_more_often(show):
    server = OscServer(show.control, port=0, log=lambda line: None).start()
    client = udp_client()
    try:
        assert show.wait_for(lambda: show.control.status is not None)
        send(client, server, "/vj/feedback/register")
        packets(client, quiet=0.3)
        for _ in range(10):
            client.sendto(dgram("/vj/query/state"), ("127.0.0.1", server.port))
        answers = [p for p in packets(client) if p.startswith(b"#bundle")]
        assert len(answers) == 10
    finally:
        client.close()
        server.close()


def test_the_throttle_says_a_flood_once_then_counts():
    now = [0.0]
    out: list[str] = []
    throttle = LogThrottle(out.append, clock=lambda: now[0])
    for i in range(5803):                 # the campaign's registration flood, one every 10 ms
        now[0] = i * 0.01
        throttle("register", f"feedback to 10.0.0.{i % 250}:{9000 + i}")
        if i % 25 == 0:
            throttle.flush()
    now[0] += 120
    throttle.flush()
    assert out[0] == "feedback to 10.0.0.0:9000"
    assert len(out) <= 8
    assert sum(int(ln.split(" times")[0][1:].replace(",", "")) for ln in out[1:]) == 5802
    assert throttle.totals() == {"register": 5803}
    throttle("register", "again")         # quiet for a whole window: said at once
    assert out[-1] == "again"
