#!/usr/bin/env bash
# Builds the npm package `voronka` into bindings/wasm/dist:
#   dist/node/  CommonJS (wasm-bindgen --target nodejs) + index.cjs / index.mjs wrappers
#   dist/web/   ES module (wasm-bindgen --target web) + index.js wrapper (top-level await init)
#   dist/index.d.ts, dist/index.d.cts  the hand-written types (js/index.d.ts)
# and copies the web build into examples/web/pkg/ for the demo.
#
# Needs: the wasm32-unknown-unknown target, the wasm-bindgen CLI at the version in Cargo.lock,
# and `npm install` done here (npm `binaryen` provides wasm-opt). scripts/test-wasm installs them.
# Honours CARGO_TARGET_DIR, and WASM_OPT (a wasm-opt to use instead of npm binaryen's).
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")"
have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
if [[ "$have" != "$want" ]]; then
  echo "build.sh: wasm-bindgen CLI ${have:-missing}, Cargo.lock wants $want:" >&2
  echo "  cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi

wasm_opt="${WASM_OPT:-$pkg/node_modules/.bin/wasm-opt}"
if [[ ! -x "$wasm_opt" ]]; then
  wasm_opt="$(command -v wasm-opt || true)"
fi
if [[ -z "$wasm_opt" ]]; then
  echo "build.sh: no wasm-opt: run 'npm ci' in bindings/wasm (npm binaryen)" >&2
  exit 1
fi

(cd "$root" && cargo build -p voronka-wasm --target wasm32-unknown-unknown --profile wasm-release)
wasm="$target_dir/wasm32-unknown-unknown/wasm-release/voronka_wasm.wasm"

dist="$pkg/dist"
rm -rf "$dist"
mkdir -p "$dist/node" "$dist/web"
wasm-bindgen --target nodejs --weak-refs --no-typescript --out-name voronka_wasm \
  --out-dir "$dist/node" "$wasm"
wasm-bindgen --target web --weak-refs --no-typescript --out-name voronka_wasm \
  --out-dir "$dist/web" "$wasm"

# The features rustc enables by default for wasm32-unknown-unknown.
features=(--enable-bulk-memory --enable-mutable-globals --enable-sign-ext
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue)
# The two builds' modules differ only in their import module names: optimize both at once.
pids=()
for out in "$dist/node" "$dist/web"; do
  "$wasm_opt" -Oz "${features[@]}" --strip-debug --strip-producers --strip-target-features \
    -o "$out/voronka_wasm_bg.wasm" "$out/voronka_wasm_bg.wasm" &
  pids+=("$!")
done
for pid in "${pids[@]}"; do
  wait "$pid"
done

core="$pkg/js/voronka.js"
names="Model, Store, VoronkaError, check, nextDue, replay, duplicateKeys, ecoPackagingDefinition, version"

# Node: CommonJS (the folder says so, since the package is "type": "module").
echo '{ "type": "commonjs" }' > "$dist/node/package.json"
{
  echo '"use strict";'
  echo "const raw = require('./voronka_wasm.js');"
  cat "$core"
  echo 'const api = bind(raw);'
  echo '// `require("voronka").default` is the API too, as index.d.cts declares.'
  echo 'api.default = api;'
  echo 'module.exports = api;'
} > "$dist/node/index.cjs"
{
  echo "import api from './index.cjs';"
  echo "export const { $names } = api;"
  echo "export default api;"
} > "$dist/node/index.mjs"

# Browsers and bundlers: an ES module that fetches and instantiates the .wasm next to it.
{
  echo "import init, * as raw from './voronka_wasm.js';"
  echo "await init({ module_or_path: new URL('./voronka_wasm_bg.wasm', import.meta.url) });"
  cat "$core"
  echo 'const api = bind(raw);'
  echo "export const { $names } = api;"
  echo 'export default api;'
} > "$dist/web/index.js"

cp "$pkg/js/index.d.ts" "$dist/index.d.ts"
cp "$pkg/js/index.d.ts" "$dist/index.d.cts"

# The demo serves the web build from examples/web/pkg.
demo="$root/examples/web"
if [[ -d "$demo" ]]; then
  rm -rf "$demo/pkg"
  cp -r "$dist/web" "$demo/pkg"
fi

size="$(stat -c %s "$dist/web/voronka_wasm_bg.wasm")"
gz="$(gzip -9 -c "$dist/web/voronka_wasm_bg.wasm" | wc -c)"
echo "voronka_wasm_bg.wasm: $size bytes raw, $gz bytes gzipped (-9)"
