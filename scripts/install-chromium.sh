#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (Playwright drives it; never `playwright install`).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "install-chromium: run as root or install the 'chromium' package yourself" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "install-chromium: $(chromium --version 2>/dev/null || echo installed)" >&2
