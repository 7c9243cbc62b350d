"""`vj beats FILE`: the live tracker over a real file, block by block, as live."""

from __future__ import annotations

import json

import numpy as np

from media import LEAD_IN, beat_grid, write_track
from vj.cli import main as vj_main


def test_vj_beats_json_finds_the_grid(tmp_path, capsys):
    track = write_track(tmp_path / "t.flac")
    assert vj_main(["beats", str(track), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    beats = np.array(data["beats"])
    truth = beat_grid()
    assert len(beats) >= len(truth) - 6  # locks within a few beats of the music starting
    after_lock = beats[(beats > LEAD_IN + 3.0) & (beats < truth[-1] + 0.1)]  # the flywheel runs on past the end
    err = np.array([np.min(np.abs(truth - b)) for b in after_lock])
    assert np.all(err < 0.03), err
    assert all(abs(t["bpm"] - 120.0) < 1.5 for t in data["tempo"][4:])
    assert np.all(np.diff(beats) > 0)


def test_vj_beats_table_and_errors(tmp_path, capsys):
    track = write_track(tmp_path / "t.flac")
    assert vj_main(["beats", str(track)]) == 0
    assert "BPM" in capsys.readouterr().out
    assert vj_main(["beats", str(tmp_path / "missing.flac")]) == 1
    assert "missing.flac" in capsys.readouterr().err
