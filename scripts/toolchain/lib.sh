#!/usr/bin/env bash
# Shared by scripts/toolchain.sh and its components in this folder: cache layout, progress and version stamps.
# Cache: ${PVK_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/pulumi-vmware-kit} (outside the repo); warm runs take seconds.
CACHE="${PVK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-vmware-kit}"
BIN="$CACHE/bin"
BUILD="$CACHE/build"
mkdir -p "$BIN" "$BUILD"

# Pulumi's own modules are not in the public checksum database for every release; everything else is verified.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi/pulumi,github.com/pulumi/pulumi-kubernetes"
export GOFLAGS="${GOFLAGS:-} -mod=mod"

log() { printf '[toolchain] %s\n' "$*" >&2; }

# Runs a long command while printing elapsed time every 30 s, so a cold build visibly progresses.
with_progress() {
  local what="$1"; shift
  local start=$SECONDS logf="$BUILD/$(echo "$what" | tr ' /' '__').log"
  log "$what: started (log: $logf)"
  "$@" >"$logf" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    if (( (SECONDS - start) % 30 < 5 )) && kill -0 "$pid" 2>/dev/null; then
      log "$what: $((SECONDS - start))s, $(grep -c '^go: downloading' "$logf" 2>/dev/null || true) modules downloaded, $(grep -vc '^go: ' "$logf" 2>/dev/null || true) packages compiled"
    fi
  done
  if ! wait "$pid"; then
    tail -n 30 "$logf" >&2
    log "$what: FAILED after $((SECONDS - start))s"
    return 1
  fi
  log "$what: done in $((SECONDS - start))s"
}

stamp_ok() { [[ -x "$BIN/$1" && -f "$BIN/$1.version" && "$(cat "$BIN/$1.version")" == "$2" ]]; }
write_stamp() { echo "$2" >"$BIN/$1.version"; }

