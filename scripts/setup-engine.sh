#!/usr/bin/env bash
# Bring up a local Docker engine with buildx on Debian bookworm (as root) and
# build the fixture base images the tests use. No image is ever pulled: the
# only reachable sources are the machine's own Debian mirror and npm.
# Idempotent: every step is skipped when already done, so a rerun takes seconds.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
# Append (never prepend) sbin dirs: dockerd/debootstrap live there, and the
# caller's choice of which `docker` client comes first on PATH must be kept.
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"

readonly DOCKERD_LOG=/var/log/dockerd-isg.log
readonly PLUGIN_DIR=/usr/libexec/docker/cli-plugins
readonly GOLANG_IMAGE=image-size-gate/golang:1.19
readonly ALPINE_IMAGE=image-size-gate/alpine-like:latest
readonly DISTROLESS_IMAGE=image-size-gate/distroless-like:latest
readonly STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly APT_PACKAGES=(docker.io debootstrap busybox-static ca-certificates
  golang-go git binutils file tzdata gcc libc6-dev time docker-registry)

MIRROR="${ISG_DEBIAN_MIRROR:-}"
TMP_ROOT=""
POLICY_RC_ADDED=""
APT_UPDATED=""

log() { printf 'setup-engine: %s\n' "$*"; }
die() { printf 'setup-engine: ERROR: %s\n' "$*" >&2; exit 1; }

# --- temp space and cleanup -------------------------------------------------

# Unmount anything left mounted below a dir (debootstrap mounts proc/sys and
# leaves them behind when it fails), so that rm -rf cannot reach the host.
unmount_below() {
  local dir=$1 mnt
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts |
    sort -r | while read -r mnt; do umount -l "$mnt" || true; done
}

cleanup() {
  if [[ -n $POLICY_RC_ADDED ]]; then rm -f /usr/sbin/policy-rc.d; fi
  if [[ -n $TMP_ROOT && -d $TMP_ROOT ]]; then
    unmount_below "$TMP_ROOT"
    rm -rf --one-file-system "$TMP_ROOT"
  fi
}
trap cleanup EXIT

# All scratch space lives under one dir removed on exit; /var/tmp because the
# golang rootfs is ~600 MB and /tmp may be a small tmpfs.
make_tmp_root() { TMP_ROOT=$(mktemp -d -p /var/tmp setup-engine.XXXXXX); }

scratch_dir() { mktemp -d -p "$TMP_ROOT" "$1.XXXXXX"; }

# --- step 1: Debian packages ------------------------------------------------

missing_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' || echo "$pkg"
  done
}

apt_update_once() {
  [[ -n $APT_UPDATED ]] && return 0
  log "apt-get update"
  apt-get -q -o DPkg::Lock::Timeout=300 update </dev/null
  APT_UPDATED=1
}

# docker.io's maintainer scripts would otherwise start dockerd with its default
# bridge (a private-range address); we start it ourselves with networking off.
block_service_starts() {
  [[ -e /usr/sbin/policy-rc.d ]] && return 0
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
  POLICY_RC_ADDED=1
}

install_packages() {
  local missing
  missing=$(missing_packages | paste -sd " " -)
  if [[ -z $missing ]]; then
    log "packages: already installed"
    return 0
  fi
  log "packages: installing ${missing}"
  apt_update_once
  block_service_starts
  # Only the missing ones: already-installed packages are left at their version.
  # shellcheck disable=SC2086 # word-splitting of the package list is intended
  apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends $missing </dev/null
  hash -r
}

# --- Debian mirror ----------------------------------------------------------

# resolve_mirror: the mirror from the machine's apt configuration, shared with setup-engines.sh.
# shellcheck source=scripts/lib/debian-mirror.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-mirror.sh"

# --- step 2: buildx plugin from trixie --------------------------------------

have_buildx() { docker buildx version >/dev/null 2>&1; }

install_buildx() {
  if have_buildx; then
    log "buildx: already available ($(docker buildx version 2>/dev/null))"
    return 0
  fi
  resolve_mirror
  local work
  work=$(scratch_dir buildx)
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/deb" "$work/root"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR} trixie main" >"$work/sources.list"
  # A private apt state: the machine's own sources, lists and caches stay untouched.
  local apt_opts=(
    -o "Dir::Etc::SourceList=$work/sources.list"
    -o "Dir::Etc::SourceParts=-"
    -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache=$work/cache"
    -o "APT::Sandbox::User=root"
    -o "Acquire::Languages=none"
  )
  log "buildx: fetching docker-buildx from trixie"
  apt-get -q "${apt_opts[@]}" update </dev/null
  (cd "$work/deb" && apt-get -q "${apt_opts[@]}" download docker-buildx </dev/null)
  dpkg -x "$work"/deb/docker-buildx_*.deb "$work/root"
  install -D -m 0755 "$work/root/usr/libexec/docker/cli-plugins/docker-buildx" "$PLUGIN_DIR/docker-buildx"
  hash -r
  have_buildx || die "buildx installed to $PLUGIN_DIR but 'docker buildx version' fails"
  log "buildx: installed ($(docker buildx version))"
}

# --- step 3: the engine -----------------------------------------------------

engine_up() { docker info >/dev/null 2>&1; }

dockerd_log_tail() { tail -n 40 "$DOCKERD_LOG" >&2 2>/dev/null || true; }

start_engine() {
  if engine_up; then
    log "engine: already running"
    return 0
  fi
  log "engine: starting dockerd (log: $DOCKERD_LOG)"
  # No bridge/iptables/NAT: nothing may take a private-range address.
  setsid nohup dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    >>"$DOCKERD_LOG" 2>&1 </dev/null &
  local pid=$! i
  for ((i = 0; i < 60; i++)); do
    if engine_up; then
      log "engine: up after ${i}s"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      dockerd_log_tail
      die "dockerd exited during startup (see $DOCKERD_LOG)"
    fi
    sleep 1
  done
  dockerd_log_tail
  die "dockerd did not answer 'docker info' within 60s (see $DOCKERD_LOG)"
}

# --- step 4: fixture images -------------------------------------------------

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Import a root filesystem dir as an image; remaining args are --change lines.
import_rootfs() {
  local dir=$1 tag=$2
  shift 2
  local changes=() c
  for c in "$@"; do changes+=(--change "$c"); done
  tar --numeric-owner -C "$dir" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
  log "image: built $tag"
}

build_golang_image() {
  resolve_mirror
  local dir godir gobin goversion dlog
  dir=$(scratch_dir golang-rootfs)
  dlog="$TMP_ROOT/debootstrap.log"
  log "image: $GOLANG_IMAGE: debootstrap bookworm (takes a few minutes; log: $dlog)"
  if ! debootstrap --variant=minbase --include=golang-go,ca-certificates bookworm "$dir" "$MIRROR" >"$dlog" 2>&1; then
    tail -n 40 "$dlog" >&2
    die "debootstrap failed"
  fi
  # Real images ship no downloaded .debs or apt lists.
  rm -f "$dir"/var/cache/apt/archives/*.deb
  find "$dir/var/lib/apt/lists" -maxdepth 1 -type f -delete
  godir=$(find "$dir/usr/lib" -maxdepth 1 -type d -name 'go-*' | sort -V | tail -n1)
  [[ -n $godir && -x $godir/bin/go ]] || die "no go toolchain under $dir/usr/lib"
  gobin="/usr/lib/${godir##*/}/bin"
  goversion=${godir##*/go-}
  # Same GOPATH layout as the official golang image.
  mkdir -p "$dir/go/src" "$dir/go/bin"
  chmod -R 1777 "$dir/go"
  import_rootfs "$dir" "$GOLANG_IMAGE" \
    "ENV PATH=${gobin}:${STD_PATH}" \
    "ENV GOLANG_VERSION=${goversion}" \
    'ENV GOPATH=/go' \
    'ENV GOTOOLCHAIN=local' \
    'ENV GOFLAGS=-mod=mod' \
    'ENV GOPROXY=off' \
    'ENV CGO_ENABLED=0' \
    'WORKDIR /go' \
    'CMD ["bash"]'
  unmount_below "$dir"
  rm -rf --one-file-system "$dir"
}

copy_ca_bundle() {
  local root=$1
  [[ -s /etc/ssl/certs/ca-certificates.crt ]] || update-ca-certificates >/dev/null
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
}

build_alpine_like_image() {
  local dir applet
  dir=$(scratch_dir alpine-rootfs)
  mkdir -p "$dir"/{bin,sbin,dev,proc,sys,root,tmp,var,etc/ssl/certs,usr/bin,usr/sbin,usr/local/bin}
  chmod 1777 "$dir/tmp"
  chmod 0700 "$dir/root"
  install -m 0755 /bin/busybox "$dir/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [[ $applet == busybox ]] || ln -sf busybox "$dir/bin/$applet"
  done
  ln -sf busybox "$dir/bin/sh"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/:/bin/false' >"$dir/etc/passwd"
  printf '%s\n' 'root:x:0:root' 'nobody:x:65534:' >"$dir/etc/group"
  copy_ca_bundle "$dir"
  import_rootfs "$dir" "$ALPINE_IMAGE" "ENV PATH=${STD_PATH}" 'CMD ["/bin/sh"]'
  rm -rf "$dir"
}

# Debian multiarch triplet, e.g. x86_64-linux-gnu.
multiarch_dir() {
  dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null ||
    gcc -print-multiarch 2>/dev/null ||
    case "$(dpkg --print-architecture)" in
      amd64) echo x86_64-linux-gnu ;;
      arm64) echo aarch64-linux-gnu ;;
      *) die "unknown architecture $(dpkg --print-architecture)" ;;
    esac
}

build_distroless_like_image() {
  local dir ma interp base lib
  dir=$(scratch_dir distroless-rootfs)
  ma=$(multiarch_dir)
  # The dynamic loader path binaries ask for (/lib64/ld-linux-x86-64.so.2 on amd64).
  interp=$(readelf -lW /bin/ls | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
  [[ -n $interp ]] || die "cannot find the dynamic loader of /bin/ls"
  base=${interp##*/}
  mkdir -p "$dir"/{etc/ssl/certs,lib/"$ma",usr/share,root,home/nonroot,tmp}
  chmod 1777 "$dir/tmp"
  chmod 0700 "$dir/root" "$dir/home/nonroot"
  chown 65532:65532 "$dir/home/nonroot"
  # Real file under /lib/<triplet>, the interpreter path as a symlink to it.
  cp -L "$interp" "$dir/lib/$ma/$base"
  if [[ $interp != "/lib/$ma/$base" ]]; then
    mkdir -p "$dir${interp%/*}"
    ln -sf "/lib/$ma/$base" "$dir$interp"
  fi
  for lib in libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 libresolv.so.2 libnss_files.so.2 libnss_dns.so.2; do
    if [[ -e /lib/$ma/$lib ]]; then cp -L "/lib/$ma/$lib" "$dir/lib/$ma/$lib"; fi
  done
  cp -a /usr/share/zoneinfo "$dir/usr/share/zoneinfo"
  copy_ca_bundle "$dir"
  printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' \
    'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
    'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >"$dir/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'tty:x:5:' 'staff:x:50:' 'nonroot:x:65532:' >"$dir/etc/group"
  printf '%s\n' 'passwd: files' 'group: files' 'shadow: files' 'hosts: files dns' \
    'networks: files' 'protocols: files' 'services: files' 'ethers: files' 'rpc: files' >"$dir/etc/nsswitch.conf"
  import_rootfs "$dir" "$DISTROLESS_IMAGE" "ENV PATH=${STD_PATH}" \
    'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'
  rm -rf "$dir"
}

ensure_image() {
  local tag=$1 builder=$2
  if have_image "$tag"; then
    log "image: $tag already present"
  else
    "$builder"
  fi
}

build_fixtures() {
  ensure_image "$GOLANG_IMAGE" build_golang_image
  ensure_image "$ALPINE_IMAGE" build_alpine_like_image
  ensure_image "$DISTROLESS_IMAGE" build_distroless_like_image
}

# --- step 5: summary --------------------------------------------------------

summary() {
  log "docker: $(docker version --format 'client {{.Client.Version}} ({{.Client.Os}}/{{.Client.Arch}}), server {{.Server.Version}} (API {{.Server.APIVersion}})')"
  log "docker client binary: $(command -v docker)"
  log "buildx: $(docker buildx version)"
  docker image ls --format 'table {{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Size}}' \
    --filter "reference=${GOLANG_IMAGE}" --filter "reference=${ALPINE_IMAGE}" \
    --filter "reference=${DISTROLESS_IMAGE}" | sed 's/^/setup-engine:   /'
}

main() {
  [[ $(id -u) -eq 0 ]] || die "must run as root"
  make_tmp_root
  install_packages
  install_buildx
  start_engine
  build_fixtures
  summary
  log "done"
}

main "$@"
