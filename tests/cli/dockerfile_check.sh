#!/usr/bin/env bash
# dockerfile_check.sh BUILD_DIR SOURCE_DIR: no Docker engine runs here, so the Dockerfile's
# commands are checked against what they rely on: Debian 12 images, scripts/install-deps, the
# release presets, the .deb's install prefix (/usr), and the entry point — the installed
# twincert at PREFIX/bin/twincert whose `worker --help` describes the queue.
set -euo pipefail
build=$1
source=$(cd "$2" && pwd)
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
dockerfile=$source/Dockerfile
[[ -f $dockerfile ]] || fail "no Dockerfile"
python3 - "$dockerfile" "$source" <<'PY'
import json, os, re, sys
path, source = sys.argv[1], sys.argv[2]
text = open(path).read()
# Instructions, with continued lines joined and comments dropped.
lines = [l for l in text.replace("\\\n", " ").splitlines() if l.strip() and not l.lstrip().startswith("#")]
instructions = [(l.split(None, 1)[0].upper(), l.split(None, 1)[1] if " " in l.strip() else "") for l in lines]
froms = [a for i, a in instructions if i == "FROM"]
assert froms and all(re.match(r"debian:12(-slim)?( AS \w+)?$", f) for f in froms), froms
runs = " ".join(a for i, a in instructions if i == "RUN")
assert "scripts/install-deps" in runs and os.access(f"{source}/scripts/install-deps", os.X_OK), runs
presets = json.load(open(f"{source}/CMakePresets.json"))
configure = {p["name"] for p in presets["configurePresets"]}
build = {p["name"] for p in presets["buildPresets"]}
for name in re.findall(r"cmake --preset (\S+)", runs):
    assert name in configure, f"no configure preset {name}"
for name in re.findall(r"cmake --build --preset (\S+)", runs):
    assert name in build, f"no build preset {name}"
m = re.search(r"cd (build/\S+)", runs)
assert m, "cpack is not run in a build folder"
cmake = open(f"{source}/CMakeLists.txt").read()
assert "set(CPACK_PACKAGING_INSTALL_PREFIX /usr)" in cmake, "the .deb no longer installs to /usr"
assert "CPACK_DEBIAN_FILE_NAME DEB-DEFAULT" in cmake, "the .deb is not named twincert_*.deb"
entry = [json.loads(a) for i, a in instructions if i == "ENTRYPOINT"]
assert entry == [["/usr/bin/twincert", "worker"]], entry
print("Dockerfile: instructions consistent with the presets and the .deb")
PY
# The preset's build folder is what `cd build/release` expects.
grep -q '"binaryDir": "${sourceDir}/build/${presetName}"' "$source/CMakePresets.json" ||
  fail "presets no longer build into build/PRESET"
cmake --install "$build" --prefix "$prefix/usr" >/dev/null
entry=$prefix/usr/bin/twincert
[[ -x $entry ]] || fail "the entry point's program is not installed at bin/twincert"
out=$("$entry" worker --help) || fail "twincert worker --help failed"
grep -q -- "--queue" <<<"$out" || fail "worker --help does not describe --queue: $out"
code=0
"$entry" worker > /dev/null 2>&1 || code=$?
((code == 2)) || fail "worker without --queue exited $code, not 2"
echo "dockerfile: ok"
