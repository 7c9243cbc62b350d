"""What a running `vj play` does with signals from outside, on the real command under Xvfb.

- The terminal that started it closes (its window shut, an SSH session dropped): bash, in a real
  pseudo-terminal (tests/terminal.py), is hung up and sends SIGHUP to its job.  The show went dark
  (Python's default for SIGHUP ends the process); it must play on and say where its messages go.
- SIGTERM (`kill PID`, a service manager's stop) killed the show at once: no clean autosave (the next
  `vj play` asked to resume a crash), no message, exit -15.  It ends the show as Ctrl+Q does, exit 0;
  Ctrl+C (SIGINT) the same.
"""

from __future__ import annotations

import json
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from playrig import PlayRun, free_udp_port
from servers import xvfb
from vj.live.autosave import state_path

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="pseudo-terminals and X: Linux")
TERMINAL = Path(__file__).with_name("terminal.py")


def _saved(path: Path) -> dict:
    return json.loads(path.read_text())


def _fresh_saves(path: Path, after: float, timeout: float = 10.0) -> bool:
    """Whether the show autosaves (twice a second while it plays) after ``after`` (time.time())."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if _saved(path)["saved_at"] > after:
                return True
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.2)
    return False


def test_closing_the_terminal_keeps_the_show_playing_and_sigterm_ends_it_cleanly(test_bank, tmp_path, monkeypatch):
    root, banks, track = test_bank
    state_dir = tmp_path / "state"
    bank = str(banks / "t")
    stats = tmp_path / "stats.json"
    argv = [sys.executable, "-m", "vj", "play", bank, "--audio-file", str(track), "--mute", "--no-vsync", "--fps",
            "30", "--size", "320x180", "--priority", "normal", "--fresh", "--osc-port", str(free_udp_port()),
            "--stats", str(stats)]
    with xvfb("1280x800x24") as display:
        env = dict(os.environ, DISPLAY=display, VJ_STATE_DIR=str(state_dir), PYTHONPATH=os.pathsep.join(sys.path))
        with monkeypatch.context() as m:   # state_path() here: the same file vj play saves to
            m.setenv("VJ_STATE_DIR", str(state_dir))
            state_file = state_path(bank)
        log = state_file.with_suffix(".log")
        shown = tmp_path / "terminal.txt"
        term = subprocess.Popen([sys.executable, str(TERMINAL), str(shown), shlex.join(argv)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, env=env)
        pid = 0
        try:
            pid = int(term.stdout.readline().split()[1])
            assert pid, shown.read_text(errors="replace")
            assert _fresh_saves(state_file, 0.0, 60.0), shown.read_text(errors="replace")   # the show plays
            term.stdin.write("close\n")          # the terminal's window closes
            term.stdin.flush()
            assert term.stdout.readline().strip() == "closed"
            hung_up = time.time()
            time.sleep(3.0)
            assert os.path.exists(f"/proc/{pid}"), "vj play died with its terminal"
            assert _fresh_saves(state_file, hung_up + 2.0), "the show stopped playing after the terminal closed"
            said = log.read_text()
            # SIGHUP, or a message vj printed in the moment before bash sent it on (the same move)
            assert re.search(r"the terminal that started vj play closed \((SIGHUP|a message to it failed)\): the show "
                             r"plays on", said), said
            assert f"its messages now go to {log}" in said, said
            os.kill(pid, signal.SIGTERM)         # and now a clean stop
            exit_line = term.stdout.readline().strip()
        finally:
            if term.poll() is None and pid and os.path.exists(f"/proc/{pid}"):
                os.kill(pid, signal.SIGKILL)
            term.communicate(timeout=30)
    said = log.read_text()
    assert exit_line == "exit 0", (exit_line, said[-3000:])
    assert "vj: SIGTERM: the show ended cleanly" in said and "Traceback" not in said, said[-3000:]
    assert "vj: played " in said, said[-3000:]           # its last words went to the log, not to a dead terminal
    assert _saved(state_file)["running"] is False         # a clean end: the next vj play does not ask to resume
    messages = json.loads(stats.read_text())["messages"]
    assert any(re.search(r"closed \((SIGHUP|a message to it failed)\): the show plays on", m) for m in messages), \
        messages   # said on the panel too


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_end_the_show_as_ctrl_q_does(test_bank, tmp_path, sig):
    root, banks, track = test_bank
    bank = str(banks / "t")
    with xvfb("1280x800x24") as display:
        run = PlayRun(display, [bank, "--audio-file", str(track), "--mute", "--fresh"], tmp_path,
                      env={"VJ_STATE_DIR": str(tmp_path / "state")}).start()
        try:
            run.wait_window()
            time.sleep(1.0)
            run.proc.send_signal(sig)
            code = run.wait(60)
        finally:
            run.terminate()
    said = run.stderr
    name = "SIGTERM" if sig == signal.SIGTERM else "Ctrl+C (SIGINT)"
    assert code == 0, said[-3000:]
    assert f"vj: {name}: the show ended cleanly" in said and "Traceback" not in said, said[-3000:]
    saved = next((tmp_path / "state").glob("show-*.json"))
    assert _saved(saved)["running"] is False, "the autosave was left as after a crash"
    assert run.stats()["frames"] > 0                     # --stats written: the show's end ran


CHILD = """
import sys, time
from pathlib import Path
from vj.live.signals import ShowSignals

class Player:
    quit = False
    def __init__(self):
        self.outside_news = []

player = Player()
signals = ShowSignals(player, Path(sys.argv[1])).install()
print("playing", flush=True)
Path(sys.argv[2] + ".ready").touch()    # the print has returned: the terminal may close now
while not Path(sys.argv[2]).exists():   # the terminal closes meanwhile, and no SIGHUP comes
    time.sleep(0.02)
if sys.argv[4] == "during":
    print("vj: a warning said after the terminal closed", file=sys.stderr)   # as Player._say prints one
signals.restore(streams=False)          # as vj play does after the show, before its summary
print("vj: played 10 frames", flush=True)
signals.restore()
Path(sys.argv[3]).write_text("\\n".join(player.outside_news))
"""


def _close_the_terminal_then_print(tmp_path, log: Path, during: bool = True) -> int:
    """CHILD on a pseudo-terminal that closes while it plays, with no SIGHUP; its exit code."""
    go, news = tmp_path / "go", tmp_path / "news.txt"
    master, slave = os.openpty()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(log), str(go), str(news), "during" if during else "after"], stdin=subprocess.DEVNULL,
                             stdout=slave, stderr=slave, start_new_session=True,
                             env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    os.close(slave)
    try:
        seen, ready, until = b"", Path(str(go) + ".ready"), time.monotonic() + 30.0
        while not ready.exists():   # not on reading "playing": its print may still be writing (a race that failed
            assert time.monotonic() < until, seen   # the print, so every test passed with its fix undone)
            if select.select([master], [], [], 0.05)[0]:
                seen += os.read(master, 4096)
        os.close(master)                 # the terminal's window closes: its pseudo-terminal hangs up
        master = -1
        go.touch()
        return child.wait(30)
    finally:
        if master >= 0:
            os.close(master)
        if child.poll() is None:
            child.kill()
            child.wait()


def test_a_write_to_a_closed_terminal_goes_to_the_log_and_the_show_plays_on(tmp_path):
    """The terminal can be gone before any SIGHUP says so (bash sends it on a moment after the hang-up; a job
    started with `&` and `disown`, or under `setsid`, never gets one): a message printed then met EIO, an OSError
    out of the frame loop's print that ended the show.  It must go to the log, and the show play on."""
    log, news = tmp_path / "show.log", tmp_path / "news.txt"
    code = _close_the_terminal_then_print(tmp_path, log)
    said = log.read_text() if log.exists() else ""
    assert code == 0, said
    assert "a warning said after the terminal closed" in said and "vj: played 10 frames" in said, said
    assert "Traceback" not in said, said
    assert "the terminal that started vj play closed" in news.read_text()   # said on the panel


def test_the_summary_after_a_clean_end_goes_to_the_log_when_the_terminal_is_gone(tmp_path):
    """Nothing printed during the show, the terminal gone with no SIGHUP: the summary vj play prints after the
    show was the first write to meet EIO, after the guard was taken off (a clean end that exited 1)."""
    log = tmp_path / "show.log"
    code = _close_the_terminal_then_print(tmp_path, log, during=False)
    said = log.read_text() if log.exists() else ""
    assert code == 0 and "vj: played 10 frames" in said and "Traceback" not in said, said


def test_a_log_that_cannot_be_written_drops_the_messages_and_the_show_plays_on(tmp_path):
    """The log's disk full (/dev/full: ENOSPC): the line that starts the log failed inside the move, and its
    OSError came out of the print (or out of the SIGHUP handler, anywhere in the frame loop).  Messages are dropped."""
    assert _close_the_terminal_then_print(tmp_path, Path("/dev/full")) == 0
