#!/usr/bin/env bash
# Installs the real IMAP clients the e2e client tests drive: Debian's isync (mbsync), offlineimap3, neomutt and
# tmux (neomutt runs in a detached tmux session), and the npm package imapflow into a cache directory
# (STRATUS_NODE_CACHE, default ~/.cache/stratus/node). Idempotent: does nothing when everything is there.
# Installing the Debian packages needs root (apt-get).
set -euo pipefail

IMAPFLOW_VERSION=2.1.2
node_cache="${STRATUS_NODE_CACHE:-$HOME/.cache/stratus/node}"

need_apt=()
command -v mbsync >/dev/null || need_apt+=(isync)
command -v offlineimap >/dev/null || command -v offlineimap3 >/dev/null || need_apt+=(offlineimap3)
command -v npm >/dev/null || need_apt+=(npm)
command -v neomutt >/dev/null || command -v mutt >/dev/null || need_apt+=(neomutt)
command -v tmux >/dev/null || need_apt+=(tmux)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "clients/install.sh: ${need_apt[*]} missing and installing needs root" >&2
    exit 1
  fi
  echo "clients-install: installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

installed="$node_cache/node_modules/imapflow/package.json"
if [ ! -f "$installed" ] || ! grep -q "\"version\": \"$IMAPFLOW_VERSION\"" "$installed"; then
  echo "clients-install: installing imapflow@$IMAPFLOW_VERSION into $node_cache"
  mkdir -p "$node_cache"
  [ -f "$node_cache/package.json" ] || echo '{"name":"stratus-test-clients","private":true}' > "$node_cache/package.json"
  npm install --prefix "$node_cache" --no-audit --no-fund --silent "imapflow@$IMAPFLOW_VERSION" >/dev/null
fi
