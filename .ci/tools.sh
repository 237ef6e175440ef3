# Shared by .ci/serve, .ci/test and .ci/run: installs what Lineup needs when it is missing.
# Source it; every function is idempotent and quick when the tool is already there.

CARGO_LEPTOS_VERSION=0.3.8
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\n==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root (or sudo) to run: $*" >&2; return 1; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} (apt)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Tools are compiled with a quicker release profile than their own: LTO off, four codegen units
# (enough to keep two cores busy without optimizing the same generics sixteen times).
cargo_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=4 cargo install "$@"
}

ensure_build_tools() {
  if ! command -v cargo >/dev/null; then
    echo "cargo not found: install Rust from https://rustup.rs first" >&2; return 1
  fi
  if command -v rustup >/dev/null && ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION"
    cargo_install --locked "cargo-leptos@$CARGO_LEPTOS_VERSION"
  fi
  # wasm-bindgen's CLI must match the library version in Cargo.lock exactly. (Its own lock file
  # names a crate version the registry no longer has, so it is installed without --locked.)
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
    say "installing wasm-bindgen-cli $want"
    cargo_install --force wasm-bindgen-cli --version "$want"
  fi
  ensure_wasm_opt
}

# wasm-opt from binaryen 132 (npm). Debian's binaryen 108 rewrites wasm-bindgen's externref-table
# export to point at the function table, which breaks hydration of release builds.
BINARYEN_VERSION=132.0.0
ensure_wasm_opt() {
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/lineup-tools/binaryen-$BINARYEN_VERSION"
  if [ ! -x "$dir/node_modules/.bin/wasm-opt" ]; then
    command -v npm >/dev/null || apt_install nodejs npm
    say "installing wasm-opt (binaryen $BINARYEN_VERSION, npm)"
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION" >/dev/null)
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
}

# A real SMTP server for the mail tests (server/tests/smtp_sink.py runs aiosmtpd).
ensure_test_services() {
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || apt_install python3-aiosmtpd
}

ensure_browser_tools() {
  command -v chromium >/dev/null || apt_install chromium
  command -v npm >/dev/null || apt_install nodejs npm
  # installed again whenever the lock file changed since the last install
  local stamp="$ROOT/end2end/node_modules/.lineup-lock-sha256"
  local want
  want="$(sha256sum "$ROOT/end2end/package-lock.json" | cut -d' ' -f1)"
  if [ ! -x "$ROOT/end2end/node_modules/.bin/playwright" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing the end2end npm packages"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
    echo "$want" > "$stamp"
  fi
}

# A PostgreSQL server on 127.0.0.1:5432 for the storage tests and benchmarks, reachable as
# PG_ADMIN_URL: the server already answering there, or Debian's, installed, its cluster created
# and started when missing. When the local Debian cluster refuses PG_ADMIN_URL's password, the
# postgres role is given it (over the local socket, where Debian lets the postgres OS user in).
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres:postgres@127.0.0.1:5432}"
ensure_postgres() {
  if ! { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }; then
    apt_install postgresql
    local version
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
      say "creating the PostgreSQL $version cluster"
      as_root pg_createcluster "$version" main >/dev/null
    fi
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
      say "starting PostgreSQL $version"
      as_root pg_ctlcluster "$version" main start
    fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start" >&2; return 1; }
  fi
  psql "$PG_ADMIN_URL/postgres" -qtAXc 'select 1' >/dev/null 2>&1 && return 0
  local password
  password=$(python3 -c 'import sys, urllib.parse as u; print(u.unquote(u.urlparse(sys.argv[1]).password or ""))' "$PG_ADMIN_URL")
  if [ -n "$password" ] && id postgres >/dev/null 2>&1; then
    echo "alter role postgres password :'pw'" |
      as_root runuser -u postgres -- psql -qX -v ON_ERROR_STOP=1 -v pw="$password" >/dev/null
  fi
  psql "$PG_ADMIN_URL/postgres" -qtAXc 'select 1' >/dev/null ||
    { echo "cannot connect to PostgreSQL as $PG_ADMIN_URL (set PG_ADMIN_URL)" >&2; return 1; }
}
