"""held-out-17 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

A seventeenth held-out set, written (2026-12-07, round focus17) after held-out-16's clips had been looked at (scored
once at the end of round focus16, traced in round focus17) and before any estimator change of that round: new seeds
1701-1729 (so new heading points), the mix of held-out-16 with other rates, CRFs, sizes and frame rates: crushed slow
drifts and push-ins on the real videos (parking, hallway, bottles, walk, book, sister, milk; rates 0.04-0.12/s, CRF
32-38), compressed normal-speed zooms and drifts on the real videos and photos (hubble, gravel, chelsea, camera,
rocket, coffee), one 1280x720 and one 960x540 clip, and nine still shots (static, pan, zoom-out; most compressed)
that must stay at the centre.  Its per-clip results are first looked at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD17 = [
    ("parking-drift-slow-crushed-18", "parking.mp4", "drift", 1701, dict(size=(480, 360), seconds=3.0, rate=0.06,
                                                                         crf=37)),
    ("parking-drift-slow-crushed-18b", "parking.mp4", "drift", 1702, dict(size=(400, 300), seconds=3.0, rate=0.11,
                                                                          crf=35)),
    ("parking-slow-crushed-18", "parking.mp4", "zoom", 1703, dict(size=(480, 270), seconds=3.0, rate=0.07, crf=36)),
    ("hallway-drift-slow-crushed-18", "hallway.mp4", "drift", 1704, dict(size=(400, 300), seconds=3.0, rate=0.05,
                                                                         crf=34)),
    ("hallway-slow-crushed-18", "hallway.mp4", "zoom", 1705, dict(size=(480, 270), seconds=3.0, fps=25, rate=0.09,
                                                                  crf=37)),
    ("bottles-drift-slow-crushed-18", "bottles.mp4", "drift", 1706, dict(size=(480, 270), seconds=3.0, rate=0.08,
                                                                         crf=34)),
    ("bottles-zoom-crushed-18", "bottles.mp4", "zoom", 1707, dict(size=(400, 300), seconds=3.0, crf=38)),
    ("walk-drift-slow-crushed-18", "walk.mkv", "drift", 1708, dict(size=(400, 300), seconds=2.9, full_range=True,
                                                                   rate=0.07, crf=36)),
    ("walk-slow-crushed-18", "walk.mkv", "zoom", 1709, dict(size=(480, 360), seconds=2.9, full_range=True, rate=0.10,
                                                            crf=34)),
    ("book-drift-slow-crushed-18", "book.mkv", "drift", 1710, dict(size=(480, 360), seconds=3.5, full_range=True,
                                                                   rate=0.09, crf=35)),
    ("sister-drift-crushed-18", "sister.mkv", "drift", 1711, dict(size=(400, 300), seconds=2.8, full_range=True,
                                                                  crf=33)),
    ("sister-slow-crushed-18", "sister.mkv", "zoom", 1712, dict(size=(480, 360), seconds=2.8, full_range=True,
                                                                rate=0.12, crf=35)),
    ("milk-slow-crushed-18", "milk.mkv", "zoom", 1713, dict(size=(400, 300), seconds=1.7, full_range=True, rate=0.10,
                                                            crf=34)),
    ("hubble-slow-crushed-18", "hubble.jpg", "zoom", 1714, dict(size=(400, 300), seconds=3.0, rate=0.05, crf=35)),
    ("gravel-drift-crushed-18", "gravel.jpg", "drift", 1715, dict(size=(480, 270), seconds=3.0, crf=36)),
    ("chelsea-slow-crushed-18", "chelsea.jpg", "zoom", 1716, dict(size=(400, 300), seconds=3.0, rate=0.04, crf=33)),
    ("camera-drift-shaky-18", "camera.jpg", "drift", 1717, dict(size=(480, 270), seconds=3.0, shake=0.4, crf=32)),
    ("coffee-zoom-roll-18", "coffee.jpg", "zoom", 1718, dict(size=(400, 300), seconds=3.0, roll=0.05, crf=34)),
    ("parking-slow-720p-18", "parking.mp4", "zoom", 1719, dict(size=(1280, 720), seconds=3.0, rate=0.08, crf=34)),
    ("walk-drift-540p-18", "walk.mkv", "drift", 1720, dict(size=(960, 540), seconds=2.9, full_range=True, rate=0.10,
                                                           crf=33)),
    ("parking-static-crushed-18", "parking.mp4", "static", 1721, dict(size=(480, 360), seconds=3.0, crf=37)),
    ("book-static-crushed-18", "book.mkv", "static", 1722, dict(size=(400, 300), seconds=3.5, full_range=True,
                                                                crf=34)),
    ("walk-static-crushed-18", "walk.mkv", "static", 1723, dict(size=(480, 270), seconds=2.9, full_range=True,
                                                                crf=36)),
    ("hallway-pan-crushed-18", "hallway.mp4", "pan", 1724, dict(size=(400, 300), seconds=3.0, crf=35)),
    ("sister-pan-crushed-18", "sister.mkv", "pan", 1725, dict(size=(480, 360), seconds=2.8, full_range=True, crf=34)),
    ("bottles-zoom-out-crushed-18", "bottles.mp4", "zoom-out", 1726, dict(size=(480, 270), seconds=3.0, rate=0.07,
                                                                          crf=36)),
    ("milk-static-crushed-18", "milk.mkv", "static", 1727, dict(size=(480, 360), seconds=1.7, full_range=True,
                                                                crf=35)),
    ("hubble-zoom-out-18", "hubble.jpg", "zoom-out", 1728, dict(size=(400, 300), rate=0.05, crf=30)),
    ("rocket-static-shaky-18", "rocket.jpg", "static", 1729, dict(size=(480, 270), shake=0.4)),
]
