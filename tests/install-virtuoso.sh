#!/bin/sh
# Installs Virtuoso Open Source from Debian's packages for the remote-store tests and benchmark.
# Only the binaries are used: tests/virtuoso.py starts a private instance on loopback.
set -eu
if [ -x /usr/bin/virtuoso-t ] && [ -x /usr/bin/isql-vt ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing Debian's virtuoso-opensource for the remote-store tests..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null
