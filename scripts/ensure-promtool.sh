#!/usr/bin/env bash
# The failure drills evaluate PromQL with Prometheus's own engine (`promtool test rules`).
# Installs promtool where this machine can (Debian/Ubuntu as root), and otherwise stops the test
# command naming the install step: a drill that cannot run is a failure, never a silent skip.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "promtool not found: installing Debian package 'prometheus' (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  # the package enables a Prometheus server; the drills need only its promtool binary
  command -v promtool >/dev/null 2>&1 && exit 0
fi

cat >&2 <<'MSG'
promtool (Prometheus's rule-testing tool) is required by the failure drills in test/drills/.
Install it, then run `npm test` again:
  Debian/Ubuntu:  sudo apt-get install prometheus
  macOS:          brew install prometheus
MSG
exit 1
