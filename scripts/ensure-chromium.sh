#!/usr/bin/env bash
# Makes sure Debian's Chromium is present for the browser tests of the MCP Apps views
# (test/integration/apps/). Idempotent and quiet when it is there. Never fails the run: when it
# cannot be installed it says so in one line, and those tests skip with a line of their own.
set -uo pipefail

[[ -x /usr/bin/chromium ]] && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "ensure-chromium: chromium not installed and cannot be installed here (needs root and apt-get): the views' browser tests skip"
  exit 0
fi
log=$(mktemp)
if { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; } >"$log" 2>&1; then
  echo "installed Debian package: chromium"
else
  echo "ensure-chromium: installing chromium failed (last lines below): the views' browser tests skip"
  tail -n 5 "$log"
fi
rm -f "$log"
