#!/usr/bin/env bash
# Builds the Java SDK offline (offline-build.sh) and runs its JUnit 4 tests against a live server:
# $NPS_SERVER_ADDRESS when set, else a server and Redis started here. Writes "passed=N failed=M", counted
# from JUnitCore's summary, to $NPS_RESULTS_FILE when set.
set -euo pipefail
java_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$(cd "$java_dir/../.." && pwd)/.ci/tools.sh"

bash "$java_dir/offline-build.sh"

# Starts the plaintext server, its TLS + API key twin, or both, unless they are given (see .ci/live-server.sh).
if [ -z "${NPS_SERVER_ADDRESS:-}" ] || [ -z "${NPS_SECURE_SERVER_ADDRESS:-}" ]; then
  ensure_redis
  ensure_buf
  source "$ci_dir/live-server.sh"
  trap stop_live_server EXIT
  start_live_server
fi
echo "==> Java SDK tests against $NPS_SERVER_ADDRESS"

test_classes=$(cd "$java_dir/build/classes/test" && find . -name '*Test.class' ! -name '*$*' | sed 's|^\./||; s|\.class$||; s|/|.|g' | sort)
log="$java_dir/build/junit.log"
set +e
java -Djava.library.path="$java_dir/build/jni" -cp "$(cat "$java_dir/build/test-classpath")" org.junit.runner.JUnitCore \
  $test_classes 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
set -e

# JUnitCore ends with "OK (N tests)" or "Tests run: N,  Failures: M".
passed=0; failed=0
if ok=$(grep -Eo '^OK \([0-9]+ tests?\)' "$log" | tail -n 1 | grep -Eo '[0-9]+'); then
  passed=$ok
elif summary=$(grep -E '^Tests run: [0-9]+, +Failures: [0-9]+' "$log" | tail -n 1); then
  run=$(echo "$summary" | sed -E 's/^Tests run: ([0-9]+),.*/\1/')
  failed=$(echo "$summary" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
  passed=$((run - failed))
else
  echo "error: no JUnit summary in the output" >&2
  failed=1
fi
echo "passed=$passed failed=$failed"
[ -n "${NPS_RESULTS_FILE:-}" ] && echo "passed=$passed failed=$failed" >"$NPS_RESULTS_FILE"
[ "$code" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
