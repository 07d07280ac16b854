# Sourced: start_live_server starts a redis-server and the Release-built server on free loopback ports and
# exports NPS_SERVER_ADDRESS (host:port, plaintext HTTP/2); stop_live_server stops both.

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (echo >"/dev/tcp/127.0.0.1/$port") >/dev/null 2>&1 || { echo "$port"; return; }
  done
}

start_live_server() {
  local server_dll="$repo_root/src/NpsGrpc.Server/bin/Release/net10.0/NpsGrpc.Server.dll"
  # Always build (incremental, seconds when nothing changed): a stale binary would test an old server.
  dotnet build "$repo_root/src/NpsGrpc.Server" -c Release -nologo -v quiet >/dev/null
  LIVE_DIR=$(mktemp -d)
  LIVE_REDIS_PORT=$(free_port)
  redis-server --bind 127.0.0.1 --port "$LIVE_REDIS_PORT" --dir "$LIVE_DIR" --save "" --appendonly no \
    --daemonize yes --pidfile "$LIVE_DIR/redis.pid" --logfile "$LIVE_DIR/redis.log"
  local port
  port=$(free_port)
  Redis__Configuration="127.0.0.1:$LIVE_REDIS_PORT" Logging__LogLevel__Default=Warning \
    dotnet "$server_dll" --urls "http://127.0.0.1:$port" >"$LIVE_DIR/server.log" 2>&1 &
  LIVE_SERVER_PID=$!
  export NPS_SERVER_ADDRESS="127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if buf curl --protocol grpc --http2-prior-knowledge -d '{}' "http://$NPS_SERVER_ADDRESS/grpc.health.v1.Health/Check" 2>/dev/null | grep -q '"SERVING"'; then
      return 0
    fi
    sleep 0.2
  done
  echo "error: the live server did not become SERVING; its log:" >&2
  cat "$LIVE_DIR/server.log" >&2
  return 1
}

stop_live_server() {
  [ -n "${LIVE_SERVER_PID:-}" ] && kill "$LIVE_SERVER_PID" 2>/dev/null && wait "$LIVE_SERVER_PID" 2>/dev/null
  [ -n "${LIVE_REDIS_PORT:-}" ] && redis-cli -p "$LIVE_REDIS_PORT" shutdown nosave >/dev/null 2>&1
  [ -n "${LIVE_DIR:-}" ] && rm -rf "$LIVE_DIR"
  LIVE_SERVER_PID=""; LIVE_REDIS_PORT=""; LIVE_DIR=""
  return 0
}
