"""A terminal window for tests: ``python tests/terminal.py TRANSCRIPT COMMAND`` runs an interactive bash on a
pseudo-terminal, types COMMAND at its prompt (bash runs it as its foreground job, as a performer's typing
does), and closes the terminal when told, as closing its window does: the kernel hangs the terminal up,
bash gets SIGHUP and sends SIGHUP on to its job, then exits.

On its stdout, one line each: ``pid N`` (the job's process, once it runs), ``closed`` (after the hang-up),
``exit N`` (how the job ended: its exit code, or -SIGNAL).  On its stdin: a line ``close`` closes the
terminal.  What the terminal showed goes to TRANSCRIPT.  It makes itself the job's child subreaper, so the
job, orphaned when bash exits, is still its child to wait for (and never a stray process).
"""

from __future__ import annotations

import ctypes
import os
import pty
import select
import sys
import threading
import time

PR_SET_CHILD_SUBREAPER = 36


def main(transcript: str, command: str) -> int:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    bash, master = pty.fork()
    if bash == 0:
        os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
    shown = open(transcript, "wb", buffering=0)

    closing = threading.Event()

    def read() -> None:
        """A terminal reads what is written to it (a full one would block the show) until its window closes:
        the master side closed here, by the one thread that uses it (a read in flight would hold it open)."""
        while not closing.is_set():
            if select.select([master], [], [], 0.1)[0]:
                try:
                    data = os.read(master, 4096)
                except OSError:
                    break
                if not data:
                    break
                shown.write(data)
        os.close(master)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    os.write(master, (command + "\n").encode())
    job = 0
    deadline = time.monotonic() + 30
    while not job and time.monotonic() < deadline:
        try:
            children = open(f"/proc/{bash}/task/{bash}/children").read().split()
        except OSError:
            children = []
        job = int(children[0]) if children else 0
        time.sleep(0.05)
    print(f"pid {job}", flush=True)
    for line in sys.stdin:
        if line.strip() == "close":
            break
    closing.set()           # the window closes: the terminal hangs up
    reader.join()
    os.waitpid(bash, 0)
    print("closed", flush=True)
    if job:
        _, status = os.waitpid(job, 0)
        print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
