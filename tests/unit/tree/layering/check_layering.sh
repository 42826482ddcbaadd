#!/usr/bin/env bash
# STYLE.md B1: dependencies point downward only. Checks every #include of the source tree
# against the table of what each layer may include; prints each violation and exits 1.
set -uo pipefail
root=${1:?usage: check_layering.sh SOURCE_DIR}
cd "$root" || exit 2

# layer directory  →  project directories it may include (besides its own)
declare -A allowed=(
  [presence/model]=""
  [presence]="presence/model"
  [sip/codec]="gateway/base"
  [sip/txn]="sip/codec sip/dialog gateway/base"
  [sip/dialog]="sip/codec sip/txn gateway/base"
  [sip/transport]="sip/codec sip/txn sip/dialog sip/bridge presence/model gateway/base gateway/net"
  [sip/bridge]="sip/codec sip/txn sip/dialog sip/transport presence/model gateway/base gateway/net"
  [xmpp/codec]="gateway/base"
  [xmpp/stream]="xmpp/codec gateway/base"
  [xmpp/transport]="xmpp/codec xmpp/stream xmpp/bridge presence/model gateway/base gateway/net"
  [xmpp/bridge]="xmpp/codec xmpp/stream xmpp/transport presence/model gateway/base gateway/net"
  [gateway/base]=""
  [gateway/net]="gateway/base"
  [gateway/store]="gateway/base presence presence/model"
  [gateway/admin]="gateway/base"
)
# sans-I/O layers: no Asio, Beast, sockets, libpqxx or c-ares
sans_io="presence/model presence sip/codec sip/txn sip/dialog xmpp/codec xmpp/stream"

# The layer a file belongs to: the longest table key that prefixes its path.
layer_of() {
  local f=$1 best=""
  for k in "${!allowed[@]}"; do
    if [[ $f == "$k/"* && ${#k} -gt ${#best} ]]; then best=$k; fi
  done
  echo "$best"
}

bad=0
while IFS= read -r file; do
  layer=$(layer_of "$file")
  [[ -z $layer ]] && continue  # gateway/app and anything unlisted may include everything
  while IFS= read -r inc; do
    target=$(sed -E 's/^#include "([^"]+)".*/\1/' <<<"$inc")
    dir=$(dirname "$target")
    [[ $dir == gateway/app* ]] && { echo "$file: includes gateway/app ($target)"; bad=1; continue; }
    [[ $dir == "$layer" || $dir == "$layer/"* && $layer != presence ]] && continue
    [[ $layer == presence && $dir == presence ]] && continue
    ok=0
    for a in ${allowed[$layer]}; do [[ $dir == "$a" ]] && ok=1; done
    ((ok)) || { echo "$file: layer $layer may not include $target"; bad=1; }
  done < <(grep -E '^#include "' "$file" || true)
  if [[ " $sans_io " == *" $layer "* ]]; then
    if grep -nE '^#include <(boost/asio|boost/beast|pqxx|ares|sys/socket)' "$file"; then
      echo "$file: sans-I/O layer $layer includes an I/O library"; bad=1
    fi
  fi
done < <(find presence sip xmpp gateway -type f \( -name '*.hpp' -o -name '*.cpp' \) | sort)

if ((bad)); then
  echo "layering: violations found (STYLE.md B1)"
  exit 1
fi
echo "layering: every include follows STYLE.md B1"
