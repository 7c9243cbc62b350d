"""YUV -> RGB matrices for the shader, from each clip's own colour tags.

Kept in Python (not hard-coded in GLSL) so that one shader serves BT.601 and BT.709
in limited or full range, and tests can check the numbers.
"""

from __future__ import annotations

import numpy as np

#: Luma coefficients (Kr, Kb) per matrix.
COEFFS = {"bt601": (0.299, 0.114), "bt709": (0.2126, 0.0722)}


def yuv_to_rgb_matrix(colorspace: str = "bt709", color_range: str = "limited") -> np.ndarray:
    """4x4 matrix M with ``rgb = M @ (Y, U, V, 1)`` for samples normalised to 0..1.

    Returned in column-major order (``M.T``), ready for a GLSL ``mat4`` uniform.
    """
    if colorspace not in COEFFS:
        raise ValueError(f"unknown colour matrix {colorspace!r}; expected one of {sorted(COEFFS)}")
    kr, kb = COEFFS[colorspace]
    kg = 1.0 - kr - kb
    if color_range == "limited":
        y_scale, y_off = 255.0 / 219.0, 16.0 / 255.0
        c_scale = 255.0 / 224.0
    elif color_range == "full":
        y_scale, y_off, c_scale = 1.0, 0.0, 1.0
    else:
        raise ValueError(f"unknown colour range {color_range!r}; expected 'limited' or 'full'")
    c_off = 128.0 / 255.0
    # R = Y + 2(1-Kr) Cr ; B = Y + 2(1-Kb) Cb ; G = (Y - Kr R - Kb B) / Kg
    rv = 2.0 * (1.0 - kr)
    bu = 2.0 * (1.0 - kb)
    gu = -kb * bu / kg
    gv = -kr * rv / kg
    m = np.array([
        [y_scale, 0.0, rv * c_scale],
        [y_scale, gu * c_scale, gv * c_scale],
        [y_scale, bu * c_scale, 0.0],
    ])
    offset = -m @ np.array([y_off, c_off, c_off])
    full = np.eye(4)
    full[:3, :3] = m
    full[:3, 3] = offset
    return full.T.astype("f4").copy()
