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
# Keep the package from starting a system-wide named (it would listen on every interface): the tests run their
# own instance on 127.0.0.1 only. policy-rc.d exiting 101 tells invoke-rc.d not to start services.
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
fi
trap 'if [ "$created_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
apt-get update -qq
apt-get install -y -qq bind9 bind9-dnsutils
echo "dns-server: installed $($NAMED -v) at $NAMED"
