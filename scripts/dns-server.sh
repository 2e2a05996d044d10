#!/usr/bin/env bash
# Installs BIND 9 (named, rndc, dig) from Debian when named is missing; used by the DNS discovery
# integration tests (simulators/dns). Needs root for apt-get; does nothing when named is already there.
set -euo pipefail

NAMED=/usr/sbin/named
if [ -x "$NAMED" ]; then
  echo "dns-server: $($NAMED -v) already installed at $NAMED"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "dns-server: $NAMED is missing and installing bind9 needs root (apt-get install bind9 bind9-dnsutils)" >&2
  exit 1
fi

echo "dns-server: $NAMED not found; running: apt-get update -qq && apt-get install -y -qq bind9 bind9-dnsutils"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq bind9 bind9-dnsutils
# Debian's package starts a system named via its init scripts where possible; the tests run their own
# instance on 127.0.0.1 with a private config and a free port, so the system one is left as it is.
echo "dns-server: installed $($NAMED -v) at $NAMED"
