"""held-out-16 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

A sixteenth held-out set, written (2026-12-07, round focus16) after held-out-15's clips had been looked at (scored
once at the end of round focus15, traced in round focus16) and before any estimator change of that round: new seeds
1601-1629 (so new heading points), the mix of held-out-15 with other rates, CRFs and sizes: crushed slow push-ins and
drifts on the real videos (parking, hallway, bottles, walk, book, sister, milk; rates 0.05-0.13/s, CRF 32-37), signer
zooms and drifts, compressed normal-speed zooms and drifts on the real videos and photos (hubble, gravel, chelsea,
camera, rocket, astronaut), one 1280x720 and one 960x540 clip, and nine still shots (static, pan, zoom-out; most
compressed) that must stay at the centre.  Its per-clip results are first looked at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD16 = [
    ("parking-drift-slow-crushed-17", "parking.mp4", "drift", 1601, dict(size=(400, 300), seconds=3.0, rate=0.08,
                                                                         crf=36)),
    ("parking-slow-crushed-17", "parking.mp4", "zoom", 1602, dict(size=(480, 360), seconds=3.0, rate=0.05, crf=34)),
    ("parking-zoom-crushed-17", "parking.mp4", "zoom", 1603, dict(size=(480, 270), seconds=3.0, crf=37)),
    ("hallway-drift-slow-crushed-17", "hallway.mp4", "drift", 1604, dict(size=(480, 270), seconds=3.0, rate=0.07,
                                                                         crf=35)),
    ("hallway-zoom-crushed-17", "hallway.mp4", "zoom", 1605, dict(size=(400, 300), seconds=3.0, fps=25, crf=34)),
    ("bottles-drift-slow-crushed-17", "bottles.mp4", "drift", 1606, dict(size=(400, 300), seconds=3.0, rate=0.09,
                                                                         crf=36)),
    ("bottles-slow-crushed-17", "bottles.mp4", "zoom", 1607, dict(size=(480, 270), seconds=3.0, rate=0.12, crf=33)),
    ("walk-drift-slow-crushed-17", "walk.mkv", "drift", 1608, dict(size=(480, 360), seconds=2.9, full_range=True,
                                                                   rate=0.09, crf=35)),
    ("walk-zoom-crushed-17", "walk.mkv", "zoom", 1609, dict(size=(400, 300), seconds=2.9, full_range=True, crf=37)),
    ("book-slow-crushed-17", "book.mkv", "zoom", 1610, dict(size=(400, 300), seconds=3.5, full_range=True, rate=0.13,
                                                            crf=34)),
    ("book-zoom-crushed-17", "book.mkv", "zoom", 1611, dict(size=(480, 360), seconds=3.5, full_range=True, crf=32)),
    ("sister-slow-crushed-17", "sister.mkv", "zoom", 1612, dict(size=(400, 300), seconds=2.8, full_range=True,
                                                                rate=0.08, crf=36)),
    ("milk-drift-crushed-17", "milk.mkv", "drift", 1613, dict(size=(400, 300), seconds=1.7, full_range=True, crf=35)),
    ("hubble-drift-crushed-17", "hubble.jpg", "drift", 1614, dict(size=(480, 270), seconds=3.0, crf=35)),
    ("gravel-slow-crushed-17", "gravel.jpg", "zoom", 1615, dict(size=(400, 300), seconds=3.0, rate=0.06, crf=36)),
    ("chelsea-drift-crushed-17", "chelsea.jpg", "drift", 1616, dict(size=(480, 270), seconds=3.0, fps=24, crf=33)),
    ("rocket-slow-shaky-17", "rocket.jpg", "zoom", 1617, dict(size=(400, 300), seconds=3.0, rate=0.09, shake=0.3,
                                                              crf=32)),
    ("astronaut-zoom-roll-17", "astronaut.jpg", "zoom", 1618, dict(size=(480, 270), seconds=3.0, roll=0.04, crf=34)),
    ("hallway-slow-720p-17", "hallway.mp4", "zoom", 1619, dict(size=(1280, 720), seconds=3.0, rate=0.1, crf=33)),
    ("book-drift-540p-17", "book.mkv", "drift", 1620, dict(size=(960, 540), seconds=3.5, full_range=True, rate=0.11,
                                                           crf=32)),
    ("hallway-static-crushed-17", "hallway.mp4", "static", 1621, dict(size=(400, 300), seconds=3.0, crf=36)),
    ("sister-static-crushed-17", "sister.mkv", "static", 1622, dict(size=(480, 360), seconds=2.8, full_range=True,
                                                                    crf=35)),
    ("milk-static-crushed-17", "milk.mkv", "static", 1623, dict(size=(400, 300), seconds=1.7, full_range=True,
                                                                crf=37)),
    ("parking-pan-crushed-17", "parking.mp4", "pan", 1624, dict(size=(480, 270), seconds=3.0, crf=34)),
    ("book-pan-crushed-17", "book.mkv", "pan", 1625, dict(size=(400, 300), seconds=3.5, full_range=True, crf=35)),
    ("walk-zoom-out-crushed-17", "walk.mkv", "zoom-out", 1626, dict(size=(400, 300), seconds=2.9, full_range=True,
                                                                    rate=0.08, crf=36)),
    ("bottles-static-crushed-17", "bottles.mp4", "static", 1627, dict(size=(400, 300), seconds=3.0, crf=35)),
    ("gravel-zoom-out-17", "gravel.jpg", "zoom-out", 1628, dict(size=(480, 270), rate=0.06)),
    ("camera-static-shaky-17", "camera.jpg", "static", 1629, dict(size=(400, 300), shake=0.5)),
]
