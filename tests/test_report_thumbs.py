"""Two banks with the same folder name at different paths (``a/forest``, ``b/forest``) in one setlist: the show
kept one clip per ``forest/ID`` (the second song played the first bank's pictures), and the report named both
banks' thumbnails ``forest-ID.png``, the second overwriting the first's (a performer's rehearsal walkthrough)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from media import write_clip
from vj.bank import import_bank
from vj.render.rehearse import FrameLog, RehearsalResult, SongLog
from vj.render.report import write_report
from vj.show.loop import ShowLoop
from vj.show.plan import plan_show

SETLIST = """\
[[songs]]
title = "A"
bank = "a/forest"

[[songs]]
title = "B"
bank = "b/forest"
"""


def _two_forests(root: Path) -> list:
    for side, seed in (("a", 1), ("b", 7)):
        write_clip(root / f"src-{side}" / "clip0.mp4", size=(96, 54), seconds=1.0, seed=seed)
        import_bank(root / f"src-{side}", "forest", banks_dir=root / side)
    (root / "forests.toml").write_text(SETLIST)
    return plan_show(root / "forests.toml", require_audio=False)


def test_two_banks_of_one_name_keep_their_own_clips_and_thumbnails(tmp_path):
    plans = _two_forests(tmp_path)
    assert plans[0].bank.name == plans[1].bank.name == "forest" and plans[0].bank.path != plans[1].bank.path
    loop = ShowLoop(plans)
    (a,), (b,) = loop.song_clip_ids
    assert a != b, loop.song_clip_ids
    assert loop.clips[a].file.parent.name == "src-a" and loop.clips[b].file.parent.name == "src-b"

    songs = [SongLog("A", 0.0, 1.0, bar_one=0.0), SongLog("B", 1.0, 1.0, bar_one=0.5)]
    log = [FrameLog(k / 4, a if k < 4 else b, -1.0, False, False, 120.0, bar=k / 8) for k in range(8)]
    page = write_report(RehearsalResult(tmp_path / "show.mp4", log=log, songs=songs), plans, tmp_path / "show.mp4")
    urls = [unquote(u) for u in re.findall(r"background-image:url\('([^']*)'\)", page.read_text())]
    assert len(urls) == 2 and urls[0] != urls[1], urls
    for url, plan in zip(urls, plans):   # each song's thumbnail is its own bank's preview
        assert (tmp_path / url).read_bytes() == Path(plan.bank.clips[0].preview).read_bytes(), url
    assert plans[0].bank.clips[0].preview.read_bytes() != plans[1].bank.clips[0].preview.read_bytes()
