#!/usr/bin/env bash
# Measures a pull-request run's own cost: (total action time − head build − base build) / one analysis.
# The base is examples/go-service on scratch, the head moves it onto alpine-like; both builds are warm,
# as a second push to a PR would be. Needs the README set-up (engine, fixtures, dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
git init -q --bare --initial-branch=main "$root/origin.git"
git init -q --initial-branch=main "$root/authoring"
cp examples/go-service/{Dockerfile,go.mod,main.go} "$root/authoring/"
git -C "$root/authoring" -c user.name=bench -c user.email=bench@example.com add -A
git -C "$root/authoring" -c user.name=bench -c user.email=bench@example.com commit -qm base
base=$(git -C "$root/authoring" rev-parse HEAD)
sed -i 's#^ARG RUNTIME_IMAGE=scratch#ARG RUNTIME_IMAGE=image-size-gate/alpine-like:latest#' "$root/authoring/Dockerfile"
git -C "$root/authoring" -c user.name=bench -c user.email=bench@example.com commit -qam head
head=$(git -C "$root/authoring" rev-parse HEAD)
git -C "$root/authoring" push -q "$root/origin.git" HEAD:main "$base:refs/heads/base"
git clone -q --depth=1 "file://$root/origin.git" "$root/workspace"
cat > "$root/event.json" <<JSON
{"action":"synchronize","number":1,"pull_request":{"number":1,"base":{"sha":"$base","ref":"base","repo":{"full_name":"bench/service"}},"head":{"sha":"$head","ref":"main","repo":{"full_name":"bench/service"}}},"repository":{"full_name":"bench/service","name":"service","owner":{"login":"bench"}}}
JSON
touch "$root/out" "$root/summary"
run() {
  (cd "$root/workspace" && env GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$root/event.json" GITHUB_REPOSITORY=bench/service \
    GITHUB_OUTPUT="$root/out" GITHUB_STEP_SUMMARY="$root/summary" RUNNER_TEMP="$root" INPUT_NETWORK=none INPUT_COMMENT=false \
    INPUT_CONTEXT=. node "$OLDPWD/dist/index.js")
}
run > /dev/null || true # warm the builder's cache for both commits; the verdict does not matter here
start=$(date +%s.%N)
log=$(run) || true
total=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
echo "$log" | grep 'image-size-gate: .* took'
echo "$log" | awk -v total="$total" '
  /image-size-gate: build took/ { builds += $(NF-1) }
  /image-size-gate: analysis took/ { n++; analyses += $(NF-1) }
  END { one = analyses / n; printf "total %.2f s, builds %.2f s, analyses %.2f s (%d); overhead = (total - builds) / one analysis = %.2f\n", total, builds, analyses, n, (total - builds) / one }'
