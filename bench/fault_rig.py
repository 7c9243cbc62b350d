"""The fault suite's rig (bench/faults.py, bench/fault_cases.py): the media one invocation plays, a row of
the table, and what a row is judged by: what the user wrote (hashed), what vj said, frames shown."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from media import write_clip  # noqa: E402
from playrig import PlayRun  # noqa: E402
from vj.bank import import_bank  # noqa: E402


@dataclass
class Show:
    """The media of one invocation: the test bank ``t`` (4 clips) with its track, and per fault a bank of
    its own whose files the fault may break."""
    root: Path
    banks: Path
    track: Path
    display: str
    tag: str = ""     #: the round, in every name a fault makes (each round's files are its own)

    def own_bank(self, name: str) -> tuple[Path, Path]:
        name += self.tag
        src = self.root / name / "drive" / "clips"
        for i in range(3):
            write_clip(src / f"clip{i}.mp4", size=(96, 54), seconds=2.0, seed=i * 5)
        import_bank(src, name, banks_dir=self.banks, focus=False)
        setlist = self.root / f"{name}.toml"
        setlist.write_text(f'[setlist]\ntitle = "{name}"\n[[songs]]\ntitle = "one"\nbank = "{self.banks / name}"\n'
                           "switch_bars = 1\n")
        return setlist, src

    def play(self, args: list[str], name: str, seconds: float, *, audio: bool = True) -> PlayRun:
        extra = ["--audio-file", str(self.track), "--mute"] if audio else []
        return PlayRun(self.display, [*args, *extra, "--duration", str(seconds)],
                       self.root / "runs" / f"{name}{self.tag}").start()


@dataclass
class Row:
    fault: str
    black: float
    frozen: float
    said: str | None          #: the first line that names the fault, None when nothing was said
    recovered: bool | None    #: None: nothing to recover from (the baseline)
    lost: list[str]           #: what the user wrote that is gone or changed
    fps: tuple[float, int]     #: frames a second, frames dropped
    expect_said: bool = True
    said_words: int = 9        #: how many of its words the table shows


def user_files(root: Path) -> dict[str, str]:
    """What the user wrote: setlists, bank.toml files and clips, by content."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in (".toml", ".mp4") and "runs" not in p.parts:
            out[str(p.relative_to(root))] = hashlib.sha1(p.read_bytes()).hexdigest()
    return out


def said(run: PlayRun, *words: str) -> str | None:
    for line in run.stderr.splitlines():
        if any(w in line for w in words):
            return line.strip()
    return None


def fps_of(run: PlayRun) -> tuple[float, int]:
    """Frames shown a second over the show's --duration, and the frames the loop dropped (from --stats)."""
    try:
        s = run.stats()
    except (OSError, ValueError):
        return 0.0, 0
    seconds = float(run.args[run.args.index("--duration") + 1])
    return s.get("frames", 0) / seconds, int(s.get("dropped_frames", 0))


def finish(run: PlayRun) -> int:
    try:
        return run.wait()
    finally:
        run.terminate()
        (run.workdir / "stderr.txt").write_text(run.stderr)


def words(line: str | None, n: int = 9, *, yes: bool = True) -> str:
    """The first words of a line, paths cut to their file names (the table stays readable)."""
    if not line:
        return "no"
    words = [w.rsplit("/", 1)[-1] if "/" in w.rstrip("/") and not w.startswith("/vj/") else w
             for w in line.removeprefix("vj: ").split()]
    return ("yes: " if yes else "") + " ".join(words[:n]) + (" ..." if len(words) > n else "")


def merge(rows: list[tuple[str, Row]]) -> list[Row]:
    """One row per fault over the rounds: the worst black and frozen stretch, recovered only if every
    round did, said only if every round said (the first round's line), anything lost in any round."""
    out: dict[str, Row] = {}
    for name, r in rows:
        m = out.get(name)
        if m is None:
            out[name] = Row(r.fault, r.black, r.frozen, r.said, r.recovered, list(r.lost), r.fps, r.expect_said,
                            r.said_words)
            continue
        m.black, m.frozen = max(m.black, r.black), max(m.frozen, r.frozen)
        m.said = m.said if (m.said and r.said) else None
        m.recovered = None if m.recovered is None and r.recovered is None else bool(m.recovered is not False
                                                                                   and r.recovered is not False)
        m.lost += r.lost
        m.fps = (min(m.fps[0], r.fps[0]), max(m.fps[1], r.fps[1]))
    return list(out.values())


def secs(x: float) -> str:
    return "-" if x != x else f"{x:.2f}"
