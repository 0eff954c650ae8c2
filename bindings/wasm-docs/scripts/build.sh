#!/usr/bin/env bash
# Builds the npm package `voronka-docs` into bindings/wasm-docs/dist:
#   dist/node/  CommonJS (wasm-bindgen --target nodejs) + index.cjs / index.mjs wrappers;
#               it loads dist/web's .wasm (one copy in the package)
#   dist/web/   ES module (wasm-bindgen --target web) + index.js wrapper (top-level await init)
#   dist/index.d.ts, dist/index.d.cts  the hand-written types (js/index.d.ts)
#
# Needs: the wasm32-unknown-unknown target, the wasm-bindgen CLI at the version in Cargo.lock,
# and `npm ci` done in bindings/wasm (its npm `binaryen` provides wasm-opt for both packages).
# scripts/test-wasm-docs installs them. Honours CARGO_TARGET_DIR.
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"
# shellcheck source=../../../scripts/lib/wasm.sh
source "$root/scripts/lib/wasm.sh"

dist="$pkg/dist"
# -O0: strip only. -Oz saves 1.4 MB of 16.7 MB gzipped (8%) but takes 7.5 CPU minutes on a
# 42 MB module, doubling the package's build time in CI.
wasm_build "$root" voronka-docs-wasm voronka_docs_wasm "$dist" -O0
# One copy of the (large) module: the Node glue loads the web build's .wasm, which is the
# same module (wasm_build checks that they are identical before optimizing once).
if ! cmp -s "$dist/node/voronka_docs_wasm_bg.wasm" "$dist/web/voronka_docs_wasm_bg.wasm"; then
  echo "build.sh: the node and web modules differ: cannot share one .wasm" >&2
  exit 1
fi
glue="$dist/node/voronka_docs_wasm.js"
line='const wasmPath = `${__dirname}/voronka_docs_wasm_bg.wasm`;'
if [[ "$(grep -cxF "$line" "$glue")" != 1 ]]; then
  echo "build.sh: $glue does not load its .wasm as expected (wasm-bindgen changed?)" >&2
  exit 1
fi
sed -i 's|^const wasmPath = `${__dirname}/voronka_docs_wasm_bg.wasm`;$|const wasmPath = require("path").join(__dirname, "..", "web", "voronka_docs_wasm_bg.wasm");|' "$glue"
rm "$dist/node/voronka_docs_wasm_bg.wasm"
wasm_wrap "$dist" voronka_docs_wasm "$pkg/js/voronka-docs.js" "$pkg/js/index.d.ts" \
  "VoronkaDocsError, renderDocument, pngPreview, documentText, renderTemplate, executeRenderEffect, kinds, sampleData, templateSource, version"
wasm_size "$dist/web/voronka_docs_wasm_bg.wasm"
