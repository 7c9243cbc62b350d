"""Adaptive quality's software levels convert at most one new clip frame per output frame: a flight's two
clips take turns instead of both landing on the same frame (vj.render.sources.ClipSources.max_uploads).
Real H.264 clips, real decoders, a real GL context (EGL; llvmpipe in CI)."""

from __future__ import annotations

import time

import pytest

from vj.engine.frame import FrameDesc, LayerDesc
from vj.gfx.compositor import Compositor
from vj.gfx.context import headless_context
from vj.live.quality import LADDER
from vj.render.sources import ClipSources, ClipSpec
from vj.video.decoder import DecodeSpec


@pytest.fixture
def sources(tmp_path, make_clip):
    ctx = headless_context()
    comp = Compositor(ctx, (160, 90), fps=60)
    specs = {cid: ClipSpec(cid, DecodeSpec(make_clip(tmp_path / f"{cid}.mp4", seconds=2.0, fps=30, seed=n)))
             for n, cid in enumerate(("a", "b"))}
    src = ClipSources(comp, specs)
    yield src
    src.close()
    comp.release()
    ctx.release()


def flight(t: float) -> FrameDesc:
    """Clip a on screen and b emerging, both started at 0 and playing for ``t`` seconds."""
    return FrameDesc(t, (LayerDesc("a", 1, t, t, (0.5, 0.5), 1.0), LayerDesc("b", 2, t, t, (0.5, 0.5), 0.3)))


def serials(src: ClipSources) -> tuple:
    return tuple(src.active[i].texture.serial for i in (1, 2))


def settle() -> None:
    """Let the decoders get ahead of ``t`` (live: nothing waits for them)."""
    time.sleep(0.4)


@pytest.mark.parametrize("budget", [1, 0])
def test_two_clips_with_new_frames_take_turns_at_one_upload_a_frame(sources, budget):
    src = sources
    src.max_uploads = budget
    for _ in range(50):   # both clips' first pictures: never held back
        src.update(flight(0.0), wait=False)
        if all(s is not None for s in serials(src)):
            break
        time.sleep(0.05)
    assert all(s is not None for s in serials(src))
    turns = []
    t = 0.0
    for step in range(12):          # 60 Hz output frames; a new 30 fps frame for both every other one
        t += 1 / 60
        settle()
        before = serials(src)
        src.update(flight(t), wait=False)
        after = serials(src)
        turns.append(tuple(a != b for a, b in zip(before, after)))
    if budget == 1:
        assert all(sum(t) <= 1 for t in turns), turns          # never both in one frame
        assert sum(t[0] for t in turns) >= 4 and sum(t[1] for t in turns) >= 4, turns   # and neither starves
        assert src.deferred > 0
    else:
        assert any(sum(t) == 2 for t in turns), turns          # without the budget they land together
        assert src.deferred == 0


def test_the_software_levels_take_turns_and_the_gpu_levels_do_not():
    assert all(level.uploads == (0 if level.bicubic else 1) for level in LADDER)
