"""One table of show settings (vj.engine.rules.RULES): everything that names a setting comes from it."""

from __future__ import annotations

from dataclasses import fields

import pytest

from vj import docs
from vj.control import ShowStatus
from vj.control.controller import TARGET_FIELDS
from vj.control.targets import BY_NAME as TARGETS
from vj.engine import RULES, ShowRules
from vj.engine.rules import BY_FIELD, FADERS, public_values
from vj.setlist import load_setlist


def test_the_table_covers_every_rule_once():
    assert [r.field for r in RULES] and sorted(r.field for r in RULES) == sorted(f.name for f in fields(ShowRules))
    names = [r.name for r in RULES if r.name]
    assert len(names) == len(set(names))
    for r in RULES:
        assert r.lo <= r.default <= r.hi and r.help, r.field


def test_with_changes_clamps_once_and_keeps_a_flight_inside_the_switch_interval():
    rules = ShowRules().with_changes({"drift_per_bar": 9.0, "pulse": -1, "switch_bars": 0, "zoom_through": 1000})
    assert (rules.drift_per_bar, rules.pulse, rules.switch_bars, rules.zoom_through) == (1.0, 0.0, 1, 64.0)
    assert rules.transition_beats == 4.0                  # 1 bar of 4 beats still holds a 4-beat flight
    waltz = rules.with_changes({"beats_per_bar": 3})
    assert waltz.transition_beats == 3.0                  # 1 bar of 3/4: the flight shrinks to fit
    assert waltz.with_changes({"switch_bars": 4}).transition_beats == 3.0   # and stays as it is after
    for bad in ({"nonsense": 1}, {"pulse": float("nan")}, {"switch_bars": 2.5}, {"pulse": "high"}):
        with pytest.raises(ValueError):
            ShowRules().with_changes(bad)
    with pytest.raises(ValueError):                       # built directly, out of range is an error
        ShowRules(switch_bars=0)


def test_controls_and_status_are_generated_from_the_table():
    for r in FADERS:
        (param,) = TARGETS[r.control].params
        assert (param.lo, param.hi, param.kind) == (r.lo * r.scale, r.hi * r.scale, "i" if r.kind is int else "f")
        assert TARGETS[r.control].help == r.help and TARGET_FIELDS[r.control] == r.name
    status = {f.name for f in fields(ShowStatus)}
    assert {r.name for r in FADERS} <= status
    assert public_values(ShowRules(latency=0.0123))["latency_ms"] == 12.3


def test_setlists_read_every_setting_by_its_public_name(tmp_path):
    bank = tmp_path / "banks" / "b"
    bank.mkdir(parents=True)
    (bank / "bank.toml").write_text("[bank]\nformat = 1\n")
    song = "\n".join(f"{r.name} = {r.hi * r.scale:g}" for r in RULES if r.song)
    section = "\n".join(f"  {r.name} = {r.lo * r.scale:g}" for r in RULES if r.section)
    (tmp_path / "s.toml").write_text(f'[[songs]]\ntitle = "x"\nbank = "banks/b"\n{song}\n'
                                     f"  [[songs.sections]]\n  bar = 2\n{section}\n"
                                     '[[songs]]\ntitle = "old"\nbank = "banks/b"\nmotion_blur = 0.5\n')
    s = load_setlist(tmp_path / "s.toml", banks_dir=tmp_path / "banks", check_files=False)
    assert s.songs[0].rules == {r.field: r.hi for r in RULES if r.song}
    assert s.songs[0].sections[0].rules == {r.field: r.lo for r in RULES if r.section}
    assert s.songs[1].rules == {"motion_blur": 0.5}       # the older spelling of blur is still read
    assert BY_FIELD["motion_blur"].name == "blur"


def test_generated_docs_are_current():
    assert docs.stale() == [], "run `python -m vj.docs --write`"
