#!/usr/bin/env bash
# Builds the ELF fixtures that test/integration/engine-free/elf-binaries.test.ts streams through ElfScanner.
# Usage: scripts/make-test-binaries.sh OUTDIR
# Idempotent: every output that already exists is skipped, so a second run is cheap.
# Needs go, gcc and strip (installed by scripts/setup-engine.sh). Never reaches the network for Go
# modules (GOPROXY=off); an optional second Go version is fetched from Debian with apt-get only.
set -euo pipefail

OUT=${1:?usage: make-test-binaries.sh OUTDIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

for tool in go gcc strip; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "make-test-binaries: '$tool' is not installed; run scripts/setup-engine.sh" \
      "(or: apt-get install -y golang-go gcc libc6-dev binutils)" >&2
    exit 1
  fi
done

# The build cache lives beside the fixtures so repeated runs are fast and nothing lands in $HOME.
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOCACHE="$OUT/.gocache" GOPATH="$OUT/.gopath"
export GOTELEMETRY=off

# Writes the stdlib-only fixture module (one main package per feature) into $1.
write_module() {
  local dir=$1
  mkdir -p "$dir"/{hello,https,tz,tzdata,user}
  printf 'module example.com/fixtures\n\ngo 1.19\n' >"$dir/go.mod"
  cat >"$dir/hello/main.go" <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello") }
EOF
  cat >"$dir/https/main.go" <<'EOF'
package main

import (
	"fmt"
	"net/http"
	"os"
)

// The request only runs when asked for explicitly, so the fixture never reaches the network.
func main() {
	if len(os.Args) > 1 && os.Args[1] == "fetch" {
		resp, err := http.Get("https://example.invalid")
		fmt.Println(resp, err)
	}
}
EOF
  cat >"$dir/tz/main.go" <<'EOF'
package main

import (
	"fmt"
	"time"
)

func main() { fmt.Println(time.LoadLocation("Europe/Paris")) }
EOF
  cat >"$dir/tzdata/main.go" <<'EOF'
package main

import (
	"fmt"
	"time"
	_ "time/tzdata"
)

func main() { fmt.Println(time.LoadLocation("Europe/Paris")) }
EOF
  cat >"$dir/user/main.go" <<'EOF'
package main

import (
	"fmt"
	"os/user"
)

func main() { fmt.Println(user.Current()) }
EOF
}

# go_build GO OUTPUT PKG CGO [extra go build flags...]: builds one fixture unless it exists.
go_build() {
  local gobin=$1 output=$2 pkg=$3 cgo=$4
  shift 4
  [ -e "$output" ] && return 0
  (cd "$SRC" && CGO_ENABLED=$cgo "$gobin" build -o "$output.tmp" "$@" "./$pkg")
  mv "$output.tmp" "$output"
}

# Copies a file and strips it with GNU strip, the reference for strippableBytes.
gnu_strip() {
  local input=$1 output=$2
  [ -e "$output" ] && return 0
  cp "$input" "$output.tmp"
  strip "$output.tmp"
  mv "$output.tmp" "$output"
}

build_go_fixtures() {
  local gobin=$1 prefix=$2
  go_build "$gobin" "$OUT/${prefix}hello-static" hello 0
  go_build "$gobin" "$OUT/${prefix}hello-stripped" hello 0 -ldflags='-s -w'
  go_build "$gobin" "$OUT/${prefix}hello-https" https 0
  go_build "$gobin" "$OUT/${prefix}hello-tz" tz 0
  go_build "$gobin" "$OUT/${prefix}hello-tzdata" tzdata 0
  go_build "$gobin" "$OUT/${prefix}hello-user" user 1
  go_build "$gobin" "$OUT/${prefix}hello-trimpath" hello 0 -trimpath
  gnu_strip "$OUT/${prefix}hello-static" "$OUT/${prefix}hello-static.gnu-stripped"
}

build_c_fixtures() {
  if [ ! -e "$OUT/c-hello" ]; then
    printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' >"$SRC/hello.c"
    gcc -O2 -g -o "$OUT/c-hello.tmp" "$SRC/hello.c"
    mv "$OUT/c-hello.tmp" "$OUT/c-hello"
  fi
  gnu_strip "$OUT/c-hello" "$OUT/c-hello-stripped"
}

# Copies the Go toolchain's own binaries (main packages cmd/go and cmd/compile) from GOROOT $1.
copy_toolchain() {
  local goroot=$1 prefix=$2 compile
  [ -e "$OUT/${prefix}toolchain-go" ] || cp "$goroot/bin/go" "$OUT/${prefix}toolchain-go"
  compile=$(ls "$goroot"/pkg/tool/*/compile 2>/dev/null | head -n 1 || true)
  if [ -n "$compile" ] && [ ! -e "$OUT/${prefix}toolchain-compile" ]; then
    cp "$compile" "$OUT/${prefix}toolchain-compile"
  fi
}

# Fetches Debian trixie's golang-1.24 into $OUT/go1.24 without touching the machine's apt sources.
# Prints the GOROOT on success; any failure just means the second Go version is skipped.
fetch_go124() {
  local root="$OUT/go1.24" tmp mirror
  if [ -x "$root/usr/lib/go-1.24/bin/go" ]; then echo "$root/usr/lib/go-1.24"; return 0; fi
  command -v apt-get >/dev/null 2>&1 || return 1
  mirror=$(apt-get indextargets --format '$(URI)' | grep '/dists/' | grep -v -- '-security' | head -n 1 | sed 's#/dists/.*##') || return 1
  [ -n "$mirror" ] || return 1
  tmp=$(mktemp -d)
  mkdir -p "$tmp/lists/partial" "$tmp/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$tmp/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=- -o "Dir::State::Lists=$tmp/lists")
  apt-get "${opts[@]}" update >"$tmp/update.log" 2>&1 || { rm -rf "$tmp"; return 1; }
  (cd "$tmp/debs" && apt-get "${opts[@]}" download golang-1.24-go golang-1.24-src) >"$tmp/download.log" 2>&1 \
    || { rm -rf "$tmp"; return 1; }
  mkdir -p "$root"
  for deb in "$tmp"/debs/*.deb; do dpkg -x "$deb" "$root"; done
  rm -rf "$tmp"
  [ -x "$root/usr/lib/go-1.24/bin/go" ] || return 1
  echo "$root/usr/lib/go-1.24"
}

SRC=$(mktemp -d)
trap 'rm -rf "$SRC"' EXIT
write_module "$SRC"

build_go_fixtures go ""
mkdir -p "$OUT/bin"
# An application that is merely named "go": the scanner must not call it a toolchain.
[ -e "$OUT/bin/go" ] || cp "$OUT/hello-static" "$OUT/bin/go"
build_c_fixtures
copy_toolchain "$(go env GOROOT)" ""

if goroot124=$(fetch_go124); then
  build_go_fixtures "$goroot124/bin/go" "go124-"
  copy_toolchain "$goroot124" "go124-"
else
  echo "make-test-binaries: golang-1.24 from Debian trixie is unavailable; only $(go env GOVERSION) fixtures built" >&2
fi
