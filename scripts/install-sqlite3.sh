#!/usr/bin/env bash
# Installs Debian's sqlite3 shell: the export benchmark's reference (`sqlite3 -csv`).
set -euo pipefail
if command -v sqlite3 >/dev/null; then exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "Installing Debian's sqlite3 shell for the export benchmark…"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq sqlite3 >/dev/null
