# Shared set-up for scripts/run-demo and scripts/test-all. Source it; do not run it.
#
# Everything here is idempotent: on a fresh Debian machine it installs what is
# missing (Debian packages, wasm-bindgen-cli, npm packages); on a prepared one
# it only checks. Build output lives outside the clone, under
# ~/.cache/wijkverhalen, keyed by the toolchain, so a second clone or a second
# run starts warm while a fresh machine still works.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${WV_CACHE:-$HOME/.cache/wijkverhalen}"
mkdir -p "$CACHE"

log() { printf '\033[1;36m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# The machine's rustup toolchain builds the server and runs the tests;
# Debian's rustc-web builds the wasm client (rustup cannot fetch the wasm
# target here; see DESIGN/TOOLCHAIN notes in README.md).
HOST_CARGO="${HOST_CARGO:-$(command -v cargo || echo "$HOME/.cargo/bin/cargo")}"
[ -x "$HOST_CARGO" ] || die "cargo not found (expected the rustup toolchain)"

toolchain_key() {
  # A short key from the host compiler's version: a new toolchain gets a new
  # target dir. Debian's rustc-web (the wasm compiler) is left out on purpose:
  # it is installed by the first run, so a key that included it changed between
  # the first and the second run on a fresh machine and threw the warm cache
  # away. Cargo keeps artifacts of different compilers apart by itself.
  { "$HOST_CARGO" --version; "$(dirname "$HOST_CARGO")/rustc" -vV 2>/dev/null || true; } |
    sha256sum | cut -c1-12
}

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target-$(toolchain_key)}"
SITE_ROOT="$CARGO_TARGET_DIR/site"
export LEPTOS_SITE_ROOT="$SITE_ROOT"

APT_PACKAGES_BASE=(rustc-web cargo-web rust-web-src lld-22 brotli)
APT_PACKAGES_TEST=(chromium poppler-utils postgresql)

apt_missing() {
  local missing=()
  for p in "$@"; do
    case "$p" in *-) continue ;; esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  printf '%s\n' "${missing[@]}"
}

ensure_apt() {
  local missing
  missing=$(apt_missing "$@" | xargs)
  [ -z "$missing" ] && return 0
  log "Installing Debian packages: $missing"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local ver dir
  ver=$(wasm_bindgen_version)
  [ -n "$ver" ] || die "wasm-bindgen not found in Cargo.lock"
  dir="$CACHE/tools/wasm-bindgen-$ver"
  if [ ! -x "$dir/bin/wasm-bindgen" ]; then
    log "Installing wasm-bindgen-cli $ver (once per machine, a few minutes)"
    # --locked can fail on a yanked webpki-roots in the index; retry without.
    "$HOST_CARGO" install wasm-bindgen-cli --version "=$ver" --root "$dir" --locked >/dev/null 2>&1 ||
      "$HOST_CARGO" install wasm-bindgen-cli --version "=$ver" --root "$dir"
  fi
  WASM_BINDGEN="$dir/bin/wasm-bindgen"
}

ensure_npm() {
  if [ ! -d "$ROOT/end2end/node_modules" ] || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    log "Installing npm packages (end2end/)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  WASM_OPT="$ROOT/end2end/node_modules/binaryen/bin/wasm-opt"
  [ -x "$WASM_OPT" ] || die "binaryen's wasm-opt missing from end2end/node_modules"
}

# Builds the hydrating wasm client into $SITE_ROOT/pkg and copies CSS and assets.
build_client() {
  ensure_apt "${APT_PACKAGES_BASE[@]}"
  ensure_wasm_bindgen
  ensure_npm
  log "Building the browser client (wasm)"
  local front="$CARGO_TARGET_DIR/front"
  (cd "$ROOT" && PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$front" \
    /usr/bin/cargo build -p app --lib --profile wasm-release --features hydrate \
      --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort -q)
  mkdir -p "$SITE_ROOT/pkg"
  "$WASM_BINDGEN" --target web --no-typescript --out-dir "$SITE_ROOT/pkg" --out-name wijkverhalen \
    "$front/wasm32-unknown-unknown/wasm-release/app.wasm"
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals -o "$SITE_ROOT/pkg/wijkverhalen_bg.wasm" "$SITE_ROOT/pkg/wijkverhalen_bg.wasm"
  cp "$ROOT/style/main.css" "$SITE_ROOT/pkg/wijkverhalen.css"
  # Everything in assets/ but the booklet fonts, which live inside the server
  # binary (include_bytes!) and are not used by the web pages.
  find "$ROOT/assets" -mindepth 1 -maxdepth 1 ! -name fonts -exec cp -r {} "$SITE_ROOT/" \;
  rm -rf "$SITE_ROOT/fonts"
  compress_site
}

# Writes a brotli (.br) and a gzip (.gz) copy next to every text and wasm file
# of the site: the static handler (tower-http ServeDir, precompressed) serves
# the copy the browser accepts, so a tablet downloads about a third of the
# bytes. Compressed once here at the highest levels, never per request.
compress_site() {
  local f
  find "$SITE_ROOT" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' \) -print0 |
    while IFS= read -r -d '' f; do
      brotli --force --best --output="$f.br" "$f"
      gzip --force --best --keep --no-name "$f"
    done
}

# Deletes this project's own test binaries and libraries that a newer build
# replaced more than a day ago: each is hundreds of MB, and a cache that is
# reused run after run would otherwise grow without bound. Dependencies and
# current artifacts are left alone.
prune_stale_artifacts() {
  local deps="$CARGO_TARGET_DIR/debug/deps"
  [ -d "$deps" ] || return 0
  find "$deps" -maxdepth 1 -type f -mmin +1440 \( -name 'wijkverhalen-*' -o -name 'libserver-*' \
    -o -name 'libapp-*' -o -name 'app-*' -o -name 'server-*' -o -name 'journey-*' -o -name 'autosave-*' \
    -o -name 'media-*' -o -name 'consent-*' -o -name 'guide-*' -o -name 'review-*' \
    -o -name 'notifications-*' -o -name 'audio-*' -o -name 'photo_pipeline-*' \) -delete 2>/dev/null || true
}

# Builds the server binary (dev profile, dependencies optimised).
build_server() {
  log "Building the server"
  (cd "$ROOT" && "$HOST_CARGO" build -p server --bin wijkverhalen -q)
  SERVER_BIN="$CARGO_TARGET_DIR/debug/wijkverhalen"
}

# Sets PG_URL to a PostgreSQL server for the tests:
#  1. DATABASE_URL=postgres://… is set        → that one;
#  2. a local server on 127.0.0.1:5432 lets `postgres` in without a password → that one;
#  3. otherwise install Debian's postgresql if missing, initdb a throwaway
#     cluster (as the postgres user: initdb refuses root) in a temporary
#     directory and start it on 127.0.0.1 on a free port. stop_postgres
#     removes it again (test-all does so on exit).
PG_DIR=""
start_postgres() {
  if [[ "${DATABASE_URL:-}" == postgres* ]]; then
    PG_URL="$DATABASE_URL"; return 0
  fi
  if command -v psql >/dev/null && psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    PG_URL="postgres://postgres@127.0.0.1:5432/postgres"; return 0
  fi
  ensure_apt postgresql
  local bindir port
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  [ -x "$bindir/initdb" ] || die "initdb not found under /usr/lib/postgresql"
  PG_DIR=$(mktemp -d /tmp/wv-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local opts="-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PG_DIR"
    su postgres -s /bin/sh -c "'$bindir/initdb' -D '$PG_DIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
    su postgres -s /bin/sh -c "'$bindir/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/log' -w -o '$opts' start >/dev/null"
  else
    "$bindir/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o "$opts" start >/dev/null
  fi
  log "Throwaway PostgreSQL on 127.0.0.1:$port (data in $PG_DIR)"
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

stop_postgres() {
  [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ] || return 0
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "'$bindir/pg_ctl' -D '$PG_DIR/data' -m fast stop" >/dev/null 2>&1 || true
  else
    "$bindir/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}
