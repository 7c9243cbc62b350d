"""The flight's curves: how B's mask, haze and colour match change with B's size on screen, and the beat
surge that front-loads each beat's zoom.  Pure functions of numbers (split out of :mod:`vj.engine.show`)."""

from __future__ import annotations

import math

#: B's size (share of the screen's width) over which its mask hardens from the widest to a plain edge
MASK_HARDEN = (0.6, 1.0)
#: as B fills the screen, its mask reaches this share of B's size past B's rectangle, over B's mirrored
#: picture, so the last ring of A fades into B's continued colours instead of framing it, and the mask's
#: hard outer edge is off the screen as B lands (B at 0.75 of the screen leaves 1/6 of B's size each side;
#: a much wider mirror shows as a mirror)
MASK_GROW = 0.15
#: ... over this range of B's size (share of the screen's width)
GROW_RANGE = (0.5, 0.85)
#: B's size over which the haze at its border clears: B's detail fades in from its focus while it is a small
#: patch (a textured cut-out in A's smooth magnified picture is a seam), and reaches its border before the
#: clip is magnified (where its mipmaps would cost a pass per frame)
HAZE_FADE = (0.15, 0.4)
#: B's size over which its colour correction fades out: full while B is a small patch inside A, none once it
#: is most of the picture (its own colours then are the next scene's)
MATCH_FADE = (0.12, 0.6)
#: flight progress (0..1) over which the picture all around a framed B (fit = "fit" or "blur") fades to
#: what B's bars show once it lands (black, or B's blurred copy): appearing with B's hardening mask, a
#: letterboxed B's bars fell 150 grey levels in 4 frames at 30 fps (a flash of black at each landing), and a
#: blurred B's 36 a frame over 5 (tests/test_framing.py).  From 0.6, while B is a third of the screen: the
#: fade starts late enough not to read as a fade-out, and spreads over 24 frames of a 4-beat flight at 120 BPM
BARS_FADE = (0.6, 1.0)


def smoothstep(lo: float, hi: float, x: float) -> float:
    u = min(max((x - lo) / (hi - lo), 0.0), 1.0)
    return u * u * (3.0 - 2.0 * u)


def soft_mask(b_size: float) -> float:
    """How soft B's mask is (1: widest) when B is ``b_size`` of the screen: wide while B is small, hardening
    only as B fills the screen (at full size its edge is the screen's, where no edge can show)."""
    return 1.0 - smoothstep(MASK_HARDEN[0], MASK_HARDEN[1], b_size)


def mask_grow(b_size: float) -> float:
    """How far B's mask reaches past its rectangle at ``b_size`` of the screen, as a share of B's size."""
    return MASK_GROW * smoothstep(GROW_RANGE[0], GROW_RANGE[1], b_size)


def haze_fade(b_size: float) -> float:
    """How hazy B's border is at ``b_size`` of the screen (1: its detail only about its focus)."""
    return 1.0 - smoothstep(HAZE_FADE[0], HAZE_FADE[1], b_size)


def match_fade(b_size: float) -> float:
    """How much of B's colour correction toward A's neighbourhood is applied at ``b_size`` of the screen."""
    return 1.0 - smoothstep(MATCH_FADE[0], MATCH_FADE[1], b_size)


def surge(p: float, amount: float, decay: float) -> float:
    """Warp beat position so each beat's zoom is front-loaded (the beat pulse); monotonic."""
    if amount <= 0.0:
        return p
    base = math.floor(p)
    u = p - base
    k = 1.0 / max(decay, 1e-3)
    eased = (1.0 - math.exp(-k * u)) / (1.0 - math.exp(-k))
    return base + (1.0 - amount) * u + amount * eased


def surge_slope(p: float, amount: float, decay: float) -> float:
    """d surge / d p, for the zoom speed (motion blur)."""
    if amount <= 0.0:
        return 1.0
    u = p - math.floor(p)
    k = 1.0 / max(decay, 1e-3)
    return (1.0 - amount) + amount * k * math.exp(-k * u) / (1.0 - math.exp(-k))


def bars_fade(tau: float) -> float:
    """How far the picture around a framed B has faded to its bars at flight progress ``tau`` (1: as it lands)."""
    return smoothstep(BARS_FADE[0], BARS_FADE[1], tau)
