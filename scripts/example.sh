#!/usr/bin/env bash
# Runs the gate on the bundled example on a fresh Debian machine, as root: the seeds' single-stage
# Go service (fails: it ships the toolchain) and the multi-stage one (passes), each next to what
# `docker image inspect` says it weighs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-engine.sh
report=$(mktemp -d)
trap 'rm -rf "$report"' EXIT

gate() {
  local name=$1
  shift
  echo
  echo "=== image-size-gate on examples/go-service ($name)"
  local status=0
  node dist/cli/index.js --quiet --context examples/go-service --network none --max-size 25MB \
    --report "$report/$name.json" "$@" || status=$?
  local id
  id=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).image.id)' "$report/$name.json")
  echo "docker image inspect says: $(docker image inspect --format '{{.Size}}' "$id") bytes; the gate measured $(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).image.size)' "$report/$name.json") bytes"
  echo "exit code: $status"
}

gate single-stage --file examples/go-service/Dockerfile.single-stage
gate multi-stage-scratch
gate multi-stage-alpine --build-arg RUNTIME_IMAGE=image-size-gate/alpine-like:latest
