#!/usr/bin/env bash
# browser_test.sh TWINCERT FIXTURES: the HTML report in a real browser. Headless Chromium opens
# report.html of a run with a failing case (the late-alerts mutant): the page logs nothing to
# the console, its script met no error, it lays out a plot per case with a drawn truth line,
# and a screenshot shows the plot's lines in their colours (pixels, not strings in the file).
set -euo pipefail
twincert=$1
fixtures=$2
py=/usr/bin/python3  # Debian's, where python3-pil is
browser=$(command -v chromium || true)
[[ -n $browser ]] || { echo "browser_test: chromium is not installed (scripts/install-deps --tests)"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "browser_test: $*" >&2; exit 1; }

cat > "$dir/small.json" <<JSON
{"schema": "twincert.campaign/1", "id": "browser", "adapter": "$fixtures/adapters/reference-twin.json",
 "rules": "$fixtures/rules/vdr-twin.json", "requirements": "$fixtures/requirements/vdr-twin.json",
 "jobs": 2, "case_timeout_s": 60,
 "matrix": [{"scenarios": ["open-sea-transit"], "duration_s": 240, "faults": [[], ["dropout:HE0001@60+60"]]}]}
JSON
code=0
"$twincert" run "$dir/small.json" --out "$dir/late" --mutant late-alerts --quiet || code=$?
[[ $code -eq 1 ]] || fail "the late-alerts run gave exit $code, not 1"

# Its own profile, no network, no GPU: the same on a CI machine without a display.
chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$dir/profile" --enable-logging=stderr --v=0 --hide-scrollbars \
    --proxy-server=127.0.0.1:9 "$@"
}
size=1280,7000  # the same layout for the DOM and the screenshot
chrome --window-size=$size --dump-dom "file://$dir/late/report.html" > "$dir/dom.html" 2> "$dir/console.txt" ||
  { tail -20 "$dir/console.txt"; fail "chromium could not open the report"; }
if grep -E "CONSOLE|Uncaught" "$dir/console.txt"; then fail "the page wrote to the console"; fi

"$py" - "$dir/dom.html" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<html[^>]*>', dom)
assert m, "no <html> element in the rendered DOM"
attrs = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', m.group(0)))
assert attrs.get("script-errors") == "0", attrs
plots, drawn = int(attrs.get("plots", "0")), int(attrs.get("plots-drawn", "0"))
# Both cases have a plot; the failing one is open on the page, the passing one folded away.
assert plots == 2, attrs
assert drawn >= 1, f"no plot was laid out with a truth line: {attrs}"
assert 'id="case-open-sea-transit_dropout-HE0001_s1"' in dom, "no section of the failing case"
open(sys.argv[1] + ".plot", "w").write(attrs["first-plot"])
PY

chrome --window-size=$size --screenshot="$dir/shot.png" "file://$dir/late/report.html" \
  > /dev/null 2> "$dir/shot.txt" || { tail -20 "$dir/shot.txt"; fail "no screenshot"; }
"$py" - "$dir/shot.png" "$(cat "$dir/dom.html.plot")" <<'PY'
import sys
from PIL import Image
# Only the first plot's box, as the browser laid it out: colours elsewhere on the page (links,
# badges) do not count.
x, y, w, h = (int(v) for v in sys.argv[2].split(","))
image = Image.open(sys.argv[1]).convert("RGB").crop((x, y, x + w, y + h))
assert w >= 600 and h >= 200, f"the plot is only {w}x{h} px"
pixels = image.load()
def near(c, want, tol=40):
    return all(abs(a - b) <= tol for a, b in zip(c, want))
colours = {"truth line": (0x09, 0x69, 0xda), "the twin's values": (0xcf, 0x22, 0x2e),
           "fault span": (0xfb, 0x8f, 0x44), "expected alert": (0x54, 0xae, 0xff)}
counts = {name: 0 for name in colours}
for y in range(0, h, 2):
    for x in range(0, w, 2):
        c = pixels[x, y]
        for name, want in colours.items():
            if near(c, want):
                counts[name] += 1
print(f"browser_test: in the {w}x{h} px plot, pixels (every 2nd row and column):", counts)
for name, n in counts.items():
    assert n >= 40, f"the screenshot shows almost no {name} ({n} pixels): {counts}"
PY
echo "browser_test: ok ($(stat -c %s "$dir/late/report.html") bytes of HTML)"
