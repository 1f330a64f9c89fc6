# shellcheck shell=bash
# Sourced by the set-up scripts: resolve_mirror sets MIRROR from the machine's apt configuration
# (never hard-coded), unless MIRROR is already set. The caller defines log and die.

# Prefer the release suite itself, component main, then any non-security one.
resolve_mirror() {
  [[ -n ${MIRROR:-} ]] && return 0
  local codename uris pick
  # shellcheck disable=SC1091
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  # shellcheck disable=SC2016 # $(FIELD) is apt's format syntax, not ours
  uris=$(apt-get indextargets --no-release-info --format '$(CREATED_BY) $(COMPONENT) $(URI)' 2>/dev/null |
    awk '$1 == "Packages" && $2 == "main" && $3 ~ /\/dists\// { print $3 }')
  pick=$(grep -m1 -F "/dists/${codename}/" <<<"$uris" ||
    grep -m1 -v -e security -e '/dists/[^/]*-[^/]*/' <<<"$uris" ||
    grep -m1 -v security <<<"$uris" || true)
  [[ -n $pick ]] || die "no Debian mirror found in the apt configuration (set ISG_DEBIAN_MIRROR)"
  MIRROR=${pick%%/dists/*}
  log "Debian mirror: ${MIRROR}"
}
