# Sourced by .ci/serve and .ci/test: installs what the project needs when it is missing.
# Debian packages via apt-get (root, or sudo), buf via npm into .ci/node_modules.

ci_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$ci_dir/.." && pwd)"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "error: '$*' needs root; run it as root or install sudo" >&2; return 1
  fi
}

# ensure_apt_packages COMMAND PACKAGE...: installs PACKAGE... unless COMMAND is already on PATH.
ensure_apt_packages() {
  local command="$1"; shift
  command -v "$command" >/dev/null 2>&1 && return 0
  echo "==> installing $* (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# redis-cli joins the test clusters; openssl makes the tests' TLS certificates.
ensure_redis() {
  ensure_apt_packages redis-server redis-server redis-tools
  ensure_apt_packages redis-cli redis-tools
  ensure_apt_packages openssl openssl
}

ensure_buf() {
  if [ ! -x "$ci_dir/node_modules/.bin/buf" ]; then
    ensure_apt_packages npm nodejs npm
    echo "==> installing buf (npm install --prefix .ci)"
    # No lock file: the registry here lacks some of buf's optional per-platform packages, which makes
    # `npm ci` refuse any lock; package.json pins the exact version instead.
    npm install --prefix "$ci_dir" --no-package-lock --no-audit --no-fund --loglevel=error >/dev/null
  fi
  export PATH="$ci_dir/node_modules/.bin:$PATH"
}

# The code generators buf.gen.yaml runs, all offline: Debian's protoc and gRPC plugins, protoc-gen-go built
# from Debian's Go sources, protoc-gen-es from npm (with buf, in .ci/node_modules).
ensure_codegen() {
  ensure_buf
  ensure_apt_packages protoc protobuf-compiler
  ensure_apt_packages grpc_python_plugin protobuf-compiler-grpc
  ensure_apt_packages grpc_java_plugin protobuf-compiler-grpc-java-plugin
  ensure_apt_packages protoc-gen-go-grpc protoc-gen-go-grpc
  ensure_apt_packages go golang-go
  if [ ! -x "$ci_dir/bin/protoc-gen-go" ]; then
    ensure_apt_packages_present golang-google-protobuf-dev
    echo "==> building protoc-gen-go from Debian's golang-google-protobuf-dev"
    GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE="${GOCACHE:-$ci_dir/.cache/go-build}" \
      go build -o "$ci_dir/bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go
  fi
}

# ensure_apt_packages_present PACKAGE...: installs PACKAGE... unless dpkg already has them all.
ensure_apt_packages_present() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "==> installing ${missing[*]} (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Debian's chromium, which the dashboard's browser tests drive headless (tests/NpsGrpc.Dashboard.Tests).
ensure_chromium() {
  ensure_apt_packages chromium chromium
}

# The dashboard's static files (src/NpsGrpc.Dashboard/dist), which the server's build copies beside the binary:
# built when missing or older than anything they are built from, the TypeScript SDK included. The SDK goes into the
# dashboard as a copy of its built package (install-links, see the dashboard's .npmrc), so it is built first.
ensure_dashboard() {
  local dashboard="$repo_root/src/NpsGrpc.Dashboard" sdk="$repo_root/clients/typescript"
  local built="$dashboard/dist/main.js"
  if [ -f "$built" ] && [ -z "$(find "$dashboard/src" "$dashboard/public" "$dashboard/package.json" \
      "$dashboard/package-lock.json" "$dashboard/.npmrc" "$dashboard/build.mjs" "$dashboard/tsconfig.json" \
      "$sdk/src" "$sdk/package.json" "$sdk/package-lock.json" -newer "$built" -print -quit)" ]; then
    return 0
  fi
  # By command, not by dpkg: Node.js may come from elsewhere (NodeSource bundles npm in its nodejs package).
  ensure_apt_packages node nodejs npm
  ensure_apt_packages npm nodejs npm
  echo "==> building the dashboard (clients/typescript: npm ci, tsc; src/NpsGrpc.Dashboard: npm ci, npm run build)"
  (
    set -e
    cd "$sdk"
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund --loglevel=error >/dev/null
    fi
    ./node_modules/.bin/tsc -p tsconfig.json
    cd "$dashboard"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    npm run build --silent
  )
}
