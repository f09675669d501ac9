#!/usr/bin/env bash
# protocols and rules must stay pure: no std::cout/std::cerr and no abort() in the static library.
set -euo pipefail
lib=${1:?usage: check_protocols_symbols.sh LIBRARY}
bad=$(nm -C --undefined-only "$lib" | grep -E 'std::cout|std::cerr|std::clog|\babort\b|\bexit\b' || true)
if [[ -n "$bad" ]]; then
  echo "$(basename "$lib") references forbidden symbols:"; echo "$bad"; exit 1
fi
echo "$(basename "$lib") is pure: $(nm -C --defined-only "$lib" | grep -c ' T ') functions, no console output or abort"
