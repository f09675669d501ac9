"""Runs `twincert lint --json` on the clean sample and checks the document's shape and counts."""
import json
import subprocess
import sys

twincert, capture = sys.argv[1], sys.argv[2]
run = subprocess.run([twincert, "lint", "--json", capture], capture_output=True, text=True)
assert run.returncode == 0, f"exit {run.returncode}: {run.stderr}"
doc = json.loads(run.stdout)
assert doc["mode"] == "lenient", doc["mode"]
assert doc["error_count"] == 0 and doc["warning_count"] == 0, doc
assert doc["frames"] == 56 and doc["comment_lines"] == 4, (doc["frames"], doc["comment_lines"])
types = {t["type"]: t for t in doc["types"]}
assert types["GGA"]["count"] == 4 and types["GGA"]["valid"] == 4 and types["GGA"]["talkers"] == ["GP"]
assert types["VDM"]["count"] == 3, types["VDM"]
assert doc["ais"]["messages"] == {"1": 2, "5": 1}, doc["ais"]
assert len(doc["files"]) == 1 and doc["files"][0]["path"] == capture
print("lint --json ok:", len(types), "types")
