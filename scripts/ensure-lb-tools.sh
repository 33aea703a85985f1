#!/usr/bin/env bash
# Makes sure Debian's nginx and HAProxy are present for the replica tests
# (test/integration/mcp/replicas.test.ts). Idempotent and quiet when both are there. Never
# fails the run: when they cannot be installed it says so in one line, and the tests that
# need them skip with a line of their own.
set -uo pipefail

missing=()
for pkg in nginx haproxy; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
((${#missing[@]})) || exit 0

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "ensure-lb-tools: ${missing[*]} not installed and cannot be installed here (needs root and apt-get): the replica tests skip"
  exit 0
fi
log=$(mktemp)
# The packages' own start-up scripts would start a system nginx on port 80: policy-rc.d says no.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1; fi
if { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  echo "installed Debian packages: ${missing[*]}"
else
  echo "ensure-lb-tools: installing ${missing[*]} failed (last lines below): the replica tests skip"
  tail -n 5 "$log"
fi
((made_policy)) && rm -f "$policy"
rm -f "$log"
exit 0
