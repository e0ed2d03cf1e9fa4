#!/usr/bin/env bash
# Testing tier 6 (STYLE.md): build the fleetcore wheel with maturin, install it into .venv, run
# pytest on python/tests and mypy's stubtest on the compiled module.
#
# scripts/python-env.sh makes the venv at .venv in the repository root and installs the wheel;
# this adds pytest, hypothesis, mypy, numpy, pandas and matplotlib from PyPI (the last three
# are optional for users; installed here so the paths that use them are tested).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=.venv

py="$venv/bin/python"
PYTHON_ENV_TAG=python-tests bash scripts/python-env.sh \
    'pytest>=7' 'hypothesis>=6' 'mypy>=1.10' numpy pandas matplotlib 'jsonschema>=4.18' 'distributed>=2024.1'

echo "python-tests: pytest"
status=0
# -p no:cacheprovider: no .pytest_cache in the source tree.
"$py" -m pytest -p no:cacheprovider python/tests || status=$?
if [[ $status -eq 5 ]]; then
    echo "python-tests: pytest collected no tests" >&2
    exit 1
elif [[ $status -ne 0 ]]; then
    exit "$status"
fi

echo "python-tests: stubtest"
# Run from outside the source tree so `fleetcore` resolves to the installed package.
(cd "$venv" && bin/python -m mypy.stubtest fleetcore._fleetcore)

echo "python-tests: ok"
