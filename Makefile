# cudalike: the two commands a learner needs are `make lab` and `make test`.
#
#   make lab    create .venv if missing, install cudalike with its extras, and open JupyterLab
#               on START-HERE.ipynb (the course map); it serves the repository, so courses/ and
#               exercises/ are both there. Options: PORT=8899 (default 8888; a busy port moves
#               on to the next free one), OPEN=no (never open a browser; OPEN=yes always; the
#               default opens one only when there is a display), IP=0.0.0.0 (listen on every
#               interface, e.g. in a container; default localhost). The URL with its token is
#               printed either way. As root it adds --allow-root.
#   make test   the same install, a headless Chromium, then every test and every lesson, spread
#               over every CPU (WORKERS=4 picks the number of processes, WORKERS=0 runs in one)
#   make lint   ruff format --check and ruff check
#   make bench  run each bench/*.py
#
# The install is skipped while the stamp file in .venv is newer than pyproject.toml.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.cudalike-installed

.PHONY: lab test lint bench venv chromium

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "cudalike needs Python >= 3.10"'
	@# Debian's python3 lacks venv/ensurepip until python3-venv is installed.
	@if [ ! -x $(PY) ] && ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv; \
		else \
			echo "Python's venv module is missing: run 'sudo apt-get install python3-venv'"; exit 1; \
		fi; \
	fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[lab,dev]'
	@touch $(STAMP)

PORT ?= 8888
OPEN ?= auto
IP ?= localhost

# A browser opens only where one can: macOS, or a Linux desktop (DISPLAY or WAYLAND_DISPLAY).
# On a server or in a container jupyter prints the URL with its token; open it from there.
lab: $(STAMP)
	@case "$(OPEN)" in yes|no|auto) ;; *) echo "OPEN=$(OPEN): use yes, no or auto"; exit 2;; esac; \
	open="$(OPEN)"; \
	if [ "$$open" = auto ]; then \
		if [ "$$(uname -s)" = Darwin ] || [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then open=yes; else open=no; fi; \
	fi; \
	flags="--ServerApp.root_dir=$(CURDIR) --port=$(PORT) --ip=$(IP)"; \
	flags="$$flags --LabApp.default_url=/lab/tree/START-HERE.ipynb"; \
	if [ "$$open" = no ]; then flags="$$flags --no-browser"; fi; \
	if [ "$$(id -u)" = 0 ]; then flags="$$flags --allow-root"; fi; \
	echo "JupyterLab on port $(PORT) (browser: $$open); the URL with its token follows."; \
	exec $(VENV)/bin/jupyter lab $$flags

# The browser tests drive JupyterLab in Debian's Chromium (never a downloaded browser build).
# Without it they skip with a reason on a developer machine and fail under CI (CI is set).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
		else \
			echo "chromium not found: the browser tests will be skipped."; \
			echo "Install it with 'sudo apt-get install -y chromium' (Debian/Ubuntu)."; \
		fi; \
	fi
	@# The grader's sandbox runs submissions under bubblewrap where it exists (its tests too).
	@if ! command -v bwrap >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y bubblewrap; \
		else \
			echo "bwrap not found: the grader uses its fallback sandbox; its bwrap tests skip."; \
			echo "Install it with 'sudo apt-get install -y bubblewrap' (Debian/Ubuntu)."; \
		fi; \
	fi

# Lessons and the start page (START-HERE.ipynb) run under nbval's lax mode: every cell must run
# without an error, but stored outputs are not compared, because notebooks are committed with
# their outputs cleared (clean diffs, no stale results). What a lesson claims is checked inside
# the lesson by assertions (np.testing.assert_allclose); a cell whose exact output matters can
# opt in to comparison with a "# NBVAL_CHECK_OUTPUT" comment. --nbval-current-env runs them in
# this venv's kernel.
# Both runs use pytest-xdist, one worker process per logical CPU (WORKERS=N to choose; 0 runs
# everything in the pytest process itself). Both go out one file per worker (--dist loadfile): a
# test module's fixtures are built once, a notebook's cells share one kernel; tests/conftest.py
# names the test files that must also share a worker with each other, and why.
# Both runs always happen and the target fails if either failed. The tests give themselves a
# temporary home (tests/conftest.py); the lessons get one here, so running them never writes
# the real ~/.local/share/cudalike or Jupyter settings.
WORKERS ?= logical

test: $(STAMP) chromium
	@status=0; home=$$(mktemp -d); \
	$(PY) -m pytest -n $(WORKERS) --dist loadfile --durations=40 || status=1; \
	HOME="$$home" XDG_DATA_HOME="$$home/.local/share" XDG_CONFIG_HOME="$$home/.config" \
	XDG_CACHE_HOME="$$home/.cache" JUPYTER_CONFIG_DIR="$$home/.jupyter" \
	JUPYTER_DATA_DIR="$$home/.local/share/jupyter" IPYTHONDIR="$$home/.ipython" \
	JUPYTER_RUNTIME_DIR="$$home/.local/share/jupyter/runtime" \
	CUDALIKE_DATA_DIR="$$home/.local/share/cudalike" \
		$(PY) -m pytest -n $(WORKERS) --dist loadfile --nbval-lax --nbval-current-env \
			courses/ START-HERE.ipynb || status=1; \
	rm -rf "$$home"; \
	if [ $$status -ne 0 ]; then echo "make test: the tests or the lessons failed (see above)"; fi; \
	exit $$status

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	@for f in bench/*.py; do \
		[ -e "$$f" ] || continue; \
		echo "== $$f"; $(PY) "$$f" || exit 1; \
	done
