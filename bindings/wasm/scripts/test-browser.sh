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

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
log="$(mktemp)"
python3 -m http.server "$port" --bind 127.0.0.1 -d "$demo" > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 50); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2> /dev/null; then
    break
  fi
  sleep 0.1
done

DEMO_URL="http://127.0.0.1:$port/" \
  SCREENSHOT="${SCREENSHOT:-$pkg/test-results/demo.png}" \
  node --test "$pkg/test/browser/"
