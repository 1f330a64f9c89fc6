#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the Mermaid rendering test, if it is missing.
# Idempotent; the test loads mermaid from node_modules, so nothing is fetched from a CDN.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "setup-chromium: installing Debian's chromium package" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null
