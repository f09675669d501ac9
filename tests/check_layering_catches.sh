#!/usr/bin/env bash
# check_layering.sh must fail on each kind of violation: a copy of the tree with one planted
# upward or sideways include or link at a time. Passes only when every plant is reported.
set -euo pipefail
root=${1:?usage: check_layering_catches.sh SOURCE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
# part/file | planted line | the report expected
plants=(
  'base/src/files.cpp|#include "twincert/protocols/result.hpp"|base/src/files.cpp (part base) includes twincert/protocols/'
  'protocols/src/result.cpp|#include "twincert/rules/model.hpp"|(part protocols) includes twincert/rules/'
  'rules/src/evaluate.cpp|#include "twincert/generators/scenario.hpp"|(part rules) includes twincert/generators/'
  'generators/src/random.cpp|#include "twincert/rules/model.hpp"|(part generators) includes twincert/rules/'
  'harness/src/target.cpp|#include "twincert/reports/results.hpp"|(part harness) includes twincert/reports/'
  'reports/src/text.cpp|#include "twincert/hil/queue.hpp"|(part reports) includes twincert/hil/'
  'fixtures/reference_twin/src/defects.cpp|#include "twincert/base/files.hpp"|(reference twin) includes twincert/base/'
  'rules/CMakeLists.txt|target_link_libraries(twincert_rules PRIVATE twincert::harness)|rules/CMakeLists.txt (part rules) links twincert::harness'
  'base/CMakeLists.txt|target_link_libraries(twincert_base PRIVATE twincert::protocols)|base/CMakeLists.txt (part base) links twincert::protocols'
)
parts=(base protocols rules generators harness hil reports cli fixtures)
for plant in "${plants[@]}"; do
  IFS='|' read -r file line expected <<<"$plant"
  rm -rf "$work/tree" && mkdir -p "$work/tree"
  for p in "${parts[@]}"; do cp -r "$root/$p" "$work/tree/"; done
  echo "$line" >>"$work/tree/$file"
  if out=$(bash "$here/check_layering.sh" "$work/tree" 2>&1); then
    echo "not caught: $line in $file"
    status=1
  elif ! grep -qF "$expected" <<<"$out"; then
    echo "caught, but not reported as expected ($expected): $out"
    status=1
  fi
done
# And the tree as it is passes.
bash "$here/check_layering.sh" "$root" >/dev/null || { echo "the real tree fails"; status=1; }
if ((status == 0)); then echo "every planted violation caught"; fi
exit $status
