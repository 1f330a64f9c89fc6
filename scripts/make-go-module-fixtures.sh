#!/usr/bin/env bash
# Builds real Go programs with third-party modules, offline, for the engine-free attribution tests and go-growth.test.ts:
# base/head pairs in which the head adds a module, upgrades one, moves to Go 1.24, drops -s -w or turns
# on cgo. Module sources come from Debian's golang-*-dev packages (/usr/share/gocode/src), installed
# here with apt-get when missing. Usage: scripts/make-go-module-fixtures.sh OUTDIR [GOROOT_1_24]
# Idempotent: every output that already exists is skipped.
set -euo pipefail

OUT=${1:?usage: make-go-module-fixtures.sh OUTDIR [GOROOT_1_24]}
GO124=${2:-}
[ -n "$GO124" ] && [ -d "$GO124" ] && GO124=$(cd "$GO124" && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
GOCODE=/usr/share/gocode/src

if [ ! -d "$GOCODE/github.com/google/uuid" ] || [ ! -d "$GOCODE/golang.org/x/text" ]; then
  echo "make-go-module-fixtures: installing Debian's Go module sources" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    golang-github-google-uuid-dev golang-golang-x-text-dev >/dev/null
fi

# No VCS stamp: a fixture built inside a git checkout would otherwise carry its commit as the main module version.
export GOFLAGS="-mod=mod -buildvcs=false" GOPROXY=off GOTOOLCHAIN=local GOTELEMETRY=off GOCACHE="$OUT/.gocache" GOPATH="$OUT/.gopath"
# Fixed places for the sources and for Go 1.24's GOROOT: Go writes their file names into every binary, so a
# path that followed the checkout would change the binaries' sizes, and the tests assert sizes to the byte.
FIXED=/var/cache/image-size-gate
SRC=$FIXED/gomod-src
mkdir -p "$FIXED"

# write_module DIR UUID_VERSION UUID_DIR WITH_TEXT: a main module using uuid (and x/text when asked).
write_module() {
  local dir=$1 version=$2 uuid=$3 text=$4
  mkdir -p "$dir"
  {
    printf 'module example.com/app\n\ngo 1.19\n\nrequire github.com/google/uuid %s\n' "$version"
    [ "$text" = yes ] && printf 'require golang.org/x/text v0.7.0\n'
    printf 'replace github.com/google/uuid => %s\n' "$uuid"
    [ "$text" = yes ] && printf 'replace golang.org/x/text => %s/golang.org/x/text\n' "$GOCODE"
  } >"$dir/go.mod"
  cat >"$dir/main.go" <<'EOF'
package main

import (
	"fmt"
	"os/user"

	"github.com/google/uuid"
)

// extra is set by the variants that use more code.
var extra = func() string { return "" }

func main() {
	u, err := user.Current()
	fmt.Println(uuid.New().String(), u, err, extra())
}
EOF
  if [ "$text" = yes ]; then
    cat >"$dir/text.go" <<'EOF'
package main

import (
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

func init() { extra = func() string { return cases.Title(language.English).String("hello") } }
EOF
  fi
}

# A second version of uuid side by side with Debian's: the same sources plus a function the app calls.
write_uuid_upgrade() {
  local dir=$SRC/uuid-v1.4.0
  [ -e "$dir/go.mod" ] && return 0
  mkdir -p "$dir"
  cp "$GOCODE"/github.com/google/uuid/*.go "$GOCODE"/github.com/google/uuid/go.mod "$dir/"
  rm -f "$dir"/*_test.go
  cat >"$dir/table.go" <<'EOF'
package uuid

import "fmt"

// Describe is new in this version: enough code to make the upgrade visible in the binary.
func Describe(u UUID) string {
	var s string
	for i, b := range u {
		switch b % 8 {
		case 0:
			s += fmt.Sprintf("%d:%x;", i, b)
		case 1:
			s += fmt.Sprintf("%d:%o;", i, b)
		case 2:
			s += fmt.Sprintf("%d:%b;", i, b)
		case 3:
			s += fmt.Sprintf("%d:%q;", i, b)
		case 4:
			s += fmt.Sprintf("%d:%U;", i, b)
		case 5:
			s += fmt.Sprintf("%d:%c;", i, b)
		case 6:
			s += fmt.Sprintf("%d:%X;", i, b)
		default:
			s += fmt.Sprintf("%d:%v;", i, b)
		}
	}
	return s + u.URN() + u.Variant().String() + u.Version().String()
}
EOF
}

write_sources() {
  [ -e "$SRC/.done" ] && return 0
  rm -rf "$SRC"
  write_module "$SRC/app" v1.3.0 "$GOCODE/github.com/google/uuid" no
  write_module "$SRC/add" v1.3.0 "$GOCODE/github.com/google/uuid" yes
  write_uuid_upgrade
  write_module "$SRC/upgrade" v1.4.0 "$SRC/uuid-v1.4.0" no
  printf 'package main\n\nimport "github.com/google/uuid"\n\nfunc init() { extra = func() string { return uuid.Describe(uuid.New()) } }\n' \
    >"$SRC/upgrade/describe.go"
  touch "$SRC/.done"
}

# build GO OUTPUT MODULE CGO [go build flags...]
build() {
  local gobin=$1 output=$OUT/$2 module=$3 cgo=$4
  shift 4
  [ -e "$output" ] && return 0
  (cd "$SRC/$module" && CGO_ENABLED=$cgo "$gobin" build -o "$output.tmp" "$@" .)
  mv "$output.tmp" "$output"
}

gnu_strip() {
  [ -e "$OUT/$2" ] && return 0
  cp "$OUT/$1" "$OUT/$2.tmp"
  strip "$OUT/$2.tmp"
  mv "$OUT/$2.tmp" "$OUT/$2"
}

# build_set GO PREFIX: the programs one Go version builds.
build_set() {
  local gobin=$1 p=$2
  build "$gobin" "${p}app" app 0
  build "$gobin" "${p}app-sw" app 0 -ldflags='-s -w'
  build "$gobin" "${p}app-cgo" app 1
  build "$gobin" "${p}add" add 0
  build "$gobin" "${p}add-sw" add 0 -ldflags='-s -w'
  build "$gobin" "${p}upgrade" upgrade 0
  gnu_strip "${p}add" "${p}add.gnu-stripped"
}

write_sources
build_set go ""
if [ -n "$GO124" ] && [ -x "$GO124/bin/go" ]; then
  ln -sfn "$GO124" "$FIXED/go1.24"
  GOROOT=$FIXED/go1.24 build_set "$FIXED/go1.24/bin/go" go124-
else
  echo "make-go-module-fixtures: no Go 1.24 given; only $(go env GOVERSION) programs built" >&2
fi
