"""Focus in banks: import measures a track per clip (in parallel), bank.toml keeps it apart from the
VJ's hand-set focus (which wins), old banks keep working and get tracks on re-import without a line
of theirs changing, and `vj bank focus` reports it.  Clips are real H.264 files made here from
vendored photos and video (tests/data/focus) with a known heading."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest

from vj.bank import check_bank, import_bank, load_bank
from vj.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import focus_corpus as fc  # noqa: E402

pytestmark = pytest.mark.slow

SMALL = (320, 180)
ZOOM = fc.Item("eye", "test", "astronaut.jpg", "zoom", seed=21, size=SMALL, seconds=1.5)
STILL = fc.Item("talk", "test", "milk.mkv", "static", seed=22, size=(240, 180), seconds=1.5, full_range=True)
PAN = fc.Item("pan", "test", "coffee.jpg", "pan", seed=23, size=SMALL, seconds=1.5)


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("clips")
    for item in (ZOOM, STILL, PAN):
        fc.make(item, d / ".cache").rename(d / f"{item.name}.mp4")
    return d


def test_import_measures_each_clip_and_the_show_uses_it(clips: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    result = import_bank(clips, "b", banks_dir=tmp_path, workers=2, progress=lambda d, t=None, n="": seen.append((d, t)))
    assert result.added == ("eye", "pan", "talk") and result.measured == 3
    assert seen[-1] == (3, 3) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    bank = load_bank("b", banks_dir=tmp_path)
    eye, pan, talk = bank.clip("eye"), bank.clip("pan"), bank.clip("talk")
    truth = fc.truth(ZOOM).at(0.0)
    assert eye.focus_source == "auto" and eye.focus_confidence > 0.8
    assert fc.error(eye.focus, truth, SMALL) < 0.03
    assert len(eye.focus_track) >= 2 and eye.focus_follow == eye.focus_track
    for clip in (pan, talk):  # no forward motion: the centre, and nothing to follow
        assert (clip.focus_source, clip.focus, clip.focus_follow) == ("default", (0.5, 0.5), ())
        assert clip.focus_confidence < 0.5 and clip.focus_track
    from vj.show.loop import clip_ref
    ref = clip_ref(eye)
    assert ref.focus_track == eye.focus_follow and ref.focus_at(1.0) == pytest.approx(truth, abs=0.03)
    # nothing about `focus` is written by import: that key is the VJ's
    data = tomllib.loads((tmp_path / "b" / "bank.toml").read_text())
    assert all("focus" not in c and "focus_track" in c for c in data["clips"])


def test_parallel_import_writes_the_same_file_as_a_serial_one(clips: Path, tmp_path: Path) -> None:
    one = import_bank(clips, "one", banks_dir=tmp_path, workers=1).toml.read_text()
    two = import_bank(clips, "two", banks_dir=tmp_path, workers=2).toml.read_text()
    assert one == two


def test_hand_focus_wins_and_cli_reports_both(clips: Path, tmp_path: Path, capsys) -> None:
    toml = import_bank(clips, "b", banks_dir=tmp_path).toml
    text = toml.read_text()
    toml.write_text(text.replace('id = "eye"\n', 'id = "eye"\nfocus = [0.2, 0.8]  # the eye, by hand\n'))
    eye = load_bank("b", banks_dir=tmp_path).clip("eye")
    assert (eye.focus, eye.focus_source, eye.focus_follow) == ((0.2, 0.8), "hand", ())
    capsys.readouterr()
    assert main(["bank", "focus", "b", "--banks-dir", str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["clips"]
    assert set(report) == {"eye", "pan", "talk"}
    assert report["eye"]["focus"] == [0.2, 0.8] and report["eye"]["source"] == "hand"
    assert report["eye"]["confidence"] == 1.0 and len(report["eye"]["track"][0]) == 4
    assert report["pan"]["source"] == "default" and report["pan"]["focus"] == [0.5, 0.5]
    assert main(["bank", "focus", "b", "--banks-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    eye_line = next(line for line in out.splitlines() if line.strip().startswith("eye"))
    assert "hand" in eye_line and "delete focus" in eye_line  # the measured heading is offered
    assert "no forward motion" in next(line for line in out.splitlines() if line.strip().startswith("pan"))


def test_old_bank_keeps_working_and_reimport_adds_tracks_without_changing_its_lines(clips: Path, tmp_path: Path) -> None:
    old = ("# my show bank\n[bank]\nformat = 1\n\n"
           f'[[clips]]  # opener\nid = "eye"\nfile = "{clips / "eye.mp4"}"\nfocus = [0.5, 0.5]\nenergy = 0.9\n\n'
           f'[[clips]]\nfile = "{clips / "talk.mp4"}"\ntags = [\n  "slow",  # calm\n]\n')
    (tmp_path / "b").mkdir()
    toml = tmp_path / "b" / "bank.toml"
    toml.write_text(old)
    bank = load_bank("b", banks_dir=tmp_path)
    assert bank.clip("eye").focus_source == "hand" and bank.clip("talk").focus_source == "default"
    assert bank.clip("talk").focus_track == ()

    result = import_bank(clips, "b", banks_dir=tmp_path)
    assert result.added == ("pan",) and result.measured == 3
    text = toml.read_text()
    remaining = iter(text.splitlines())
    assert all(any(line == got for got in remaining) for line in old.splitlines())  # every line, in order
    data = tomllib.loads(text)
    assert data["bank"] == {"format": 1} and data["clips"][0]["focus"] == [0.5, 0.5]
    bank = load_bank("b", banks_dir=tmp_path)
    eye, talk = bank.clip("eye"), bank.clip("talk")
    assert eye.focus_source == "hand" and eye.focus_track  # measured, but the hand-set focus still wins
    assert talk.focus_source == "default" and talk.focus_track and talk.tags == ("slow",)
    assert import_bank(clips, "b", banks_dir=tmp_path).measured == 0 and toml.read_text() == text


def test_no_focus_import_and_a_broken_track_is_located(clips: Path, tmp_path: Path) -> None:
    toml = import_bank(clips, "b", banks_dir=tmp_path, focus=False).toml
    assert "focus_track = " not in toml.read_text()
    assert load_bank("b", banks_dir=tmp_path).clip("eye").focus_source == "default"
    text = toml.read_text().replace('id = "eye"\n', 'id = "eye"\nfocus_track = [[0.5, 1.7, 0.2, 0.9]]\n')
    toml.write_text(text)
    problems = check_bank("b", banks_dir=tmp_path, deep=False)
    line = text.splitlines().index("focus_track = [[0.5, 1.7, 0.2, 0.9]]") + 1
    assert [(p.line, "keyframe 1" in p.message, "outside 0..1" in p.message) for p in problems] == [(line, True, True)]
    assert "vj bank import" in problems[0].fix
