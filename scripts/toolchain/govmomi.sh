#!/usr/bin/env bash
# vcsim and govc from govmomi (sourced by scripts/toolchain.sh, after lib.sh).

GOVMOMI_VERSION=v0.46.3     # the newest govmomi whose module still contains the vcsim command
# --- vcsim and govc ----------------------------------------------------------------------------------------
for tool in vcsim govc; do
  if ! stamp_ok "$tool" "$GOVMOMI_VERSION"; then
    with_progress "$tool $GOVMOMI_VERSION" env GOBIN="$BIN" go install "github.com/vmware/govmomi/$tool@$GOVMOMI_VERSION"
    write_stamp "$tool" "$GOVMOMI_VERSION"
  fi
done

