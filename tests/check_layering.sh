#!/usr/bin/env bash
# Fails when a part uses a part above it or beside it, by an #include of its headers or by
# naming its CMake target (twincert::X) in the part's CMakeLists.txt. Order:
#   base <- protocols <- {generators, rules} <- harness <- {hil, reports} <- cli
# (parts on one rank are independent of each other); the reference twin may use protocols
# only; tests and bench anything.
set -euo pipefail
root=${1:?usage: check_layering.sh SOURCE_DIR}
declare -A rank=([base]=0 [protocols]=1 [generators]=2 [rules]=2 [harness]=3 [hil]=4 [reports]=4 [cli]=5)
status=0
# May `part` use `used`? Only its own part or one on a lower rank.
allowed() {
  local part=$1 used=$2
  [[ $used == "$part" ]] && return 0
  ((rank[$used] < rank[$part]))
}
for part in "${!rank[@]}"; do
  [[ -d "$root/$part" ]] || continue
  while IFS= read -r hit; do
    file=${hit%%:*}
    included=$(sed -E 's|.*#include *[<"]twincert/([a-z_0-9]+)/.*|\1|' <<<"${hit#*:}")
    [[ -n "${rank[$included]:-}" ]] || continue
    if ! allowed "$part" "$included"; then
      echo "layering violation: $file (part $part) includes twincert/$included/"
      status=1
    fi
  done < <(grep -rHE '#include *[<"]twincert/' "$root/$part" --include='*.hpp' --include='*.cpp' || true)
  # The link graph: every twincert::X a part's CMakeLists.txt names (its own alias aside).
  if [[ -f "$root/$part/CMakeLists.txt" ]]; then
    while IFS= read -r linked; do
      [[ -n "${rank[$linked]:-}" ]] || continue  # twincert::warnings and the like
      if ! allowed "$part" "$linked"; then
        echo "layering violation: $part/CMakeLists.txt (part $part) links twincert::$linked"
        status=1
      fi
    done < <(sed -E 's/#.*//' "$root/$part/CMakeLists.txt" | grep -oE 'twincert::[a-z_0-9]+' |
      sed 's/twincert:://' | sort -u)
  fi
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
