# Shell functions shared by the two npm packages, `voronka` (bindings/wasm) and
# `voronka-docs` (bindings/wasm-docs): their test scripts (scripts/test-wasm,
# scripts/test-wasm-docs) and their build scripts (bindings/*/scripts/build.sh).
# Source it; every function takes the repository root as its first argument.

# The wasm-bindgen version pinned in Cargo.lock (the CLI must be exactly this version).
wasm_bindgen_wanted() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$1/Cargo.lock"
}

wasm_bindgen_installed() {
  wasm-bindgen --version 2> /dev/null | awk '{ print $2 }' || true
}

# Installs what is missing: the wasm32 target, the pinned wasm-bindgen CLI, the npm dev
# dependencies of bindings/wasm (wasm-opt from npm `binaryen`, playwright-core, typescript;
# the documents package uses them from there too) and Debian's chromium.
wasm_ensure_tools() {
  local root="$1" want have
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
  fi
  want="$(wasm_bindgen_wanted "$root")"
  have="$(wasm_bindgen_installed)"
  if [[ "$have" != "$want" ]]; then
    # Not --locked: the CLI's own lock file wants crates this registry lacks.
    cargo install wasm-bindgen-cli --version "$want"
  fi
  wasm-bindgen --version
  local modules="$root/bindings/wasm/node_modules"
  if [[ ! -d "$modules/playwright-core" || ! -d "$modules/binaryen" || ! -d "$modules/typescript" ]]; then
    (cd "$root/bindings/wasm" && npm ci --no-audit --no-fund)
  fi
  if [[ ! -x /usr/bin/chromium ]]; then
    if [[ "$(id -u)" == 0 ]]; then
      apt-get install -y chromium || (apt-get update && apt-get install -y chromium)
    else
      sudo apt-get install -y chromium || (sudo apt-get update && sudo apt-get install -y chromium)
    fi
  fi
}

# Builds a wasm-bindgen crate with the size-oriented `wasm-release` profile into
#   $dist/node/$name.js + ${name}_bg.wasm  (wasm-bindgen --target nodejs, CommonJS)
#   $dist/web/$name.js  + ${name}_bg.wasm  (wasm-bindgen --target web, ES module)
# each .wasm optimized with wasm-opt at LEVEL (default -Oz; -O0 only strips debug info and
# producers), with any further wasm-opt flags after it.
# Usage: wasm_build ROOT CRATE NAME DIST [LEVEL [FLAG...]]
wasm_build() {
  local root="$1" crate="$2" name="$3" dist="$4" level="${5:--Oz}"
  local extra=("${@:6}")
  local target_dir="${CARGO_TARGET_DIR:-$root/target}" want have wasm_opt
  want="$(wasm_bindgen_wanted "$root")"
  have="$(wasm_bindgen_installed)"
  if [[ "$have" != "$want" ]]; then
    echo "build: wasm-bindgen CLI ${have:-missing}, Cargo.lock wants $want:" >&2
    echo "  cargo install wasm-bindgen-cli --version $want" >&2
    return 1
  fi
  # WASM_OPT may name another wasm-opt. (Debian's binaryen 108 is not one: it turns
  # wasm-bindgen's externref table into a funcref table, and the module fails to load.)
  wasm_opt="${WASM_OPT:-$root/bindings/wasm/node_modules/.bin/wasm-opt}"
  if [[ ! -x "$wasm_opt" ]]; then
    wasm_opt="$(command -v wasm-opt || true)"
  fi
  if [[ -z "$wasm_opt" ]]; then
    echo "build: no wasm-opt: run 'npm ci' in bindings/wasm (npm binaryen)" >&2
    return 1
  fi

  (cd "$root" && cargo build -p "$crate" --target wasm32-unknown-unknown --profile wasm-release)
  local wasm="$target_dir/wasm32-unknown-unknown/wasm-release/${crate//-/_}.wasm"

  rm -rf "$dist"
  mkdir -p "$dist/node" "$dist/web"
  wasm-bindgen --target nodejs --weak-refs --no-typescript --out-name "$name" \
    --out-dir "$dist/node" "$wasm"
  wasm-bindgen --target web --weak-refs --no-typescript --out-name "$name" \
    --out-dir "$dist/web" "$wasm"

  # The features rustc enables by default for wasm32-unknown-unknown.
  local features=(--enable-bulk-memory --enable-mutable-globals --enable-sign-ext
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue)
  # wasm-bindgen 0.2.130 emits the same module for both targets: optimize it once then.
  local node_wasm="$dist/node/${name}_bg.wasm" web_wasm="$dist/web/${name}_bg.wasm"
  local opt=("$wasm_opt" "$level" "${extra[@]}" "${features[@]}" --strip-debug --strip-producers --strip-target-features)
  if cmp -s "$node_wasm" "$web_wasm"; then
    "${opt[@]}" -o "$web_wasm" "$web_wasm"
    cp "$web_wasm" "$node_wasm"
  else
    local pids=() pid
    "${opt[@]}" -o "$node_wasm" "$node_wasm" &
    pids+=("$!")
    "${opt[@]}" -o "$web_wasm" "$web_wasm" &
    pids+=("$!")
    for pid in "${pids[@]}"; do
      wait "$pid"
    done
  fi
}

# Writes the package's entry points around its hand-written wrapper JS_FILE (which defines
# `bind(raw)`, returning the API object), preceded by the shared bindings/wasm/js/boundary.js:
#   $dist/node/index.cjs, index.mjs  Node: CommonJS, and ESM re-exporting it
#   $dist/web/index.js               browsers and bundlers: an ES module that fetches and
#                                    instantiates the .wasm next to it (top-level await)
#   $dist/index.d.ts, index.d.cts    the hand-written types TYPES_FILE
# NAMES lists the API's named exports. DATA, if given, names a data module the package ships
# beside the .wasm ($dist/node/DATA.cjs, $dist/web/DATA.js): its default export is passed to
# `bind(raw, data)`. Usage: wasm_wrap DIST NAME JS_FILE TYPES_FILE NAMES [DATA]
wasm_wrap() {
  local dist="$1" name="$2" js="$3" types="$4" names="$5" data="${6:-}"
  local boundary node_data='const data = undefined;' web_data='const data = undefined;'
  if [[ -n "$data" ]]; then
    node_data="const data = require('./$data.cjs');"
    web_data="import data from './$data.js';"
  fi
  boundary="$(dirname "${BASH_SOURCE[0]}")/../../bindings/wasm/js/boundary.js"
  # Node: CommonJS (the folder says so, since the package is "type": "module").
  echo '{ "type": "commonjs" }' > "$dist/node/package.json"
  {
    echo '"use strict";'
    echo "const raw = require('./$name.js');"
    echo "$node_data"
    cat "$boundary" "$js"
    echo 'const api = bind(raw, data);'
    echo '// `require(package).default` is the API too, as index.d.cts declares.'
    echo 'api.default = api;'
    echo 'module.exports = api;'
  } > "$dist/node/index.cjs"
  {
    echo "import api from './index.cjs';"
    echo "export const { $names } = api;"
    echo "export default api;"
  } > "$dist/node/index.mjs"
  {
    echo "import init, * as raw from './$name.js';"
    echo "$web_data"
    echo "await init({ module_or_path: new URL('./${name}_bg.wasm', import.meta.url) });"
    cat "$boundary" "$js"
    echo 'const api = bind(raw, data);'
    echo "export const { $names } = api;"
    echo 'export default api;'
  } > "$dist/web/index.js"
  cp "$types" "$dist/index.d.ts"
  cp "$types" "$dist/index.d.cts"
}

# Prints the raw and gzipped (-9) size of a .wasm file.
wasm_size() {
  local size gz
  size="$(stat -c %s "$1")"
  gz="$(gzip -9 -c "$1" | wc -c)"
  printf '%s: %d bytes (%d KiB) raw, %d bytes (%d KiB) gzipped (-9)\n' \
    "$(basename "$1")" "$size" "$((size / 1024))" "$gz" "$((gz / 1024))"
}

# Serves DIR on a free localhost port while COMMAND runs (with SERVER_URL set to the
# server's address), then stops the server. Usage: wasm_serve DIR COMMAND...
wasm_serve() (
  local dir="$1" port log server
  shift
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  log="$(mktemp)"
  python3 -m http.server "$port" --bind 127.0.0.1 -d "$dir" > "$log" 2>&1 &
  server=$!
  trap 'kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; rm -f "$log"' EXIT
  for _ in $(seq 1 50); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2> /dev/null; then
      break
    fi
    sleep 0.1
  done
  SERVER_URL="http://127.0.0.1:$port/" "$@"
)
