#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine, as root: the three engine modes, fixture images,
# dependencies, type checks, lint, the bundle, the unit tests once, and the integration suite on each
# engine mode (Docker 20.10 classic, Docker 28 classic, Docker 28 containerd store) with the bundle
# under Node 24, as the Actions runner runs it. The four runs go side by side (ISG_SERIAL=1: in turn).
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
RUNS_DIR=$(mktemp -d)
trap 'rm -rf "$RUNS_DIR"' EXIT
# Jest's transform cache is shared by the runs and kept between them, where jest would put it anyway.
readonly JEST_CACHE=${TMPDIR:-/tmp}/jest-image-size-gate
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

# One jest run, with an engine mode's env file sourced (none for the unit run). Its counts and time go
# to one line of $RUNS_DIR/NAME, kept for the closing table; a failure does not stop the other runs.
run_jest() {
  local name=$1 env_file=$2 started=$SECONDS counts_file="$RUNS_DIR/$1.counts" status=0
  # Everything a run's tests put in the temporary folder (their own folders, the bundle's workspaces, git
  # fixtures) goes in one folder of its own, removed with the runs' folder when the suite ends.
  local tmp="$RUNS_DIR/tmp-$1"
  shift 2
  mkdir -p "$tmp"
  # shellcheck disable=SC1090 # the env files are written by setup-engines.sh
  (if [ -n "$env_file" ]; then source "$env_file"; fi &&
    TMPDIR=$tmp ISG_TEST_COUNTS=$counts_file NODE_OPTIONS=--experimental-vm-modules \
      exec npx jest --cacheDirectory "$JEST_CACHE" --passWithNoTests "$@") || status=1
  local counts="no result (jest did not finish)"
  if [ -s "$counts_file" ]; then
    counts=$(tail -n1 "$counts_file" | awk '{ print $1 " passed, " $2 " failed, " $3 " skipped" }')
  fi
  printf '%-20s %-40s %5ss\n' "$name" "$counts" "$((SECONDS - started))" >"$RUNS_DIR/$name.line"
  return "$status"
}

# One engine mode's run, its output prefixed with the mode's name so that modes run side by side stay legible.
run_engine() {
  local engine=$1
  shift
  echo "test: integration tests on $engine, the bundle on node $("$ACTION_NODE" --version)"
  set -o pipefail
  run_jest "$engine" "$ENV_DIR/$engine.env" --runInBand "$@" 2>&1 | sed -u "s/^/[$engine] /"
}

# The unit tests and the engine-free integration tests, once, under the Node that runs jest.
run_unit() {
  echo "test: unit tests and the engine-free integration tests (node $(node --version))"
  set -o pipefail
  run_jest unit "" test/unit/ "$ENGINE_FREE/" 2>&1 | sed -u "s/^/[unit] /"
}

for engine in ${ENGINES//,/ }; do
  [ -f "$ENV_DIR/$engine.env" ] || { echo "test: no engine mode '$engine' in $ENV_DIR" >&2; exit 1; }
done
# Every run of the bundle, engine-free or not, uses the action's runtime, as the Actions runner does.
export ISG_ACTION_NODE=$ACTION_NODE
# Each engine mode is its own daemon with its own store, and every test makes its own names, ports and
# folders, so the runs go side by side: much of a mode's time is spent waiting on deadlines and daemons.
# ISG_SERIAL=1 runs them one after another instead.
pids=()
if (($# == 0)); then
  if [ "${ISG_SERIAL:-}" = "1" ]; then
    run_unit || FAILED=1
  else
    run_unit &
    pids+=("$!")
  fi
  # The slash matters: jest reads a path as a pattern, and test/integration/engine also matches engine-free.
  set -- "$ENGINE_TESTS/"
fi
for engine in ${ENGINES//,/ }; do
  if [ "${ISG_SERIAL:-}" = "1" ]; then
    run_engine "$engine" "$@" || FAILED=1
  else
    run_engine "$engine" "$@" &
    pids+=("$!")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || FAILED=1; done

echo
echo "test: results per run"
for name in unit ${ENGINES//,/ }; do
  [ -f "$RUNS_DIR/$name.line" ] && printf '  %s' "$(cat "$RUNS_DIR/$name.line")" && echo
done
cat "$RUNS_DIR"/*.counts 2>/dev/null | awk '{ p += $1; f += $2; s += $3 } END { printf "\ntests: %d passed, %d failed, %d skipped\n", p, f, s }'
exit "$FAILED"
