"""docs/OSC.md, generated from the control table, the aliases, the status fields and the limits.

``python -m vj.control.oscdoc --write-docs`` rewrites it; tests/test_osc.py checks it is current.
"""

from __future__ import annotations

import sys
from dataclasses import fields

from ..engine.rules import TEMPO_RANGE
from . import framegate, oscfeedback, oscpacket, oscquery
from .controller import ShowStatus
from .oscaddress import ALIASES
from .oscserver import (DEFAULT_PORT, FX_FEEDBACK_EVERY, FX_PER_BUNDLE, MAX_AHEAD, MAX_PENDING, RECEIVE_SHARE,
                        RECEIVE_SLOT, STATE_PREFIX)
from .targets import TARGETS


def osc_doc() -> str:
    """docs/OSC.md, from the control table, the aliases and the status fields."""
    out = [
        "# OSC",
        "",
        "<!-- Generated from vj/control (targets, oscaddress, oscserver, oscpacket, oscfeedback, oscquery, framegate) by "
        "`python -m vj.control.oscdoc --write-docs`; do not edit. -->",
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
        "A message vj cannot use (unknown address, wrong type, value out of range, a broken or oversized "
        "packet, garbage) has no effect; it is counted, and said once per kind on stderr and in the control "
        "panel, then again with a count while it goes on (see [Limits](#limits)).",
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
        "| `/vj/fx/NAME/INPUT` | as the shader declares it (a number; x, y for a point; r, g, b and an optional a for a colour; nothing, or 1, fires an event) | an "
        "input of an ISF effect or transition of the setlist, `/vj/fx/NAME/on` 1 or 0 switches an effect "
        "([CONTROL.md](CONTROL.md#effect-controls) lists those of the shipped effects; OSCQuery lists the show's) |",
        "| `/vj/feedback/register` | port (int, optional) | send show state to the sender's address (at this port, "
        "default the sender's port) from now on; the whole state is sent at once, as one bundle |",
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
        "`/vj/query/state` sends all of them, as one bundle, to whoever asks. At most "
        f"{oscfeedback.MAX_CLIENTS} clients can be registered at once; a registered client expires "
        f"{oscfeedback.CLIENT_TTL / 60:g} minutes after vj last heard anything from its host (any message keeps it, "
        "and so does registering again). A sender that never registered gets at most "
        f"{oscfeedback.UNKNOWN_RATE[0]:g} answers a second: a UDP sender's address can be forged, and vj must not "
        "become a loudspeaker aimed at someone else.",
        "",
        "| address | value |",
        "| --- | --- |",
    ]
    for f in fields(ShowStatus):
        kind = {"int": "int", "float": "float", "str": "string", "bool": "int (0/1)"}.get(str(f.type), str(f.type))
        out.append(f"| `{STATE_PREFIX}{f.name}` | {kind} |")
    out += [
        "| `/vj/fx/NAME/on` | int (0/1): the effect is drawn (a setlist's `on`, a section, F1-F8, `fx/toggle`, "
        "any surface) |",
        "| `/vj/fx/NAME/INPUT` | the input's value this frame, as the control takes it (a float; an int for a "
        "`bool` or a menu; x, y; r, g, b, a): an effect's inputs whether it is on or off (a section may set an off "
        "effect's fader: the surface shows the value it will come on with), a transition's during its flights; "
        "not events |",
        "",
        "The effects' controls are fed back on the addresses a surface sends to, so a TouchOSC button on "
        "`/vj/fx/NAME/on` or a fader on `/vj/fx/NAME/INPUT` follows when a section, a key, MIDI or another "
        "tablet changes it. Like the rest, a value goes out when it changes, and in the whole state. An input "
        "bound to the music (`amount = \"bass\"`) changes every frame: the effects' changes go out at most "
        f"{1 / FX_FEEDBACK_EVERY:g} times a second, as bundles (of at most {FX_PER_BUNDLE} values) with the "
        "latest value of each; a change after a quiet moment (a button, a section) goes out at once. The values a "
        "surface set itself are not sent back to it (the address it sends from, or the one it registered with "
        "`/vj/feedback/register PORT`): the show reports them a frame or more later, and that echo would pull a "
        "fader still moving back to where it was; what anyone else changes is, a second surface on the same "
        "computer included.",
    ]
    out += [
        "",
        "## OSCQuery",
        "",
        "The address space is served as OSCQuery JSON over HTTP on the OSC port + 1 (`--oscquery-port`), on the "
        "same address as OSC: `curl http://127.0.0.1:9001/` lists every address with its types, ranges and "
        "description, `?HOST_INFO` says where to send OSC. State addresses carry their current `VALUE`, and so do "
        "the effects' switches and inputs (`/vj/fx/NAME/on`, `/vj/fx/NAME/INPUT`, `ACCESS` 3: read and write), the "
        "values feedback sends on those addresses. It answers "
        "only the hosts named with `--osc-allow` (when any are), like OSC, and keeps the limits below: idle "
        "connections hold no thread, and a client that hangs up mid-answer is counted, not printed.",
        "",
        "## TouchOSC",
        "",
        "1. Start vj listening on the network: `vj play --osc-host 0.0.0.0 --osc-allow TABLET_IP`.",
        "2. In TouchOSC, Connections, OSC: host = the vj laptop's IP, send port 9000, receive port 9001 "
        "(any free port).",
        "3. Give each control an address from the table: a button `/vj/tempo/tap`, a button `/vj/clip/cue/3`, "
        f"a fader `/vj/zoom/pulse` (range 0..1), a fader `/vj/tempo/bpm` (range {TEMPO_RANGE[0]:g}..{TEMPO_RANGE[1]:g}).",
        "4. Make the layout register for feedback (a button or the on-start script sending "
        "`/vj/feedback/register 9001`), then bind labels to `/vj/state/bpm`, `/vj/state/clip`, `/vj/state/beat`. "
        f"A layout that only watches (sends nothing for {oscfeedback.CLIENT_TTL / 60:g} minutes) must register "
        "again now and then, e.g. from a timer in its script.",
        "",
        "## Bitfocus Companion",
        "",
        "Add a *Generic OSC* connection with the vj laptop's IP and port 9000, then make buttons that send "
        "`/vj/clip/next`, `/vj/tempo/tap`, `/vj/output/blackout_toggle`, `/vj/song/next`. Companion's Resolume "
        "module also works for tap, resync and clip/column connect (see the aliases above).",
        "",
        "## Limits",
        "",
        "Every packet's structure is checked before it is parsed: sizes, alignment, bundle element sizes, "
        "nesting, type tags, string ends and blob sizes. A broken packet is ignored whole, and said once per "
        "kind of fault (\"a bundle element says it is -4 bytes long\"), with the sender's address and what to "
        "do; while a flood goes on, the count is said again after 1 s, 2 s, 4 s ... up to once a minute. "
        "Nothing a sender does can stop OSC, slow the frame loop beyond the budget below, or make vj send "
        "more than these limits allow. Details and measurements: [RELIABILITY.md](RELIABILITY.md).",
        "",
        *limits_table(),
        "",
    ]
    return "\n".join(out)


def limits_table() -> list[str]:
    """Every bound the OSC and OSCQuery servers keep, with its value: one row each."""
    fb, pk, q, g = oscfeedback, oscpacket, oscquery, framegate
    rows = [
        ("packet size", f"{pk.MAX_PACKET} bytes", "bigger packets are refused whole"),
        ("bundles inside bundles", f"{pk.MAX_DEPTH} deep", ""),
        ("messages and bundles in one packet", f"{pk.MAX_ELEMENTS}", ""),
        ("arguments of one message", f"{pk.MAX_ARGS}", f"arrays nested at most {pk.MAX_ARRAY_DEPTH} deep"),
        ("address length", f"{pk.MAX_ADDRESS} characters", "printable ASCII, no spaces"),
        ("timetagged messages waiting", f"{MAX_PENDING}", f"at most {MAX_AHEAD:.0f} s ahead"),
        ("time spent reading packets", f"{RECEIVE_SHARE:.0%} of every {RECEIVE_SLOT * 1000:g} ms",
         "so a flood cannot take the frame loop's time; what does not fit, the system drops"),
        ("commands to the show per frame", f"{g.PER_HOST} from one sender host, {g.PER_FRAME} in all",
         "beyond it a fader's newest value waits for the next frame, a button press is ignored"),
        ("effect values fed back", f"{1 / FX_FEEDBACK_EVERY:g} times a second, {FX_PER_BUNDLE} to a bundle",
         "the latest value of each; an input bound to the music changes every frame"),
        ("registered feedback clients", f"{fb.MAX_CLIENTS}", "`--osc-feedback` clients come on top and never expire"),
        ("a registered client expires", f"{fb.CLIENT_TTL / 60:g} min after its host last sent anything",
         "register again, or send anything, to stay"),
        ("whole-state answers to a registered client", f"{fb.REGISTERED_RATE[0]:g} a second (bursts of "
         f"{fb.REGISTERED_RATE[1]:g})", "`/vj/query/state` and registering"),
        ("whole-state answers to any other address", f"{fb.UNKNOWN_RATE[0]:g} a second (bursts of "
         f"{fb.UNKNOWN_RATE[1]:g}), {fb.UNKNOWN_TOTAL_RATE[0]:g} a second to all of them together",
         "a query's sender address can be forged"),
        ("OSCQuery connections open at once", f"{q.MAX_CONNECTIONS}", "a newcomer closes the one waiting longest"),
        ("OSCQuery answering threads", f"{q.WORKERS}", "idle connections hold no thread"),
        ("OSCQuery request head", f"{q.MAX_HEAD} bytes within {q.REQUEST_TIMEOUT:g} s",
         f"the answer must be taken within {q.SEND_TIMEOUT:g} s"),
    ]
    out = ["| what | limit | note |", "| --- | --- | --- |"]
    out += [f"| {what} | {limit} | {note} |" for what, limit, note in rows]
    return out


if __name__ == "__main__":
    from pathlib import Path

    if sys.argv[1:] == ["--write-docs"]:
        dest = Path(__file__).resolve().parents[2] / "docs" / "OSC.md"
        dest.write_text(osc_doc())
        print(f"wrote {dest}")
    else:
        print(osc_doc(), end="")
