"""MIDI map files: the shipped maps load; mistakes are reported with file, line, field and fix;
learn edits map files without losing anything."""

from __future__ import annotations

import pytest

from vj.control.midi_learn import Learned, Learner, parse_control, save_mapping
from vj.control.midi_map import load_maps, port_table, read_map, shipped_maps
from vj.control.targets import ControlError
from vj.errors import VjError


def test_shipped_maps_load_and_match_their_ports():
    maps = {m.name: m for m in load_maps([])}
    assert len(shipped_maps()) == 3 and len(maps) == 3
    apc, lp, nano = maps["Akai APC mini"], maps["Novation Launchpad Mini MK3"], maps["Korg nanoKONTROL2"]
    assert apc.matches("APC MINI:APC MINI MIDI 1 20:0") and not apc.matches("APC mini mk2:APC mini mk2 Control 20:0")
    assert lp.matches("Launchpad Mini MK3:Launchpad Mini MK3 LPMiniMK3 MI 20:1")
    assert not lp.matches("Launchpad Mini MK3:Launchpad Mini MK3 LPMiniMK3 DA 20:0")
    assert lp.init[0] == bytes([0xF0, 0, 0x20, 0x29, 2, 0x0D, 0x0E, 1, 0xF7])
    assert nano.matches("nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0")
    table = port_table(list(maps.values()), "APC MINI:APC MINI MIDI 1 20:0")
    assert table[("notes", 0, 56)].args == (1,) and table[("notes", 0, 0)].args == (57,)
    assert table[("cc", None, 48)].target == "zoom/speed"
    lpt = port_table(list(maps.values()), "LPMiniMK3 MIDI")
    assert lpt[("notes", 0, 81)].args == (1,) and lpt[("notes", 0, 18)].args == (64,)


BAD = """[device]
name = "Mine"
match = ["X"]
colour = 3

[[notes]]
note = 60
target = "clip/nxt"

[[cc]]
cc = 300
target = "zoom/speed"

[[cc]]
cc = 7
target = "zoom/focus"
mode = "absolute"

[[cc]]
cc = 8
target = "zoom/speed"
range = [0.0, 5.0]

[[notes]]
notes = [1, 2]
target = "clip/cue"
chanel = 2
"""


def test_bad_maps_say_file_line_field_and_fix(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD)
    with pytest.raises(VjError) as err:
        load_maps([path], shipped=False)
    text = [str(p) for p in err.value.problems]
    assert len(text) == 6, text
    want = [(4, "unknown key 'colour'"), (8, "did you mean clip/next"), (11, "above 127"),
            (17, "zoom/focus takes"), (22, "range"), (27, "did you mean 'channel'")]
    for (line, words), t in zip(want, text):
        assert t.startswith(f"{path}:{line}: ") and words in t and "Fix:" in t, t


def test_toml_syntax_error_has_its_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[[cc]]\ncc = 7\ntarget = "zoom/speed\n')
    _, problems = read_map(path)
    assert problems and problems[0].line == 3


def test_save_mapping_appends_replaces_keeps_comments_and_a_backup(tmp_path):
    path = tmp_path / "m.toml"
    original = "# top comment\n[[cc]]\ncc = 1\ntarget = \"zoom/pulse\" # mine\n\n# about the next one\n[[notes]]\nnote = 3\ntarget = \"clip/next\"\n"
    path.write_text(original)
    a = Learned("cc", 9, 1, "box", "zoom/speed", (), "absolute")
    assert save_mapping(path, a) == "added"
    assert path.read_text().startswith(original) and (tmp_path / "m.toml.bak").read_text() == original
    b = Learned("cc", 9, 1, "box", "effect/blur", (), "relative_twos")
    assert save_mapping(path, b) == "replaced"
    text = path.read_text()
    assert text.count("cc = 9") == 1 and "effect/blur" in text and "zoom/speed\"\nmode" not in text
    assert "# about the next one" in text and "# mine" in text
    m, problems = read_map(path)
    assert not problems and sorted(x.target for x in m.mappings) == ["clip/next", "effect/blur", "zoom/pulse"]
    new = tmp_path / "sub" / "learned.toml"
    save_mapping(new, Learned("notes", 40, 10, "pads", "clip/cue", (2,), "press"))
    assert read_map(new)[0].mappings[0].args == (2,) and not (tmp_path / "sub" / "learned.toml.bak").exists()


def test_save_mapping_into_a_map_saved_by_notepad_keeps_its_mark_and_crlf_lines(tmp_path):
    """A map saved by Windows Notepad (byte-order mark, CRLF): MIDI learn took it for a broken file (appended,
    "the file has a TOML error: fix it") and wrote every line back LF."""
    path = tmp_path / "m.toml"
    original = '\ufeff# mine\r\n[[cc]]\r\ncc = 1\r\ntarget = "zoom/pulse"\r\n'.encode()
    path.write_bytes(original)
    assert save_mapping(path, Learned("cc", 9, 1, "box", "zoom/speed", (), "absolute")) == "added"
    raw = path.read_bytes()
    assert raw.startswith(original) and raw.count(b"\n") == raw.count(b"\r\n"), raw
    assert save_mapping(path, Learned("cc", 9, 1, "box", "effect/blur", (), "absolute")) == "replaced"
    raw = path.read_bytes()
    assert raw.startswith(original) and raw.count(b"\n") == raw.count(b"\r\n") and b"effect/blur" in raw, raw
    m, problems = read_map(path)
    assert not problems and sorted(x.target for x in m.mappings) == ["effect/blur", "zoom/pulse"]


def test_learner_classifies_and_times_out_and_never_raises():
    from types import SimpleNamespace as M
    lr = Learner(timeout=1.0, settle=0.3)
    lr.arm("zoom/depth", (), 0.0)
    for i, junk in enumerate([M(type="clock"), M(type="sysex", data=()), M(type="weird"), object(), None]):
        assert lr.offer("p", junk, 0.01 * i) is None
    for t in (0.1, 0.12, 0.14):
        assert lr.offer("p", M(type="control_change", channel=0, control=5, value=1), t) is None
    got = lr.poll(0.5)
    assert got.mode == "relative_twos" and got.number == 5
    lr.arm("zoom/depth", (), 1.0)
    for t in (1.1, 1.12):
        lr.offer("p", M(type="control_change", channel=0, control=6, value=65), t)
    assert lr.poll(1.5).mode == "relative_offset"
    lr.arm("output/blackout_toggle", (), 2.0)
    lr.offer("p", M(type="control_change", channel=0, control=7, value=127), 2.1)
    lr.offer("p", M(type="control_change", channel=0, control=7, value=0), 2.2)
    assert lr.poll(2.5).mode == "press"
    lr.arm("zoom/speed", (), 3.0)
    assert lr.poll(3.5) is None and lr.poll(4.1) == "timed out" and not lr.armed


def test_parse_control():
    assert parse_control("clip/cue 3") == ("clip/cue", (3,))
    assert parse_control("zoom/speed") == ("zoom/speed", ())
    with pytest.raises(ControlError, match="did you mean"):
        parse_control("zom/speed")
    with pytest.raises(ControlError, match="needs CLIP"):
        parse_control("clip/cue")
    with pytest.raises(ControlError, match="out of range"):
        parse_control("clip/cue 0")


def test_every_mistake_of_one_table_is_said_at_once(tmp_path):
    """A table with a number out of range, a misspelt control and a misspelt mode: all three are said, so the
    performer fixes them in one go (the control and the mode used to be said only once the number was fixed,
    one run each)."""
    path = tmp_path / "mine.toml"
    path.write_text('[[cc]]\ncc = 130\ntarget = "zoom/sped"\nmode = "absolut"\n\n'
                    '[[notes]]\nnote = 36\ntarget = "clip/nxt"\nmode = "tog"\n')
    _, problems = read_map(path)
    text = [str(p) for p in problems]
    want = [(2, "above 127"), (3, "did you mean zoom/speed"), (4, "did you mean 'absolute'"),
            (8, "did you mean clip/next"), (9, "unknown mode 'tog'")]
    assert len(text) == len(want), text
    for (line, words), t in zip(want, text):
        assert t.startswith(f"{path}:{line}: ") and words in t and "Fix:" in t, t
    # the same misspelt mode in a table that is otherwise right is said the same way
    path.write_text('[[cc]]\ncc = 20\ntarget = "zoom/speed"\nmode = "absolut"\n')
    _, problems = read_map(path)
    assert len(problems) == 1 and "unknown mode 'absolut'" in str(problems[0]), problems
    assert "did you mean 'absolute'" in str(problems[0]) and f"{path}:4:" in str(problems[0]), problems
