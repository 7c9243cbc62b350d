"""`vj bank ...` through vj.cli.main: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from vj.cli import main


@pytest.fixture
def clips(tmp_path: Path, make_clip) -> Path:
    make_clip(tmp_path / "clips" / "one.mp4")
    make_clip(tmp_path / "clips" / "two.webm", codec="libvpx-vp9", pix_fmt="yuv420p", seconds=0.5, fps=10)
    return tmp_path / "clips"


def test_import_then_check_ok(clips: Path, tmp_path: Path, capsys) -> None:
    banks = str(tmp_path / "banks")
    assert main(["bank", "import", str(clips), "--name", "live", "--banks-dir", banks]) == 0
    err = capsys.readouterr().err
    assert "2 added" in err and "bank.toml" in err
    assert main(["bank", "check", "live", "--banks-dir", banks]) == 0
    assert "is OK" in capsys.readouterr().err


def test_import_with_a_broken_clip_exits_1_and_names_it(clips: Path, tmp_path: Path, capsys) -> None:
    (clips / "junk.mov").write_bytes(b"\0" * 1000)
    assert main(["bank", "import", str(clips), "--name", "live", "--banks-dir", str(tmp_path / "b")]) == 1
    err = capsys.readouterr().err
    assert "junk.mov" in err and "Fix:" in err and "2 added" in err


def test_check_problems_exit_1(clips: Path, tmp_path: Path, capsys) -> None:
    banks = tmp_path / "banks"
    main(["bank", "import", str(clips), "--name", "live", "--banks-dir", str(banks)])
    toml = banks / "live" / "bank.toml"
    toml.write_text(toml.read_text().replace("energy = 0.5", "energy = 7", 1))
    capsys.readouterr()
    assert main(["bank", "check", "live", "--banks-dir", str(banks), "--quick"]) == 1
    err = capsys.readouterr().err
    line = next(i for i, s in enumerate(toml.read_text().splitlines(), 1) if s == "energy = 7")
    assert f"bank.toml:{line}: bank 'live', clip 'one', field 'energy'" in err and "1 problem" in err
    assert main(["bank", "check", "nosuch", "--banks-dir", str(banks)]) == 1


def test_force_without_tty_refuses(clips: Path, tmp_path: Path, capsys) -> None:
    banks = str(tmp_path / "banks")
    main(["bank", "import", str(clips), "--name", "live", "--banks-dir", banks])
    before = (tmp_path / "banks" / "live" / "bank.toml").read_bytes()
    assert main(["bank", "import", str(clips), "--name", "live", "--banks-dir", banks, "--force"]) == 1
    assert "without confirmation" in capsys.readouterr().err
    assert (tmp_path / "banks" / "live" / "bank.toml").read_bytes() == before


def test_bank_without_action_prints_help(capsys) -> None:
    assert main(["bank"]) == 2
    assert "import" in capsys.readouterr().out


def test_demo_command_with_the_real_renderer(tmp_path: Path, capsys) -> None:
    pytest.importorskip("vj.demo.scenes")
    args = ["bank", "demo", "--size", "64x36", "--seconds", "0.5", "--fps", "10", "--banks-dir", str(tmp_path)]
    assert main(args) == 0
    assert "demo bank ready" in capsys.readouterr().err
    assert (tmp_path / "demo" / "bank.toml").is_file()


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(clips: Path, tmp_path: Path) -> None:
    """`vj bank focus NAME | head -2` (or `vj beats song.flac | head`) printed a BrokenPipeError traceback."""
    import subprocess
    import sys

    banks = str(tmp_path / "banks")
    assert main(["bank", "import", str(clips), "--name", "live", "--banks-dir", banks, "--no-focus"]) == 0
    proc = subprocess.Popen([sys.executable, "-m", "vj", "bank", "focus", "live", "--banks-dir", banks],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).parent.parent)
    proc.stdout.close()   # the reader is gone before vj writes a line: its first write finds the pipe closed
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_import_into_a_bank_with_wrong_lines_says_them_and_exits_1(clips: Path, tmp_path: Path, capsys) -> None:
    """Merging into a bank.toml with a wrong value said '1 added, 2 kept' and exited 0: the show then left
    that clip out, unsaid until the night."""
    banks = str(tmp_path / "banks")
    assert main(["bank", "import", str(clips), "--name", "live", "--banks-dir", banks, "--no-focus"]) == 0
    assert "problem" not in capsys.readouterr().err          # a clean bank: nothing to say
    toml = tmp_path / "banks" / "live" / "bank.toml"
    toml.write_text(toml.read_text().replace("energy = 0.5", 'energy = "high"', 1))
    (clips / "three.mp4").write_bytes((clips / "one.mp4").read_bytes())
    assert main(["bank", "import", str(clips), "--name", "live", "--banks-dir", banks, "--no-focus"]) == 1
    err = capsys.readouterr().err
    line = [i for i, x in enumerate(toml.read_text().splitlines(), 1) if "high" in x][0]
    assert "1 added, 2 kept" in err and f"problem: {toml}:{line}:" in err and "field 'energy'" in err, err
    assert "1 problem in the lines already there" in err and "vj bank check" in err, err


def test_import_into_a_bank_toml_that_does_not_parse_leaves_it_and_points_at_its_folder(
        clips: Path, tmp_path: Path, capsys) -> None:
    """The fix said `vj bank check NAME`, which under --banks-dir looks in the wrong folder."""
    toml = tmp_path / "banks" / "live" / "bank.toml"
    toml.parent.mkdir(parents=True)
    toml.write_text('[bank]\nnotes = "unfinished\n')
    assert main(["bank", "import", str(clips), "--name", "live", "--banks-dir", str(tmp_path / "banks")]) == 1
    err = capsys.readouterr().err
    assert toml.read_text() == '[bank]\nnotes = "unfinished\n'      # the performer's file is left as it was
    assert f"`vj bank check {toml.parent}`" in err, err


def test_a_bank_folder_named_bare_beside_you_is_pointed_at(clips: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    """`vj bank check mybank` typed in the folder that holds mybank/ (a bare word is a name in banks/) said only
    "no bank folder" and listed the banks folder's banks."""
    assert main(["bank", "import", str(clips), "--name", "mine", "--banks-dir", str(tmp_path / "elsewhere"),
                 "--no-focus"]) == 0
    monkeypatch.chdir(tmp_path / "elsewhere")
    capsys.readouterr()
    assert main(["bank", "check", "mine", "--banks-dir", str(tmp_path / "banks"), "--quick"]) == 1
    err = capsys.readouterr().err
    assert "no bank folder" in err and "give it as a path, ./mine" in err, err
    assert main(["bank", "check", "./mine", "--banks-dir", str(tmp_path / "banks"), "--quick"]) == 0


def test_import_leaves_a_bank_toml_of_a_newer_format_as_it_was(clips: Path, tmp_path: Path, capsys) -> None:
    """A bank.toml written by a newer vj (format 2) had clips appended by this one, which may lose what the
    newer format keeps: the import refuses, names the line and leaves the file as it was."""
    toml = tmp_path / "banks" / "live" / "bank.toml"
    toml.parent.mkdir(parents=True)
    text = '[bank]\nformat = 2\nlooks = "a field of the future"\n'
    toml.write_text(text)
    assert main(["bank", "import", str(clips), "--name", "live", "--banks-dir", str(tmp_path / "banks"),
                 "--no-focus"]) == 1
    err = capsys.readouterr().err
    assert toml.read_text() == text and f"{toml}:2:" in err and "newer vj" in err and "--name" in err, err


def test_importing_a_single_video_file_says_to_import_the_folder_it_is_in(clips: Path, tmp_path: Path, capsys,
                                                                           monkeypatch) -> None:
    """`vj bank import FILE` said "not a folder. Fix: give the folder that holds the clips" (a performer's rehearsal
    walkthrough): which folder, and that its other clips come too, was left to guess.  The command takes a folder
    (docs/BANKS.md): it says the command that imports this clip, as typed."""
    monkeypatch.chdir(tmp_path)
    banks = str(tmp_path / "banks")
    assert main(["bank", "import", "clips/one.mp4", "--name", "live", "--banks-dir", banks]) == 1
    err = capsys.readouterr().err
    assert "vj: clips/one.mp4: is a video file, not a folder" in err, err
    assert "Fix: import the folder it is in: `vj bank import clips --name live`" in err, err
    assert "its other videos" in err and not (tmp_path / "banks" / "live").exists()
    # what it says works
    assert main(["bank", "import", "clips", "--name", "live", "--banks-dir", banks, "--no-focus", "--no-check"]) == 0
    # a file that is no video, and a folder that is not there, are not told to import their folder
    (tmp_path / "notes.txt").write_text("x")
    assert main(["bank", "import", "notes.txt", "--name", "live", "--banks-dir", banks]) == 1
    assert main(["bank", "import", "nope", "--name", "live", "--banks-dir", banks]) == 1
    err = capsys.readouterr().err
    assert "notes.txt: is a file, not a folder of clips" in err and "nope: no such folder" in err, err
    assert "import the folder it is in" not in err, err
