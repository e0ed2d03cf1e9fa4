#!/usr/bin/env bash
# Testing tier 6 (STYLE.md): build the fleetcore wheel with maturin, install it into .venv, run
# pytest on python/tests and mypy's stubtest on the compiled module.
#
# Uses (and creates if missing) the venv at .venv in the repository root; installs maturin,
# pytest, hypothesis, mypy, numpy and pandas into it from PyPI (numpy and pandas are optional
# for users; installed here so the paths that use them are tested). Env: PYTHON (interpreter for a new venv,
# default python3).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=.venv
wheels=build/wheels

if [[ ! -x "$venv/bin/python" ]]; then
    echo "python-tests: creating $venv"
    "${PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check \
    'maturin>=1.9.4,<2' 'pytest>=7' 'hypothesis>=6' 'mypy>=1.10' numpy pandas

echo "python-tests: building the wheel"
mkdir -p "$wheels"
rm -f "$wheels"/fleetcore-*.whl
"$venv/bin/maturin" build --release --quiet -m python/Cargo.toml -i "$py" -o "$wheels"
shopt -s nullglob
built=("$wheels"/fleetcore-*.whl)
if [[ ${#built[@]} -ne 1 ]]; then
    echo "python-tests: expected one wheel in $wheels, found ${#built[@]}" >&2
    exit 1
fi
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "${built[0]}"

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
