"""The rehearsal report's bar numbers: a song's bar 1 is the downbeat its first clip landed on, as its
sections count; a song whose first clip never landed (its track shorter than its flight) counts from where
it began, never from the song before it."""

from __future__ import annotations

import math
from pathlib import Path

from vj.render.rehearse import FrameLog, RehearsalResult, SongLog
from vj.render.report import Segment, flight_width, left_out, transitions


def _result(bar_one: float) -> tuple[RehearsalResult, SongLog]:
    """A 2 s song starting 10 s into the show at the show's bar 6.5, a flight in it at bar 7.25."""
    song = SongLog("two", 10.0, 2.0, bar_one=bar_one)
    log = [FrameLog(10.0 + k / 4, "a", 0.2 if k == 3 else -1.0, False, False, 120.0, next_clip="b",
                    bar=6.5 + k / 4) for k in range(8)]
    return RehearsalResult(Path("x.mp4"), log=log, songs=[song]), song


def test_bars_count_from_the_landing_or_from_the_songs_start_when_it_never_landed():
    result, song = _result(bar_one=8.0)
    assert transitions(result, song)[0].bar == 7.25 - 8.0 + 1.0   # the flight before the landing: bar 0.25
    result, song = _result(bar_one=math.nan)
    assert transitions(result, song)[0].bar == 7.25 - 6.0 + 1.0   # from the bar the song began in


def test_the_songs_a_duration_cut_left_out_are_named_in_plain_words():
    """It said "songs 2-2 (Second) are not in it" for one song."""
    from types import SimpleNamespace

    plans = [SimpleNamespace(title=t) for t in ("Opener", "Slow one", "Closer")]
    assert left_out(plans, 2).endswith(": song 3 (Closer) is not in it.")
    assert left_out(plans, 1).endswith(": songs 2-3 (Slow one, Closer) are not in it.")
    # rendered --from-song 2 (plans start at the setlist's song 2): the setlist's numbers
    assert left_out(plans[1:], 1, number=2).endswith(": song 3 (Closer) is not in it.")


def test_a_flight_longer_than_its_clip_fills_the_cell_not_past_it():
    """A song's last clip, cut short by the song's end, drew its flight bar at 133 % of its cell."""
    assert flight_width(Segment("a", 10.0, 10.75, flight=(9.0, 10.0))) == 100.0
    assert flight_width(Segment("a", 10.0, 14.0, flight=(9.0, 10.0))) == 25.0
    assert flight_width(Segment("a", 10.0, 14.0)) == 0.0


def test_the_flights_tables_clip_headers_sit_over_their_columns():
    """'from' and 'to' headers stayed right-aligned over left-aligned clip names: 'to' sat at the seam column's
    edge, away from its clips (the report in Debian's chromium, a performer's walkthrough)."""
    import re

    from vj.render.report import STYLE

    left = {sel.strip() for sels, body in re.findall(r"([^{}]+)\{([^}]*)\}", STYLE) if "text-align:left" in body
            for sel in sels.split(",")}
    assert {"table.tr td.c", "table.tr th.c"} <= left, left


def test_a_flight_turned_to_another_clip_lists_the_clip_that_landed():
    """A flight into a clip that failed to open (cut short) is turned to the next clip; the flights table named
    the failed clip, which the audience never saw ("wide -> cut-short", then "phone -> short")."""
    song = SongLog("one", 0.0, 2.0, bar_one=0.0)
    log = [FrameLog(k / 4, "wide", 0.1 * k if 1 <= k <= 5 else -1.0, False, False, 120.0,
                    next_clip="cut-short" if k <= 2 else "phone", bar=k / 4) for k in range(8)]
    (row,) = transitions(RehearsalResult(Path("x.mp4"), log=log, songs=[song]), song)
    assert (row.a, row.b) == ("wide", "phone"), row


def test_figures_are_found_whatever_the_video_is_named():
    """--out "friday's show #2.mp4": the apostrophe ended the src='...' attribute and the '#' began a fragment, so
    the page showed no figure and no thumbnail (seen in Debian's headless chromium)."""
    import html
    from urllib.parse import unquote

    from vj.render.report import link

    folder = Path("/shows") / "friday's show #2.report"
    got = link(folder, "thumbs", "mine-tv-4x3-é-1.png")
    assert not set(got) & set("'\"# "), got        # safe in src='...', in url('...') and in style="..."
    assert unquote(html.unescape(got)) == "friday's show #2.report/thumbs/mine-tv-4x3-é-1.png"
    assert link(Path("out/show.report"), "song1-tempo.png") == "show.report/song1-tempo.png"


def test_the_flight_into_a_song_reads_before_bar_1_not_a_negative_bar():
    """A setlist's third song (with a known downbeat) listed its first flight at bar "-1.0", the second's at
    "0.0": the flight that brings a song in starts before its bar 1."""
    from vj.render.report import bar_cell

    assert ">before 1<" in bar_cell(-1.0) and ">before 1<" in bar_cell(0.25)
    assert bar_cell(1.0) == "<td>1.0</td>" and bar_cell(5.3) == "<td>5.3</td>"


def test_the_flights_plots_legend_hides_no_flight(tmp_path, monkeypatch):
    """The legend sat inside the plot's top right, over the demo's highest continuity (2.5 at 34 s of 48): it is
    drawn above the plot, where no flight's score can be."""
    import matplotlib.figure

    from vj.render.report import Transition, scores_png

    seen = {}
    save = matplotlib.figure.Figure.savefig

    def savefig(fig, *args, **kwargs):
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        seen["axes"], seen["legend"] = ax.get_window_extent(renderer), ax.get_legend().get_window_extent(renderer)
        return save(fig, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)
    rows = [Transition(8.0 * k, 1.0 + 2 * k, "a", "b", 1.0, 1.4, 1.5 + 0.2 * k) for k in range(6)]
    scores_png(tmp_path / "flights.png", SongLog("one", 0.0, 48.0), rows)
    axes, legend = seen["axes"], seen["legend"]
    assert legend.y0 >= axes.y1 - 1.0, (legend, axes)     # wholly above the plotting area
    assert (tmp_path / "flights.png").stat().st_size > 0
