#!/usr/bin/env bash
# Runs the Python SDK's tests against a live server: $NPS_SERVER_ADDRESS, or one started here.
# Writes "passed=N failed=M" (counted from pytest's JUnit XML) to $NPS_RESULTS_FILE when it is set.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.ci/tools.sh"
sdk_dir="$repo_root/clients/python"

# Debian's interpreter and packages explicitly: PyPI is not reachable here, and another python3 may be first
# on PATH without grpc.
python=/usr/bin/python3
# python3-venv, -setuptools and -wheel: the README's offline pip install, which tests/test_readme.py runs.
ensure_apt_packages_present python3 python3-grpcio python3-protobuf python3-pytest python3-venv python3-setuptools \
  python3-wheel

# Starts the plaintext server, its TLS + API key twin, or both, unless they are given (see .ci/live-server.sh).
if [ -z "${NPS_SERVER_ADDRESS:-}" ] || [ -z "${NPS_SECURE_SERVER_ADDRESS:-}" ]; then
  ensure_redis
  ensure_buf
  source "$ci_dir/live-server.sh"
  trap stop_live_server EXIT
  start_live_server
fi
echo "==> python SDK tests against $NPS_SERVER_ADDRESS"

results_dir="$sdk_dir/test-results"
mkdir -p "$results_dir"
junit="$results_dir/junit.xml"
rm -f "$junit"
cd "$sdk_dir"
status=0
PYTHONPATH="$sdk_dir/src" PYTHONDONTWRITEBYTECODE=1 "$python" -m pytest -p no:cacheprovider -q \
  --junitxml="$junit" tests || status=$?

if [ ! -f "$junit" ]; then
  echo "error: pytest wrote no JUnit report" >&2
  [ -n "${NPS_RESULTS_FILE:-}" ] && echo "passed=0 failed=1" >"$NPS_RESULTS_FILE"
  exit 1
fi
# Sum the <testsuite> counters: passed = tests - failures - errors - skipped.
read -r passed failed < <("$python" - "$junit" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
# A skip is not a pass: the brief allows none, so it counts as a failure.
print(tests - failed - skipped, failed + skipped)
PY
)
echo "==> python: passed=$passed failed=$failed"
[ -n "${NPS_RESULTS_FILE:-}" ] && echo "passed=$passed failed=$failed" >"$NPS_RESULTS_FILE"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
