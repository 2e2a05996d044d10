#!/usr/bin/env bash
# toxiproxy-server from Shopify/toxiproxy (sourced by scripts/toolchain.sh, after lib.sh): the TCP fault proxy the
# fault tests put in front of vcsim, the vCD simulator and BIND (reset_peer, timeout, latency, slow_close, limit_data).

TOXIPROXY_VERSION=v2.5.0
if ! stamp_ok toxiproxy-server "$TOXIPROXY_VERSION"; then
  with_progress "toxiproxy-server $TOXIPROXY_VERSION" env GOBIN="$BIN" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION"
  # `go install` names the binary after its package directory (cmd/server).
  mv -f "$BIN/server" "$BIN/toxiproxy-server"
  write_stamp toxiproxy-server "$TOXIPROXY_VERSION"
fi
