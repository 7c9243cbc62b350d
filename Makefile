# Two commands set up a fresh Debian/Ubuntu machine: `make run` and `make test`.
# Both go through `make setup`, which is idempotent.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
VJ     := $(VENV)/bin/vj
STAMP  := $(VENV)/.vj-installed
OUT    := out
# the reference ISF renderer (npm) the ISF tests compare against, pinned by its package-lock.json
ISFREF := tests/isf_reference
ISFREF_STAMP := $(ISFREF)/node_modules/.vj-installed

.PHONY: setup sysdeps run test bench clean demo

setup: sysdeps $(STAMP) $(ISFREF_STAMP)

sysdeps:
	@PYTHON=$(PYTHON) bash scripts/system-deps.sh

$(STAMP): requirements.lock requirements-bench.lock requirements-link.lock pyproject.toml setup.py
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip setuptools wheel
	$(VENV)/bin/pip install -q -r requirements.lock
	# beat-tracker corpus and scoring (tests and bench); --no-deps: see the file
	$(VENV)/bin/pip install -q --no-deps -r requirements-bench.lock
	# optional Ableton Link (GPL-2+, never a dependency of vj): installed here so the tests cover it
	$(VENV)/bin/pip install -q -r requirements-link.lock
	$(VENV)/bin/pip install -q --no-deps --no-build-isolation -e .
	@touch $(STAMP)

$(ISFREF_STAMP): $(ISFREF)/package.json $(ISFREF)/package-lock.json
	cd $(ISFREF) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: setup
	$(VJ) demo --no-play

# The demo show: live in a window (with its track, heard and followed) when there is a display,
# else rendered to a video.
run: demo
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  $(VJ) play setlists/demo.toml --tracks; \
	else \
	  echo "vj: no display here (DISPLAY is not set): rendering the demo show to a video instead"; \
	  $(VJ) rehearse setlists/demo.toml --out $(OUT)/demo-show.mp4 --size 1280x720 --force && \
	  echo "vj: the demo show is at $(abspath $(OUT)/demo-show.mp4), its report at $(abspath $(OUT)/demo-show.html)"; \
	fi

test: setup
	$(VENV)/bin/python -m pytest -q

bench: setup
	$(VENV)/bin/python bench/decode.py
	$(VENV)/bin/python bench/compositor.py
	$(VENV)/bin/python bench/isf_chain.py
	$(VENV)/bin/python bench/show_effects.py
	$(VENV)/bin/python bench/rehearse.py
	$(VENV)/bin/python bench/beats.py
	$(VENV)/bin/python bench/osc.py
	$(VENV)/bin/python bench/midi_clock.py
	$(VENV)/bin/python bench/focus.py
	$(VENV)/bin/python bench/panel.py
	$(MAKE) demo && $(VENV)/bin/python bench/play.py
	$(VENV)/bin/python bench/seams.py
	$(VENV)/bin/python bench/flow.py
	$(VENV)/bin/python bench/loops.py
	$(VENV)/bin/python bench/faults.py
	$(VENV)/bin/python bench/soak.py --minutes 12

clean:
	rm -rf $(OUT) .pytest_cache
