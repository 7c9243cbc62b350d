"""held-out-10 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

A tenth held-out set, written (2026-12-06, round focus9) after held-out-9's clips had been looked at and
before the estimator was changed for the crushed parking zoom (parking-zoom-crushed-9, at the centre) and the
crushed signer drift (walk-drift-crushed-10): new seeds 1001-1027, the mix of held-out-8/9 with other sizes,
rates and CRFs: real video and photos, slow rates 0.05-0.13/s and several normal-speed crushed zooms, most
at CRF 30-38, four signer clips compressed, one 960x540 clip, and eight still shots (six compressed) that
must stay at the centre.  Its per-clip results are first looked at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD10 = [
    ("walk-slow-crushed-11", "walk.mkv", "zoom", 1001, dict(size=(400, 300), seconds=2.9, full_range=True, rate=0.1,
                                                            crf=35)),
    ("walk-drift-crushed-11", "walk.mkv", "drift", 1002, dict(size=(480, 360), seconds=2.9, full_range=True,
                                                              rate=0.11, crf=35)),
    ("walk-zoom-crushed-11", "walk.mkv", "zoom", 1003, dict(size=(400, 300), seconds=2.9, full_range=True, crf=34)),
    ("walk-drift-crushed-fast-11", "walk.mkv", "drift", 1004, dict(size=(320, 240), seconds=2.9, fps=25,
                                                                   full_range=True, crf=36)),
    ("parking-zoom-crushed-11", "parking.mp4", "zoom", 1005, dict(size=(640, 360), seconds=3.0, crf=36)),
    ("parking-slow-crushed-11", "parking.mp4", "zoom", 1006, dict(size=(400, 300), seconds=3.0, rate=0.09, crf=34)),
    ("parking-drift-crushed-11", "parking.mp4", "drift", 1007, dict(size=(480, 270), seconds=3.0, fps=25, rate=0.12,
                                                                    crf=35)),
    ("hallway-zoom-crushed-11", "hallway.mp4", "zoom", 1008, dict(size=(480, 270), seconds=3.0, crf=36)),
    ("hallway-slow-crushed-11", "hallway.mp4", "drift", 1009, dict(size=(320, 240), seconds=3.0, rate=0.08, crf=33)),
    ("bottles-zoom-crushed-11", "bottles.mp4", "zoom", 1010, dict(size=(400, 300), seconds=3.0, crf=35)),
    ("milk-drift-crushed-11", "milk.mkv", "drift", 1011, dict(size=(480, 360), seconds=1.7, full_range=True,
                                                              rate=0.11, crf=34)),
    ("gravel-slow-crushed-11", "gravel.jpg", "zoom", 1012, dict(size=(320, 240), seconds=3.0, rate=0.07, crf=37)),
    ("hubble-drift-crushed-11", "hubble.jpg", "drift", 1013, dict(size=(480, 270), seconds=3.0, rate=0.08, crf=34)),
    ("camera-slow-crushed-11", "camera.jpg", "zoom", 1014, dict(size=(400, 300), seconds=3.0, fps=24, rate=0.06,
                                                                crf=33)),
    ("chelsea-drift-11", "chelsea.jpg", "drift", 1015, dict(size=(640, 360), seconds=3.0, fps=60, rate=0.05)),
    ("rocket-zoom-crushed-11", "rocket.jpg", "zoom", 1016, dict(size=(480, 270), crf=36, shake=0.3)),
    ("parking-slow-540p-11", "parking.mp4", "zoom", 1017, dict(size=(960, 540), seconds=3.0, rate=0.13, crf=32)),
    ("hubble-slow-roll-crushed-11", "hubble.jpg", "zoom", 1018, dict(size=(480, 270), seconds=3.0, rate=0.1,
                                                                     roll=0.03, crf=35)),
    ("walk-static-crushed-11", "walk.mkv", "static", 1020, dict(size=(320, 240), seconds=2.9, full_range=True, crf=37)),
    ("parking-static-crushed-11", "parking.mp4", "static", 1021, dict(size=(400, 300), seconds=3.0, crf=35)),
    ("hallway-static-crushed-11", "hallway.mp4", "static", 1022, dict(size=(640, 360), seconds=3.0, crf=33)),
    ("milk-static-11", "milk.mkv", "static", 1023, dict(size=(400, 300), seconds=1.7, full_range=True)),
    ("gravel-pan-crushed-11", "gravel.jpg", "pan", 1024, dict(size=(400, 300), crf=36)),
    ("camera-zoom-out-crushed-11", "camera.jpg", "zoom-out", 1025, dict(size=(480, 270), rate=0.09, crf=34)),
    ("rocket-static-shaky-11", "rocket.jpg", "static", 1026, dict(size=(400, 300), shake=0.5)),
    ("walk-pan-crushed-11", "walk.mkv", "pan", 1027, dict(size=(400, 300), seconds=2.9, full_range=True, crf=33)),
]
