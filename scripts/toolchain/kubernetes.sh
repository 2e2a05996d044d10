#!/usr/bin/env bash
# The Kubernetes half of the toolchain, built from the Go module proxy (sourced by scripts/toolchain.sh):
#   pulumi-resource-kubernetes  the real Pulumi Kubernetes provider plugin
#   kube-apiserver, kube-controller-manager  a real control plane (no scheduler, no kubelet)
#   etcd                        its store
# Needs lib.sh's $BIN, $BUILD, with_progress, stamp_ok, write_stamp.

# The only provider/v4 version the proxy serves is a pseudo-version of Jan 2026 (see env's go-partial.tsv); it
# requires sdk/v4 v4.24.0 and pulumi pkg/sdk v3.215.0. The first release after sdk 4.24 is 4.25.0, which is the
# @pulumi/kubernetes pinned in package.json, so the engine asks for exactly the plugin version built here.
K8S_PROVIDER_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4
K8S_PROVIDER_PSEUDO=v4.0.0-20260115033456-f47bc2d6f199
K8S_PROVIDER_SDK=v4.24.0
K8S_PROVIDER_VERSION=4.25.0
KUBERNETES_VERSION=1.34.4   # kube-apiserver and kube-controller-manager
ETCD_VERSION=3.6.4

build_k8s_provider() {
  local dir="$BUILD/pulumi-resource-kubernetes"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  printf 'module local/pulumi-resource-kubernetes\n\ngo 1.26\n' >go.mod
  # The provider's go.mod replaces sdk/v4 with a local path (ignored in a dependency), so pin the sdk it was cut
  # against: a newer sdk/v4 drags pulumi/sdk/v3 past pkg/v3 v3.215 and pkg/v3/util/cmdutil stops compiling.
  go mod edit -require "$K8S_PROVIDER_MODULE@$K8S_PROVIDER_PSEUDO" \
    -replace "github.com/pulumi/pulumi-kubernetes/sdk/v4=github.com/pulumi/pulumi-kubernetes/sdk/v4@$K8S_PROVIDER_SDK"
  local src
  src="$(go mod download -json "$K8S_PROVIDER_MODULE@$K8S_PROVIDER_PSEUDO" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  # cmd/pulumi-resource-kubernetes embeds files its `go generate` writes (gitignored, so not in the module zip):
  # the schema with its version set, and the terraform mapping. This main does the same with the shipped inputs
  # and calls the module's public provider.Serve, which is all that command does.
  node -e 'const fs=require("fs");const s=JSON.parse(fs.readFileSync(process.argv[1]));s.version=process.argv[2];fs.writeFileSync("schema.json",JSON.stringify(s))' \
    "$src/cmd/pulumi-resource-kubernetes/schema.json" "$K8S_PROVIDER_VERSION"
  cp "$src/cmd/pulumi-resource-kubernetes/terraform-mapping.json" terraform-mapping.json
  chmod u+w schema.json terraform-mapping.json
  cat >main.go <<'GO'
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema.json
var schema []byte

//go:embed terraform-mapping.json
var mapping []byte

func main() { provider.Serve("kubernetes", version.Version, schema, mapping) }
GO
  go mod tidy
  go build -v -ldflags "-s -w -X $K8S_PROVIDER_MODULE/pkg/version.Version=$K8S_PROVIDER_VERSION" \
    -o "$BIN/pulumi-resource-kubernetes" .
}

# One throwaway main module for kube-apiserver, kube-controller-manager and etcd (they share most of the graph).
KUBE_DIR="$BUILD/kubernetes"
KUBE_STAMP="$KUBERNETES_VERSION-etcd$ETCD_VERSION"

prepare_kube_module() {
  local dir="$KUBE_DIR"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  printf 'module local/kubernetes\n\ngo 1.26\n' >go.mod
  go mod edit -require "k8s.io/kubernetes@v$KUBERNETES_VERSION"
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging paths; each is
  # published as k8s.io/<name> v0.<minor>.<patch> (kubernetes/kubernetes#79384).
  local gomod staging
  gomod="$(go mod download -json "k8s.io/kubernetes@v$KUBERNETES_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
  for staging in $(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod"); do
    go mod edit -replace "$staging=$staging@v0.${KUBERNETES_VERSION#1.}"
  done
  # etcd: a main that calls etcdmain.Main, which is what etcd's own binary does.
  mkdir -p etcd && cat >etcd/main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  go mod edit -require "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  go mod edit -tool k8s.io/kubernetes/cmd/kube-apiserver -tool k8s.io/kubernetes/cmd/kube-controller-manager
  go mod tidy
}

# $1: binary name, $2: package in the module above.
build_kube_binary() {
  cd "$KUBE_DIR"
  local v="k8s.io/component-base/version" minor="${KUBERNETES_VERSION#1.}"; minor="${minor%%.*}"
  local ldflags="-s -w"
  if [[ "$1" == kube-* ]]; then
    # Without these the version reads v0.0.0-master+$Format:%h$ (kubernetes#73916).
    ldflags+=" -X $v.gitVersion=v$KUBERNETES_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
  fi
  go build -v -ldflags "$ldflags" -o "$BIN/$1" "$2"
}

if ! stamp_ok pulumi-resource-kubernetes "$K8S_PROVIDER_VERSION-$K8S_PROVIDER_PSEUDO"; then
  with_progress "pulumi-resource-kubernetes v$K8S_PROVIDER_VERSION" build_k8s_provider
  write_stamp pulumi-resource-kubernetes "$K8S_PROVIDER_VERSION-$K8S_PROVIDER_PSEUDO"
fi
kube_missing=()
for t in kube-apiserver kube-controller-manager etcd; do stamp_ok "$t" "$KUBE_STAMP" || kube_missing+=("$t"); done
if (( ${#kube_missing[@]} )); then
  with_progress "k8s.io/kubernetes v$KUBERNETES_VERSION + etcd v$ETCD_VERSION module" prepare_kube_module
  for t in "${kube_missing[@]}"; do
    case "$t" in
      etcd) pkg=./etcd ver=$ETCD_VERSION ;;
      *) pkg="k8s.io/kubernetes/cmd/$t" ver=$KUBERNETES_VERSION ;;
    esac
    with_progress "$t v$ver" build_kube_binary "$t" "$pkg"
    write_stamp "$t" "$KUBE_STAMP"
  done
fi
