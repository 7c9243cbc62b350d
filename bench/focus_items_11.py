"""held-out-11 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

An eleventh held-out set, written (2026-12-06, round focus10) after held-out-10's clips had been looked at and
before the estimator was changed for the confidently wrong signer clips under heavy compression
(walk-slow-crushed-11, walk-zoom-crushed-11, walk-drift-crushed-10): new seeds 1101-1127, the mix of held-out-10
with other sizes, rates and CRFs, and two real videos no set had before, both of another person signing
(tests/data/focus book.mkv and sister.mkv, from the same CC-BY-4.0 Intel sample videos as walk.mkv): five signer
clips compressed (two on walk.mkv, three on the new ones), one 1280x720 clip, and eight still shots (six
compressed, two on the new signer videos) that must stay at the centre.  Its per-clip results are first looked
at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD11 = [
    ("book-zoom-crushed-12", "book.mkv", "zoom", 1101, dict(size=(400, 300), seconds=3.5, full_range=True, crf=35)),
    ("book-slow-crushed-12", "book.mkv", "zoom", 1102, dict(size=(480, 360), seconds=3.5, full_range=True,
                                                            rate=0.1, crf=34)),
    ("sister-drift-crushed-12", "sister.mkv", "drift", 1103, dict(size=(320, 240), seconds=2.8, fps=25,
                                                                  full_range=True, rate=0.12, crf=36)),
    ("walk-slow-crushed-12", "walk.mkv", "zoom", 1104, dict(size=(480, 360), seconds=2.9, full_range=True,
                                                            rate=0.11, crf=36)),
    ("walk-drift-crushed-12", "walk.mkv", "drift", 1105, dict(size=(400, 300), seconds=2.9, full_range=True,
                                                              crf=33)),
    ("sister-zoom-12", "sister.mkv", "zoom", 1106, dict(size=(400, 300), seconds=2.8, full_range=True)),
    ("parking-zoom-crushed-12", "parking.mp4", "zoom", 1107, dict(size=(480, 270), seconds=3.0, crf=35)),
    ("parking-slow-crushed-12", "parking.mp4", "drift", 1108, dict(size=(640, 360), seconds=3.0, rate=0.1, crf=36)),
    ("hallway-drift-crushed-12", "hallway.mp4", "drift", 1109, dict(size=(400, 300), seconds=3.0, fps=25,
                                                                    rate=0.11, crf=34)),
    ("bottles-slow-crushed-12", "bottles.mp4", "zoom", 1110, dict(size=(320, 240), seconds=3.0, rate=0.07, crf=36)),
    ("milk-zoom-crushed-12", "milk.mkv", "zoom", 1111, dict(size=(400, 300), seconds=1.7, full_range=True, crf=35)),
    ("gravel-drift-crushed-12", "gravel.jpg", "drift", 1112, dict(size=(400, 300), seconds=3.0, rate=0.09, crf=36)),
    ("hubble-slow-crushed-12", "hubble.jpg", "zoom", 1113, dict(size=(320, 240), seconds=3.0, rate=0.06, crf=33)),
    ("camera-drift-crushed-12", "camera.jpg", "drift", 1114, dict(size=(480, 270), seconds=3.0, fps=24, rate=0.1,
                                                                  crf=35)),
    ("chelsea-slow-crushed-12", "chelsea.jpg", "zoom", 1115, dict(size=(400, 300), seconds=3.0, rate=0.08, crf=32)),
    ("rocket-drift-shaky-12", "rocket.jpg", "drift", 1116, dict(size=(480, 270), rate=0.12, shake=0.4)),
    ("hallway-slow-720p-12", "hallway.mp4", "zoom", 1117, dict(size=(1280, 720), seconds=3.0, rate=0.09, crf=31)),
    ("gravel-roll-crushed-12", "gravel.jpg", "zoom", 1118, dict(size=(320, 240), seconds=3.0, roll=0.05, crf=35)),
    ("book-static-crushed-12", "book.mkv", "static", 1120, dict(size=(400, 300), seconds=3.5, full_range=True,
                                                                crf=35)),
    ("sister-pan-crushed-12", "sister.mkv", "pan", 1121, dict(size=(320, 240), seconds=2.8, full_range=True,
                                                              crf=34)),
    ("walk-static-crushed-12", "walk.mkv", "static", 1122, dict(size=(480, 360), seconds=2.9, full_range=True,
                                                                crf=36)),
    ("parking-static-crushed-12", "parking.mp4", "static", 1123, dict(size=(320, 240), seconds=3.0, crf=37)),
    ("bottles-static-crushed-12", "bottles.mp4", "static", 1124, dict(size=(480, 270), seconds=3.0, crf=33)),
    ("hubble-zoom-out-12", "hubble.jpg", "zoom-out", 1125, dict(size=(400, 300), rate=0.1)),
    ("chelsea-pan-crushed-12", "chelsea.jpg", "pan", 1126, dict(size=(480, 270), crf=35)),
    ("camera-static-shaky-12", "camera.jpg", "static", 1127, dict(size=(320, 240), shake=0.5)),
]
