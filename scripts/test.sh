#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine, as root: engine, fixture images, dependencies,
# type checks, lint, the bundle, unit and integration tests against the real engine.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-engine.sh
echo "test: installing dependencies"
# Not `npm ci`: it demands lock entries for every platform's optional bindings, which the registry
# reachable here does not serve. `--no-save` installs exactly the locked versions and writes nothing.
npm install --no-save --no-audit --no-fund --loglevel=error
echo "test: typecheck and lint"
npm run --silent typecheck
npm run --silent lint
echo "test: building dist/"
npm run --silent build
if [ "${CI:-}" = "true" ] && [ -d .git ] && ! git diff --quiet -- dist; then
  # The action runs dist/, so a stale bundle would ship code the tests never saw.
  git diff --stat -- dist
  echo "test: dist/ is stale: run 'npm run build' and commit dist/" >&2
  exit 1
fi
echo "test: running jest (unit and integration)"
NODE_OPTIONS=--experimental-vm-modules npx jest "$@"
