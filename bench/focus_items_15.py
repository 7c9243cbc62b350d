"""held-out-15 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

A fifteenth held-out set, written (2026-12-07, round focus15) after held-out-14's clips had been looked at (scored
once in round focus13, traced in round focus14) and before the estimator was changed (the pooled fit's rate gate,
``vj.focus.pooled.POOL_RATE``): new seeds 1501-1529, the mix of held-out-14 with crushed slow push-ins of several
speeds on the real videos (parking, hallway, bottles, walk, book, sister, milk; rates 0.05-0.12/s, CRF 33-37),
signer zooms and drifts, compressed normal-speed zooms and drifts on the real videos and photos, one 1280x720 and one
960x540 clip, and nine still shots (static, pan, zoom-out; most compressed) that must stay at the centre.
Its per-clip results are first looked at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD15 = [
    ("parking-slow-crushed-16", "parking.mp4", "zoom", 1501, dict(size=(480, 270), seconds=3.0, rate=0.06, crf=35)),
    ("parking-zoom-crushed-16", "parking.mp4", "zoom", 1502, dict(size=(400, 300), seconds=3.0, crf=36)),
    ("parking-drift-slow-crushed-16", "parking.mp4", "drift", 1503, dict(size=(480, 270), seconds=3.0, rate=0.1,
                                                                         crf=37)),
    ("hallway-slow-crushed-16", "hallway.mp4", "zoom", 1504, dict(size=(400, 300), seconds=3.0, rate=0.08, crf=36)),
    ("hallway-drift-crushed-16", "hallway.mp4", "drift", 1505, dict(size=(480, 270), seconds=3.0, crf=33)),
    ("bottles-slow-crushed-16", "bottles.mp4", "zoom", 1506, dict(size=(480, 270), seconds=3.0, rate=0.07, crf=34)),
    ("bottles-zoom-crushed-16", "bottles.mp4", "zoom", 1507, dict(size=(400, 300), seconds=3.0, fps=25, crf=35)),
    ("walk-slow-crushed-16", "walk.mkv", "zoom", 1508, dict(size=(400, 300), seconds=2.9, full_range=True, rate=0.11,
                                                            crf=34)),
    ("walk-zoom-crushed-16", "walk.mkv", "zoom", 1509, dict(size=(480, 360), seconds=2.9, full_range=True, crf=36)),
    ("book-slow-crushed-16", "book.mkv", "zoom", 1510, dict(size=(480, 360), seconds=3.5, full_range=True, rate=0.09,
                                                            crf=35)),
    ("book-drift-crushed-16", "book.mkv", "drift", 1511, dict(size=(400, 300), seconds=3.5, full_range=True, crf=33)),
    ("sister-drift-slow-crushed-16", "sister.mkv", "drift", 1512, dict(size=(480, 360), seconds=2.8,
                                                                       full_range=True, rate=0.1, crf=35)),
    ("milk-zoom-crushed-16", "milk.mkv", "zoom", 1513, dict(size=(400, 300), seconds=1.7, full_range=True, crf=34)),
    ("hubble-slow-crushed-16", "hubble.jpg", "zoom", 1514, dict(size=(400, 300), seconds=3.0, rate=0.05, crf=36)),
    ("gravel-drift-crushed-16", "gravel.jpg", "drift", 1515, dict(size=(480, 270), seconds=3.0, fps=24, crf=35)),
    ("chelsea-zoom-crushed-16", "chelsea.jpg", "zoom", 1516, dict(size=(320, 240), seconds=3.0, crf=34)),
    ("camera-slow-shaky-16", "camera.jpg", "zoom", 1517, dict(size=(480, 270), seconds=3.0, rate=0.1, shake=0.3,
                                                              crf=31)),
    ("rocket-zoom-roll-16", "rocket.jpg", "zoom", 1518, dict(size=(400, 300), seconds=3.0, roll=0.03, crf=33)),
    ("bottles-drift-720p-16", "bottles.mp4", "drift", 1519, dict(size=(1280, 720), seconds=3.0, rate=0.12, crf=32)),
    ("walk-slow-540p-16", "walk.mkv", "zoom", 1520, dict(size=(960, 540), seconds=2.9, full_range=True, rate=0.1,
                                                         crf=33)),
    ("parking-static-crushed-16", "parking.mp4", "static", 1521, dict(size=(400, 300), seconds=3.0, crf=35)),
    ("book-static-crushed-16", "book.mkv", "static", 1522, dict(size=(400, 300), seconds=3.5, full_range=True,
                                                                crf=36)),
    ("walk-static-crushed-16", "walk.mkv", "static", 1523, dict(size=(480, 360), seconds=2.9, full_range=True,
                                                                crf=34)),
    ("hallway-pan-crushed-16", "hallway.mp4", "pan", 1524, dict(size=(480, 270), seconds=3.0, crf=35)),
    ("sister-pan-crushed-16", "sister.mkv", "pan", 1525, dict(size=(320, 240), seconds=2.8, full_range=True,
                                                              crf=36)),
    ("parking-zoom-out-crushed-16", "parking.mp4", "zoom-out", 1526, dict(size=(400, 300), seconds=3.0, rate=0.09,
                                                                          crf=36)),
    ("bottles-static-crushed-16", "bottles.mp4", "static", 1527, dict(size=(480, 270), seconds=3.0, crf=37)),
    ("chelsea-zoom-out-16", "chelsea.jpg", "zoom-out", 1528, dict(size=(480, 270), rate=0.07)),
    ("hubble-static-shaky-16", "hubble.jpg", "static", 1529, dict(size=(400, 300), shake=0.5)),
]
