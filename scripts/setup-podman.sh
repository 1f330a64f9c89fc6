#!/usr/bin/env bash
# The image producers that need no Docker engine, for the tests of images from anywhere (as root):
# Debian bookworm's Podman 4.3, Buildah 1.28 and skopeo 1.9 on the host (and curl, for docs/gitlab.md's
# job), and Debian forky's skopeo 1.22, crane and umoci in the forky chroot that setup-engines.sh made.
# Podman gets a private store and
# configuration (no network namespace, cgroupfs, overlay or else vfs), written to /opt/isg/podman/env,
# and the fixture base images (built by setup-engine.sh) are loaded into it from the host engine.
# Idempotent: every step is skipped when already done, so a rerun takes seconds.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"

readonly CHROOT=/var/lib/isg-forky
readonly CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly DIR=/opt/isg/podman
readonly STORE=/var/lib/isg-podman
readonly HOST_PACKAGES=(podman buildah skopeo curl)
readonly CHROOT_PACKAGES=(skopeo crane umoci)
readonly FIXTURE_IMAGES=(image-size-gate/golang:1.19 image-size-gate/alpine-like:latest
  image-size-gate/distroless-like:latest)
readonly HOST_DOCKER=/usr/bin/docker

log() { printf 'setup-podman: %s\n' "$*"; }
die() { printf 'setup-podman: ERROR: %s\n' "$*" >&2; exit 1; }

missing_in() {
  local pkg
  shift
  for pkg in "$@"; do
    "${RUN[@]}" dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' || echo "$pkg"
  done
}

# Installs the packages missing on one root: RUN is the command prefix that reaches it (empty for the host).
install_on() {
  local where=$1 missing
  shift
  missing=$(missing_in "$where" "$@" | paste -sd ' ' -)
  if [[ -z $missing ]]; then
    log "$where: ${*} already installed"
    return 0
  fi
  log "$where: installing $missing"
  "${RUN[@]}" apt-get -q -o DPkg::Lock::Timeout=300 update </dev/null >/dev/null
  # shellcheck disable=SC2086 # word-splitting of the package list is intended
  "${RUN[@]}" apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends $missing </dev/null >/dev/null
}

# A private store and settings, so the suite's Podman touches nothing of a user's own.
write_config() {
  local driver=$1
  mkdir -p "$DIR" "$STORE"
  cat >"$DIR/storage.conf" <<EOF
[storage]
driver = "$driver"
graphroot = "$STORE/storage-$driver"
runroot = "/run/isg-podman-$driver"
EOF
  # No network namespace by default: nothing may take a private-range address. No systemd here: cgroupfs.
  cat >"$DIR/containers.conf" <<EOF
[containers]
netns = "none"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  cat >"$DIR/env.tmp" <<EOF
# Podman, Buildah and skopeo with the test suite's own store (written by scripts/setup-podman.sh).
export CONTAINERS_STORAGE_CONF=$DIR/storage.conf
export CONTAINERS_CONF=$DIR/containers.conf
EOF
  mv "$DIR/env.tmp" "$DIR/env"
}

# overlay where the kernel lets Podman use it, else vfs (slower, but works everywhere).
choose_driver() {
  local driver
  for driver in overlay vfs; do
    write_config "$driver"
    # shellcheck disable=SC1091
    if (source "$DIR/env" && podman info --format '{{.Store.GraphDriverName}}' >/dev/null 2>&1); then
      log "podman: storage driver $driver"
      return 0
    fi
  done
  die "podman works with neither the overlay nor the vfs storage driver"
}

load_fixture_images() {
  local image
  for image in "${FIXTURE_IMAGES[@]}"; do
    # shellcheck disable=SC1091
    if (source "$DIR/env" && podman image exists "$image"); then continue; fi
    "$HOST_DOCKER" image inspect "$image" >/dev/null 2>&1 || die "$image is missing on the host engine: run scripts/setup-engine.sh"
    log "podman: loading $image from the host engine"
    # shellcheck disable=SC1091
    "$HOST_DOCKER" save "$image" | (source "$DIR/env" && podman load --quiet >/dev/null)
  done
  log "podman: fixture images present"
}

main() {
  [[ $(id -u) -eq 0 ]] || die "must run as root"
  [[ -x $CHROOT/usr/bin/apt-get ]] || die "no forky chroot at $CHROOT: run scripts/setup-engines.sh first"
  RUN=()
  install_on host "${HOST_PACKAGES[@]}"
  RUN=(env -i PATH="$CHROOT_PATH" LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive chroot "$CHROOT")
  install_on "forky chroot" "${CHROOT_PACKAGES[@]}"
  if [[ -f $DIR/env ]] && (source "$DIR/env" && podman info >/dev/null 2>&1); then
    log "podman: configured ($DIR/env)"
  else
    choose_driver
  fi
  load_fixture_images
  log "podman $(podman --version | cut -d' ' -f3), buildah $(buildah --version | cut -d' ' -f3), skopeo $(skopeo --version | cut -d' ' -f3) on the host;" \
    "skopeo $("${RUN[@]}" skopeo --version | cut -d' ' -f3), umoci $("${RUN[@]}" umoci --version | head -n1 | cut -d' ' -f3) and crane in $CHROOT"
  log "done"
}

main "$@"
