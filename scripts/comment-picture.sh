#!/usr/bin/env bash
# Regenerates the README's picture, docs/images/pull-request-comment.png: the comment the bundle posts on a
# real pull request (test/integration/engine/comment-picture.test.ts, on one engine mode), rendered as
# GitHub renders it in headless Chromium. Needs the set-up of scripts/test.sh (engines, fixtures).
# ISG_ENGINE picks the engine mode (default docker28-containerd, whose compressed sizes are exact).
set -euo pipefail
cd "$(dirname "$0")/.."

engine=${ISG_ENGINE:-docker28-containerd}
picture=docs/images/pull-request-comment.png
mkdir -p "$(dirname "$picture")"
bash scripts/setup-chromium.sh
# The verdict's ✅ and ❌ are colour emoji; without this font Chromium draws empty boxes.
if ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-color-emoji >/dev/null
fi
npm run --silent build
# shellcheck disable=SC1090 # written by setup-engines.sh
source "/opt/isg/engines/$engine.env"
ISG_ACTION_NODE=/opt/isg/node24/bin/node ISG_COMMENT_PICTURE="$PWD/$picture" NODE_OPTIONS=--experimental-vm-modules \
  npx jest --runInBand test/integration/engine/comment-picture.test.ts
echo "comment-picture: wrote $picture"
