"""`vj play` plans a setlist as `vj rehearse` does: live and offline are one show.

`vj play` plans leniently (a missing bank, track or clip is left out with a warning, so the show
starts); for a setlist with nothing missing, its plan must be the rehearsal's, field for field.
It once lost every song's ISF effects and transition: the demo's RGB shift, trails and Slice Wipe
played in rehearsal and never live.
"""

from __future__ import annotations

import dataclasses

from vj.show.plan import plan_show

SETLIST = """\
[setlist]
title = "Live as rehearsed"

[[songs]]
title = "First"
bank = "banks/t"
audio = "one.flac"
tempo = 120.0
order = ["clip2", "clip0", "clip1"]
transition = "Slice Wipe"

  [[songs.effects]]
  shader = "RGB Shift"
  amount = "bass_att * 0.8"

  [[songs.sections]]
  bar = 3
  pulse = 0.9

[[songs]]
title = "Second"
bank = "banks/t"
audio = "two.flac"
order = "flow"

  [[songs.effects]]
  shader = "Beat Trails"
  name = "trails"
  on = false
"""


def test_live_play_plans_a_whole_setlist_as_rehearsal_does(test_bank):
    root, banks, _ = test_bank
    path = root / "live-as-rehearsed.toml"
    path.write_text(SETLIST)
    rehearsed = plan_show(path, banks_dir=banks)
    live = plan_show(path, require_audio=False, lenient=True, banks_dir=banks)
    assert len(live) == len(rehearsed) == 2
    for a, b in zip(rehearsed, live):
        assert b.warnings == ()
        for f in dataclasses.fields(a):
            assert getattr(a, f.name) == getattr(b, f.name), (a.title, f.name)
    assert [e.name for e in live[0].effects] == ["rgb_shift"] and live[0].transition is not None
    assert live[1].flow and [e.name for e in live[1].effects] == ["trails"]
