"""held-out-14 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

A fourteenth held-out set, written (2026-12-07, round focus13) after held-out-13's clips had been looked at and
before the estimator was changed for the crushed parking zooms of held-out-13 that play at the centre
(parking-slow-crushed-14, parking-zoom-crushed-14): new seeds 1401-1429, the mix of held-out-13 with crushed
push-ins of several speeds on the real videos (parking, hallway, bottles, walk, book, sister; rates 0.06-0.12/s and
drawn normal speeds, CRF 33-37), signer zooms and drifts, compressed zooms and drifts on the photos, one 1280x720
and one 960x540 clip, and nine still shots (static, pan, zoom-out; most compressed) that must stay at the centre.
Its per-clip results are first looked at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD14 = [
    ("parking-slow-crushed-15", "parking.mp4", "zoom", 1401, dict(size=(400, 300), seconds=3.0, rate=0.07, crf=36)),
    ("parking-zoom-crushed-15", "parking.mp4", "zoom", 1402, dict(size=(480, 270), seconds=3.0, crf=35)),
    ("parking-mid-crushed-15", "parking.mp4", "zoom", 1403, dict(size=(400, 300), seconds=3.0, rate=0.18, crf=37)),
    ("hallway-slow-crushed-15", "hallway.mp4", "zoom", 1404, dict(size=(480, 270), seconds=3.0, rate=0.09, crf=35)),
    ("hallway-zoom-crushed-15", "hallway.mp4", "zoom", 1405, dict(size=(400, 300), seconds=3.0, fps=25, crf=34)),
    ("bottles-slow-crushed-15", "bottles.mp4", "zoom", 1406, dict(size=(400, 300), seconds=3.0, rate=0.12, crf=36)),
    ("bottles-drift-crushed-15", "bottles.mp4", "drift", 1407, dict(size=(480, 270), seconds=3.0, crf=33)),
    ("walk-slow-crushed-15", "walk.mkv", "zoom", 1408, dict(size=(480, 360), seconds=2.9, full_range=True, rate=0.1,
                                                            crf=35)),
    ("walk-drift-crushed-15", "walk.mkv", "drift", 1409, dict(size=(400, 300), seconds=2.9, full_range=True,
                                                              crf=34)),
    ("book-zoom-crushed-15", "book.mkv", "zoom", 1410, dict(size=(400, 300), seconds=3.5, full_range=True, crf=36)),
    ("book-drift-slow-crushed-15", "book.mkv", "drift", 1411, dict(size=(480, 360), seconds=3.5, full_range=True,
                                                                   rate=0.11, crf=34)),
    ("sister-slow-crushed-15", "sister.mkv", "zoom", 1412, dict(size=(400, 300), seconds=2.8, full_range=True,
                                                                rate=0.08, crf=35)),
    ("milk-slow-crushed-15", "milk.mkv", "zoom", 1413, dict(size=(480, 270), seconds=1.7, full_range=True, rate=0.12,
                                                            crf=34)),
    ("gravel-slow-crushed-15", "gravel.jpg", "zoom", 1414, dict(size=(480, 270), seconds=3.0, rate=0.07, crf=36)),
    ("hubble-zoom-crushed-15", "hubble.jpg", "zoom", 1415, dict(size=(400, 300), seconds=3.0, crf=35)),
    ("chelsea-drift-crushed-15", "chelsea.jpg", "drift", 1416, dict(size=(400, 300), seconds=3.0, fps=24, crf=34)),
    ("rocket-slow-shaky-15", "rocket.jpg", "zoom", 1417, dict(size=(480, 270), seconds=3.0, rate=0.1, shake=0.3,
                                                              crf=31)),
    ("camera-zoom-roll-15", "camera.jpg", "zoom", 1418, dict(size=(320, 240), seconds=3.0, roll=0.03, crf=33)),
    ("hallway-drift-720p-15", "hallway.mp4", "drift", 1419, dict(size=(1280, 720), seconds=3.0, rate=0.11, crf=32)),
    ("parking-slow-540p-15", "parking.mp4", "zoom", 1420, dict(size=(960, 540), seconds=3.0, rate=0.09, crf=34)),
    ("parking-static-crushed-15", "parking.mp4", "static", 1421, dict(size=(480, 270), seconds=3.0, crf=36)),
    ("hallway-static-crushed-15", "hallway.mp4", "static", 1422, dict(size=(400, 300), seconds=3.0, crf=35)),
    ("walk-static-crushed-15", "walk.mkv", "static", 1423, dict(size=(480, 360), seconds=2.9, full_range=True,
                                                                crf=35)),
    ("book-pan-crushed-15", "book.mkv", "pan", 1424, dict(size=(400, 300), seconds=3.5, full_range=True, crf=34)),
    ("parking-pan-crushed-15", "parking.mp4", "pan", 1425, dict(size=(400, 300), seconds=3.0, crf=36)),
    ("hallway-zoom-out-crushed-15", "hallway.mp4", "zoom-out", 1426, dict(size=(480, 270), seconds=3.0, rate=0.1,
                                                                          crf=35)),
    ("sister-static-crushed-15", "sister.mkv", "static", 1427, dict(size=(320, 240), seconds=2.8, full_range=True,
                                                                    crf=36)),
    ("gravel-zoom-out-15", "gravel.jpg", "zoom-out", 1428, dict(size=(400, 300), rate=0.08)),
    ("chelsea-static-shaky-15", "chelsea.jpg", "static", 1429, dict(size=(480, 270), shake=0.5)),
]
