#!/usr/bin/env bash
# `make demo`: builds the Python module into .venv (scripts/python-env.sh, with numpy, pandas and
# matplotlib from PyPI) and the Cortex-M4 firmware that replays a controller document
# (scripts/firmware.sh doc-build: bin golden_doc for QEMU mps2-an386), then runs scripts/demo.py:
# the NYC taxi trace through the group of examples/taxi.json, a summary, the plots, a sweep that
# writes build/chosen.json, and the first day of that document on the firmware in QEMU, checked
# against Python. The firmware scenario of earlier stops is `make demo-firmware`.
#
# Downloads and builds go to build/demo.log, not to the output: one line says where, and the
# log's tail is printed if a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
log=build/demo.log
: >"$log"
step() { # what, command...
    local what=$1
    shift
    if ! "$@" >>"$log" 2>&1; then
        echo "demo: $what failed; the end of $log:" >&2
        tail -n 30 "$log" >&2
        exit 1
    fi
}
echo "demo: building the Python module into .venv and the Cortex-M4 firmware (log: $log)"
step "the Python module's setup" env PYTHON_ENV_TAG=demo bash scripts/python-env.sh numpy pandas matplotlib
step "the firmware build" bash scripts/firmware.sh doc-build
exec .venv/bin/python scripts/demo.py
