"""The progress bar: draws in a terminal, stays quiet in a pipe, always prints the summary."""

from __future__ import annotations

import io

from vj.progress import Progress


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_when_not_a_tty_but_prints_summary() -> None:
    out = io.StringIO()
    bar = Progress("import", 3, stream=out)
    for i in range(3):
        bar.advance(note=f"clip{i}.mp4")
    bar.close("done: 3 clips")
    assert out.getvalue() == "done: 3 clips\n"


def test_draws_in_place_on_a_tty() -> None:
    out = Tty()
    t = [0.0]
    bar = Progress("import", 4, stream=out, clock=lambda: t[0])
    for i in range(4):
        t[0] += 1.0
        bar(i + 1, note=f"c{i}.mp4")
    text = out.getvalue()
    assert text.count("\r") == 4 and "[############------------] 2/4 eta 0:02 c1.mp4" in text
    bar.close("ok")
    assert out.getvalue().endswith("\rok\n")
