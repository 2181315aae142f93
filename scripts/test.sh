#!/usr/bin/env bash
# Command 2: set everything up and run the whole test suite headless. Extra arguments go to
# pytest (e.g. -m slow for the slow tests only, or -k NAME).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
exec .venv/bin/python -m pytest -q "$@"
