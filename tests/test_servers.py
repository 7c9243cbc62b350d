"""The test servers themselves: test runs side by side must not trip over each other's X screens."""

from __future__ import annotations

import subprocess
import threading

from servers import xvfb


def test_xvfb_started_at_once_from_several_threads_gets_distinct_working_displays():
    got: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with xvfb("320x200x24") as display:
                r = subprocess.run(["xdotool", "getdisplaygeometry"], env={"DISPLAY": display, "PATH": "/usr/bin:/bin"},
                                   capture_output=True, text=True, timeout=20)
                got.append((display, r.stdout.strip()))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, errors
    assert len({d for d, _ in got}) == 4 and all(geometry == "320 200" for _, geometry in got), got
