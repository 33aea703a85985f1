#!/usr/bin/env bash
# Makes sure the third-party MCP clients of the interop suite (test/interop) are present, at
# pinned versions, in a cache outside the clone ($LENSES_E2E_CACHE, default ~/.cache/lenses-mcp):
# mcp-remote and the MCP Inspector (its CLI mode). Idempotent; quick when they are there.
# A client that cannot be installed is left out with a line saying why: its tests then skip.
set -uo pipefail

MCP_REMOTE_VERSION=0.15.1
INSPECTOR_VERSION=0.22.0
CACHE="${LENSES_E2E_CACHE:-$HOME/.cache/lenses-mcp}"
DIR="$CACHE/interop"
LOG_DIR="$CACHE/logs"
mkdir -p "$DIR" "$LOG_DIR"

# $1 = package, $2 = version: installed into $DIR/<package>@<version> unless its marker is there.
ensure() {
  local pkg=$1 version=$2 dest marker log
  dest="$DIR/${pkg//\//+}@$version"
  marker="$dest/.installed"
  [[ -f "$marker" ]] && return 0
  (
    flock 9
    [[ -f "$marker" ]] && exit 0
    mkdir -p "$dest"
    log="$LOG_DIR/interop-${pkg//\//+}.log"
    if (cd "$dest" && { [[ -f package.json ]] || echo '{"name":"lenses-interop-client","private":true}' >package.json; } &&
      timeout 300 npm i -E "$pkg@$version" --no-audit --no-fund --ignore-scripts) >"$log" 2>&1; then
      touch "$marker"
      echo "installed $pkg $version in $dest"
    else
      echo "ensure-interop-tools: could not install $pkg@$version (its interop tests will skip); last lines of $log:" >&2
      tail -n 5 "$log" >&2 || true
    fi
  ) 9>"$DIR/.lock"
}

present=()
for pinned in "mcp-remote@$MCP_REMOTE_VERSION" "@modelcontextprotocol/inspector@$INSPECTOR_VERSION"; do
  ensure "${pinned%@*}" "${pinned##*@}"
  [[ -f "$DIR/${pinned//\//+}/.installed" ]] && present+=("$pinned")
done
echo "interop tools in $DIR: ${present[*]:-none}"
exit 0
