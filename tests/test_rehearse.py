"""Offline rehearsal end to end: real clips, a real track file, real GL, a real MP4 out."""

from __future__ import annotations

import av
import numpy as np
import pytest

from media import SECONDS, beat_grid, write_clip, write_track
from vj.bank import import_bank
from vj.cli import main as vj_main
from vj.engine import ShowRules
from vj.render.rehearse import rehearse
from vj.show.plan import plan_show


@pytest.fixture(scope="module")
def show(test_bank, tmp_path_factory):
    """The shared test bank and track; this module's videos go to a folder of its own."""
    _, banks, track = test_bank
    return tmp_path_factory.mktemp("rehearse"), banks, track


def render(show, name: str, **kw):
    root, banks, track = show
    plans = plan_show("t", track, rules=ShowRules(switch_bars=2), banks_dir=banks)
    return rehearse(plans, root / name, size=(160, 90), fps=30, **kw)


def test_rehearsal_video_has_audio_video_duration_and_switches_on_beats(show):
    result = render(show, "show.mp4")
    out = result.out
    with av.open(str(out)) as c:
        assert len(c.streams.video) == 1 and len(c.streams.audio) == 1
        v = c.streams.video[0]
        assert (v.codec_context.width, v.codec_context.height) == (160, 90)
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(v)]
    with av.open(str(out)) as c:
        audio = np.concatenate([f.to_ndarray() for f in c.decode(c.streams.audio[0])], axis=1)
    assert len(frames) == int(round(SECONDS * 30)) == result.frames
    assert audio.shape[1] / 48000 == pytest.approx(SECONDS, abs=0.05)
    assert np.abs(audio).max() > 0.3  # the track is in there, not silence
    # real pictures that move
    assert min(f.std() for f in frames) > 5
    assert np.mean([np.abs(a.astype(int) - b.astype(int)).mean() for a, b in zip(frames, frames[1:])]) > 1
    # switches every 2 bars after the tracker locks, each landing within one frame of a beat
    beats = beat_grid()
    assert len(result.switches) >= 2
    for t, _, _ in result.switches:
        assert np.min(np.abs(beats - t)) <= 1 / 30 + 1e-6, (t, result.switches)
    # and they come in bank order
    assert [s[2] for s in result.switches[:2]] == ["clip1", "clip2"]


def test_rehearsal_is_deterministic(show):
    a = render(show, "a.mp4", hash_frames=True)
    b = render(show, "b.mp4", hash_frames=True)
    assert a.frame_hashes == b.frame_hashes
    assert len(set(a.frame_hashes)) > len(a.frame_hashes) // 2


def test_cli_rehearse_and_refuses_to_overwrite(show, capsys):
    root, banks, track = show
    out = root / "cli.mp4"
    args = ["rehearse", str(banks / "t"), "--audio", str(track), "--out", str(out), "--size", "128x72", "--fps", "15"]
    assert vj_main(args) == 0
    assert out.exists() and out.stat().st_size > 1000
    before = out.read_bytes()
    assert vj_main(args) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err
    assert out.read_bytes() == before


def test_cli_takes_a_banks_own_bank_toml_as_the_bank(show, capsys):
    """`vj rehearse banks/t/bank.toml` (the file a performer edits) plays bank t; it was read as a setlist and
    refused ("missing required key 'songs'", "unknown key 'clips'")."""
    root, banks, track = show
    out = root / "by-file.mp4"
    args = ["rehearse", str(banks / "t" / "bank.toml"), "--audio", str(track), "--out", str(out), "--size", "128x72",
            "--fps", "15", "--duration", "2", "--no-report"]
    assert vj_main(args) == 0, capsys.readouterr().err
    assert out.exists() and out.stat().st_size > 1000


def test_cli_finds_a_bank_by_name_in_banks_dir_and_says_where_one_is(show, tmp_path, capsys):
    """A bank imported with --banks-dir is found by name with the same option on rehearse (and play);
    without it the error says where a bank of that name is, next to the setlist."""
    root, banks, track = show
    setlist = banks.parent / "by-name.toml"  # beside the banks/ folder
    setlist.write_text(f'[setlist]\ntitle = "By name"\n\n[[songs]]\ntitle = "S"\nbank = "t"\naudio = "{track}"\n')
    out = tmp_path / "named.mp4"
    args = ["rehearse", str(setlist), "--out", str(out), "--size", "128x72", "--fps", "15", "--no-report"]
    assert vj_main(args) == 1
    err = capsys.readouterr().err
    assert "bank 't' not found" in err and f"--banks-dir {banks}" in err and not out.exists()
    assert vj_main(args + ["--banks-dir", str(banks)]) == 0
    assert out.stat().st_size > 1000


def test_bad_inputs_name_the_file_and_the_fix(show, tmp_path, capsys):
    root, banks, track = show
    assert vj_main(["rehearse", str(banks / "t"), "--out", str(tmp_path / "x.mp4")]) == 1
    assert "--audio" in capsys.readouterr().err
    bogus = tmp_path / "noise.flac"
    bogus.write_bytes(np.random.default_rng(1).integers(0, 255, 5000, dtype=np.uint8).tobytes())
    assert vj_main(["rehearse", str(banks / "t"), "--audio", str(bogus), "--out", str(tmp_path / "y.mp4")]) == 1
    err = capsys.readouterr().err
    assert "noise.flac" in err
    assert not (tmp_path / "y.mp4").exists()


def test_a_clip_that_breaks_mid_show_is_skipped_and_the_show_goes_on(tmp_path):
    src = tmp_path / "src"
    for i in range(3):
        write_clip(src / f"clip{i}.mp4", size=(96, 54), seconds=2.0, seed=i * 3, faststart=True)
    # clip1 keeps its index (it probes fine) but loses its frames: it fails only when decoded
    broken = src / "clip1.mp4"
    data = broken.read_bytes()
    broken.write_bytes(data[: len(data) // 3])
    banks = tmp_path / "banks"
    import_bank(src, "b", banks_dir=banks)
    track = write_track(tmp_path / "track.flac")
    plans = plan_show("b", track, rules=ShowRules(switch_bars=1), banks_dir=banks)
    result = rehearse(plans, tmp_path / "show.mp4", size=(96, 54), fps=30)
    assert result.frames == int(round(SECONDS * 30))
    assert any("clip1" in m for m in result.messages)
    shown = {entry.clip for entry in result.log}
    assert "clip1" not in shown and {"clip0", "clip2"} <= shown
    with av.open(str(result.out)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    assert min(f.mean() for f in frames) > 10  # never a black frame


def test_writer_rgba_and_nv12_paths_give_the_same_picture(tmp_path):
    from vj.render.writer import VideoWriter
    w, h = 64, 36
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[..., 0] = np.linspace(0, 255, w, dtype=np.uint8)[None, :]
    rgba[..., 1] = 120
    rgba[..., 3] = 255
    y = np.full((h, w), 100, np.uint8)
    uv = np.full((h // 2, w), 128, np.uint8)
    for name, write in (("rgba.mp4", lambda wr: wr.write_rgba(rgba.tobytes())),
                        ("nv12.mp4", lambda wr: wr.write_nv12(y.tobytes(), uv.tobytes()))):
        wr = VideoWriter(tmp_path / name, (w, h), 30)
        for _ in range(3):
            write(wr)
        wr.close()
        with av.open(str(tmp_path / name)) as c:
            frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
        assert len(frames) == 3
    with av.open(str(tmp_path / "nv12.mp4")) as c:
        grey = next(c.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    assert abs(grey.mean() - (100 - 16) * 255 / 219) < 3  # Y 100 in limited range decodes to ~98 grey


def test_a_missing_clip_is_left_out_as_play_would_and_strict_refuses(show, tmp_path, capsys):
    """`vj rehearse` renders what `vj play` would show: play starts without a clip whose file is gone and says
    so; rehearse refused the whole render.  Now it leaves the clip out, says so on stderr and in the report,
    and --strict keeps the refusal for a check before the show."""
    import shutil
    root, banks, track = show
    mine = tmp_path / "banks"
    shutil.copytree(banks / "t", mine / "t")
    toml = mine / "t" / "bank.toml"
    text = toml.read_text()
    assert text.count("clip1.mp4") == 1
    toml.write_text(text.replace("clip1.mp4", "clip1-gone.mp4"))
    setlist = tmp_path / "set.toml"
    setlist.write_text(f'[setlist]\ntitle = "Gone"\n\n[[songs]]\ntitle = "S"\nbank = "t"\naudio = "{track}"\n'
                       'switch_bars = 1\n')
    out = tmp_path / "gone.mp4"
    args = ["rehearse", str(setlist), "--out", str(out), "--size", "128x72", "--fps", "15", "--banks-dir", str(mine)]
    assert vj_main([*args, "--strict"]) == 1
    err = capsys.readouterr().err
    assert "clip1-gone.mp4" in err and not out.exists(), err
    assert vj_main(args) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "clip1-gone.mp4" in err, err
    with av.open(str(out)) as c:
        assert c.streams.video[0].frames > 0
    report = out.with_suffix(".html").read_text()
    assert "clip1-gone.mp4" in report and "class='warn'" in report


def test_from_song_by_a_title_two_songs_share_asks_for_the_number():
    """An encore titled as an earlier song: --from-song TITLE took the first one silently."""
    from types import SimpleNamespace

    from vj.commands.rehearse import song_index
    from vj.errors import VjError

    plans = [SimpleNamespace(title=t) for t in ("Opener", "Closer", "Interlude", "Closer")]
    assert song_index(plans, "opener") == 0 and song_index(plans, "4") == 3
    with pytest.raises(VjError) as err:
        song_index(plans, "closer")
    assert "2 songs are titled 'Closer' (songs 2, 4)" in str(err.value) and "--from-song 4" in str(err.value)


def test_from_song_onto_songs_whose_bank_is_gone_is_refused_in_words(show, tmp_path, capsys):
    """A lenient rehearsal checked the whole setlist for a playable clip, then --from-song kept only songs
    without one: the show engine raised a traceback ("the show needs at least one clip")."""
    root, banks, track = show
    setlist = tmp_path / "two.toml"
    setlist.write_text(f'[[songs]]\ntitle = "Here"\nbank = "t"\naudio = "{track}"\n\n'
                       f'[[songs]]\ntitle = "Gone"\nbank = "nope"\naudio = "{track}"\norder = ["a", "b"]\n')
    out = tmp_path / "gone.mp4"
    args = ["rehearse", str(setlist), "--out", str(out), "--size", "64x36", "--fps", "10", "--banks-dir", str(banks),
            "--no-report"]
    assert vj_main([*args, "--from-song", "2"]) == 1
    err = capsys.readouterr().err
    assert "no clip of the show can be played" in err and "bank 'nope' not found" in err and not out.exists(), err
    assert "order names clip" not in err, err          # the missing bank is said once, not once per clip
    # no bank there at all: no clip files to put back, the bank's name to fix
    assert "put the clip files back" not in err and "Fix: fix the songs' bank names" in err, err


def test_the_progress_note_counts_songs_as_the_setlist_does(show):
    """Rendered --from-song 3, the progress note said "song 1/1": the song is the setlist's third."""
    notes: list[str] = []
    render(show, "numbered.mp4", duration=0.5, number=3, progress=lambda done, total, note: notes.append(note))
    assert notes and all(n.startswith("song 3/3 [") for n in notes), notes[:3]


def test_a_quick_look_says_the_broken_shaders_it_did_not_reach(show, tmp_path):
    """`--duration` cut short: a broken transition (first flown later) and an effect switched on only by a later
    section are said all the same, as `vj play` says them at its start.  They were compiled, and so said, only
    when first drawn: a quick look before then was silent about them."""
    root, banks, track = show
    (tmp_path / "isf").mkdir()
    body = "void main() {\n  gl_FragColor = IMG_THIS_PIXEL(startImage) * nope;\n}\n"
    (tmp_path / "isf" / "Wipe.fs").write_text(
        '/*{"INPUTS": [{"NAME": "startImage", "TYPE": "image"}, {"NAME": "endImage", "TYPE": "image"},\n'
        '  {"NAME": "progress", "TYPE": "float"}]}*/\n' + body)
    (tmp_path / "isf" / "Glow.fs").write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
                                              'void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage) * nada; }\n')
    f = tmp_path / "set.toml"
    f.write_text(f'[[songs]]\ntitle = "One"\nbank = "{banks / "t"}"\naudio = "{track}"\ntransition = "Wipe"\n'
                 'switch_bars = 4\n\n[[songs.effects]]\nshader = "Glow"\non = false\n\n'
                 '[[songs.sections]]\nbar = 3\neffects.glow.on = true\n')
    result = rehearse(plan_show(f), tmp_path / "look.mp4", size=(96, 54), fps=30, duration=1.0)
    said = [m for m in result.messages if "left out" in m]
    assert any("'wipe' left out" in m and "Wipe.fs:4:" in m and "nope" in m for m in said), result.messages
    assert any("'glow' left out" in m and "nada" in m for m in said), result.messages


def test_problems_during_the_render_go_to_stderr_and_stdout_keeps_the_results(show, tmp_path, capsys):
    """An effect left out (its GLSL does not compile) was printed on stdout, among the paths a script reads, and
    was lost to `2> problems.log` while the warnings before the render went there."""
    root, banks, track = show
    (tmp_path / "isf").mkdir()
    (tmp_path / "isf" / "Tint.fs").write_text('/*{\n"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]\n}*/\n'
                                              'void main() {\n  gl_FragColor = IMG_THIS_PIXEL(inputImage) * nope;\n}\n')
    setlist = tmp_path / "fx.toml"
    setlist.write_text(f'[[songs]]\ntitle = "S"\nbank = "t"\naudio = "{track}"\n\n'
                       '  [[songs.effects]]\n  shader = "Tint"\n')
    out = tmp_path / "fx.mp4"
    assert vj_main(["rehearse", str(setlist), "--out", str(out), "--size", "64x36", "--fps", "10", "--banks-dir",
                    str(banks), "--duration", "1", "--no-report"]) == 0
    said = capsys.readouterr()
    assert "effect 'tint' left out" in said.err and "Tint.fs:5" in said.err, said
    assert said.out.splitlines() == [str(out.resolve())], said.out


def test_a_missing_track_is_named_as_typed_as_vj_setlist_check_names_it(show, tmp_path, monkeypatch, capsys):
    """`vj setlist check` said 'audio/gone.flac'; vj rehearse (and vj play's warning) the absolute path vj had
    resolved it to, in a performer's home folder."""
    root, banks, track = show
    (tmp_path / "set.toml").write_text('[[songs]]\ntitle = "Gone"\nbank = "t"\naudio = "audio/gone.flac"\n')
    monkeypatch.chdir(tmp_path)
    assert vj_main(["rehearse", "set.toml", "--out", "gone.mp4", "--banks-dir", str(banks)]) == 1
    err = capsys.readouterr().err
    assert "audio file not found: audio/gone.flac." in err and str(tmp_path) not in err, err


def test_a_name_that_is_no_bank_is_said_alone_with_the_banks_there_are(test_bank, tmp_path, capsys, monkeypatch):
    """`vj rehearse nosuchbank` added "no clip of the show can be played ... Fix: put the clip files back" to the
    missing bank (a performer's rehearsal walkthrough): there are no clip files to put back for a typo.  Without
    --audio it said only "rehearsing a bank needs a track".  Now: the bank is not there, the banks there are, and
    the nearest name."""
    root, banks, track = test_bank
    monkeypatch.chdir(tmp_path)

    def said(*args: str) -> list[str]:
        assert vj_main(["rehearse", *args, "--out", str(tmp_path / "x.mp4"), "--banks-dir", str(banks)]) == 1
        return [line for line in capsys.readouterr().err.splitlines() if line.strip()]

    for args in (("nosuchbank", "--audio", str(track)), ("nosuchbank",)):
        lines = said(*args)
        assert len(lines) == 1, lines
        assert "bank 'nosuchbank': no bank folder" in lines[0] and "Banks here: t." in lines[0], lines
        assert "put the clip files back" not in lines[0] and "needs a track" not in lines[0], lines
    (line,) = said("tt", "--audio", str(track))
    assert "Fix: did you mean 't'?" in line, line
    assert not (tmp_path / "x.mp4").exists()
