#!/usr/bin/env bash
# `make demo`: builds the Python module into .venv (scripts/python-env.sh, with numpy and
# matplotlib from PyPI) and runs scripts/demo.py: the NYC taxi trace through the group of
# examples/taxi.json, a summary and build/demo.png. The firmware scenario of earlier stops is
# `make demo-firmware`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON_ENV_TAG=demo bash scripts/python-env.sh numpy matplotlib
exec .venv/bin/python scripts/demo.py
