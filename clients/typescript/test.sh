#!/usr/bin/env bash
# Builds the TypeScript SDK and runs its tests (node's built-in runner) against a live NpsGrpc server.
#   NPS_SERVER_ADDRESS=host:port  use that server (and NPS_WEB_ADDRESS, its browser endpoint); unset: start a
#                                 throwaway redis-server + server
#   NPS_RESULTS_FILE=path         receives one line "passed=N failed=M", counted from the runner's TAP output
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.ci/tools.sh"
sdk_dir="$repo_root/clients/typescript"
cd "$sdk_dir"

# By command, not by dpkg: Node.js may come from elsewhere (NodeSource bundles npm in its nodejs package).
ensure_apt_packages node nodejs npm
ensure_apt_packages npm nodejs npm

# npm ci from the committed lock, only when node_modules is missing or older than the lock.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (clients/typescript)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Starts the plaintext server, its TLS + API key twin, or both, unless they are given (see .ci/live-server.sh).
if [ -z "${NPS_SERVER_ADDRESS:-}" ] || [ -z "${NPS_SECURE_SERVER_ADDRESS:-}" ]; then
  ensure_redis
  ensure_buf
  source "$ci_dir/live-server.sh"
  trap stop_live_server EXIT
  start_live_server
fi
echo "==> testing against $NPS_SERVER_ADDRESS"

rm -rf dist
./node_modules/.bin/tsc -p tsconfig.json

tap_file=$(mktemp)
status=0
# Files run one after another: the dropped-connection test wants the machine's cores to itself. The spec
# report goes to the console (stderr), the TAP report to a file for counting: with --test-force-exit, node 20
# cuts off reporters writing to a file destination, but not to stdout/stderr.
# The TLS twin's self-signed certificate is trusted by fetch (the gRPC-Web client's transport) only this way.
NODE_EXTRA_CA_CERTS="${NPS_SECURE_SERVER_CA:-}" node --test --test-concurrency=1 --test-force-exit --test-timeout=120000 \
  --test-reporter=spec --test-reporter-destination=stderr \
  --test-reporter=tap --test-reporter-destination=stdout \
  dist/test/*.test.js >"$tap_file" || status=$?

# The TAP summary ends the file: "# pass N", "# fail N", "# cancelled N" (cancelled = timed out or cut off).
count() { sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$tap_file" | tail -n 1; }
passed=$(count pass); failed=$(count fail); cancelled=$(count cancelled)
rm -f "$tap_file"
passed=${passed:-0}
failed=$(( ${failed:-0} + ${cancelled:-0} ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "clients/typescript: passed=$passed failed=$failed"
[ -n "${NPS_RESULTS_FILE:-}" ] && echo "passed=$passed failed=$failed" >"$NPS_RESULTS_FILE"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
