#!/usr/bin/env bash
# install_e2e.sh BUILD_DIR SOURCE_DIR: `cmake --install` into a temporary prefix, then the
# installed twincert runs a case of its default campaign from another folder, with the fixtures
# and the reference twin it finds beside itself — nothing read from the source or build tree.
set -euo pipefail
build=$1
source=$(cd "$2" && pwd)
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
cmake --install "$build" --prefix "$prefix/usr" >/dev/null
for f in bin/twincert bin/twincert-reference-twin share/twincert/fixtures/campaigns/default.json \
  share/twincert/fixtures/adapters/reference-twin.json share/twincert/schemas/results.schema.json; do
  [[ -e $prefix/usr/$f ]] || fail "not installed: $f"
done
[[ ! -e $prefix/usr/share/twincert/fixtures/reference_twin ]] || fail "twin sources installed"
mkdir "$prefix/work"
cd "$prefix/work"
# No TWINCERT_* variable may point it back at the checkout.
env -u TWINCERT_REFERENCE_TWIN -u TWINCERT_DATA_DIR "$prefix/usr/bin/twincert" run \
  --case open-sea-transit/normal/s1 --out out --quiet || fail "the installed run failed ($?)"
python3 - "$prefix" "$source" <<'PY'
import json, sys
prefix, source = sys.argv[1], sys.argv[2]
results = json.load(open("out/results.json"))
assert results["summary"]["cases"] == 1, results["summary"]
manifest = json.load(open("out/manifest.json"))
roles = {i["role"]: i["path"] for i in manifest["inputs"]}
for role in ("campaign", "adapter", "rules", "requirements", "twin", "harness"):
    assert roles[role].startswith(prefix + "/usr/"), f"{role} from {roles[role]}, not the prefix"
for i in manifest["inputs"]:
    assert not i["path"].startswith(source + "/"), f"read from the checkout: {i}"
print("install: ok, every input from", prefix + "/usr")
PY
