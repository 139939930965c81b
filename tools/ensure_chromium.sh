#!/usr/bin/env bash
# Make sure the browser check (tests/test_browser.py) finds a Chromium on PATH, as `chromium` or
# `chromium-browser`; if there is none, install Debian's `chromium` with apt-get, as root or with sudo.
set -euo pipefail

have_chromium() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
have_chromium && exit 0

install="apt-get update && apt-get install -y --no-install-recommends chromium"
fail() {
  echo "error: the browser check needs Chromium and $1; run: $2" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 ||
  fail "this system has no apt-get" "your package manager's install of Chromium, so that 'chromium' is on PATH"
if [ "$(id -u)" -eq 0 ]; then
  as_root=() hint="$install"
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo) hint="sudo sh -c '$install'"
else
  fail "installing it needs root (no sudo here)" "su -c '$install'"
fi

echo "installing Debian's chromium for the browser check (once: about 500 MB with its libraries)"
if ! { "${as_root[@]}" apt-get update -qq &&
       "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
  fail "installing it with ${as_root[*]:+sudo }apt-get failed" "$hint"
fi
have_chromium || fail "apt-get installed no chromium on PATH" "$hint"
echo "chromium: $(command -v chromium || command -v chromium-browser)"
