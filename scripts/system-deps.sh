#!/usr/bin/env bash
# Install the system libraries vj and its tests need, when missing (Debian/Ubuntu).
# Idempotent: does nothing when everything is present.  As root it runs apt-get;
# otherwise it prints the exact command to run and fails.
set -euo pipefail

PKGS=(
  libportaudio2            # sounddevice -> PortAudio (live audio input)
  jackd2 libjack-jackd2-0  # JACK server (dummy driver) for real audio/MIDI ports in tests
  xvfb xauth xdotool       # virtual X screen for pyglet windows in tests; real key presses (XTEST)
  libegl1 libegl-mesa0 libgl1-mesa-dri libgles2 libgl1  # headless GL through EGL (Mesa llvmpipe)
  iproute2                 # `ip link set lo up` in the private network namespace of the Link test
  nodejs chromium          # the reference ISF renderer (npm) on WebGL in headless Chromium (ISF tests)
  # the beat corpus (bench/beat_corpus.py, tests/test_beat_corpus.py, tests/test_beat_tracker.py):
  # FluidSynth's C library renders four General MIDI soundfonts
  fluidsynth libfluidsynth3
  fluid-soundfont-gm musescore-general-soundfont-small timgm6mb-soundfont opl3-soundfont
)

# npm: Debian packages it apart from nodejs; NodeSource's nodejs ships it inside (and conflicts with Debian's).
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

# A C compiler and the Python headers are needed only to build aubio from source.
command -v cc >/dev/null 2>&1 || PKGS+=(build-essential)
PY=${PYTHON:-python3}
# the headers and venv packages of the Python the Makefile uses (e.g. python3.11-dev), not the distro default
VER=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")' 2>/dev/null || echo 3)
if ! "$PY" -c 'import sysconfig, os, sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)' 2>/dev/null; then
  PKGS+=("python${VER}-dev")
fi
"$PY" -c 'import venv, ensurepip' 2>/dev/null || PKGS+=("python${VER}-venv")

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "vj setup: missing system packages: ${missing[*]}" >&2
  echo "vj setup: run:  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "vj setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
