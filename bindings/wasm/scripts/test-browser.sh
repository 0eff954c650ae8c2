#!/usr/bin/env bash
# The browser test of the demo (examples/web) in Debian's Chromium, driven by playwright-core:
# serves the demo (with the web build in examples/web/pkg, made by build.sh) on a free
# localhost port for the duration of the test, then runs test/browser/demo.test.mjs.
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"
demo="$root/examples/web"
if [[ ! -f "$demo/pkg/index.js" ]]; then
  echo "test-browser.sh: $demo/pkg is missing: run bindings/wasm/scripts/build.sh" >&2
  exit 1
fi

# shellcheck source=../../../scripts/lib/wasm.sh
source "$root/scripts/lib/wasm.sh"
run() {
  DEMO_URL="$SERVER_URL" SCREENSHOT="${SCREENSHOT:-$pkg/test-results/demo.png}" \
    node --test "$pkg/test/browser/"
}
wasm_serve "$demo" run
