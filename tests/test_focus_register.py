"""Round focus21: a clip still at the centre after every flow rule is measured a second way, whole frames registered
over about 1.5 s (vj.focus.register); it leaves the centre only where every wide pair expands from one point."""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

from vj.focus.estimate import estimate_focus
from vj.focus.register import REG_GAP_SLACK, REG_PAIRS, fixed_point, pair_times, register_clip, register_pair
from vj.focus.track import focus_at, resolve

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import focus_corpus as fc  # noqa: E402

WORST = 0.08  # issue 16: no clip off by more than 8 % of the width
PHOTO = Path(__file__).resolve().parent / "data" / "focus" / "coffee.jpg"


def _clip_error(track, item: fc.Item) -> float:
    """Mean over the clip of |focus the show uses - true heading|, in shares of the width."""
    res = resolve(None, track)
    truth = fc.truth(item).at
    return float(np.mean([fc.error(focus_at(res.follow, t) if res.follow else res.focus, truth(t), item.size)
                          for t in np.arange(0.0, item.seconds, 0.1)]))


def test_a_photo_zoomed_toward_a_point_registers_to_that_point() -> None:
    """A real photograph and the same photograph zoomed 1.12x toward (200, 70) px of a 320x180 frame: the warp's
    fixed point is that point, and its scale the zoom's."""
    img = cv2.cvtColor(cv2.imread(str(PHOTO)), cv2.COLOR_BGR2GRAY)
    a = cv2.resize(img, (320, 180), interpolation=cv2.INTER_AREA)
    s, p = 1.12, np.array([200.0, 70.0])
    back = np.hstack([np.eye(2) / s, ((1 - 1 / s) * p)[:, None]])  # x -> (x - p) / s + p
    # b(x) = a((x - p) / s + p): a's content magnified s times about p, as a camera pushed in toward p
    b = cv2.warpAffine(a, back, (320, 180), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    warp, rms = register_pair(a, b)
    assert np.isfinite(rms)
    got = fixed_point(warp)
    assert got is not None and np.hypot(*(np.array(got) - p)) < 2.0, (got, warp)
    assert abs(np.sqrt(np.linalg.det(warp[:, :2])) - s) < 0.01, warp


def test_a_crushed_signer_drift_at_the_centre_is_placed_by_registration(tmp_path: Path) -> None:
    """sister-drift-crushed-20 (held-out-19, seen since round focus20): a signer video drifting toward a point far from
    the centre at CRF 34.  The signer moves on her own and the encoder copied much of the rest, so every keyframe's flow
    fit is unsure (confidence 0.00) and main (906f994) plays it at the centre, 28.44 % off.  Four pairs of whole frames
    1.5 s apart each expand at 0.11-0.13/s from points 1.3-1.8 % from the heading, on one line: followed, under 8 %."""
    item = next(i for i in fc.ITEMS if i.name == "sister-drift-crushed-20")
    est = estimate_focus(fc.make(item, tmp_path))
    assert resolve(None, est.track).source == "auto", est.keys
    assert _clip_error(est.track, item) < WORST


def test_a_zoom_out_registers_exactly_and_stays_at_the_centre(tmp_path: Path) -> None:
    """A slow zoom-out on a real photo (hubble-zoom-out-slow-3's kind, a new seed): every wide pair explains its frames
    and has one tight fixed point inside the frame, but it shrinks (a rate under REG_RATE), so the clip stays at the
    centre (with the rate gate off it leaves it)."""
    item = fc.Item("hubble-zoom-out-test", "test", "hubble.jpg", "zoom-out", seed=2191, size=(480, 270), seconds=3.0,
                   rate=0.06, crf=30)
    est = estimate_focus(fc.make(item, tmp_path))
    res = resolve(None, est.track)
    assert res.source == "default" and res.focus == (0.5, 0.5), est.keys


def test_a_still_shot_of_a_moving_scene_stays_at_the_centre(tmp_path: Path) -> None:
    """bottles-static (tune): a still camera on a real video whose own content moves a little; each wide pair's fixed
    point lies inside the frame and roughly still, but it does not expand (rate about 0.001/s): the centre."""
    item = next(i for i in fc.ITEMS if i.name == "bottles-static")
    est = estimate_focus(fc.make(item, tmp_path))
    res = resolve(None, est.track)
    assert res.source == "default" and res.focus == (0.5, 0.5), est.keys


def test_a_pair_is_registered_only_where_its_frames_are_its_gap_apart() -> None:
    """A clip longer than about 12 s is decoded in keyframe windows with holes between them (a 20 s clip: 1.1 s
    windows 2.5 s apart).  A pair whose end falls in a hole is not registered: the nearest frames there were 1.08-1.80
    s apart for a 1.5 s gap, outside the gaps REG_LEFT and REG_RATE were measured at.  Without holes all four pairs
    are registered, each the gap apart."""
    rng = np.random.default_rng(0)
    img = cv2.GaussianBlur((rng.random((90, 160)) * 255).astype(np.float32), (0, 0), 2).astype(np.uint8)
    fps = 25
    windowed = sorted({round(i / fps, 3) for c in (1.25 + 2.5 * k for k in range(8))
                       for i in range(int((c - 0.55) * fps), int((c + 0.55) * fps) + 1)})
    gap, _ = pair_times(windowed[0], windowed[-1])
    regs = register_clip([(t, img) for t in windowed])
    assert all(abs(r.gap - gap) <= REG_GAP_SLACK for r in regs), [(r.t, r.gap) for r in regs]
    whole = [i / fps for i in range(int(3.0 * fps))]
    gap, _ = pair_times(whole[0], whole[-1])
    regs = register_clip([(t, img) for t in whole])
    assert len(regs) == REG_PAIRS and all(abs(r.gap - gap) <= REG_GAP_SLACK for r in regs), [(r.t, r.gap) for r in regs]
