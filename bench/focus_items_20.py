"""held-out-20 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

A twentieth held-out set, written (2026-12-07, round focus20) after held-out-19's clips had been looked at (scored
once at the end of round focus19) and before any estimator change or trace of round focus20: new seeds 2001-2029
(so new heading points), the mix of held-out-19 with other rates, CRFs, sizes, frame rates and sources: crushed
slow drifts and push-ins on the real videos (parking, hallway, bottles, walk, book, sister, milk; rates 0.05-0.11/s,
CRF 33-38), compressed normal-speed zooms and drifts on the real videos and photos (gravel, hubble, rocket,
astronaut, chelsea, camera), one 1280x720 and one 960x540 clip, and nine still shots (static, pan, zoom-out; most
compressed) that must stay at the centre.  Its per-clip results are first looked at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD20 = [
    ("parking-drift-slow-crushed-21", "parking.mp4", "drift", 2001, dict(size=(480, 270), seconds=3.0, rate=0.07,
                                                                         crf=37)),
    ("parking-slow-crushed-21", "parking.mp4", "zoom", 2002, dict(size=(400, 300), seconds=3.0, rate=0.06, crf=36)),
    ("parking-slow-crushed-21b", "parking.mp4", "zoom", 2003, dict(size=(480, 360), seconds=3.0, rate=0.10,
                                                                   crf=34)),
    ("hallway-drift-slow-crushed-21", "hallway.mp4", "drift", 2004, dict(size=(480, 270), seconds=3.0, rate=0.06,
                                                                         crf=36)),
    ("hallway-slow-crushed-21", "hallway.mp4", "zoom", 2005, dict(size=(400, 300), seconds=3.0, rate=0.09, crf=37)),
    ("bottles-drift-slow-crushed-21", "bottles.mp4", "drift", 2006, dict(size=(400, 300), seconds=3.0, rate=0.07,
                                                                         crf=35)),
    ("bottles-slow-crushed-21", "bottles.mp4", "zoom", 2007, dict(size=(480, 270), seconds=3.0, fps=25, rate=0.08,
                                                                  crf=37)),
    ("walk-drift-slow-crushed-21", "walk.mkv", "drift", 2008, dict(size=(480, 270), seconds=2.9, full_range=True,
                                                                   rate=0.06, crf=37)),
    ("walk-zoom-crushed-21", "walk.mkv", "zoom", 2009, dict(size=(400, 300), seconds=2.9, full_range=True, crf=36)),
    ("book-drift-slow-crushed-21", "book.mkv", "drift", 2010, dict(size=(400, 300), seconds=3.5, full_range=True,
                                                                   rate=0.08, crf=36)),
    ("sister-slow-crushed-21", "sister.mkv", "zoom", 2011, dict(size=(480, 270), seconds=2.8, full_range=True,
                                                                rate=0.11, crf=35)),
    ("sister-drift-crushed-21", "sister.mkv", "drift", 2012, dict(size=(400, 300), seconds=2.8, full_range=True,
                                                                  crf=38)),
    ("milk-slow-crushed-21", "milk.mkv", "zoom", 2013, dict(size=(480, 270), seconds=1.7, full_range=True,
                                                            rate=0.10, crf=34)),
    ("gravel-drift-slow-crushed-21", "gravel.jpg", "drift", 2014, dict(size=(480, 270), seconds=3.0, rate=0.05,
                                                                       crf=36)),
    ("hubble-zoom-crushed-21", "hubble.jpg", "zoom", 2015, dict(size=(400, 300), seconds=3.0, crf=34)),
    ("camera-drift-slow-crushed-21", "camera.jpg", "drift", 2016, dict(size=(480, 270), seconds=3.0, rate=0.06,
                                                                       crf=35)),
    ("astronaut-zoom-shaky-21", "astronaut.jpg", "zoom", 2017, dict(size=(400, 300), seconds=3.0, shake=0.5,
                                                                    crf=34)),
    ("chelsea-drift-roll-21", "chelsea.jpg", "drift", 2018, dict(size=(480, 270), seconds=3.0, roll=0.04, crf=33)),
    ("hallway-slow-720p-21", "hallway.mp4", "zoom", 2019, dict(size=(1280, 720), seconds=3.0, rate=0.08, crf=35)),
    ("book-drift-540p-21", "book.mkv", "drift", 2020, dict(size=(960, 540), seconds=3.0, full_range=True,
                                                           rate=0.10, crf=34)),
    ("parking-static-crushed-21", "parking.mp4", "static", 2021, dict(size=(400, 300), seconds=3.0, crf=36)),
    ("hallway-static-crushed-21", "hallway.mp4", "static", 2022, dict(size=(480, 270), seconds=3.0, crf=37)),
    ("sister-static-crushed-21", "sister.mkv", "static", 2023, dict(size=(400, 300), seconds=2.8, full_range=True,
                                                                   crf=35)),
    ("bottles-pan-crushed-21", "bottles.mp4", "pan", 2024, dict(size=(480, 270), seconds=3.0, crf=35)),
    ("book-pan-crushed-21", "book.mkv", "pan", 2025, dict(size=(400, 300), seconds=3.5, full_range=True, crf=36)),
    ("parking-zoom-out-crushed-21", "parking.mp4", "zoom-out", 2026, dict(size=(480, 270), seconds=3.0, rate=0.07,
                                                                          crf=35)),
    ("walk-static-crushed-21", "walk.mkv", "static", 2027, dict(size=(400, 300), seconds=2.9, full_range=True,
                                                                crf=36)),
    ("hubble-zoom-out-21", "hubble.jpg", "zoom-out", 2028, dict(size=(480, 270), rate=0.06, crf=31)),
    ("chelsea-static-shaky-21", "chelsea.jpg", "static", 2029, dict(size=(400, 300), shake=0.4)),
]
