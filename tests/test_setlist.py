"""Setlists: good files load; every problem of a bad one is reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from vj import SETLISTS
from vj.cli import main
from vj.errors import VjError
from vj.setlist import Song, check_setlist, load_setlist

from media import write_clip, write_track


def line_of(text: str, needle: str, nth: int = 0) -> int:
    return [i for i, line in enumerate(text.splitlines(), start=1) if needle in line][nth]


@pytest.fixture
def show(tmp_path: Path, make_clip) -> Path:
    """A show folder: banks/demo with one real clip, an audio file, a setlist dir."""
    bank = tmp_path / "banks" / "demo"
    make_clip(bank / "a.mp4")
    (bank / "bank.toml").write_text('[[clips]]\nfile = "a.mp4"\n')
    (tmp_path / "sets" / "audio").mkdir(parents=True)
    write_track(tmp_path / "sets" / "audio" / "one.flac", seconds=1.0)   # `vj setlist check` opens its header
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


def test_setlist_check_opens_each_track_a_folder_junk_and_a_silent_video_are_named_at_their_line(show, monkeypatch,
                                                                                                 capsys):
    """A performer's walkthrough: `vj setlist check` said OK for a song whose audio was not audio (a renamed file,
    a clip without sound), and `vj rehearse` then refused the whole show; a folder was "not found"."""
    sets = show / "sets"
    (sets / "audio" / "junk.mp3").write_bytes(b"\x00junk, not audio" * 50)
    write_clip(sets / "audio" / "silent.mp4")
    (sets / "audio" / "album").mkdir()
    text = ('[[songs]]\ntitle = "Junk"\nbank = "demo"\naudio = "audio/junk.mp3"\n\n'
            '[[songs]]\ntitle = "Silent"\nbank = "demo"\naudio = "audio/silent.mp4"\n\n'
            '[[songs]]\ntitle = "Album"\nbank = "demo"\naudio = "audio/album"\n\n'
            '[[songs]]\ntitle = "Fine"\nbank = "demo"\naudio = "audio/one.flac"\n')
    (sets / "set.toml").write_text(text)
    monkeypatch.chdir(sets)
    assert main(["setlist", "check", "set.toml", "--banks-dir", str(show / "banks")]) == 1
    err = capsys.readouterr().err
    assert (f"set.toml:{line_of(text, 'junk.mp3')}: song 1 'Junk', field 'audio': audio/junk.mp3 is not an audio "
            "file FFmpeg can read (") in err, err
    assert (f"set.toml:{line_of(text, 'silent.mp4')}: song 2 'Silent', field 'audio': audio/silent.mp4 has no audio "
            "stream") in err and "-vn out.flac" in err, err
    assert f"set.toml:{line_of(text, 'album')}: song 3 'Album', field 'audio': audio/album is a folder" in err, err
    assert "song 4" not in err and "3 problems" in err, err
    # the show itself still loads such a setlist (live input needs no track): only the check opens the files
    assert len(load_setlist(sets / "set.toml", banks_dir=show / "banks", check_files=False).songs) == 4


def test_a_tempo_outside_the_songs_own_bpm_range_is_named_at_its_line(show):
    """tempo = 96 with bpm_range = [100, 110] passed the check, and the rehearsal report then warned that the show
    ran outside the range for 100 % of the song (a performer's hand-written setlist)."""
    text = ('[[songs]]\ntitle = "Off"\nbank = "demo"\ntempo = 96\nbpm_range = [100, 110]\n\n'
            '[[songs]]\ntitle = "On"\nbank = "demo"\ntempo = 100\nbpm_range = [100, 110]\n')
    f = show / "sets" / "range.toml"
    f.write_text(text)
    (problem,) = check_setlist(f, banks_dir=show / "banks")
    assert problem.line == line_of(text, "tempo = 96") and problem.where == "song 1 'Off', field 'tempo'", problem
    assert "tempo 96 is outside this song's bpm_range [100, 110]" in problem.message, problem
    assert "tempo = 105" in problem.fix, problem
    # a show still starts with it (the hint replaces the range, as documented): it played before the check existed
    assert [s.tempo_hint for s in load_setlist(f, banks_dir=show / "banks").songs] == [96, 100]


def test_a_fresh_checkouts_demo_setlist_says_to_build_the_demo_not_to_fix_the_path(tmp_path, monkeypatch, capsys):
    """README's `vj rehearse setlists/demo.toml --out demo.mp4` before `make demo`: the demo bank was to be made
    "with `vj bank import`" and each demo track's fix was "fix the path, or pass --audio"."""
    import vj.demo_show as demo_show

    sets = tmp_path / "setlists"
    sets.mkdir()
    monkeypatch.setattr(demo_show, "SETLISTS", sets)
    (sets / "demo.toml").write_text(demo_show.shipped_setlist())
    fixes = {p.where: p.fix for p in check_setlist(sets / "demo.toml", banks_dir=tmp_path / "banks")}
    assert "`vj demo --no-play` (in a checkout: `make demo`)" in fixes["song 1 'Opener', field 'bank'"], fixes
    assert "`vj demo --no-play` (in a checkout: `make demo`)" in fixes["song 3 'Closer', field 'audio'"], fixes
    assert main(["rehearse", str(sets / "demo.toml"), "--out", str(tmp_path / "demo.mp4"), "--banks-dir",
                 str(tmp_path / "banks")]) == 1
    err = capsys.readouterr().err
    assert "make demo" in err and "fix the path" not in err, err
    # a track of one's own that is missing still gets "fix the path"
    (tmp_path / "mine.toml").write_text('[[songs]]\ntitle = "A"\nbank = "demo"\naudio = "audio/demo.flac"\n')
    (problem,) = [p for p in check_setlist(tmp_path / "mine.toml", banks_dir=tmp_path / "banks") if "audio" in p.where]
    assert problem.fix.startswith("fix the path"), problem


def test_a_clip_listed_twice_in_order_is_named_at_its_line(show, make_clip):
    """order = ["a", "a", "b"] passed the check, and the rehearsal flew from a into a all song: b never came."""
    make_clip(show / "banks" / "demo" / "b.mp4")
    (show / "banks" / "demo" / "bank.toml").write_text('[[clips]]\nfile = "a.mp4"\n\n[[clips]]\nfile = "b.mp4"\n')
    text = '[[songs]]\ntitle = "Dup"\nbank = "demo"\norder = ["a", "a", "b"]\n'
    f = show / "sets" / "dup.toml"
    f.write_text(text)
    (problem,) = check_setlist(f, banks_dir=show / "banks")
    assert problem.line == line_of(text, "order =") and problem.where == "song 1 'Dup', field 'order'", problem
    assert "'a' is listed twice in order" in problem.message and problem.fix == "list each clip once.", problem
    # a show still starts with it (a setlist that played before the check existed): a at its first place only
    (song,) = load_setlist(f, banks_dir=show / "banks").songs
    assert song.order == ("a", "b"), song.order
    f.write_text(text.replace('"a", "a", "b"', '"b", "a"'))
    assert check_setlist(f, banks_dir=show / "banks") == []


def test_a_file_saved_in_latin_1_names_the_line_of_the_character(tmp_path):
    """A title typed as 'Café' in an editor saving Latin-1 said only "at byte 22"."""
    f = tmp_path / "latin.toml"
    f.write_bytes('[setlist]\ntitle = "Friday"\n\n[[songs]]\ntitle = "Café"\nbank = "demo"\n'.encode("latin-1"))
    with pytest.raises(VjError) as err:
        load_setlist(f, check_files=False)
    (problem,) = err.value.problems
    assert problem.line == 5 and "not UTF-8 text" in problem.message and "Latin-1" in problem.message, problem
    assert "save the file as UTF-8" in problem.fix, problem


def test_a_file_saved_as_utf_16_is_said_to_be_so_not_a_character_on_line_1(tmp_path):
    """Windows Notepad's "Unicode" save: the message said one character of line 1 was in another encoding."""
    f = tmp_path / "notepad.toml"
    f.write_bytes('[[songs]]\ntitle = "A"\nbank = "demo"\n'.encode("utf-16"))
    with pytest.raises(VjError) as err:
        load_setlist(f, check_files=False)
    (problem,) = err.value.problems
    assert "saved as UTF-16" in problem.message and "UTF-8" in problem.fix and problem.line == 1, problem


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


def test_setlist_check_names_a_banks_problems_as_rehearse_does_relative_to_the_folder_vj_runs_in(show, monkeypatch,
                                                                                                  capsys):
    """A bank given by path with a clip file gone: `vj setlist check` said "clip file not found:
    /home/me/show/banks/demo/gone.mp4 ... (relative paths start at /home/me/show/banks/demo)" where `vj rehearse`
    said "banks/demo/gone.mp4" (a performer's rehearsal walkthrough): both now name it as typed."""
    (show / "banks" / "demo" / "bank.toml").write_text('[[clips]]\nfile = "a.mp4"\n\n[[clips]]\nfile = "gone.mp4"\n')
    (show / "set.toml").write_text('[[songs]]\ntitle = "A"\nbank = "banks/demo"\naudio = "sets/audio/one.flac"\n')
    monkeypatch.chdir(show)
    assert main(["setlist", "check", "set.toml", "--no-shaders"]) == 1
    err = capsys.readouterr().err
    assert str(show) not in err, err
    assert ("banks/demo/bank.toml:5: bank 'demo', clip 'gone', field 'file': clip file not found: banks/demo/gone.mp4. "
            "Fix: fix the path (relative paths start at banks/demo)") in err, err
    from vj.show.plan import plan_show

    with pytest.raises(VjError) as rehearse_saw:   # the show reading the bank (`vj rehearse --strict`) says the same
        plan_show("set.toml")
    assert str(rehearse_saw.value).splitlines()[0] in err
