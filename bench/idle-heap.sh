#!/usr/bin/env bash
# Heap per connected, authenticated IDLE session (issue 4): one Stratus node in its own JVM (bench/stratus-node.sh,
# fresh keyspace, native memory tracking on), ACCOUNTS accounts with a cheap Argon2 hash (this measures memory,
# not LOGIN), then `bench/run idle-heap` opens SESSIONS sessions (LOGIN, SELECT INBOX, IDLE) from 250 loopback
# addresses and prints the live-heap difference per session, the classes that grew and native memory.
# A second pass opens SEEDED_SESSIONS sessions on SEEDED_ACCOUNTS other accounts (full01..) whose INBOX got
# SEED_MESSAGES corpus messages over LMTP first: the difference shows what a selected mailbox costs per message.
# Stops the node. Needs STRATUS_CASSANDRA / STRATUS_OPENSEARCH; ulimit -n must exceed SESSIONS plus a few hundred.
# At most 20 sessions per account (a node's default per-user limit).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
sessions="${SESSIONS:-10000}"; accounts="${ACCOUNTS:-500}"
seeded_accounts="${SEEDED_ACCOUNTS:-20}"; seeded_sessions="${SEEDED_SESSIONS:-400}"; seed_messages="${SEED_MESSAGES:-300}"
keyspace="bench_idle_$(date +%s)"
trap 'bench/stratus-node.sh stop || true' EXIT
STRATUS_NODE_JAVA_OPTS="${STRATUS_NODE_JAVA_OPTS:--Xms1g -Xmx2g -XX:NativeMemoryTracking=summary}" \
  bench/stratus-node.sh start "$keyspace"
set -a; . bench/target/stratus-node/env; set +a
bench/run accounts --keyspace "$keyspace" --prefix idle --count "$accounts" --hash cheap 2>&1 | grep -v '^SLF4J'
bench/run accounts --keyspace "$keyspace" --prefix full --count "$seeded_accounts" --hash cheap 2>&1 | grep -v '^SLF4J'
to=""; for i in $(seq 1 "$seeded_accounts"); do to+="$(printf 'full%02d@bench.local,' "$i")"; done
bench/run lmtp --port "$STRATUS_LMTP_PORT" --to "${to%,}" --messages "$seed_messages" --connections 2 2>&1 | grep -v '^SLF4J'
jcmd="$(dirname "$(readlink -f "$(command -v java)")")/jcmd"
echo "== pass 1: $sessions sessions over $accounts accounts (empty INBOX)"
BENCH_JAVA_OPTS="-Xmx1g" bench/run idle-heap --port "$STRATUS_IMAP_PORT" --server-pid "$STRATUS_NODE_PID" \
  --jcmd "$jcmd" --users "$accounts" --sessions "$sessions" "$@" 2>&1 | grep -v '^SLF4J'
sleep 5
echo "== pass 2: $seeded_sessions sessions over the $seeded_accounts accounts with $seed_messages messages in INBOX"
BENCH_JAVA_OPTS="-Xmx1g" bench/run idle-heap --port "$STRATUS_IMAP_PORT" --server-pid "$STRATUS_NODE_PID" \
  --jcmd "$jcmd" --prefix full --users "$seeded_accounts" --sessions "$seeded_sessions" "$@" 2>&1 | grep -v '^SLF4J'
