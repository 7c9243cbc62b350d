"""Setlists: good files load; every problem of a bad one is reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from vj import SETLISTS
from vj.cli import main
from vj.errors import VjError
from vj.setlist import Song, check_setlist, load_setlist


def line_of(text: str, needle: str, nth: int = 0) -> int:
    return [i for i, line in enumerate(text.splitlines(), start=1) if needle in line][nth]


@pytest.fixture
def show(tmp_path: Path, make_clip) -> Path:
    """A show folder: banks/demo with one real clip, an audio file, a setlist dir."""
    bank = tmp_path / "banks" / "demo"
    make_clip(bank / "a.mp4")
    (bank / "bank.toml").write_text('[[clips]]\nfile = "a.mp4"\n')
    (tmp_path / "sets" / "audio").mkdir(parents=True)
    (tmp_path / "sets" / "audio" / "one.flac").write_bytes(b"fLaC")
    return tmp_path


GOOD = """\
[setlist]
title = "Friday"

[[songs]]
title = "Opener"
bank = "demo"
audio = "audio/one.flac"
tempo = 124.0
switch_bars = 8
beats_per_bar = 4

[[songs]]
title = "Waltz"
bank = "../banks/demo"   # a path, relative to this file
tempo = 90
beats_per_bar = 3
"""


def test_good_setlist_loads(show: Path) -> None:
    f = show / "sets" / "friday.toml"
    f.write_text(GOOD)
    s = load_setlist(f, banks_dir=show / "banks")
    assert s.title == "Friday" and s.path == f
    assert s.songs[0] == Song(title="Opener", bank="demo", audio=show / "sets" / "audio" / "one.flac",
                              tempo_hint=124.0, rules={"switch_bars": 8, "beats_per_bar": 4})
    waltz = s.songs[1]
    assert waltz.bank == str(show / "banks" / "demo") and waltz.audio is None
    assert (waltz.tempo_hint, waltz.switch_bars, waltz.beats_per_bar) == (90.0, 8, 3)
    assert check_setlist(f, banks_dir=show / "banks") == []
    assert main(["setlist", "check", str(f), "--banks-dir", str(show / "banks")]) == 0


BAD = """\
[setlist]
title = "Broken"
venue = "club"

[[songs]]
title = "No bank"
tempo = 500

[[songs]]
title = "Typos"
bank = "demo"
bpm = 120
switch_bars = "8"
beats_per_bar = 9

[[songs]]
title = "Missing things"
bank = "nosuchbank"
audio = "audio/missing.flac"
"""


def test_bad_setlist_reports_every_problem_with_line(show: Path, capsys) -> None:
    f = show / "sets" / "bad.toml"
    f.write_text(BAD)
    with pytest.raises(VjError) as err:
        load_setlist(f, banks_dir=show / "banks")
    problems = err.value.problems
    expected = {
        (line_of(BAD, "venue"), "venue"): "unknown key",
        (line_of(BAD, "[[songs]]", 0), "bank"): "missing required key",
        (line_of(BAD, "tempo = 500"), "tempo"): "above 300",
        (line_of(BAD, "bpm"), "bpm"): "did you mean 'tempo'",
        (line_of(BAD, 'switch_bars = "8"'), "switch_bars"): "expected an integer",
        (line_of(BAD, "beats_per_bar = 9"), "beats_per_bar"): "above 7",
        (line_of(BAD, "nosuchbank"), "bank"): "not found",
        (line_of(BAD, "missing.flac"), "audio"): "not found",
    }
    got = {(p.line, p.where.split("field '")[1].rstrip("'")): str(p) for p in problems}
    assert set(got) == set(expected) and len(problems) == len(expected), "\n".join(map(str, problems))
    for key, word in expected.items():
        assert word in got[key] and str(f) in got[key] and "Fix:" in got[key], got[key]
    assert "song 2 'Typos'" in got[(line_of(BAD, "bpm"), "bpm")]
    assert "Known banks: demo" in got[(line_of(BAD, "nosuchbank"), "bank")]
    # a show setting's fix reads as a sentence, and a whole number's bound is written whole
    bpb = got[(line_of(BAD, "beats_per_bar = 9"), "beats_per_bar")]
    assert "9 is above 7. Fix:" in bpb and "beats_per_bar takes a whole number 2..7 beats (default 4): beats in a bar" in bpb
    assert ("switch_bars takes a whole number 1..256 bars (default 8): fly into the next clip every N bars."
            in got[(line_of(BAD, 'switch_bars = "8"'), "switch_bars")])

    assert main(["setlist", "check", str(f), "--banks-dir", str(show / "banks")]) == 1
    err_text = capsys.readouterr().err
    assert f"{f}:{line_of(BAD, 'tempo = 500')}:" in err_text and "8 problems" in err_text


ONE_PASS = """\
[[songs]]
title = "Everything wrong at once"
bank = "demo"
audio = "audio/missing.flac"
tempo = "fast"
order = ["a", "nope"]

  [[songs.sections]]
  bar = 2
  time = 3.0
  cue = "b"

[[songs]]
title = "Other bank"
bank = "other"

[[songs]]
title = "No such bank"
bank = "nosuchbank"
switch_bars = 0
"""


def test_setlist_check_reports_every_problem_in_one_pass(show: Path, make_clip) -> None:
    """Issue 14, fault 10: missing banks and audio, unknown clips in order and cross-bank cues were
    reported only once the first round of errors was fixed, and a cue's error pointed at its section."""
    other = show / "banks" / "other"
    make_clip(other / "b.mp4")
    (other / "bank.toml").write_text('[[clips]]\nfile = "b.mp4"\n')
    f = show / "sets" / "onepass.toml"
    f.write_text(ONE_PASS)
    got = {(p.line, p.message.split(" ")[0]): str(p) for p in check_setlist(f, banks_dir=show / "banks")}
    at = lambda needle: line_of(ONE_PASS, needle)  # noqa: E731
    assert {k: v.split(": ", 2)[-1][:40] for k, v in got.items()}.keys() == {
        (at("tempo ="), "expected"), (at("missing.flac"), "audio"), (at("order ="), "order"),
        (at("[[songs.sections]]"), "a"), (at('cue = "b"'), "cue"), (at("nosuchbank"), "bank"), (at("switch_bars"), "0")}, got
    cross = got[(at('cue = "b"'), "cue")]
    assert "'b' is in bank 'other', not in this song's bank 'demo'" in cross and "section at bar 2" in cross
    assert "Clips in the bank: a." in got[(at("order ="), "order")]


def test_syntax_error_names_line(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text('[setlist]\ntitle = "x"\n\n[[songs]]\ntitle = Opener\n')
    with pytest.raises(VjError) as err:
        load_setlist(f)
    (problem,) = err.value.problems
    assert problem.line == 5 and "syntax" in problem.message and problem.fix


def test_no_songs_and_missing_file(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text('[setlist]\ntitle = "x"\n')
    with pytest.raises(VjError, match="missing required key 'songs'") as err:
        load_setlist(f)
    # songs are [[songs]] tables: the fix says so, not "add songs = ... (a list of tables)"
    assert err.value.problems[0].fix == "add a [[songs]] table per song.", err.value.problems[0]
    with pytest.raises(VjError, match="file not found"):
        load_setlist(tmp_path / "nope.toml")


def test_setlist_check_includes_bank_problems(show: Path) -> None:
    (show / "banks" / "demo" / "bank.toml").write_text('[[clips]]\nfile = "a.mp4"\nenergy = 2.0\n')
    f = show / "sets" / "friday.toml"
    f.write_text(GOOD)
    problems = check_setlist(f, banks_dir=show / "banks")
    assert len(problems) == 1 and "energy" in problems[0].where and problems[0].line == 3
    assert check_setlist(f, banks_dir=show / "banks", banks=False) == []


def test_repo_demo_setlist_parses() -> None:
    s = load_setlist(SETLISTS / "demo.toml", check_files=False)
    assert s.songs and all(song.bank == "demo" for song in s.songs)
    assert s.songs[0].audio == SETLISTS / "audio" / "demo.flac"


def test_a_cue_in_a_section_without_bar_or_time_is_named_once(show: Path) -> None:
    """Its cue's problem said "section at section 1"."""
    f = show / "sets" / "cue.toml"
    f.write_text('[[songs]]\ntitle = "One"\nbank = "demo"\n\n  [[songs.sections]]\n  bar = 0\n  cue = "nope"\n')
    problems = [str(p) for p in check_setlist(f, banks_dir=show / "banks")]
    cue = [p for p in problems if "field 'cue'" in p]
    assert len(cue) == 1 and "song 1 'One', section 1, field 'cue'" in cue[0] and "section at" not in cue[0], problems


INLINE = """\
[[songs]]
title = "A"
bank = "demo"
effects = [{shader = "RGB Shif"}]
sections = [{bar = 2, zoom = 0.3}]

[[songs]]
title = "B"
bank = "demo"

  [[songs.effects]]
  shader = "RGB Shift"
  amount = "nonsense +"

  [[songs.sections]]
  bar = 3
  pulse = 9
"""


def test_effects_and_sections_written_inline_are_located_and_the_next_songs_tables_too(show: Path) -> None:
    """`effects = [{...}]` was counted as [[songs.effects]] tables: its problems had no line, and the next song's
    effect problems had none either (or another table's); inline sections, the same."""
    f = show / "sets" / "inline.toml"
    f.write_text(INLINE)
    got = {p.where: p.line for p in check_setlist(f, banks_dir=show / "banks", banks=False)}
    at = lambda needle: line_of(INLINE, needle)  # noqa: E731
    assert got == {"song 1 'A', effect 1": at("effects = ["),
                   "song 1 'A', section 1, field 'zoom'": at("sections = ["),
                   "song 2 'B', effect 1, effect 'rgb_shift', field 'amount'": at("nonsense"),
                   "song 2 'B', section 1, field 'pulse'": at("pulse = 9")}, got


def test_setlist_errors_show_paths_as_typed_and_say_where_a_misplaced_key_belongs(show: Path, monkeypatch, capsys):
    """Run in the setlist's folder, problems name `set.toml:LINE` and `audio/…`, not the absolute paths vj resolved
    them to (a performer's home path buried the line number); a key written in the wrong table says where it goes."""
    text = 'title = "Friday"\n[setlist]\nbank = "demo"\n[[songs]]\ntitle = "A"\nbank = "demo"\naudio = "audio/gone.flac"\n'
    (show / "sets" / "set.toml").write_text(text)
    monkeypatch.chdir(show / "sets")
    assert main(["setlist", "check", "set.toml", "--banks-dir", str(show / "banks")]) == 1
    err = capsys.readouterr().err
    assert str(show) not in err.replace(str(show / "banks"), ""), err
    assert "vj: set.toml:7: song 1 'A', field 'audio': audio file not found: audio/gone.flac." in err, err
    assert "set.toml:1: setlist, field 'title': unknown key 'title'. Fix: it belongs under [setlist]" in err, err
    assert "set.toml:3: [setlist], field 'bank': unknown key 'bank'. Fix: it belongs under a [[songs]] table" in err, err
    # outside the folder vj was run in, a path stays absolute: it is the only name that finds the file
    monkeypatch.chdir(show / "banks")
    assert main(["setlist", "check", str(show / "sets" / "set.toml"), "--banks-dir", str(show / "banks")]) == 1
    assert f"vj: {show / 'sets' / 'set.toml'}:7:" in capsys.readouterr().err


def test_a_table_under_the_wrong_header_and_a_downbeat_that_is_not_a_time(tmp_path):
    """`[[effects]]` under a song is a top-level table to TOML: 'move the line' cannot help, its header must say
    whose it is. `downbeat = nan` passed the check and then stopped the show's clock at every frame."""
    f = tmp_path / "s.toml"
    f.write_text('[[songs]]\ntitle = "a"\nbank = "demo"\naudio = "a.flac"\ndownbeat = [0.5, nan]\n\n'
                 '[[effects]]\nshader = "RGB Shift"\n')
    said = [str(p) for p in check_setlist(f, banks=False)]
    assert any(":7: setlist, field 'effects'" in p and "with the header [[songs.effects]]" in p for p in said), said
    assert any(":5:" in p and "nan is not a time in the track" in p for p in said), said
    f.write_text('[[songs]]\ntitle = "a"\nbank = "demo"\ndownbeat = inf\n')
    assert any("inf is not a time in the track" in str(p) for p in check_setlist(f, banks=False))


def test_setlist_check_reads_the_file_once(show: Path, monkeypatch) -> None:
    """`vj setlist check` read the setlist a second time to compile its shaders; it goes on with the one it checked."""
    import vj.setlist as setlist_mod
    f = show / "sets" / "friday.toml"
    f.write_text(GOOD)
    read = []
    real = setlist_mod.load_file
    monkeypatch.setattr(setlist_mod, "load_file", lambda path, *a, **kw: (read.append(path), real(path, *a, **kw))[1])
    assert main(["setlist", "check", str(f), "--banks-dir", str(show / "banks")]) == 0
    assert read == [f], read
