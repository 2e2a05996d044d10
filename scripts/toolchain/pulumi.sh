#!/usr/bin/env bash
# The pulumi CLI and the Node.js language host (sourced by scripts/toolchain.sh, after lib.sh).

PULUMI_VERSION=3.248.0      # = the @pulumi/pulumi pinned in package.json (the last release that supports Node 20)
# pulumi-language-nodejs has its own go.mod and no tags, so the proxy only serves it inside the sdk module of
# releases before that split; 3.68.0 is the newest such release. It speaks the same LanguageRuntime protocol.
LANGHOST_SDK_VERSION=3.68.0
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

