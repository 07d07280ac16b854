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

ensure_redis() { ensure_apt_packages redis-server redis-server redis-tools; }

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
