#!/usr/bin/env bash
# Installs and caches the real components the tests and the demo run against:
#   node                    Node.js of each claimed combination (versions.json), from the npm registry
#   pulumi                  the Pulumi CLI of each claimed combination, built from the Go module proxy
#   pulumi-language-nodejs  the Node.js language host, built from the Go module proxy
#   vcsim, govc             govmomi's vCenter simulator, and its CLI (tests check vcsim's inventory with it)
#   pulumi-resource-kubernetes, kube-apiserver, kube-controller-manager, etcd  the Kubernetes half
#   toxiproxy-server        Shopify's TCP fault proxy, in front of the simulators in the fault tests
#   pulumi-resource-pulumi-nodejs  the dynamic-provider plugin launcher shipped in @pulumi/pulumi, placed next to
#                           `pulumi` because the CLI looks for bundled plugins there
# A matching `pulumi` / `pulumi-language-nodejs` already on PATH is used as is.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=toolchain/lib.sh
source "$HERE/toolchain/lib.sh"
# shellcheck source=toolchain/versions.sh
source "$HERE/toolchain/versions.sh"
# One file per component; each builds only what its version stamp says is missing.
for component in node govmomi pulumi kubernetes toxiproxy; do
  ( source "$HERE/toolchain/$component.sh" )
done

# --- the dynamic-provider launcher ----------------------------------------------------------------------------
# It resolves @pulumi/pulumi from the provider's working directory (the Pulumi project), so one copy serves all.
REPO="$(cd "$HERE/.." && pwd)"
launcher="$REPO/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
if [[ ! -f "$launcher" ]]; then
  log "node_modules/@pulumi/pulumi is missing: run \`npm ci\` first"
  exit 1
fi
install -m 0755 "$launcher" "$BIN/pulumi-resource-pulumi-nodejs"

log "ready: $BIN ($(ls "$BIN" | grep -v '\.version$' | tr '\n' ' '))"
