#!/usr/bin/env bash
# `make demo`: builds the Python module into .venv (scripts/python-env.sh, with numpy, pandas and
# matplotlib from PyPI) and runs scripts/demo.py: the NYC taxi trace through the group of
# examples/taxi.json, a summary, build/demo.png and build/demo-compare.png. The firmware
# scenario of earlier stops is `make demo-firmware`.
#
# Downloads and the build go to build/demo-setup.log, not to the output: one line says where,
# and the log's tail is printed if the setup fails.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
log=build/demo-setup.log
echo "demo: building the Python module into .venv (log: $log)"
if ! PYTHON_ENV_TAG=demo bash scripts/python-env.sh numpy pandas matplotlib >"$log" 2>&1; then
    echo "demo: the setup failed; the end of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
fi
exec .venv/bin/python scripts/demo.py
