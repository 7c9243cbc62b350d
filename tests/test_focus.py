"""Focus estimation on real files made here: real photographs and video frames moved by a virtual camera
toward known points (bench/focus_corpus.py, both its tuning and its held-out items), and the demo
scenes, which are rendered toward known vanishing points.  The targets are the issue's: median error
at most 3 % of the image width, no clip over 8 %, and no forward motion -> the centre."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from vj.demo.scenes import SCENES, SPECS, SceneRenderer, render_scene
from vj.focus.estimate import FocusError, estimate_focus, key_times
from vj.focus.fit import FIT_RAMPS
from vj.focus.track import focus_at, resolve

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import focus_corpus as fc  # noqa: E402

pytestmark = pytest.mark.slow

MEDIAN, WORST = 0.03, 0.08


def clip_error(track, truth, size, seconds: float) -> float:
    """Mean over the clip of |focus the show uses - true heading|, in shares of the width."""
    res = resolve(None, track)
    errs = [fc.error(focus_at(res.follow, t) if res.follow else res.focus, truth(t), size)
            for t in np.arange(0.0, seconds, 0.1)]
    return float(np.mean(errs))


@pytest.mark.parametrize("group", ["tune", "held-out", "held-out-2", "held-out-3", "held-out-4", "held-out-6",
                                   "held-out-7", "held-out-8"])
def test_corpus_meets_the_targets(group: str, tmp_path: Path) -> None:
    """The issue's targets on every forward clip: each is followed (none falls back to the centre), the
    median error is at most 3 % and none is off by more than 8 %; still clips stay at the centre.  Before
    the long-baseline estimate (vj.focus.tracks) the slow push-ins on a person signing in front of a plain
    wall (walk-slow, walk-slow-3, walk-drift-slow-3) fell back, 13-30 % off.  held-out-4 (seen) joined once the
    long-baseline estimate replaced a confident dense fit from LONG_AGREE (2 %) apart: at 464504f, where that
    took AGREE (4 %), walk-zoom-4 kept a dense fit 3.9 % from it and was 9.4 % off.  held-out-2 (seen) joined once
    blocks the encoder copied stopped counting as still (vj.focus.estimate.COPIED_DIFF): at f139e36 its CRF 34
    drift over bare asphalt, parking-slow-crushed-2, fell back to the centre, 17.2 % off (3.4 % now).  held-out-7
    joined once looked at (round focus5, with the estimator final): at 2c1b74f its CRF 33 zoom over the parking lot,
    parking-zoom-crushed-8, fell back to the centre, 21.4 % off (1.0 % now, through the long-baseline fit).  held-out-6
    (seen) joined once a weak corner-track estimate confirmed by a confident neighbouring keyframe outvoted a dense
    fit far from both (round focus7, vj.focus.neighbours.corroborate): at 267e8be walk-slow-crushed-7 was 11.5 % off
    (1.2 % now).  held-out-8 (seen) joined once a crushed fit at a normal zoom speed was judged by a lower consistency
    bar (round focus9, vj.focus.estimate.CRUSHED_CONSISTENCY): at 084483a parking-zoom-crushed-9 fell back to the
    centre (confidence 0.09, 5.9 % off; followed at 5.6 % now)."""
    errors: dict[str, float] = {}
    for item in (i for i in fc.ITEMS if i.group == group):  # as bench/focus.py measures them
        est = estimate_focus(fc.make(item, tmp_path))
        res = resolve(None, est.track)
        if item.forward:
            errors[item.name] = clip_error(est.track, fc.truth(item).at, item.size, item.seconds)
            assert res.source == "auto", (item.name, est.track)
        else:  # a static shot, a pan or a zoom-out: no heading, so the centre
            assert res.source == "default" and res.confidence < 0.5, (item.name, est.track)
    assert len(errors) >= 12, errors
    assert statistics.median(errors.values()) <= MEDIAN, errors
    assert max(errors.values()) <= WORST, errors


def test_a_slow_push_in_toward_a_signer_is_followed(tmp_path: Path) -> None:
    """A person signing in front of a plain wall (walk.mkv), pushed in on at 0.08 per second: the signer's
    hands move more than the zoom over any pair of frames, so only corners on the wall followed for 1-2 s
    (vj.focus.tracks) place the focus.  At fb6bec5 this clip fell back to the centre (7.2 % off).  Within
    the issue's 8 %, not 3 %: its first keyframe, where the signer stands nearly still, is placed 14 % off
    (4.8 % over the clip when written)."""
    item = fc.Item("signer", "test", "walk.mkv", "zoom", seed=61, size=(320, 240), seconds=2.9, full_range=True,
                   rate=0.08)
    est = estimate_focus(fc.make(item, tmp_path))
    assert resolve(None, est.track).source == "auto", est.keys
    assert any(k.long is not None and k.long.confidence >= 0.5 for k in est.keys), est.keys
    assert clip_error(est.track, fc.truth(item).at, item.size, item.seconds) <= WORST, est.track


def test_demo_scenes_are_found(tmp_path: Path) -> None:
    size = (320, 180)
    errors = {}
    with SceneRenderer(size) as renderer:
        for name in SCENES:
            path = tmp_path / f"{name}.mp4"
            render_scene(name, path, size=size, seconds=2.0, renderer=renderer)
            est = estimate_focus(path)
            errors[name] = clip_error(est.track, lambda t, f=SPECS[name].focus: f, size, 2.0)
    assert statistics.median(errors.values()) <= MEDIAN, errors
    assert max(errors.values()) <= WORST, errors


def test_a_drifting_heading_gives_a_moving_track(tmp_path: Path) -> None:
    item = fc.Item("drift", "test", "coffee.jpg", "drift", seed=41, size=(320, 180), seconds=4.0)
    est = estimate_focus(fc.make(item, tmp_path))
    tr = fc.truth(item)
    assert len(est.track) == 4 and all(k[3] > 0.8 for k in est.track)
    moved = np.subtract(est.track[-1][1:3], est.track[0][1:3])
    truly = np.subtract(tr.at(est.track[-1][0]), tr.at(est.track[0][0]))
    assert np.linalg.norm(truly) > 0.05
    assert np.linalg.norm(moved - truly) < 0.3 * np.linalg.norm(truly)  # it moves where the heading moves


@pytest.mark.parametrize("source, rate", [("coffee.jpg", 0.04), ("hallway.mp4", 0.06)])
def test_a_slow_push_in_is_found(source: str, rate: float, tmp_path: Path) -> None:
    """0.04-0.06 per second (an edge pixel moves 0.6-1 px in 0.1 s; in the hallway people walk on their own):
    measured over a wider frame gap, the clip is followed within 2 % of its heading.  Over 0.1 s alone the
    photo fell back to the centre (confidence 0.24, 30 % off) and the hallway was followed 2.8 % off."""
    item = fc.Item("slow", "test", source, "zoom", seed=54 if source == "coffee.jpg" else 51, size=(320, 180),
                   seconds=2.0, rate=rate)
    est = estimate_focus(fc.make(item, tmp_path))
    assert resolve(None, est.track).source == "auto", est.track
    assert all(k.gap > 0.2 for k in est.keys)  # measured over the wide gap
    assert clip_error(est.track, fc.truth(item).at, item.size, item.seconds) <= 0.02, est.track


def test_the_similarity_estimate_leaves_out_what_moves_on_its_own() -> None:
    """A photo zoomed by 4 % about (0.3, 0.6) while a textured patch covering a sixth of the picture slides
    sideways: the similarity's focus is within 1 % of the true one, confidently; the photo held still (the
    patch still sliding) reads no expansion and no confidence."""
    import cv2

    from vj.focus.similar import similar_foe

    photo = cv2.resize(cv2.imread(str(fc.DATA / "coffee.jpg"), cv2.IMREAD_GRAYSCALE), (320, 180))
    rng = np.random.default_rng(3)
    patch = cv2.GaussianBlur(rng.integers(0, 255, (60, 80), dtype=np.uint8), (3, 3), 0)
    f, s = np.array([0.3 * 320, 0.6 * 180]), 1.04
    zoom = np.array([[s, 0, (1 - s) * f[0]], [0, s, (1 - s) * f[1]]])

    def with_patch(img, x):
        out = img.copy()
        out[100:160, x:x + 80] = patch
        return out

    a = with_patch(photo, 150)
    b = with_patch(cv2.warpAffine(photo, zoom, (320, 180), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT), 162)
    fit = similar_foe(a, b, 0.5)
    assert fit is not None and fit.confidence > 0.9, fit
    assert fc.error((fit.x, fit.y), (0.3, 0.6), (320, 180)) < 0.01, fit
    still = similar_foe(a, with_patch(photo, 162), 0.5)
    assert still is None or still.confidence == 0.0, still


def test_blocks_the_encoder_copied_say_nothing() -> None:
    """A heavily compressed push-in copies its flat blocks from the frame before (skipped macroblocks): they read
    a flow of 0 whatever the camera did, and at f139e36 pulled parking-slow-crushed-2's rate to a quarter of the
    truth, so it fell back to the centre (17 % off).  Here a photo is zoomed by 3 % and the left third of the
    second frame is copied bit for bit from the first: those samples get no weight, the rest keep theirs, and the
    fit reads the zoom's rate."""
    import cv2

    from vj.focus.estimate import FlowSampler
    from vj.focus.fit import fit_foe

    photo = cv2.resize(cv2.imread(str(fc.DATA / "gravel.jpg"), cv2.IMREAD_GRAYSCALE), (320, 180))
    f, s = np.array([0.6 * 320, 0.4 * 180]), 1.03
    b = cv2.warpAffine(photo, np.array([[s, 0, (1 - s) * f[0]], [0, s, (1 - s) * f[1]]]), (320, 180),
                       flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)
    b[:, :96] = photo[:, :96]
    sampler = FlowSampler((320, 180))
    pts, flow, weight = sampler.sample(photo, b)
    copied = pts[:, 0] < 96 - 3
    assert weight[copied].max() == 0.0
    assert np.mean(weight[pts[:, 0] > 96 + 3] > 0) > 0.9
    fit = fit_foe(pts, flow, weight, (320, 180), 0.1)
    assert fit.rate == pytest.approx(np.log(s) / 0.1, rel=0.1), fit
    assert fc.error((fit.x, fit.y), (0.6, 0.4), (320, 180)) < 0.01, fit


def test_a_heavily_compressed_slow_push_in_is_measured_over_a_longer_baseline(tmp_path: Path) -> None:
    """A 0.08/s push-in over the parking lot at CRF 36: the encoder copies 70-84 % of the textured samples between
    a pair's frames, and the few blocks it redraws over 0.1-0.6 s do not move with the picture, so at 2c1b74f the
    clip fell back to the centre (29 % off).  Its unsure keyframes are fitted again over frames up to 1.5 s apart
    (vj.focus.estimate.COPIED_SHARE): followed, within the issue's 8 % (7.1 % when written)."""
    item = fc.Item("crushed", "test", "parking.mp4", "zoom", seed=63, size=(480, 270), seconds=3.0, rate=0.08, crf=36)
    est = estimate_focus(fc.make(item, tmp_path))
    assert resolve(None, est.track).source == "auto", est.keys
    assert all(k.copied >= 0.4 for k in est.keys), est.keys
    assert any(k.longdense is not None and k.fit.rate == k.longdense.rate for k in est.keys), est.keys
    assert clip_error(est.track, fc.truth(item).at, item.size, item.seconds) <= WORST, est.track


def test_a_heavily_compressed_zoom_at_normal_speed_is_followed(tmp_path: Path) -> None:
    """parking-zoom-crushed-9 (held-out-8, seen): a 0.39/s zoom over the parking lot at CRF 35.  The encoder copied
    half to two thirds of the textured samples; the dense fits placed the focus 3.8-5.9 % off but at consistency
    0.30-0.38, under the ramp's 0.35-0.60, so at main (084483a) the clip fell back to the centre (confidence 0.09).
    At a rate of 0.1/s or more such a fit is judged by a ramp 0.1 lower (vj.focus.estimate.CRUSHED_CONSISTENCY):
    followed, 5.6 % off when written."""
    item = next(i for i in fc.ITEMS if i.name == "parking-zoom-crushed-9")
    est = estimate_focus(fc.make(item, tmp_path))
    assert resolve(None, est.track).source == "auto", est.keys
    # placed by a fit of its own that the usual consistency ramp leaves unsure
    assert any(k.fit.confidence >= 0.5 > FIT_RAMPS["consistency"](k.fit.consistency) and k.copied >= 0.4
               and k.borrowed is None for k in est.keys), est.keys
    assert clip_error(est.track, fc.truth(item).at, item.size, item.seconds) <= WORST, est.track


def test_a_signer_near_the_focus_does_not_pass_for_the_camera(tmp_path: Path, monkeypatch) -> None:
    """walk-drift-crushed-10 (held-out-9, seen): a 0.12/s drift toward a person signing, at CRF 36.  At 0.48 s the
    corner tracks placed the focus 6.4 % off at confidence 1.00 (spread 0.7 %): their 27 inliers, a minority of the
    followed corners, huddled on the signer's chin and a door frame, and the zoom moved the median one only 3.4 px,
    about twice the path tolerance, so the signer's own small drift passed for the camera's zoom.  That keyframe
    decided alone and the next borrowed it: followed at 8.32 % (main, fddc20c).  Now the corner tracks are unsure
    there (vj.focus.tracks.REACH), no keyframe is sure, and the flow's rules leave the clip at the centre, 5.7 % from
    the heading.  (Since round focus21 a later stage, whole frames registered over 1.5 s, places it at 7.55 %:
    tests/test_focus_register.py; it is taken out here, where the flow's rule is under test.)"""
    from vj.focus.tracks import PATH_PX, REACH

    monkeypatch.setattr("vj.focus.estimate.register_centre", lambda keys, frames: keys)
    item = next(i for i in fc.ITEMS if i.name == "walk-drift-crushed-10")
    est = estimate_focus(fc.make(item, tmp_path))
    first = est.keys[0].long
    assert first is not None and first.share < 0.5 and REACH(first.reach / PATH_PX) < 0.5, est.keys
    assert first.confidence < 0.5, est.keys
    assert resolve(None, est.track).source == "default", est.keys
    assert clip_error(est.track, fc.truth(item).at, item.size, item.seconds) <= WORST, est.track


def test_a_crushed_zoom_whose_keyframes_are_each_unsure_is_placed_by_their_samples_pooled(tmp_path: Path) -> None:
    """parking-zoom-crushed-12 (held-out-11, seen): a 0.31/s zoom over the parking lot at CRF 35.  Each keyframe's
    dense fit placed the focus somewhere else (12.6 / 9.5 / 7.5 % off) and the clip was unsure (median confidence
    0.42 after the crushed judgement), so at main (cf2d603) the clip fell back to the centre, 13.4 % from the heading.
    Pooled over the clip, the keyframes' samples place one focus that each keyframe's own samples expand from nearly
    as well as from its own (vj.focus.pooled): followed, 6.6 % off when written.  A compressed still shot on the same
    video is not pooled into a heading."""
    item = next(i for i in fc.ITEMS if i.name == "parking-zoom-crushed-12")
    est = estimate_focus(fc.make(item, tmp_path))
    assert resolve(None, est.track).source == "auto", est.keys
    assert all(k.pooled is not None for k in est.keys), est.keys
    assert clip_error(est.track, fc.truth(item).at, item.size, item.seconds) <= WORST, est.track
    still = next(i for i in fc.ITEMS if i.name == "parking-static-crushed-11")
    est = estimate_focus(fc.make(still, tmp_path))
    assert resolve(None, est.track).source == "default", est.keys
    assert all(k.pooled is None for k in est.keys), est.keys


def test_a_crushed_zoom_whose_rate_the_encoder_halved_is_pooled(tmp_path: Path) -> None:
    """parking-zoom-crushed-14 (held-out-13, seen): a 0.135/s zoom over the parking lot at CRF 35.  Each keyframe's
    dense fit lay 0.9-2.0 % off but unsure, the clip's samples pooled placed the focus 1.2 % off at agreement 0.98,
    and the pooled rate read 0.081/s (the encoder's: crushed clips read 0.36-0.97 of the truth), under the gate of
    0.1/s it had then, so the clip fell back to the centre, 18.7 % off (main, 70371ab).  The gate is now
    vj.focus.pooled.POOL_RATE, and the clip is followed at the pooled focus."""
    item = next(i for i in fc.ITEMS if i.name == "parking-zoom-crushed-14")
    est = estimate_focus(fc.make(item, tmp_path))
    assert resolve(None, est.track).source == "auto", est.keys
    assert all(k.pooled is not None for k in est.keys), est.keys
    assert clip_error(est.track, fc.truth(item).at, item.size, item.seconds) <= 0.03, est.track


def test_a_crushed_slow_push_in_is_pooled_by_agreement_not_turned_away_by_its_rate(tmp_path: Path) -> None:
    """parking-slow-crushed-15 (held-out-14, seen): a 0.07/s push-in over the parking lot at CRF 36.  Its keyframes
    were each unsure (median confidence 0.46); pooled, their samples place the focus 3.3 % off at agreement 0.90, but
    the pooled rate read 0.044/s (the encoder's), under the pooled rate gate of 0.05/s it had then, so the clip fell
    back to the centre, 19.5 % off (main, c75327c).  The gate is now the foot of the fit's own rate ramp
    (vj.focus.pooled.POOL_RATE), and AGREEMENT keeps still shots out: book-static-crushed-14 (held-out-13, seen),
    the seen still shot whose pooled fit read the highest rate with its other ramps above 0 (0.049/s, agreement
    0.06), stays at the centre unpooled."""
    item = next(i for i in fc.ITEMS if i.name == "parking-slow-crushed-15")
    est = estimate_focus(fc.make(item, tmp_path))
    assert resolve(None, est.track).source == "auto", est.keys
    assert all(k.pooled is not None for k in est.keys), est.keys
    assert clip_error(est.track, fc.truth(item).at, item.size, item.seconds) <= 0.04, est.track
    still = next(i for i in fc.ITEMS if i.name == "book-static-crushed-14")
    est = estimate_focus(fc.make(still, tmp_path))
    assert resolve(None, est.track).source == "default", est.keys
    assert all(k.pooled is None for k in est.keys), est.keys


def test_a_keyframe_whose_pairs_each_place_the_focus_elsewhere_is_not_trusted_to_place_it(tmp_path: Path) -> None:
    """walk-zoom-crushed-11 (held-out-10, seen): a 0.37/s zoom toward a signer who fills most of the frame, CRF 34.
    At 1.44 s the keyframe's three pairs, each fitted alone, placed the focus 9.1-11.1 % from their pooled fit (her
    hands move another way in each pair), and the pooled fit was 10.1 % off at confidence 1.00; the last keyframe
    borrowed it, and the clip was followed 8.08 % off (main, 5f20beb).  Now that keyframe says "expanding, place
    unknown" (vj.focus.fit.SPLIT_APART), the later ones borrow the first one's focus (3.8 % off), and the clip is
    followed about 3.8 % off."""
    item = next(i for i in fc.ITEMS if i.name == "walk-zoom-crushed-11")
    est = estimate_focus(fc.make(item, tmp_path))
    assert resolve(None, est.track).source == "auto", est.keys
    assert est.keys[1].borrowed == est.keys[0].t, est.keys
    assert clip_error(est.track, fc.truth(item).at, item.size, item.seconds) <= 0.06, est.track


def test_a_keyframe_whose_own_corner_tracks_place_the_focus_elsewhere_does_not_borrow(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    """walk-slow-crushed-16 (held-out-15, seen since round focus15): a 0.11/s push-in toward the signer at CRF 34.  The
    first keyframe's dense fit was pulled 14.4 % off by the signer at confidence 0.84; the second's dense fit was
    unsure, and it borrowed that focus although its own corner tracks (weak, confidence 0.25) lay 1.2 % off the truth,
    14.3 % from the lender.  That lifted the clip's median confidence to 0.50, and the clip was followed 14.39 % off
    (main, 8a8955f).  Now a keyframe whose weak corner tracks lie more than vj.focus.neighbours.WITNESS_APART from the
    lender's focus borrows nothing, and the flow's rules leave the clip at the centre (7.8 % off).  (Since round focus21
    a later stage, whole frames registered over 1.5 s, places it at 7.59 %: tests/test_focus_register.py; it is taken
    out here, where the flow's rule is under test.)"""
    from vj.focus.neighbours import MIN_AGREE_CONF

    monkeypatch.setattr("vj.focus.estimate.register_centre", lambda keys, frames: keys)
    item = next(i for i in fc.ITEMS if i.name == "walk-slow-crushed-16")
    est = estimate_focus(fc.make(item, tmp_path))
    long = est.keys[1].long
    assert long is not None and 0.0 < long.confidence < MIN_AGREE_CONF, est.keys
    assert all(k.borrowed is None for k in est.keys), est.keys
    assert resolve(None, est.track).source == "default", est.keys


def test_a_crushed_keyframe_that_expands_slowly_borrows_the_confident_ones_focus(tmp_path: Path) -> None:
    """parking-drift-slow-crushed-17 (held-out-16, seen since round focus16): a 0.08/s drift over the parking lot at CRF
    36, whose keyframes the encoder mostly copied (0.73-0.86).  The first keyframe placed the heading 9.4 % off but read
    the rate at 0.026/s, so its confidence was 0.23 (the rate ramp at 0.25); the middle one 4.9 % off at 0.54; the last
    nothing.  The first, under the rate ramp's top (0.045/s), could not borrow, the clip's median confidence stayed
    0.23 and it played at the centre, 25.76 % off (main, 6d677c5).  Between keyframes the encoder mostly copied, a
    borrower whose own fit is past every ramp's foot now borrows (vj.focus.neighbours.CRUSHED_RATE_FOOT): followed,
    within the issue's 8 % (6.61 % when written)."""
    item = next(i for i in fc.ITEMS if i.name == "parking-drift-slow-crushed-17")
    est = estimate_focus(fc.make(item, tmp_path))
    first = est.keys[0]
    assert 0.0 < first.fit.rate < 0.045 and first.borrowed == est.keys[1].t, est.keys
    res = resolve(None, est.track)
    assert res.source == "auto", est.keys
    assert clip_error(est.track, fc.truth(item).at, item.size, item.seconds) < WORST


def test_in_and_out_points_bound_the_keyframes(tmp_path: Path) -> None:
    item = fc.Item("zoom", "test", "astronaut.jpg", "zoom", seed=42, size=(320, 180), seconds=3.0)
    est = estimate_focus(fc.make(item, tmp_path), in_point=1.0, out_point=2.5)
    assert [round(k[0], 3) for k in est.track] == pytest.approx(key_times(1.0, 2.5 - 0.5 / 30), abs=0.002)
    assert all(1.0 <= k[0] <= 2.5 for k in est.track)
    assert key_times(0.0, 30.0)[-1] < 30.0 and len(key_times(0.0, 30.0)) == 8  # long clips: at most 8 keys


def test_a_long_clip_is_read_window_by_window(tmp_path: Path) -> None:
    """24 s with a keyframe every second (as generators and the demo bank export): 8 keyframe windows of
    about 1 s each are decoded, and the stretches between them are skipped by seeking."""
    long = tmp_path / "long.mp4"
    rng = np.random.default_rng(5)
    with av.open(str(long), "w") as c:
        s = c.add_stream("libx264", rate=30)
        s.width, s.height, s.pix_fmt = 160, 96, "yuv420p"
        s.options = {"preset": "ultrafast", "g": "30"}
        for i in range(24 * 30):
            frame = av.VideoFrame.from_ndarray(rng.integers(0, 255, (96, 160, 3), dtype=np.uint8), format="rgb24")
            for packet in s.encode(frame):
                c.mux(packet)
        for packet in s.encode():
            c.mux(packet)
    est = estimate_focus(long)
    assert len(est.track) == 8
    assert est.frames < 0.75 * 24 * 30  # decoding it all would be 720


def test_unreadable_files_raise_focus_error(tmp_path: Path, make_clip) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\0" * 4000)
    with pytest.raises(FocusError):
        estimate_focus(junk)
    cut = make_clip(tmp_path / "cut.mp4", size=(160, 90), seconds=2.0)
    cut.write_bytes(cut.read_bytes()[:len(cut.read_bytes()) // 3])
    try:  # a truncated clip: what decodes is measured, or it says why not; never a crash
        est = estimate_focus(cut)
        assert all(0.0 <= k[3] <= 1.0 for k in est.track)
    except FocusError as exc:
        assert str(exc)


def test_making_and_measuring_an_item_twice_gives_the_same_result(tmp_path: Path) -> None:
    """The corpus must not move from run to run (docs/PERFORMANCE.md, "Focus"): the same item made twice,
    with other clips encoded in between (x264's assembly made different files then), gives the same bytes,
    and the estimate does not depend on OpenCV's thread count (DIS's stripes) either."""
    import hashlib

    import cv2

    by = {i.name: i for i in fc.ITEMS}
    item, others = by["milk-slow"], [by["bottles-zoom"], by["brick-zoom"]]
    digests, tracks = [], []
    threads = cv2.getNumThreads()
    try:
        for n, other in zip((1, 2), others):
            path = fc.make(item, tmp_path / f"run{n}")
            digests.append(hashlib.sha1(path.read_bytes()).hexdigest())
            fc.make(other, tmp_path / f"run{n}")
            cv2.setNumThreads(n)
            tracks.append(estimate_focus(path).track)
    finally:
        cv2.setNumThreads(threads)
    assert digests[0] == digests[1]
    assert tracks[0] == tracks[1]
