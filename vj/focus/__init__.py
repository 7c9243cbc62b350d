"""Focus of expansion: where a clip's camera is heading, measured from its motion.

* :mod:`vj.focus.track` -- the focus track as data (keyframes ``(t, x, y, confidence)``) and the
  pure helpers the engine and the bank use to read it.  No numpy, no OpenCV.
* :mod:`vj.focus.fit` -- the robust fit of a focus of expansion to a flow field (numpy).
* :mod:`vj.focus.similar` -- a second estimate: sparse corners and one similarity fitted by RANSAC (OpenCV).
* :mod:`vj.focus.tracks` -- a third: corners followed over 1-2 s and one zoom fitted to their whole paths.
* :mod:`vj.focus.estimate` -- decoding a clip (PyAV) and measuring dense optical flow (OpenCV)
  to build a track.
* :mod:`vj.focus.neighbours` -- the rules by which a clip's measured keyframes vouch for each other.
* :mod:`vj.focus.store` -- the ``focus_track`` key of bank.toml: its check, and writing it without
  changing a line the VJ wrote.

Importing this package imports none of them, so the engine stays free of OpenCV.
"""
