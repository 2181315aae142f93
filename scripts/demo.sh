#!/usr/bin/env bash
# Command 1: set everything up and start the kiosk in demo mode (simulated card reader and
# cards, camera from sample footage, printer to a folder, local portal). Extra arguments go to
# `kiosk run`, e.g. --windowed or --exit-when-ready.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "demo: no display found; running offscreen (set DISPLAY to see the window)"
  export QT_QPA_PLATFORM=offscreen
fi
# Not `exec`: the kiosk times its start from its own process start, not from the setup above.
.venv/bin/kiosk run --demo "$@"
