#!/usr/bin/env bash
# Installs and caches the real components the tests and the demo run against:
#   pulumi                  the Pulumi CLI, built from the Go module proxy
#   pulumi-language-nodejs  the Node.js language host, built from the Go module proxy
#   vcsim, govc             govmomi's vCenter simulator, and its CLI (tests check vcsim's inventory with it)
#   pulumi-resource-pulumi-nodejs  the dynamic-provider plugin launcher shipped in @pulumi/pulumi, placed next to
#                           `pulumi` because the CLI looks for bundled plugins there
# A matching `pulumi` / `pulumi-language-nodejs` already on PATH is used as is.
# Cache: ${PVK_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/pulumi-vmware-kit} (outside the repo); warm runs take seconds.
set -euo pipefail

PULUMI_VERSION=3.248.0      # = the @pulumi/pulumi pinned in package.json (the last release that supports Node 20)
# pulumi-language-nodejs has its own go.mod and no tags, so the proxy only serves it inside the sdk module of
# releases before that split; 3.68.0 is the newest such release. It speaks the same LanguageRuntime protocol.
LANGHOST_SDK_VERSION=3.68.0
GOVMOMI_VERSION=v0.46.3     # the newest govmomi whose module still contains the vcsim command

CACHE="${PVK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-vmware-kit}"
BIN="$CACHE/bin"
BUILD="$CACHE/build"
mkdir -p "$BIN" "$BUILD"

# Pulumi's own modules are not in the public checksum database for every release; everything else is verified.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi/pulumi"
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

# --- vcsim and govc ----------------------------------------------------------------------------------------
for tool in vcsim govc; do
  if ! stamp_ok "$tool" "$GOVMOMI_VERSION"; then
    with_progress "$tool $GOVMOMI_VERSION" env GOBIN="$BIN" go install "github.com/vmware/govmomi/$tool@$GOVMOMI_VERSION"
    write_stamp "$tool" "$GOVMOMI_VERSION"
  fi
done

# --- pulumi CLI --------------------------------------------------------------------------------------------
build_pulumi() {
  local dir="$BUILD/pulumi-cli"
  mkdir -p "$dir" && cd "$dir"
  printf 'module local/pulumi-cli\n\ngo 1.26\n' >go.mod
  rm -f go.sum
  # pkg/go.mod replaces sdk with a local path, so `go install pkg@version` is refused; a throwaway main module
  # that requires both (and repeats pkg's clipboard fork replace) builds the same binary.
  go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
  go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e \
    -tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  go mod tidy
  go build -v -tags osusergo,grpcnotrace \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

if ! stamp_ok pulumi "$PULUMI_VERSION"; then
  if command -v pulumi >/dev/null && [[ "$(pulumi version 2>/dev/null)" == "v$PULUMI_VERSION" ]]; then
    ln -sf "$(command -v pulumi)" "$BIN/pulumi"
    log "using pulumi v$PULUMI_VERSION from PATH"
  else
    log "building pulumi v$PULUMI_VERSION from the Go module proxy (measured cold on 2 cores: ~5 min; cached afterwards)"
    with_progress "pulumi CLI v$PULUMI_VERSION" build_pulumi
  fi
  write_stamp pulumi "$PULUMI_VERSION"
fi

# --- pulumi-language-nodejs ----------------------------------------------------------------------------------
build_langhost() {
  local dir="$BUILD/pulumi-language-nodejs"
  mkdir -p "$dir" && cd "$dir"
  printf 'module local/pulumi-language-nodejs\n\ngo 1.26\n' >go.mod
  rm -f go.sum
  go get "github.com/pulumi/pulumi/sdk/v3@v$LANGHOST_SDK_VERSION"
  go mod edit -tool github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
  go mod tidy
  go build -v -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$LANGHOST_SDK_VERSION" \
    -o "$BIN/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
}

if ! stamp_ok pulumi-language-nodejs "$LANGHOST_SDK_VERSION"; then
  if command -v pulumi-language-nodejs >/dev/null; then
    ln -sf "$(command -v pulumi-language-nodejs)" "$BIN/pulumi-language-nodejs"
    log "using pulumi-language-nodejs from PATH"
  else
    with_progress "pulumi-language-nodejs (sdk v$LANGHOST_SDK_VERSION)" build_langhost
  fi
  write_stamp pulumi-language-nodejs "$LANGHOST_SDK_VERSION"
fi

# --- the dynamic-provider launcher ----------------------------------------------------------------------------
# It resolves @pulumi/pulumi from the provider's working directory (the Pulumi project), so one copy serves all.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
launcher="$REPO/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
if [[ ! -f "$launcher" ]]; then
  log "node_modules/@pulumi/pulumi is missing: run \`npm ci\` first"
  exit 1
fi
install -m 0755 "$launcher" "$BIN/pulumi-resource-pulumi-nodejs"

log "ready: $BIN ($(ls "$BIN" | grep -v '\.version$' | tr '\n' ' '))"
