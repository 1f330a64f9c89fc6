#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine, as root: the three engine modes, fixture images,
# dependencies, type checks, lint, the bundle, the unit tests once, and the integration suite on each
# engine mode (Docker 20.10 classic, Docker 28 classic, Docker 28 containerd store) with the bundle
# under Node 24, as the Actions runner runs it.
# ISG_ENGINES picks the engine modes (default: all three). Arguments replace the test selection: they
# go to jest on each engine mode, and the unit run is left out.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly ENV_DIR=/opt/isg/engines
readonly ACTION_NODE=/opt/isg/node24/bin/node
# An integration test declares by its folder whether it needs an engine: test/integration/engine-free runs
# once, with the unit tests; test/integration/engine runs on every engine mode. A file anywhere else fails.
readonly ENGINE_FREE=test/integration/engine-free
readonly ENGINE_TESTS=test/integration/engine
ENGINES=${ISG_ENGINES:-docker20-classic docker28-classic docker28-containerd}
COUNTS=$(mktemp)
trap 'rm -f "$COUNTS"' EXIT
RESULTS=()
FAILED=0

stray=$(find test/integration -name '*.test.ts' -not -path "$ENGINE_FREE/*" -not -path "$ENGINE_TESTS/*")
if [ -n "$stray" ]; then
  echo "test: integration tests must sit in $ENGINE_FREE or $ENGINE_TESTS: $stray" >&2
  exit 1
fi

bash scripts/setup-engine.sh
started=$SECONDS
bash scripts/setup-engines.sh
# Podman, Buildah, skopeo, crane and umoci: the producers of images that never see a Docker engine.
bash scripts/setup-podman.sh
echo "test: engines set up in $((SECONDS - started))s"
echo "test: installing dependencies"
# Not `npm ci`: it demands lock entries for every platform's optional bindings, which the registry
# reachable here does not serve. `--no-save` installs exactly the locked versions and writes nothing.
npm install --no-save --no-audit --no-fund --loglevel=error
echo "test: typecheck and lint"
npm run --silent typecheck
npm run --silent lint
echo "test: building dist/"
npm run --silent build
started=$SECONDS
# Built once here, not in the tests: the Go and C fixtures, Go 1.24 from Debian trixie, and headless Chromium.
bash scripts/make-test-binaries.sh test/.fixtures/bin >/dev/null
bash scripts/make-go-module-fixtures.sh test/.fixtures/gomod test/.fixtures/bin/go1.24/usr/lib/go-1.24 >/dev/null
bash scripts/setup-chromium.sh >/dev/null
echo "test: fixtures built in $((SECONDS - started))s"
if [ "${CI:-}" = "true" ] && [ -d .git ] && ! git diff --quiet -- dist; then
  # The action runs dist/, so a stale bundle would ship code the tests never saw.
  git diff --stat -- dist
  echo "test: dist/ is stale: run 'npm run build' and commit dist/" >&2
  exit 1
fi

# One jest run, with an engine mode's env file sourced (none for the unit run); its counts and time
# are kept for the closing table, and a failure does not stop the other engine modes.
run_jest() {
  local name=$1 env_file=$2 started=$SECONDS before
  shift 2
  before=$(wc -l <"$COUNTS")
  # shellcheck disable=SC1090 # the env files are written by setup-engines.sh
  if (if [ -n "$env_file" ]; then source "$env_file"; fi &&
    ISG_TEST_COUNTS=$COUNTS NODE_OPTIONS=--experimental-vm-modules exec npx jest --passWithNoTests "$@"); then :; else FAILED=1; fi
  local counts="no result (jest did not finish)"
  if (($(wc -l <"$COUNTS") > before)); then
    counts=$(tail -n1 "$COUNTS" | awk '{ print $1 " passed, " $2 " failed, " $3 " skipped" }')
  fi
  RESULTS+=("$(printf '%-20s %-40s %5ss' "$name" "$counts" "$((SECONDS - started))")")
}

if (($# == 0)); then
  echo "test: unit tests and the engine-free integration tests (node $(node --version))"
  run_jest unit "" test/unit/ "$ENGINE_FREE/"
  # The slash matters: jest reads a path as a pattern, and test/integration/engine also matches engine-free.
  set -- "$ENGINE_TESTS/"
fi
export ISG_ACTION_NODE=$ACTION_NODE
for engine in ${ENGINES//,/ }; do
  [ -f "$ENV_DIR/$engine.env" ] || { echo "test: no engine mode '$engine' in $ENV_DIR" >&2; exit 1; }
  echo "test: integration tests on $engine, the bundle on node $("$ACTION_NODE" --version)"
  run_jest "$engine" "$ENV_DIR/$engine.env" --runInBand "$@"
done

echo
echo "test: results per run"
printf '  %s\n' "${RESULTS[@]}"
awk '{ p += $1; f += $2; s += $3 } END { printf "\ntests: %d passed, %d failed, %d skipped\n", p, f, s }' "$COUNTS"
exit "$FAILED"
