"""held-out-13 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

A thirteenth held-out set, written (2026-12-07, round focus12) after held-out-10's to -12's clips had been looked
at and before the estimator was changed for the crushed slow signer push-in that plays at the centre
(walk-slow-crushed-11) and the crushed signer zoom whose dense fit is confidently wrong (walk-zoom-crushed-11):
new seeds 1301-1329, the mix of held-out-12 with more heavily compressed slow push-ins (rates 0.06-0.12/s, CRF
33-37) and signer clips (walk, book, sister), compressed normal-speed zooms and drifts on the real videos and
photos, one 1280x720 and one 960x540 clip, and nine still shots (static, pan, zoom-out; most compressed) that must
stay at the centre.  Its per-clip results are first looked at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD13 = [
    ("walk-slow-crushed-14", "walk.mkv", "zoom", 1301, dict(size=(400, 300), seconds=2.9, full_range=True, rate=0.09,
                                                            crf=36)),
    ("walk-zoom-crushed-14", "walk.mkv", "zoom", 1302, dict(size=(480, 360), seconds=2.9, full_range=True, crf=35)),
    ("book-slow-crushed-14", "book.mkv", "zoom", 1303, dict(size=(400, 300), seconds=3.5, full_range=True, rate=0.1,
                                                            crf=34)),
    ("sister-zoom-crushed-14", "sister.mkv", "zoom", 1304, dict(size=(320, 240), seconds=2.8, full_range=True,
                                                                crf=36)),
    ("sister-drift-slow-crushed-14", "sister.mkv", "drift", 1305, dict(size=(480, 360), seconds=2.8,
                                                                       full_range=True, rate=0.11, crf=34)),
    ("book-zoom-crushed-14", "book.mkv", "zoom", 1306, dict(size=(480, 360), seconds=3.5, fps=25, full_range=True,
                                                            crf=33)),
    ("walk-drift-crushed-14", "walk.mkv", "drift", 1307, dict(size=(400, 300), seconds=2.9, full_range=True,
                                                              rate=0.12, crf=35)),
    ("parking-slow-crushed-14", "parking.mp4", "zoom", 1308, dict(size=(480, 270), seconds=3.0, rate=0.08, crf=36)),
    ("parking-zoom-crushed-14", "parking.mp4", "zoom", 1309, dict(size=(400, 300), seconds=3.0, crf=35)),
    ("hallway-slow-crushed-14", "hallway.mp4", "zoom", 1310, dict(size=(400, 300), seconds=3.0, rate=0.07, crf=34)),
    ("hallway-drift-crushed-14", "hallway.mp4", "drift", 1311, dict(size=(480, 270), seconds=3.0, fps=25, crf=36)),
    ("bottles-slow-crushed-14", "bottles.mp4", "zoom", 1312, dict(size=(480, 270), seconds=3.0, rate=0.1, crf=35)),
    ("milk-zoom-crushed-14", "milk.mkv", "zoom", 1313, dict(size=(400, 300), seconds=1.7, full_range=True, crf=35)),
    ("gravel-zoom-crushed-14", "gravel.jpg", "zoom", 1314, dict(size=(400, 300), seconds=3.0, crf=37)),
    ("hubble-slow-crushed-14", "hubble.jpg", "zoom", 1315, dict(size=(480, 270), seconds=3.0, rate=0.06, crf=33)),
    ("camera-drift-crushed-14", "camera.jpg", "drift", 1316, dict(size=(320, 240), seconds=3.0, fps=24, crf=35)),
    ("chelsea-slow-shaky-14", "chelsea.jpg", "zoom", 1317, dict(size=(480, 270), seconds=3.0, rate=0.1, shake=0.3,
                                                                crf=30)),
    ("rocket-drift-roll-14", "rocket.jpg", "drift", 1318, dict(size=(400, 300), seconds=3.0, roll=0.03, crf=33)),
    ("parking-drift-720p-14", "parking.mp4", "drift", 1319, dict(size=(1280, 720), seconds=3.0, rate=0.12, crf=32)),
    ("hallway-slow-540p-14", "hallway.mp4", "zoom", 1320, dict(size=(960, 540), seconds=3.0, rate=0.1, crf=33)),
    ("walk-static-crushed-14", "walk.mkv", "static", 1321, dict(size=(400, 300), seconds=2.9, full_range=True,
                                                                crf=36)),
    ("book-static-crushed-14", "book.mkv", "static", 1322, dict(size=(480, 360), seconds=3.5, full_range=True,
                                                                crf=35)),
    ("sister-pan-crushed-14", "sister.mkv", "pan", 1323, dict(size=(400, 300), seconds=2.8, full_range=True,
                                                              crf=34)),
    ("parking-static-crushed-14", "parking.mp4", "static", 1324, dict(size=(400, 300), seconds=3.0, crf=37)),
    ("bottles-zoom-out-crushed-14", "bottles.mp4", "zoom-out", 1325, dict(size=(480, 270), seconds=3.0, rate=0.1,
                                                                          crf=34)),
    ("hallway-pan-crushed-14", "hallway.mp4", "pan", 1326, dict(size=(320, 240), seconds=3.0, crf=36)),
    ("milk-static-crushed-14", "milk.mkv", "static", 1327, dict(size=(400, 300), seconds=1.7, full_range=True,
                                                                crf=35)),
    ("hubble-zoom-out-14", "hubble.jpg", "zoom-out", 1328, dict(size=(400, 300), rate=0.08)),
    ("camera-static-shaky-14", "camera.jpg", "static", 1329, dict(size=(480, 270), shake=0.5)),
]
