# Sourced: start_live_server starts, on free loopback ports, what the SDK tests need and were not given:
# - unless NPS_SERVER_ADDRESS is set: the Release-built server in plaintext HTTP/2, exporting NPS_SERVER_ADDRESS
#   (host:port), and its browser endpoint (gRPC-Web over HTTP/1.1, Web:Url), exporting NPS_WEB_ADDRESS (host:port);
# - unless NPS_SECURE_SERVER_ADDRESS is set: a second instance that serves TLS only (HTTP/2 to gRPC clients and
#   HTTP/1.1 to gRPC-Web ones on one endpoint, by ALPN; no cleartext browser endpoint), with a self-signed
#   certificate for 127.0.0.1 and localhost, and requires an API key, exporting NPS_SECURE_SERVER_ADDRESS
#   (host:port), NPS_SECURE_SERVER_CA (that certificate, PEM), NPS_SECURE_SERVER_API_KEY (a key with the scopes
#   submit and read) and NPS_SECURE_SERVER_FOLLOW_UP_API_KEY (a key with the scope follow_up only, for the
#   follow-up workers);
# both on one throwaway redis-server. stop_live_server stops what it started.

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (echo >"/dev/tcp/127.0.0.1/$port") >/dev/null 2>&1 || { echo "$port"; return; }
  done
}

# The server's key format (nps_ and 43 base64url characters, what `new-api-key` prints) and its hash as configured.
new_api_key() { echo "nps_$(openssl rand 32 | base64 | tr '+/' '-_' | tr -d '=\n')"; }
api_key_hash() { echo "sha256:$(printf %s "$1" | sha256sum | cut -c1-64)"; }

# wait_for_serving URL [buf curl option...]: waits until the health service at URL answers SERVING.
wait_for_serving() {
  local url="$1"; shift
  for _ in $(seq 1 100); do
    if buf curl --protocol grpc "$@" -d '{}' "$url/grpc.health.v1.Health/Check" 2>/dev/null | grep -q '"SERVING"'; then
      return 0
    fi
    sleep 0.2
  done
  echo "error: the live server at $url did not become SERVING; its log:" >&2
  cat "$LIVE_DIR"/server*.log >&2
  return 1
}

start_live_server() {
  [ -n "${NPS_SERVER_ADDRESS:-}" ] && [ -n "${NPS_SECURE_SERVER_ADDRESS:-}" ] && return 0
  local server_dll="$repo_root/src/NpsGrpc.Server/bin/Release/net10.0/NpsGrpc.Server.dll"
  # Always build (incremental, seconds when nothing changed): a stale binary would test an old server.
  dotnet build "$repo_root/src/NpsGrpc.Server" -c Release -nologo -v quiet >/dev/null
  LIVE_DIR=$(mktemp -d)
  LIVE_REDIS_PORT=$(free_port)
  redis-server --bind 127.0.0.1 --port "$LIVE_REDIS_PORT" --dir "$LIVE_DIR" --save "" --appendonly no \
    --daemonize yes --pidfile "$LIVE_DIR/redis.pid" --logfile "$LIVE_DIR/redis.log"
  local port
  if [ -z "${NPS_SERVER_ADDRESS:-}" ]; then
    port=$(free_port)
    local web_port
    web_port=$(free_port)
    while [ "$web_port" = "$port" ]; do web_port=$(free_port); done
    Redis__Configuration="127.0.0.1:$LIVE_REDIS_PORT" Logging__LogLevel__Default=Warning \
      dotnet "$server_dll" --urls "http://127.0.0.1:$port" --Web:Url "http://127.0.0.1:$web_port" >"$LIVE_DIR/server.log" 2>&1 &
    LIVE_SERVER_PID=$!
    export NPS_SERVER_ADDRESS="127.0.0.1:$port" NPS_WEB_ADDRESS="127.0.0.1:$web_port"
  fi
  if [ -z "${NPS_SECURE_SERVER_ADDRESS:-}" ]; then
    # The certificate and key as docs/security.md makes them; the key is given to the tests, its hash to the server.
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$LIVE_DIR/nps.key" -out "$LIVE_DIR/nps.crt" 2>/dev/null
    local api_key follow_up_key
    api_key=$(new_api_key)
    follow_up_key=$(new_api_key)
    port=$(free_port)
    Redis__Configuration="127.0.0.1:$LIVE_REDIS_PORT" Logging__LogLevel__Default=Warning \
      Kestrel__Endpoints__Grpc__Url="https://127.0.0.1:$port" Kestrel__Endpoints__Grpc__Protocols=Http1AndHttp2 Web__Url= \
      Kestrel__Endpoints__Grpc__Certificate__Path="$LIVE_DIR/nps.crt" \
      Kestrel__Endpoints__Grpc__Certificate__KeyPath="$LIVE_DIR/nps.key" \
      Authentication__ApiKeys__0__Name=sdk-tests \
      Authentication__ApiKeys__0__Sha256="$(api_key_hash "$api_key")" \
      Authentication__ApiKeys__0__Scopes__0=submit Authentication__ApiKeys__0__Scopes__1=read \
      Authentication__ApiKeys__1__Name=sdk-follow-up Authentication__ApiKeys__1__Sha256="$(api_key_hash "$follow_up_key")" \
      Authentication__ApiKeys__1__Scopes__0=follow_up \
      dotnet "$server_dll" >"$LIVE_DIR/server-secure.log" 2>&1 &
    LIVE_SECURE_SERVER_PID=$!
    export NPS_SECURE_SERVER_ADDRESS="127.0.0.1:$port" NPS_SECURE_SERVER_CA="$LIVE_DIR/nps.crt"
    export NPS_SECURE_SERVER_API_KEY="$api_key" NPS_SECURE_SERVER_FOLLOW_UP_API_KEY="$follow_up_key"
  fi
  if [ -n "${LIVE_SERVER_PID:-}" ]; then
    wait_for_serving "http://$NPS_SERVER_ADDRESS" --http2-prior-knowledge || return 1
  fi
  if [ -n "${LIVE_SECURE_SERVER_PID:-}" ]; then
    wait_for_serving "https://$NPS_SECURE_SERVER_ADDRESS" --cacert "$NPS_SECURE_SERVER_CA" || return 1
  fi
}

stop_live_server() {
  local pid
  for pid in "${LIVE_SERVER_PID:-}" "${LIVE_SECURE_SERVER_PID:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  [ -n "${LIVE_REDIS_PORT:-}" ] && redis-cli -p "$LIVE_REDIS_PORT" shutdown nosave >/dev/null 2>&1
  [ -n "${LIVE_DIR:-}" ] && rm -rf "$LIVE_DIR"
  LIVE_SERVER_PID=""; LIVE_SECURE_SERVER_PID=""; LIVE_REDIS_PORT=""; LIVE_DIR=""
  return 0
}
