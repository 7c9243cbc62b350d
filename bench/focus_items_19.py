"""held-out-19 of the focus corpus (bench/focus_items.py builds its Items; kept here so that module stays short).

A nineteenth held-out set, written (2026-12-07, round focus19) after held-out-18's clips had been looked at (scored
once at the end of round focus18) and before any estimator change or trace of round focus19: new seeds 1901-1929
(so new heading points), the mix of held-out-18 with other rates, CRFs, sizes, frame rates and sources: crushed
slow drifts and push-ins on the real videos (parking, hallway, bottles, walk, book, sister, milk; rates 0.05-0.12/s,
CRF 33-38), compressed normal-speed zooms and drifts on the real videos and photos (gravel, hubble, rocket,
astronaut, chelsea, camera), one 1280x720 and one 960x540 clip, and nine still shots (static, pan, zoom-out; most
compressed) that must stay at the centre.  Its per-clip results are first looked at with the estimator final.

Each row: name, source, motion, seed, and the Item's other fields.
"""

HELD19 = [
    ("parking-drift-slow-crushed-20", "parking.mp4", "drift", 1901, dict(size=(400, 300), seconds=3.0, rate=0.08,
                                                                         crf=36)),
    ("parking-slow-crushed-20", "parking.mp4", "zoom", 1902, dict(size=(480, 270), seconds=3.0, rate=0.05, crf=37)),
    ("parking-slow-crushed-20b", "parking.mp4", "zoom", 1903, dict(size=(480, 360), seconds=3.0, rate=0.09,
                                                                   crf=35)),
    ("hallway-drift-slow-crushed-20", "hallway.mp4", "drift", 1904, dict(size=(400, 300), seconds=3.0, rate=0.07,
                                                                         crf=37)),
    ("hallway-slow-crushed-20", "hallway.mp4", "zoom", 1905, dict(size=(480, 270), seconds=3.0, rate=0.10, crf=35)),
    ("bottles-drift-slow-crushed-20", "bottles.mp4", "drift", 1906, dict(size=(480, 360), seconds=3.0, rate=0.06,
                                                                         crf=36)),
    ("bottles-slow-crushed-20", "bottles.mp4", "zoom", 1907, dict(size=(400, 300), seconds=3.0, fps=25, rate=0.09,
                                                                  crf=36)),
    ("walk-drift-slow-crushed-20", "walk.mkv", "drift", 1908, dict(size=(400, 300), seconds=2.9, full_range=True,
                                                                   rate=0.07, crf=36)),
    ("walk-zoom-crushed-20", "walk.mkv", "zoom", 1909, dict(size=(480, 270), seconds=2.9, full_range=True, crf=37)),
    ("book-drift-slow-crushed-20", "book.mkv", "drift", 1910, dict(size=(480, 360), seconds=3.5, full_range=True,
                                                                   rate=0.09, crf=35)),
    ("sister-slow-crushed-20", "sister.mkv", "zoom", 1911, dict(size=(400, 300), seconds=2.8, full_range=True,
                                                                rate=0.10, crf=36)),
    ("sister-drift-crushed-20", "sister.mkv", "drift", 1912, dict(size=(480, 270), seconds=2.8, full_range=True,
                                                                  crf=34)),
    ("milk-slow-crushed-20", "milk.mkv", "zoom", 1913, dict(size=(400, 300), seconds=1.7, full_range=True,
                                                            rate=0.12, crf=33)),
    ("gravel-drift-slow-crushed-20", "gravel.jpg", "drift", 1914, dict(size=(400, 300), seconds=3.0, rate=0.06,
                                                                       crf=35)),
    ("hubble-zoom-crushed-20", "hubble.jpg", "zoom", 1915, dict(size=(480, 270), seconds=3.0, crf=35)),
    ("rocket-drift-slow-crushed-20", "rocket.jpg", "drift", 1916, dict(size=(400, 300), seconds=3.0, rate=0.05,
                                                                       crf=34)),
    ("astronaut-zoom-shaky-20", "astronaut.jpg", "zoom", 1917, dict(size=(480, 270), seconds=3.0, shake=0.4,
                                                                    crf=33)),
    ("chelsea-drift-roll-20", "chelsea.jpg", "drift", 1918, dict(size=(400, 300), seconds=3.0, roll=0.05, crf=33)),
    ("parking-slow-720p-20", "parking.mp4", "zoom", 1919, dict(size=(1280, 720), seconds=3.0, rate=0.08, crf=35)),
    ("walk-drift-540p-20", "walk.mkv", "drift", 1920, dict(size=(960, 540), seconds=2.9, full_range=True,
                                                           rate=0.10, crf=34)),
    ("parking-static-crushed-20", "parking.mp4", "static", 1921, dict(size=(480, 270), seconds=3.0, crf=37)),
    ("bottles-static-crushed-20", "bottles.mp4", "static", 1922, dict(size=(400, 300), seconds=3.0, crf=36)),
    ("book-static-crushed-20", "book.mkv", "static", 1923, dict(size=(480, 270), seconds=3.5, full_range=True,
                                                                crf=35)),
    ("hallway-pan-crushed-20", "hallway.mp4", "pan", 1924, dict(size=(400, 300), seconds=3.0, crf=35)),
    ("sister-pan-crushed-20", "sister.mkv", "pan", 1925, dict(size=(480, 360), seconds=2.8, full_range=True, crf=36)),
    ("walk-zoom-out-crushed-20", "walk.mkv", "zoom-out", 1926, dict(size=(400, 300), seconds=2.9, full_range=True,
                                                                    rate=0.07, crf=35)),
    ("milk-static-crushed-20", "milk.mkv", "static", 1927, dict(size=(480, 270), seconds=1.7, full_range=True,
                                                                crf=36)),
    ("rocket-zoom-out-20", "rocket.jpg", "zoom-out", 1928, dict(size=(400, 300), rate=0.06, crf=31)),
    ("astronaut-static-shaky-20", "astronaut.jpg", "static", 1929, dict(size=(480, 270), shake=0.4)),
]
