#!/usr/bin/env bash
# Builds the fleetcore wheel with maturin (release) and installs it into the venv at .venv in
# the repository root, creating the venv if missing and installing the PyPI packages named as
# arguments beside maturin. Shared by `make demo` (scripts/demo.sh) and the Python test stage
# (scripts/python-tests.sh). Env: PYTHON (interpreter for a new venv, default python3).
#
#   scripts/python-env.sh PACKAGE...
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=.venv
wheels=build/wheels
tag=${PYTHON_ENV_TAG:-python-env}

if [[ ! -x "$venv/bin/python" ]]; then
    echo "$tag: creating $venv"
    "${PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"
echo "$tag: pip install maturin $*"
"$py" -m pip install --quiet --disable-pip-version-check 'maturin>=1.9.4,<2' "$@"

echo "$tag: building the wheel (maturin build --release)"
mkdir -p "$wheels"
rm -f "$wheels"/fleetcore-*.whl
"$venv/bin/maturin" build --release --quiet -m python/Cargo.toml -i "$py" -o "$wheels"
shopt -s nullglob
built=("$wheels"/fleetcore-*.whl)
if [[ ${#built[@]} -ne 1 ]]; then
    echo "$tag: expected one wheel in $wheels, found ${#built[@]}" >&2
    exit 1
fi
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "${built[0]}"
