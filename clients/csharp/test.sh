#!/usr/bin/env bash
# Runs the C# SDK's tests against a live server: $NPS_SERVER_ADDRESS, or one started here. Also packs the client
# once to prove it packs (with a dev version of its own). Writes "passed=N failed=M" (counted from the trx report)
# to $NPS_RESULTS_FILE when set.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.ci/tools.sh"
sdk_dir="$repo_root/clients/csharp"

report() { [ -n "${NPS_RESULTS_FILE:-}" ] && echo "passed=$1 failed=$2" >"$NPS_RESULTS_FILE"; return 0; }

if ! command -v dotnet >/dev/null 2>&1; then
  # Debian does not package the .NET SDK; the server needs it too (see global.json for the version).
  echo "error: the .NET 10 SDK is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  report 0 1
  exit 1
fi

# Starts the plaintext server, its TLS + API key twin, or both, unless they are given (see .ci/live-server.sh).
if [ -z "${NPS_SERVER_ADDRESS:-}" ] || [ -z "${NPS_SECURE_SERVER_ADDRESS:-}" ]; then
  ensure_redis
  ensure_buf
  source "$ci_dir/live-server.sh"
  trap stop_live_server EXIT
  start_live_server
fi
echo "==> C# SDK tests against $NPS_SERVER_ADDRESS"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results_dir="$sdk_dir/TestResults"
rm -rf "$results_dir"
status=0
# The whole solution first: `dotnet test` builds only the test project and what it references, and ReadmeTests runs
# the Example program, which nothing references (a clean clone has no Example.dll otherwise).
dotnet build "$sdk_dir/NpsGrpc.Client.sln" -c Release --nologo -v quiet || status=$?
dotnet test "$sdk_dir/NpsGrpc.Client.sln" -c Release --no-build --nologo \
  --logger "trx;LogFileName=client-tests.trx" --logger "console;verbosity=normal" \
  --results-directory "$results_dir" || status=$?

trx="$results_dir/client-tests.trx"
if [ ! -f "$trx" ]; then
  echo "error: dotnet test wrote no trx report" >&2
  report 0 1
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
count() { sed -n "s/.* $1=\"\\([0-9]*\\)\".*/\\1/p" <<<"$counters"; }
total=$(count total); passed=$(count passed); failed=$(count failed); errors=$(count error); timeouts=$(count timeout)
aborted=$(count aborted); not_executed=$(count notExecuted)
# Anything that ran and did not pass is a failure: the brief allows no skipped tests.
failed=$(( ${failed:-0} + ${errors:-0} + ${timeouts:-0} + ${aborted:-0} + ${not_executed:-0} ))
passed=${passed:-0}
echo "==> csharp: passed=$passed failed=$failed (of ${total:-0})"
report "$passed" "$failed"

echo "==> dotnet pack NpsGrpc.Client"
pack_status=0
# Into TestResults (emptied above), not artifacts/: that folder is the reader's local feed (README.md).
dotnet pack "$sdk_dir/NpsGrpc.Client/NpsGrpc.Client.csproj" -c Release --nologo -v quiet -o "$results_dir/pack" || pack_status=$?
ls "$results_dir"/pack/NpsGrpc.Client.0.1.0-dev.*.nupkg 2>/dev/null || pack_status=1

if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ] || [ "$pack_status" -ne 0 ]; then
  exit 1
fi
