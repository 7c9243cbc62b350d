#!/usr/bin/env bash
# The GPU check: one script, under 8 minutes, for a machine with an NVIDIA GPU; prints one table.
#
#   bench/gpu.sh [OUT_DIR]          (default out/gpu; raw outputs and the table are kept there)
#
# It runs, each under its own time limit (a part that fails is a row saying so, never a hang):
#   1. bench/compositor.py: uncapped fps and p99 at 1920x1080, two layers + motion blur (headless EGL);
#   2. bench/switches.py: 200 cued switches at 60 Hz with 720p and with 1080p clips (headless EGL);
#   3. a 60 s `vj play` of the demo setlist under Xvfb with --stats (the window's GL from the NVIDIA driver).
#
# Needs: a python3 that imports vj's dependencies (PYTHON=... to choose one), the driver's EGL, and Xvfb
# (XVFB=... to choose one).  Xvfb's own GLX needs Mesa's software driver on the server side; the client
# then gets NVIDIA's GLX through glvnd (__GLX_VENDOR_LIBRARY_NAME=nvidia, set here unless given).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
XVFB=${XVFB:-Xvfb}
OUT_DIR=${1:-out/gpu}
SWITCHES=${GPU_SWITCHES:-200}      # smaller values only for a smoke test of this script
PLAY_SECONDS=${GPU_PLAY_SECONDS:-60}
mkdir -p "$OUT_DIR"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export __GLX_VENDOR_LIBRARY_NAME=${__GLX_VENDOR_LIBRARY_NAME:-nvidia}
export PYTHONUNBUFFERED=1
step() { echo "gpu.sh: $1 ($(date +%T))" >&2; }

step "compositor, uncapped"
timeout 150 "$PY" bench/compositor.py > "$OUT_DIR/compositor.txt" 2>&1 || echo "exit $?" >> "$OUT_DIR/compositor.txt"

step "switches at 60 Hz, 720p and 1080p clips"
timeout 240 "$PY" bench/switches.py "$SWITCHES" > "$OUT_DIR/switches.txt" 2>&1 || echo "exit $?" >> "$OUT_DIR/switches.txt"

step "vj play, $PLAY_SECONDS s under Xvfb"
{
  timeout 120 "$PY" -m vj bank demo && \
  { [ -f setlists/audio/demo.flac ] || timeout 60 "$PY" -m vj demo-track setlists/audio/demo.flac; } && \
  { [ -f setlists/audio/demo-96.flac ] || timeout 60 "$PY" -m vj demo-track setlists/audio/demo-96.flac --bpm 96 --seconds 30; } && \
  { [ -f setlists/audio/demo-140.flac ] || timeout 60 "$PY" -m vj demo-track setlists/audio/demo-140.flac --bpm 140 --seconds 30; }
} > "$OUT_DIR/demo.txt" 2>&1 || echo "exit $?" >> "$OUT_DIR/demo.txt"
display=""
for n in $(seq 90 139); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }
done
"$XVFB" "$display" -screen 0 1920x1080x24 -nolisten tcp -noreset > "$OUT_DIR/xvfb.txt" 2>&1 &
xpid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
DISPLAY=$display timeout 150 "$PY" -m vj play setlists/demo.toml --audio-file setlists/audio/demo.flac --mute \
  --no-vsync --size 1920x1080 --fps 60 --duration "$PLAY_SECONDS" --stats "$OUT_DIR/play.json" > "$OUT_DIR/play.txt" 2>&1 \
  || echo "exit $?" >> "$OUT_DIR/play.txt"
kill "$xpid" 2>/dev/null; wait "$xpid" 2>/dev/null

"$PY" bench/gpu_table.py "$OUT_DIR" | tee "$OUT_DIR/table.md"
