#!/usr/bin/env bash
# Determinism guard: seed + scenario + version must give byte-identical bundles, whatever the
# compiler, optimisation level or build. Generates the reference bundles (every built-in scenario
# whole, and two bundles carrying every fault kind, with --pcap) and compares the SHA-256 of each
# stream.nmea, truth.jsonl and stream.pcap with the committed list beside this script.
#
#   reference_bundles.sh TWINCERT            compare (exit 1 on any difference, naming the files)
#   reference_bundles.sh TWINCERT --update   rewrite the list after a deliberate output change
#
# The list holds for Debian 12 on x86-64 (glibc 2.36's libm): another libm may round sin, cos or
# exp differently in the last bit, and then every file differs.
set -euo pipefail
twincert=${1:?usage: reference_bundles.sh TWINCERT [--update]}
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
list=$here/reference_bundles.sha256
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Sensor-level faults on the open-sea transit, one of each kind.
sensor_faults=(
  dropout:HE0001@2m+1m frozen:GP0001@3m+2m bias:VW0001@4m+3m,stw_kn=1.5
  drift:HE0001@5m+10m,heading_deg=4 noise:SD0001@6m+2m,depth_m=3 spike:GP0001@7m+1s,north_m=800
  status:GP0001@9m+1m status:WI0001@9m+1m time_jump:GP0001@11m+1m stale_time:ER0001@12m+2m
  wrong_unit:VW0001@14m+2m wrong_unit:SD0001@14m+2m frozen:RI0001@16m+1m dropout:TI0001@17m+30s)
# Sentence- and network-level faults on the coastal transit (network ones show in the pcap).
wire_faults=(
  checksum:GP0001@1m+1m,probability=0.5 truncate:HE0001@2m+30s garbage:VW0001@3m+1m
  talker:SD0001@4m+1m duplicate:WI0001@5m+1m range:RI0001@6m+1m overlength:ER0001@7m+1m
  illegal_char:HS0001@8m+1m loss:GP0001@9m+1m,probability=0.5 repeat:HE0001@10m+1m,probability=0.5
  reorder:VW0001@11m+1m delay:SD0001@12m+1m burst:WI0001@13m+1m flood:TI0001@14m+20s
  bad_header:AI0001@15m+1m,probability=0.3 oversize:RI0001@16m+1m,probability=0.3)

bundles=()
generate() {  # NAME ARGS...: one bundle, hashed, then removed (whole scenarios are large)
  local name=$1
  shift
  "$twincert" generate "$@" --out "$work/$name" --quiet
  for f in stream.nmea truth.jsonl stream.pcap; do
    [[ -f "$work/$name/$f" ]] || continue
    (cd "$work" && sha256sum "$name/$f") >> "$work/got.sha256"
  done
  rm -rf "${work:?}/$name"
  bundles+=("$name")
}

: > "$work/got.sha256"
mapfile -t scenarios < <("$twincert" scenarios | awk '{print $1}')
for s in "${scenarios[@]}"; do generate "$s" --scenario "$s" --seed 3; done
fault_args=()
for f in "${sensor_faults[@]}"; do fault_args+=(--fault "$f"); done
generate open-sea-sensor-faults --scenario open-sea-transit --seed 3 --duration 20m "${fault_args[@]}" --pcap
fault_args=()
for f in "${wire_faults[@]}"; do fault_args+=(--fault "$f"); done
generate coastal-wire-faults --scenario coastal-transit --seed 3 --duration 20m "${fault_args[@]}" --pcap

if [[ $update == --update ]]; then
  cp "$work/got.sha256" "$list"
  echo "reference_bundles: wrote $(wc -l < "$list") hashes of ${#bundles[@]} bundles to $list"
  exit 0
fi

declare -A want got
while read -r hash name; do want[$name]=$hash; done < "$list"
while read -r hash name; do got[$name]=$hash; done < "$work/got.sha256"
differ=()
for name in "${!want[@]}"; do
  if [[ -z ${got[$name]:-} ]]; then
    differ+=("$name was not written")
  elif [[ ${got[$name]} != "${want[$name]}" ]]; then
    differ+=("$name differs")
  fi
done
for name in "${!got[@]}"; do [[ -n ${want[$name]:-} ]] || differ+=("$name is not in the reference"); done
if ((${#differ[@]} == 0)); then
  echo "reference_bundles: ${#bundles[@]} bundles, ${#want[@]} files byte-identical to the reference"
  exit 0
fi
echo "reference_bundles: ${#differ[@]} of ${#want[@]} files differ from the reference ($list):" >&2
printf '  %s\n' "${differ[@]}" | sort >&2
cat >&2 << 'EOF'
The same seed and scenario must give the same bytes on every build of one version. If this
change of output is deliberate, say so in the commit and rewrite the list:
  tests/generators/reference_bundles.sh path/to/twincert --update
If it is not (only the compiler, its options or the build type changed), something depends on
evaluation order, uninitialised memory, floating-point contraction or iteration order.
EOF
exit 1
