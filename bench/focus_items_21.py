"""held-out-21 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

A twenty-first held-out set, written (2026-12-08, round focus21) after held-out-20's clips had been looked at (scored
once at the end of round focus20) and before any estimator change or trace of round focus21: new seeds 2101-2129
(so new heading points), the mix of held-out-20 with other rates, CRFs, sizes, frame rates and sources: crushed
slow drifts and push-ins on the real videos (parking, hallway, bottles, walk, book, sister, milk; rates 0.05-0.11/s,
CRF 33-38), compressed normal-speed zooms and drifts on the real videos and photos (grass, rocket, coffee,
brick, hubble, camera), one 1280x720 and one 960x540 clip, and nine still shots (static, pan, zoom-out; most
compressed) that must stay at the centre.  Its per-clip results are first looked at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD21 = [
    ("parking-drift-slow-crushed-22", "parking.mp4", "drift", 2101, dict(size=(400, 300), seconds=3.0, rate=0.06,
                                                                         crf=36)),
    ("parking-slow-crushed-22", "parking.mp4", "zoom", 2102, dict(size=(480, 270), seconds=3.0, rate=0.07, crf=37)),
    ("parking-slow-crushed-22b", "parking.mp4", "zoom", 2103, dict(size=(400, 300), seconds=3.0, rate=0.09,
                                                                   crf=35)),
    ("hallway-drift-slow-crushed-22", "hallway.mp4", "drift", 2104, dict(size=(400, 300), seconds=3.0, rate=0.07,
                                                                         crf=37)),
    ("hallway-slow-crushed-22", "hallway.mp4", "zoom", 2105, dict(size=(480, 270), seconds=3.0, rate=0.05, crf=35)),
    ("bottles-drift-slow-crushed-22", "bottles.mp4", "drift", 2106, dict(size=(480, 270), seconds=3.0, fps=25,
                                                                         rate=0.08, crf=36)),
    ("bottles-slow-crushed-22", "bottles.mp4", "zoom", 2107, dict(size=(400, 300), seconds=3.0, rate=0.06, crf=34)),
    ("walk-drift-slow-crushed-22", "walk.mkv", "drift", 2108, dict(size=(400, 300), seconds=2.9, full_range=True,
                                                                   rate=0.07, crf=36)),
    ("walk-zoom-crushed-22", "walk.mkv", "zoom", 2109, dict(size=(480, 270), seconds=2.9, full_range=True, crf=37)),
    ("book-slow-crushed-22", "book.mkv", "zoom", 2110, dict(size=(480, 270), seconds=3.5, full_range=True,
                                                            rate=0.09, crf=35)),
    ("sister-drift-slow-crushed-22", "sister.mkv", "drift", 2111, dict(size=(400, 300), seconds=2.8,
                                                                       full_range=True, rate=0.10, crf=36)),
    ("sister-zoom-crushed-22", "sister.mkv", "zoom", 2112, dict(size=(480, 270), seconds=2.8, full_range=True,
                                                                crf=37)),
    ("milk-drift-slow-crushed-22", "milk.mkv", "drift", 2113, dict(size=(400, 300), seconds=1.7, full_range=True,
                                                                   rate=0.11, crf=33)),
    ("grass-drift-slow-crushed-22", "grass.jpg", "drift", 2114, dict(size=(400, 300), seconds=3.0, rate=0.05,
                                                                     crf=37)),
    ("rocket-zoom-crushed-22", "rocket.jpg", "zoom", 2115, dict(size=(480, 270), seconds=3.0, crf=35)),
    ("coffee-drift-slow-crushed-22", "coffee.jpg", "drift", 2116, dict(size=(400, 300), seconds=3.0, rate=0.06,
                                                                       crf=36)),
    ("brick-zoom-shaky-22", "brick.jpg", "zoom", 2117, dict(size=(480, 270), seconds=3.0, shake=0.5, crf=34)),
    ("camera-drift-roll-22", "camera.jpg", "drift", 2118, dict(size=(400, 300), seconds=3.0, roll=0.04, crf=33)),
    ("parking-slow-720p-22", "parking.mp4", "zoom", 2119, dict(size=(1280, 720), seconds=3.0, rate=0.08, crf=35)),
    ("walk-drift-540p-22", "walk.mkv", "drift", 2120, dict(size=(960, 540), seconds=2.9, full_range=True,
                                                           rate=0.09, crf=34)),
    ("parking-static-crushed-22", "parking.mp4", "static", 2121, dict(size=(480, 270), seconds=3.0, crf=37)),
    ("hallway-static-crushed-22", "hallway.mp4", "static", 2122, dict(size=(400, 300), seconds=3.0, crf=36)),
    ("book-static-crushed-22", "book.mkv", "static", 2123, dict(size=(480, 270), seconds=3.5, full_range=True,
                                                                crf=35)),
    ("parking-pan-crushed-22", "parking.mp4", "pan", 2124, dict(size=(400, 300), seconds=3.0, crf=36)),
    ("sister-pan-crushed-22", "sister.mkv", "pan", 2125, dict(size=(480, 270), seconds=2.8, full_range=True,
                                                              crf=35)),
    ("hallway-zoom-out-crushed-22", "hallway.mp4", "zoom-out", 2126, dict(size=(400, 300), seconds=3.0, rate=0.07,
                                                                          crf=36)),
    ("milk-static-crushed-22", "milk.mkv", "static", 2127, dict(size=(480, 270), seconds=1.7, full_range=True,
                                                                crf=37)),
    ("rocket-zoom-out-22", "rocket.jpg", "zoom-out", 2128, dict(size=(400, 300), rate=0.06, crf=31)),
    ("grass-static-shaky-22", "grass.jpg", "static", 2129, dict(size=(480, 270), shake=0.4)),
]
