#!/usr/bin/env bash
# Prints the path of a Chromium binary for the browser conformance run, installing Debian's `chromium` package
# when none is there. Playwright's own browser download (`playwright install`) does not work on this machine,
# so playwright-core is pointed at the system browser instead. Needs root (or sudo) only when it installs.
# Idempotent; quiet on success except for the path on stdout.
set -euo pipefail

find_chromium() {
  local candidate
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if find_chromium; then exit 0; fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "ensure-chromium: not root and no sudo; install the chromium package" >&2; exit 1; }
  sudo="sudo"
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt_install() { $sudo apt-get install -y --no-install-recommends chromium >>"$log" 2>&1; }
# A stale package index makes the install fail (404s or "unable to locate package"): refresh it once and retry.
if ! apt_install; then
  if ! { $sudo apt-get update >>"$log" 2>&1 && apt_install; }; then
    echo "ensure-chromium: apt-get install chromium failed:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
fi

find_chromium || { echo "ensure-chromium: chromium installed but no binary found" >&2; exit 1; }
