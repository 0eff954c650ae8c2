#!/usr/bin/env bash
# The browser test of the web build in Debian's Chromium, driven by playwright-core (from
# bindings/wasm's dev dependencies): serves this package on a free localhost port for the
# duration of the test, then runs test/browser/docs.test.mjs. Needs dist/ (build.sh).
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"
if [[ ! -f "$pkg/dist/web/index.js" ]]; then
  echo "test-browser.sh: $pkg/dist is missing: run bindings/wasm-docs/scripts/build.sh" >&2
  exit 1
fi

# shellcheck source=../../../scripts/lib/wasm.sh
source "$root/scripts/lib/wasm.sh"
run() {
  DOCS_URL="$SERVER_URL" node --test "$pkg/test/browser/"
}
wasm_serve "$pkg" run
