#!/usr/bin/env bash
# Command 2: set everything up and run the whole test suite headless. Extra arguments go to
# pytest (e.g. -m slow for the slow tests only, or -k NAME). Tests run in one process per core
# (pytest-xdist, at most 4); KIOSK_TEST_WORKERS=0 runs them in this process, in file order.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
cores=$(nproc)
workers=${KIOSK_TEST_WORKERS:-$((cores < 4 ? cores : 4))}
exec .venv/bin/python -m pytest -q -n "$workers" "$@"
