#!/usr/bin/env bash
# Set up everything the kiosk and its tests need on Debian/Ubuntu: system libraries for Qt,
# tools the tests use, and a virtual environment in .venv with the pinned packages.
# Idempotent: a second run only checks. Source it or run it; it changes directory to the repo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DEBIAN_PACKAGES=(
  # Qt on X11 (xcb) and offscreen, and fonts/DBus Qt loads at start
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0
  # audio for the voice clips (Qt Multimedia), PDF text and rendering for receipt tests
  libpulse0 poppler-utils
  # live speech of sentences with values (devices/speech); a bare X server for the full-screen
  # test (no window manager, as on many kiosks)
  espeak-ng xvfb x11-utils
  # PC/SC card readers (pyscard builds against libpcsclite with swig); vpcd gives the tests a
  # virtual reader behind the real pcscd
  pcscd libpcsclite-dev swig vsmartcard-vpcd
  # machine_key = "tpm2" seals with tpm2-tools; the tests start a software TPM (swtpm)
  tpm2-tools swtpm libtss2-tcti-swtpm0
  # the fleet service's tests start a throwaway PostgreSQL cluster (initdb, pg_ctl); Chromium and
  # its driver run the console and dashboard browser tests offline
  postgresql chromium chromium-driver
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages (pinned in pyproject.toml)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev,pcsc]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
