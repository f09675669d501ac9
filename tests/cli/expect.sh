#!/usr/bin/env bash
# expect.sh EXIT_CODE REGEX -- COMMAND...: runs COMMAND, fails unless it exits with EXIT_CODE and
# its combined output matches the extended REGEX (empty REGEX: any output).
set -uo pipefail
want_code=$1
want_output=$2
shift 2
[[ $1 == "--" ]] && shift
output=$("$@" 2>&1)
code=$?
status=0
if [[ $code -ne $want_code ]]; then
  echo "expected exit $want_code, got $code from: $*"
  status=1
fi
if [[ -n $want_output ]] && ! grep -Eq -- "$want_output" <<<"$output"; then
  echo "output does not match /$want_output/"
  status=1
fi
if ((status != 0)); then
  echo "---- output ----"
  head -c 4000 <<<"$output"
fi
exit $status
