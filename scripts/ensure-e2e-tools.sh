#!/usr/bin/env bash
# Makes sure the end-to-end tools are present: Debian chromium + libkrb5-dev, Node 24 and
# code-server 4.139.1 in a cache outside the clone. Idempotent; fast when all is there.
# Prints one line per thing installed and a final line with the paths.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
CACHE="${LENSES_E2E_CACHE:-$HOME/.cache/lenses-mcp}"
CS_DIR="$CACHE/code-server"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
CS_MARKER="$CS_DIR/.installed-$CODE_SERVER_VERSION"
LOG_DIR="$CACHE/logs"
CHROMIUM=/usr/bin/chromium

mkdir -p "$CACHE" "$LOG_DIR"

fail_with_log() { # $1 = what, $2 = log file
  echo "ensure-e2e-tools: installing $1 failed; last lines of $2:" >&2
  tail -n 30 "$2" >&2 || true
  exit 1
}

# --- Debian packages -------------------------------------------------------------------
missing=()
for pkg in chromium libkrb5-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "ensure-e2e-tools: missing Debian packages; run as root:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  log="$LOG_DIR/apt.log"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } \
    >"$log" 2>&1 || fail_with_log "${missing[*]}" "$log"
  echo "installed Debian packages: ${missing[*]}"
fi

# --- Node 24 (shared with the conformance test: same folder, same lock) --------------
# shellcheck source=scripts/ensure-node24.sh
source "$(dirname "${BASH_SOURCE[0]}")/ensure-node24.sh"

# --- code-server (native modules compiled against Node 24: ~80 s) ---------------------
if [[ ! -f "$CS_MARKER" || ! -f "$CS_ENTRY" ]]; then
  (
    flock 9
    if [[ ! -f "$CS_MARKER" || ! -f "$CS_ENTRY" ]]; then
      mkdir -p "$CS_DIR"
      log="$LOG_DIR/code-server.log"
      (
        cd "$CS_DIR"
        [[ -f package.json ]] || echo '{"name":"lenses-e2e-code-server","private":true}' >package.json
        PATH="$(dirname "$NODE24"):$PATH" npm_config_nodedir="$NODE24_PKG" \
          npm i -E "code-server@$CODE_SERVER_VERSION" --foreground-scripts --no-audit --no-fund
      ) >"$log" 2>&1 || fail_with_log "code-server@$CODE_SERVER_VERSION" "$log"
      [[ -f "$CS_ENTRY" ]] || fail_with_log "code-server (no $CS_ENTRY)" "$log"
      touch "$CS_MARKER"
      echo "installed code-server $CODE_SERVER_VERSION in $CS_DIR"
    fi
  ) 9>"$CACHE/code-server.lock"
fi

echo "e2e tools: node24=$NODE24 code-server=$CS_ENTRY chromium=$CHROMIUM"
