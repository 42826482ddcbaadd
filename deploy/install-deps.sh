#!/usr/bin/env bash
# Installs the Debian 12 packages fedgate needs. Run as root.
#   deploy/install-deps.sh          build and run a node (compiler, libraries, PostgreSQL server)
#   deploy/install-deps.sh --test   also everything the test suite needs (interop servers, tools)
# The Debian packages of the interop servers try to start system-wide daemons on install;
# a temporary policy-rc.d prevents that (the tests start their own instances on loopback).
set -euo pipefail

want_tests=0
[[ "${1:-}" == "--test" ]] && want_tests=1

build_pkgs=(
  build-essential cmake ninja-build pkg-config git ca-certificates openssl
  libboost1.81-dev libboost-system1.81-dev libboost-program-options1.81-dev
  libssl-dev libexpat1-dev libc-ares-dev libpqxx-dev libidn2-dev
  libfmt-dev libspdlog-dev nlohmann-json3-dev
  postgresql-15 postgresql-client-15
)
test_pkgs=(
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  clang-14 libclang-rt-14-dev curl procps iproute2 util-linux
  prosody lua-unbound ejabberd
  kamailio kamailio-tls-modules kamailio-presence-modules kamailio-xml-modules
  unbound sipsak python3-slixmpp
)

pkgs=("${build_pkgs[@]}")
(( want_tests )) && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages (${missing[*]}); run this script as root" >&2
  exit 1
fi

cleanup() { rm -f /usr/sbin/policy-rc.d; }
trap cleanup EXIT
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${#missing[@]} packages"
