"""held-out-18 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

An eighteenth held-out set, written (2026-12-07, round focus18) after held-out-17's clips had been looked at (scored
once at the end of round focus17, traced in round focus18) and before any estimator change of that round: new seeds
1801-1829 (so new heading points), the mix of held-out-17 with other rates, CRFs, sizes, frame rates and sources:
crushed slow drifts and push-ins on the real videos (parking, hallway, bottles, walk, book, sister, milk; rates
0.04-0.12/s, CRF 32-38), compressed normal-speed zooms and drifts on the real videos and photos (gravel, hubble,
rocket, astronaut, chelsea, camera), one 1280x720 and one 960x540 clip, and nine still shots (static, pan, zoom-out;
most compressed) that must stay at the centre.  Its per-clip results are first looked at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD18 = [
    ("parking-drift-slow-crushed-19", "parking.mp4", "drift", 1801, dict(size=(480, 270), seconds=3.0, rate=0.07,
                                                                         crf=37)),
    ("parking-slow-crushed-19", "parking.mp4", "zoom", 1802, dict(size=(400, 300), seconds=3.0, rate=0.06, crf=36)),
    ("parking-drift-slow-crushed-19b", "parking.mp4", "drift", 1803, dict(size=(480, 360), seconds=3.0, rate=0.10,
                                                                          crf=35)),
    ("hallway-drift-slow-crushed-19", "hallway.mp4", "drift", 1804, dict(size=(480, 360), seconds=3.0, rate=0.06,
                                                                         crf=36)),
    ("hallway-slow-crushed-19", "hallway.mp4", "zoom", 1805, dict(size=(400, 300), seconds=3.0, rate=0.11, crf=34)),
    ("bottles-drift-slow-crushed-19", "bottles.mp4", "drift", 1806, dict(size=(400, 300), seconds=3.0, rate=0.07,
                                                                         crf=37)),
    ("bottles-slow-crushed-19", "bottles.mp4", "zoom", 1807, dict(size=(480, 270), seconds=3.0, fps=25, rate=0.10,
                                                                  crf=35)),
    ("walk-drift-slow-crushed-19", "walk.mkv", "drift", 1808, dict(size=(480, 270), seconds=2.9, full_range=True,
                                                                   rate=0.08, crf=37)),
    ("walk-zoom-crushed-19", "walk.mkv", "zoom", 1809, dict(size=(400, 300), seconds=2.9, full_range=True, crf=38)),
    ("book-slow-crushed-19", "book.mkv", "zoom", 1810, dict(size=(400, 300), seconds=3.5, full_range=True, rate=0.08,
                                                            crf=36)),
    ("sister-drift-slow-crushed-19", "sister.mkv", "drift", 1811, dict(size=(480, 360), seconds=2.8,
                                                                       full_range=True, rate=0.11, crf=34)),
    ("sister-zoom-crushed-19", "sister.mkv", "zoom", 1812, dict(size=(400, 300), seconds=2.8, full_range=True,
                                                                crf=33)),
    ("milk-drift-slow-crushed-19", "milk.mkv", "drift", 1813, dict(size=(480, 360), seconds=1.7, full_range=True,
                                                                   rate=0.12, crf=35)),
    ("gravel-slow-crushed-19", "gravel.jpg", "zoom", 1814, dict(size=(480, 270), seconds=3.0, rate=0.05, crf=36)),
    ("hubble-drift-crushed-19", "hubble.jpg", "drift", 1815, dict(size=(400, 300), seconds=3.0, crf=34)),
    ("rocket-slow-crushed-19", "rocket.jpg", "zoom", 1816, dict(size=(480, 270), seconds=3.0, rate=0.04, crf=35)),
    ("astronaut-drift-shaky-19", "astronaut.jpg", "drift", 1817, dict(size=(400, 300), seconds=3.0, shake=0.4,
                                                                      crf=32)),
    ("chelsea-zoom-roll-19", "chelsea.jpg", "zoom", 1818, dict(size=(480, 270), seconds=3.0, roll=0.05, crf=34)),
    ("hallway-slow-720p-19", "hallway.mp4", "zoom", 1819, dict(size=(1280, 720), seconds=3.0, rate=0.08, crf=34)),
    ("sister-drift-540p-19", "sister.mkv", "drift", 1820, dict(size=(960, 540), seconds=2.8, full_range=True,
                                                               rate=0.10, crf=33)),
    ("parking-static-crushed-19", "parking.mp4", "static", 1821, dict(size=(400, 300), seconds=3.0, crf=36)),
    ("hallway-static-crushed-19", "hallway.mp4", "static", 1822, dict(size=(480, 270), seconds=3.0, crf=37)),
    ("sister-static-crushed-19", "sister.mkv", "static", 1823, dict(size=(400, 300), seconds=2.8, full_range=True,
                                                                    crf=35)),
    ("bottles-pan-crushed-19", "bottles.mp4", "pan", 1824, dict(size=(480, 360), seconds=3.0, crf=34)),
    ("walk-pan-crushed-19", "walk.mkv", "pan", 1825, dict(size=(400, 300), seconds=2.9, full_range=True, crf=36)),
    ("book-zoom-out-crushed-19", "book.mkv", "zoom-out", 1826, dict(size=(480, 270), seconds=3.5, full_range=True,
                                                                    rate=0.07, crf=35)),
    ("milk-static-crushed-19", "milk.mkv", "static", 1827, dict(size=(400, 300), seconds=1.7, full_range=True,
                                                                crf=37)),
    ("chelsea-zoom-out-19", "chelsea.jpg", "zoom-out", 1828, dict(size=(480, 270), rate=0.06, crf=30)),
    ("camera-static-shaky-19", "camera.jpg", "static", 1829, dict(size=(400, 300), shake=0.4)),
]
