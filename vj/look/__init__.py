"""What a clip looks like, measured once at import: for ordering by continuity and for choosing how it loops.

* :mod:`vj.look.descriptor` -- the measurement as data (:class:`ClipLook`: a coarse grid of colour and
  structure cells at a few moments, the clip's motion and its loop point) and the pure helpers the
  engine uses: the picture around a focus, and the distance between two pictures.  No numpy.
* :mod:`vj.look.measure` -- decoding a clip (PyAV) and measuring it (numpy, OpenCV).
* :mod:`vj.look.store` -- the cache in a bank's ``.vj/looks.json``.

Importing this package imports none of them, so the engine stays free of numpy and OpenCV.
"""
