#!/usr/bin/env bash
# Runs a command on one of the combinations the kit claims (scripts/toolchain/versions.json), with that
# combination's Node.js and pulumi CLI first on PATH, then the rest of the toolchain (language host, vcsim, ...):
#   bash scripts/toolchain-env.sh mocha 'test/unit/**/*.test.ts'            # current: Node.js 24 + newest pulumi
#   bash scripts/toolchain-env.sh --oldest mocha test/engine/quickstart.test.ts   # Node.js 20 + pulumi 3.248
# npm scripts run `mocha`/`ts-node` through it, so `npm test` runs on Node.js 24 whatever `node` the system has.
# PVK_COMBINATION tells the test helpers which @pulumi/pulumi to install into the projects they create.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/toolchain/lib.sh"
source "$HERE/toolchain/versions.sh"

combination=current
if [[ "${1:-}" == "--oldest" ]]; then combination=oldest; shift; fi
if [[ "$combination" == oldest ]]; then node_v=$OLDEST_NODE pulumi_v=$OLDEST_PULUMI; else node_v=$CURRENT_NODE pulumi_v=$CURRENT_PULUMI; fi
for f in "node-$node_v/node" "pulumi-$pulumi_v/pulumi"; do
  [[ -x "$BIN/$f" ]] || { log "$BIN/$f is missing: run \`npm run toolchain\` first"; exit 1; }
done
export PATH="$BIN/node-$node_v:$BIN/pulumi-$pulumi_v:$BIN:$PATH"
export PVK_COMBINATION="$combination"
exec "$@"
