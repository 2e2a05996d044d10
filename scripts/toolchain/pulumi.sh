#!/usr/bin/env bash
# The pulumi CLI of each claimed combination and the Node.js language host (sourced by scripts/toolchain.sh, after
# lib.sh and versions.sh). Each CLI goes to $BIN/pulumi-<version>/pulumi. scripts/toolchain-env.sh and the test
# helpers put a combination's node and pulumi first on PATH; $BIN/pulumi, for callers that only add $BIN to PATH
# (and so run on the system's Node.js), is the oldest CLI.

# --- pulumi CLI --------------------------------------------------------------------------------------------
build_pulumi() { # <version> <output file>
  local version="$1" out="$2" dir="$BUILD/pulumi-cli-$1"
  mkdir -p "$dir" && cd "$dir"
  printf 'module local/pulumi-cli\n\ngo 1.26\n' >go.mod
  rm -f go.sum
  # pkg/go.mod replaces sdk with a local path, so `go install pkg@version` is refused; a throwaway main module
  # that requires both (and repeats pkg's clipboard fork replace) builds the same binary.
  go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version"
  go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e \
    -tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  go mod tidy
  go build -v -tags osusergo,grpcnotrace \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
    -o "$out" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

install_pulumi() { # <version>
  local version="$1" rel="pulumi-$1/pulumi"
  stamp_ok "$rel" "$version" && return 0
  mkdir -p "$BIN/pulumi-$version"
  if [[ ! -L "$BIN/pulumi" && -x "$BIN/pulumi" && "$(cat "$BIN/pulumi.version" 2>/dev/null)" == "$version" ]]; then
    mv "$BIN/pulumi" "$BIN/$rel"   # a cache from before versioned dirs: keep the build
    log "moved pulumi v$version to $BIN/$rel"
  elif command -v pulumi >/dev/null && [[ "$(pulumi version 2>/dev/null)" == "v$version" ]]; then
    ln -sf "$(command -v pulumi)" "$BIN/$rel"
    log "using pulumi v$version from PATH"
  else
    log "building pulumi v$version from the Go module proxy (measured cold on 2 cores: 3-6 min; cached afterwards)"
    with_progress "pulumi CLI v$version" build_pulumi "$version" "$BIN/$rel"
  fi
  write_stamp "$rel" "$version"
}

install_pulumi "$OLDEST_PULUMI"
install_pulumi "$CURRENT_PULUMI"
ln -sfn "pulumi-$OLDEST_PULUMI/pulumi" "$BIN/pulumi"
write_stamp pulumi "$OLDEST_PULUMI"

# --- pulumi-language-nodejs ----------------------------------------------------------------------------------
# It has its own go.mod and no tags since Pulumi 3.69, so the proxy only serves it inside the sdk module of releases
# before that split; 3.68.0 is the newest such release. Both CLIs talk to it through the same LanguageRuntime
# protocol (falling back from GetRequiredPackages to GetRequiredPlugins).
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
