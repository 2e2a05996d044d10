#!/usr/bin/env bash
# Builds the peer that `npm run bench:peer` measures the kit against: OpenTofu and terraform-provider-vsphere from
# the Go module proxy, cached in ~/.cache/pulumi-vmware-kit/peer (not part of the toolchain: only the benchmark
# needs it). terraform-provider-vsphere v1.24.3 is the newest release the module proxy serves here (v2.x is refused).
# Cold on 2 cores: the provider about 5 min, OpenTofu about 7 min.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=toolchain/lib.sh
source "$HERE/toolchain/lib.sh"

TOFU_VERSION=v1.10.10
VSPHERE_PROVIDER_VERSION=v1.24.3
PEER="$(dirname "$BIN")/peer"
MIRROR="$PEER/mirror/registry.opentofu.org/hashicorp/vsphere/${VSPHERE_PROVIDER_VERSION#v}/linux_amd64"
mkdir -p "$PEER/bin" "$MIRROR"

# Both modules are built inside their own module directory (OpenTofu's go.mod has replace directives, which
# `go install pkg@version` refuses).
build_module() { # <module> <version> <package> <output>
  local dir
  GOFLAGS=-mod=mod go mod download "$1@$2"
  dir="$(GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' "$1@$2")"
  (cd "$dir" && GOFLAGS=-mod=mod go build -o "$4" "$3")
}

if [[ ! -x "$PEER/bin/tofu" || "$(cat "$PEER/bin/tofu.version" 2>/dev/null)" != "$TOFU_VERSION" ]]; then
  with_progress "tofu $TOFU_VERSION" build_module github.com/opentofu/opentofu "$TOFU_VERSION" ./cmd/tofu "$PEER/bin/tofu"
  echo "$TOFU_VERSION" >"$PEER/bin/tofu.version"
fi
provider="$MIRROR/terraform-provider-vsphere_$VSPHERE_PROVIDER_VERSION"
if [[ ! -x "$provider" ]]; then
  with_progress "terraform-provider-vsphere $VSPHERE_PROVIDER_VERSION" build_module \
    github.com/hashicorp/terraform-provider-vsphere "$VSPHERE_PROVIDER_VERSION" . "$provider"
fi
# A filesystem mirror, as an air-gapped Terraform user installs providers; bench/peer.ts points TF_CLI_CONFIG_FILE here.
cat >"$PEER/tofurc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$PEER/mirror"
    include = ["registry.opentofu.org/hashicorp/vsphere"]
  }
}
RC
log "peer ready: $PEER/bin/tofu, $provider"
