#!/usr/bin/env bash
# Sets CURRENT_{NODE,PULUMI,SDK}, OLDEST_{NODE,PULUMI,SDK} and LANGHOST_SDK_VERSION from versions.json (one source
# for the shell components and the TypeScript test helpers).
_versions="$(node -e '
  const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const c of ["current", "oldest"]) for (const k of ["node", "pulumi", "sdk"]) console.log(`${c.toUpperCase()}_${k.toUpperCase()}=${v[c][k]}`);
  console.log(`LANGHOST_SDK_VERSION=${v.languageHost}`);
' "$(dirname "${BASH_SOURCE[0]}")/versions.json")" || { echo "cannot read scripts/toolchain/versions.json" >&2; exit 1; }
eval "$_versions"
