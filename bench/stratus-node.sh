#!/usr/bin/env bash
# One Stratus node (`stratus serve`, IMAP + LMTP on loopback) for the benchmarks, in its own JVM, against an
# existing Cassandra/OpenSearch (STRATUS_CASSANDRA / STRATUS_OPENSEARCH, e.g. from `stratus cluster run
# --env-file`). The server jar and its classpath are copied first to bench/target/stratus-node/lib, so that
# rebuilding the tree while a benchmark runs does not change the running code. Does not build: run
# `./mvnw -pl deploy/server -am install -DskipTests` (or ./stratus once) before.
#   bench/stratus-node.sh start [KEYSPACE]   writes bench/target/stratus-node/env (STRATUS_IMAP_PORT,
#                                            STRATUS_LMTP_PORT, STRATUS_NODE_PID)
#   bench/stratus-node.sh stop
# Heap: STRATUS_NODE_JAVA_OPTS (default -Xms256m -Xmx1g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/bench/target/stratus-node"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local keyspace="${1:-stratus_bench}"
  : "${STRATUS_CASSANDRA:?set STRATUS_CASSANDRA (and STRATUS_OPENSEARCH)}"
  local server="$root/deploy/server/target"
  [ -f "$server/classpath.txt" ] || { echo "stratus-node: build deploy/server first" >&2; exit 1; }
  if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
    echo "stratus-node: already running (pid $(cat "$dir/pid"))" >&2; exit 1
  fi
  rm -rf "$dir"; mkdir -p "$dir/lib"
  cp "$server"/stratus-server-*.jar "$dir/lib/"
  tr ':' '\n' <"$server/classpath.txt" | while read -r jar; do [ -n "$jar" ] && cp "$jar" "$dir/lib/"; done
  local imap_port lmtp_port
  imap_port="$(free_port)"; lmtp_port="$(free_port)"
  # shellcheck disable=SC2086
  java ${STRATUS_NODE_JAVA_OPTS:--Xms256m -Xmx1g} -cp "$dir/lib/*" io.stratusmail.server.Main serve \
    --keyspace "$keyspace" --imap-host 127.0.0.1 --imap-port "$imap_port" --lmtp-host 127.0.0.1 \
    --lmtp-port "$lmtp_port" --hostname stratus-bench >"$dir/node.log" 2>&1 &
  echo $! >"$dir/pid"
  local waited=0
  until grep -q '^READY' "$dir/node.log"; do
    if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null || [ "$waited" -ge 300 ]; then
      echo "stratus-node: did not start:" >&2; tail -30 "$dir/node.log" >&2; exit 1
    fi
    sleep 0.5; waited=$((waited + 1))
  done
  cat >"$dir/env" <<ENV
STRATUS_IMAP_PORT=$imap_port
STRATUS_LMTP_PORT=$lmtp_port
STRATUS_NODE_PID=$(cat "$dir/pid")
STRATUS_KEYSPACE=$keyspace
ENV
  echo "stratus-node: $(grep '^READY' "$dir/node.log") keyspace=$keyspace pid=$(cat "$dir/pid")" >&2
}

stop() {
  if [ -f "$dir/pid" ]; then
    local pid; pid="$(cat "$dir/pid")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
    echo "stratus-node: stopped" >&2
  fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start [KEYSPACE] | stop" >&2; exit 2 ;;
esac
