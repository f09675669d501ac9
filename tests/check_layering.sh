#!/usr/bin/env bash
# Fails when a part includes a header of a part above it. Order: protocols < generators <
# harness < {hil, reports}; the reference twin only protocols; cli, tests and bench anything.
set -euo pipefail
root=${1:?usage: check_layering.sh SOURCE_DIR}
declare -A rank=([protocols]=0 [generators]=1 [harness]=2 [hil]=3 [reports]=3)
status=0
for part in "${!rank[@]}"; do
  [[ -d "$root/$part" ]] || continue
  while IFS= read -r hit; do
    file=${hit%%:*}
    included=$(sed -E 's|.*#include *[<"]twincert/([a-z_0-9]+)/.*|\1|' <<<"${hit#*:}")
    [[ -n "${rank[$included]:-}" ]] || continue
    if (( rank[$included] > rank[$part] )) || { (( rank[$included] == rank[$part] )) && [[ $included != "$part" ]]; }; then
      echo "layering violation: $file (part $part) includes twincert/$included/"
      status=1
    fi
  done < <(grep -rHE '#include *[<"]twincert/' "$root/$part" --include='*.hpp' --include='*.cpp' || true)
done
# The reference twin is a twin under test: it may use the protocol core, nothing of the harness
# that certifies it (a shared bug would hide itself).
while IFS= read -r hit; do
  included=$(sed -E 's|.*#include *[<"]twincert/([a-z_0-9]+)/.*|\1|' <<<"${hit#*:}")
  if [[ $included != protocols ]]; then
    echo "layering violation: ${hit%%:*} (reference twin) includes twincert/$included/"
    status=1
  fi
done < <(grep -rHE '#include *[<"]twincert/' "$root/fixtures/reference_twin" --include='*.hpp' --include='*.cpp' || true)
if ((status == 0)); then echo "layering ok"; fi
exit $status
