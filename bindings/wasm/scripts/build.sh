#!/usr/bin/env bash
# Builds the npm package `voronka` into bindings/wasm/dist:
#   dist/node/  CommonJS (wasm-bindgen --target nodejs) + index.cjs / index.mjs wrappers
#   dist/web/   ES module (wasm-bindgen --target web) + index.js wrapper (top-level await init)
#   dist/{node/eco-packaging.cjs,web/eco-packaging.js}  the built-in example definition
#   dist/index.d.ts, dist/index.d.cts  the hand-written types (js/index.d.ts)
# and copies the web build into examples/web/pkg/ for the demo.
#
# Needs: the wasm32-unknown-unknown target, the wasm-bindgen CLI at the version in Cargo.lock,
# and `npm install` done here (npm `binaryen` provides wasm-opt). scripts/test-wasm installs them.
# Honours CARGO_TARGET_DIR, and WASM_OPT (a wasm-opt to use instead of npm binaryen's).
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"
# shellcheck source=../../../scripts/lib/wasm.sh
source "$root/scripts/lib/wasm.sh"

dist="$pkg/dist"
# --converge repeats -Oz while it still shrinks the module; --low-memory-unused lets wasm-opt
# fold address arithmetic, since Rust never keeps data in the first 1 KiB of memory (the
# stack sits below the data and would reach it only by overflowing).
wasm_build "$root" voronka-wasm voronka_wasm "$dist" -Oz --converge --low-memory-unused

# The eco-packaging definition ships as a JS module beside the .wasm, not inside it.
node "$pkg/scripts/eco-packaging.mjs" "$root/crates/voronka/data/eco-packaging.json" "$dist"
wasm_wrap "$dist" voronka_wasm "$pkg/js/voronka.js" "$pkg/js/index.d.ts" \
  "Model, Store, VoronkaError, check, nextDue, replay, duplicateKeys, ecoPackagingDefinition, errorCodes, version" \
  eco-packaging

# The demo serves the web build from examples/web/pkg.
demo="$root/examples/web"
if [[ -d "$demo" ]]; then
  rm -rf "$demo/pkg"
  cp -r "$dist/web" "$demo/pkg"
fi

wasm_size "$dist/web/voronka_wasm_bg.wasm"
