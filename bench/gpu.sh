#!/usr/bin/env bash
# The GPU check: one script, under 8 minutes, for a machine with an NVIDIA GPU; prints one table.
#
#   bench/gpu.sh [OUT_DIR]          (default out/gpu; raw outputs and the table are kept there)
#
# It runs, each under its own time limit and all within GPU_BUDGET seconds (default 470: a part that fails
# or runs out of time is a row saying so, never a hang):
#   1. bench/compositor.py: uncapped fps and p99 at 1920x1080, two layers + motion blur (headless EGL);
#   2. bench/switches.py: 200 cued switches at 60 Hz with 720p and with 1080p clips (headless EGL);
#   3. a 60 s `vj play` of the demo setlist with --stats at 1920x1080, 60 Hz, the control panel beside the
#      output, twice: --quality auto (what a performer runs: the table says the render scale it settled at,
#      1.0 when the GPU keeps up) and --quality fixed (always full quality: the frame rate the GPU itself
#      holds); the second is skipped, and says so, when the budget is spent.
#
# The window's GL: GPU_PLAY_GL=egl (default) runs vj play on pyglet's EGL platform (PYGLET_HEADLESS: the
# NVIDIA EGL driver, an offscreen window; the flip is eglSwapBuffers), because Xvfb's GLX is Mesa's and
# NVIDIA's GLX needs NVIDIA's X server.  GPU_PLAY_GL=glx runs it in an Xvfb window through GLX instead
# (__GLX_VENDOR_LIBRARY_NAME=nvidia unless given).  The table names the GL that drew each run: a row that
# says llvmpipe measured the CPU, not the GPU.
#
# Needs: a python3 that imports vj's dependencies (PYTHON=... to choose one), the driver's EGL, and Xvfb
# (XVFB=... to choose one).  A smoke test of this script without a GPU:
#   GPU_SWITCHES=10 GPU_PLAY_SECONDS=5 GPU_COMP_ROUNDS="1 3" PYTHON=.venv/bin/python bench/gpu.sh out/gpu-smoke
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
XVFB=${XVFB:-Xvfb}
OUT_DIR=${1:-out/gpu}
SWITCHES=${GPU_SWITCHES:-200}      # smaller values only for a smoke test of this script
PLAY_SECONDS=${GPU_PLAY_SECONDS:-60}
PLAY_GL=${GPU_PLAY_GL:-egl}
COMP_ROUNDS=${GPU_COMP_ROUNDS:-"20 30"}   # rounds x frames a case: 600 frames, so p99 means something
BUDGET=${GPU_BUDGET:-470}          # seconds for the whole script: under 8 minutes with the table
mkdir -p "$OUT_DIR"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1
step() { echo "gpu.sh: $1 ($(date +%T), $SECONDS s)" >&2; }
# a part's time limit: its own ($1), or what is left of the budget less what is kept back for later ($2)
limit() { local l=$((BUDGET - SECONDS - ${2:-0})); (( l < $1 )) && echo $((l > 1 ? l : 1)) || echo "$1"; }
KEEP=$((PLAY_SECONDS + 45))       # the benches leave room for at least the --quality auto run of vj play
rm -f "$OUT_DIR"/play-*.json "$OUT_DIR"/play-*.txt

step "the demo bank and tracks"
{
  timeout "$(limit 120 $KEEP)" "$PY" -m vj bank demo && \
  { [ -f setlists/audio/demo.flac ] || timeout 60 "$PY" -m vj demo-track setlists/audio/demo.flac; } && \
  { [ -f setlists/audio/demo-96.flac ] || timeout 60 "$PY" -m vj demo-track setlists/audio/demo-96.flac --bpm 96 --seconds 30; } && \
  { [ -f setlists/audio/demo-140.flac ] || timeout 60 "$PY" -m vj demo-track setlists/audio/demo-140.flac --bpm 140 --seconds 30; }
} > "$OUT_DIR/demo.txt" 2>&1 || echo "exit $?" >> "$OUT_DIR/demo.txt"

step "compositor, uncapped"
timeout "$(limit 120 $KEEP)" "$PY" bench/compositor.py $COMP_ROUNDS > "$OUT_DIR/compositor.txt" 2>&1 || echo "exit $?" >> "$OUT_DIR/compositor.txt"

step "switches at 60 Hz, 720p and 1080p clips"
timeout "$(limit 200 $KEEP)" "$PY" bench/switches.py "$SWITCHES" > "$OUT_DIR/switches.txt" 2>&1 || echo "exit $?" >> "$OUT_DIR/switches.txt"

display=""
for n in $(seq 90 139); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }
done
"$XVFB" "$display" -screen 0 2560x1440x24 -nolisten tcp -noreset > "$OUT_DIR/xvfb.txt" 2>&1 &
xpid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
if [ "$PLAY_GL" = egl ]; then gl_env=(PYGLET_HEADLESS=1); else gl_env=(__GLX_VENDOR_LIBRARY_NAME=${__GLX_VENDOR_LIBRARY_NAME:-nvidia}); fi
for quality in auto fixed; do
  if (( BUDGET - SECONDS < PLAY_SECONDS + 20 )); then
    echo "skipped: the budget of $BUDGET s was spent" > "$OUT_DIR/play-$quality.txt"; continue
  fi
  step "vj play --quality $quality, $PLAY_SECONDS s ($PLAY_GL)"
  env DISPLAY="$display" "${gl_env[@]}" timeout "$(limit $((PLAY_SECONDS + 45)))" "$PY" -m vj play setlists/demo.toml \
    --audio-file setlists/audio/demo.flac --mute --no-vsync --size 1920x1080 --fps 60 --duration "$PLAY_SECONDS" \
    --quality "$quality" --osc-port 0 --stats "$OUT_DIR/play-$quality.json" > "$OUT_DIR/play-$quality.txt" 2>&1 \
    || echo "exit $?" >> "$OUT_DIR/play-$quality.txt"
done
kill "$xpid" 2>/dev/null; wait "$xpid" 2>/dev/null

"$PY" bench/gpu_table.py "$OUT_DIR" | tee "$OUT_DIR/table.md"
