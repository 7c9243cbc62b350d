"""Issue 14, fault 5: losing the audio input must be shown, and its return too.

The real `vj play` listening to a real JACK server (dummy driver) under Xvfb; the server is killed
(SIGKILL, as a crash) and started again mid-show.  The campaign found vj reconnecting and holding
the tempo, but the panel still said "input system" and nothing was printed.
"""

from __future__ import annotations

import shutil
import time

import pytest

from jack import jack_server
from playrig import BLACK_BOUND, FROZEN_BOUND, PlayRun
from servers import xvfb

pytestmark = pytest.mark.skipif(shutil.which("jackd") is None or shutil.which("xdotool") is None,
                                reason="jackd or xdotool missing: run make setup")


def test_jack_killed_and_restarted_mid_show_is_said_and_the_output_runs_on(test_bank, tmp_path):
    root, banks, track = test_bank
    with jack_server() as server, xvfb("1280x800x24") as display:
        run = PlayRun(display, [str(banks / "t"), "--audio-device", "system", "--duration", "20"], tmp_path).start()
        try:
            run.wait_window()
            time.sleep(3.0)
            killed = time.monotonic()
            server.kill()                 # SIGKILL: the audio server crashed
            time.sleep(4.0)
            server.start()
            restarted = time.monotonic()
            code = run.wait()
        finally:
            run.terminate()
    assert code == 0, run.stderr
    err = run.stderr
    w = run.watch
    at, _ = w.frozen_at(run.window_at, run.show_end)
    print(f"\nJACK killed at {run.rel(killed):.1f} s, back at {run.rel(restarted):.1f}; the longest frozen stretch at {run.rel(at):.1f} s; started showing at {run.rel(run.window_at):.1f}")
    print(f"\nJACK killed for 4 s: output frozen at most {run.frozen():.2f} s, black "
          f"{run.black():.2f} s")
    lost = [line for line in err.splitlines() if "audio input lost" in line]
    back = [line for line in err.splitlines() if "audio input back" in line]
    assert lost and back, err
    assert "system" in lost[0] and "reconnect" in lost[0]
    stats = run.stats()
    audio = stats["audio_input"]
    assert audio["dropouts"] == 1, audio
    assert 2.0 < audio["lost_s"] < 4.0 + (time.monotonic() - restarted), audio
    assert audio["connected_at_end"] is True
    assert run.frozen() < FROZEN_BOUND and run.black() < BLACK_BOUND
    assert killed < restarted
