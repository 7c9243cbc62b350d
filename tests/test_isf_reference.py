"""vj's ISF host against the reference renderer (npm interactive-shader-format, WebGL in headless Chromium).

A handful of Vidvox files, each with its defaults and with every value moved; the whole collection
runs as bench/isf_reference.py.  Chromium is started and killed by the helper (tests/isf_reference.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import isf_reference as ref
from vj.gfx.context import headless_context
from vj.isf import parse_isf

VIDVOX = Path(__file__).parent / "data" / "isf" / "vidvox"
FILES = ["Zoom.fs", "Sine Warp Tile.fs", "Circle Splash Distortion.fs", "Bloom.fs", "Edge Distort.fs", "Lines.fs"]
SIZE = (320, 180)
#: The issue's targets: mean absolute difference <= 2/255 over the files, none above 8/255.
MEAN_TARGET, FILE_LIMIT = 2.0, 8.0


@pytest.fixture(scope="module")
def rendered():
    why = ref.missing()
    if why:
        pytest.fail(why)
    specs = [parse_isf(VIDVOX / name) for name in FILES]
    cases = [c for spec in specs for c in ref.cases_for(spec, SIZE)]
    # a deliberately different setting, to show the comparison notices a difference
    wrong = ref.cases_for(specs[0], SIZE)[0]
    wrong = ref.Case("wrong|level", wrong.path, {**wrong.values, "level": 2.0}, wrong.images, wrong.times, wrong.frames)
    pictures = ref.reference_pictures(SIZE)
    results = ref.render_reference(cases + [wrong], pictures, SIZE, timeout=240)
    ctx = headless_context()
    mine = {c.name: ref.render_vj(ctx, c, pictures, SIZE) for c in cases}
    mine["wrong|level"] = ref.render_vj(ctx, ref.cases_for(specs[0], SIZE)[0], pictures, SIZE)
    ctx.release()
    return specs, cases, results, mine


def test_files_are_fair_to_compare():
    for name in FILES:
        assert ref.ineligible(parse_isf(VIDVOX / name)) is None, name


def test_vj_matches_the_reference(rendered):
    specs, cases, results, mine = rendered
    means = []
    for case in cases:
        theirs = results[case.name]
        assert not isinstance(theirs, str), f"{case.name}: {theirs}"
        d = ref.compare(mine[case.name], theirs)
        assert d.mean <= FILE_LIMIT, f"{case.name}: mean |diff| {d.mean:.2f}/255"
        assert d.share_over_8 < 0.01, f"{case.name}: {100 * d.share_over_8:.2f}% of pixels off by more than 8/255"
        means.append(d.mean)
    assert sum(means) / len(means) <= MEAN_TARGET
    # the inputs really moved something (the "moved" setting differs from the defaults somewhere)
    assert any(ref.compare(mine[a.name], mine[b.name]).mean > 2 for a, b in zip(cases[::2], cases[1::2]))


def test_comparison_notices_a_difference(rendered):
    _, _, results, mine = rendered
    assert ref.compare(mine["wrong|level"], results["wrong|level"]).mean > 10


def test_reference_reports_a_broken_file(tmp_path):
    bad = tmp_path / "bad.fs"
    bad.write_text('/*{"INPUTS": []}*/\nvoid main() { gl_FragColor = vec4(nope); }\n')
    res = ref.render_reference([ref.Case("bad", bad)], {}, (8, 8), timeout=120)
    assert isinstance(res["bad"], str) and "compile" in res["bad"]
