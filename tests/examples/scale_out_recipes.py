"""The scale-out recipes of examples/scale-out/ parse, and their own twincert commands, taken
out of each file as written, run here: every shard of a small campaign, then the merge, which
must give the whole campaign. The CI systems themselves are not here; their files' structure
(matrix size, parallel count, completions, array range) is checked against the shard count
the commands use.

    scale_out_recipes.py TWINCERT EXAMPLES_DIR CAMPAIGN
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

twincert, examples = sys.argv[1], os.path.abspath(sys.argv[2])
campaign = os.path.abspath(sys.argv[3])
bin_dir = tempfile.mkdtemp()
os.symlink(os.path.abspath(twincert), os.path.join(bin_dir, "twincert"))
failures = []


def run(command, cwd, env):
    full = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"], **env)
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=full, capture_output=True,
                          text=True, timeout=600)
    if done.returncode != 0:
        raise AssertionError(f"exit {done.returncode}: {command}\n{done.stdout}{done.stderr}")
    return done.stdout


def check_merged(folder, name):
    results = json.load(open(os.path.join(folder, "results.json")))
    cases = results["summary"]["cases"]
    assert results["run"]["shard"] == "1/1", f"{name}: merged shard {results['run']['shard']}"
    assert cases == 5, f"{name}: {cases} cases merged, not the campaign's 5"


def github(path):
    doc = yaml.safe_load(open(path))
    shards = doc["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    count = int(doc["env"]["SHARDS"])
    assert shards == list(range(1, count + 1)), f"matrix {shards} is not 1..{count}"
    assert doc["jobs"]["merge"]["needs"] == "shard"
    steps = lambda job: [s["run"] for s in doc["jobs"][job]["steps"]
                         if "run" in s and re.search(r"\btwincert (run|merge)\b", s["run"])]
    work = tempfile.mkdtemp()
    env = {"CAMPAIGN": campaign, "SHARDS": str(count)}
    for shard in shards:
        for command in steps("shard"):
            run(command.replace("${{ matrix.shard }}", str(shard)), work, env)
    for command in steps("merge"):
        run(command, work, env)
    check_merged(os.path.join(work, "out/all"), "github")
    shutil.rmtree(work)


def gitlab(path):
    doc = yaml.safe_load(open(path))
    count = doc["campaign-shard"]["parallel"]
    assert doc["campaign-merge"]["artifacts"]["reports"]["junit"] == "out/all/junit.xml"
    work = tempfile.mkdtemp()
    for index in range(1, count + 1):
        env = {"CAMPAIGN": campaign, "CI_NODE_INDEX": str(index), "CI_NODE_TOTAL": str(count)}
        for command in doc["campaign-shard"]["script"]:
            run(command, work, env)
    for command in doc["campaign-merge"]["script"]:
        run(command, work, {})
    check_merged(os.path.join(work, "out/all"), "gitlab")
    shutil.rmtree(work)


def kubernetes(path):
    shards_job, merge_job = list(yaml.safe_load_all(open(path)))
    spec = shards_job["spec"]
    assert spec["completionMode"] == "Indexed"
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    count = int(env["SHARDS"])
    assert spec["completions"] == count, f"completions {spec['completions']} != SHARDS {count}"
    work = tempfile.mkdtemp()
    env["CAMPAIGN"] = campaign
    results = lambda text: text.replace("/results", os.path.join(work, "results"))
    for index in range(count):  # JOB_COMPLETION_INDEX counts from 0
        run(results(container["args"][0]), work, dict(env, JOB_COMPLETION_INDEX=str(index)))
    merge = merge_job["spec"]["template"]["spec"]["containers"][0]
    run(results(merge["args"][0]), work, {})
    check_merged(os.path.join(work, "results/all"), "kubernetes")
    shutil.rmtree(work)


def slurm(path):
    text = open(path).read()
    subprocess.run(["bash", "-n", path], check=True)
    first, last = map(int, re.search(r"^#SBATCH --array=(\d+)-(\d+)$", text, re.M).groups())
    work = tempfile.mkdtemp()
    env = {"CAMPAIGN": campaign, "RESULTS": os.path.join(work, "results"),
           "SLURM_ARRAY_TASK_COUNT": str(last - first + 1)}
    for task in range(first, last + 1):
        run(f"bash {path}", work, dict(env, SLURM_ARRAY_TASK_ID=str(task)))
    run(f"bash {path}", work, dict(env, TWINCERT_MERGE="1"))
    check_merged(os.path.join(work, "results/all"), "slurm")
    shutil.rmtree(work)


for name, check in [("github-actions.yml", github), ("gitlab-ci.yml", gitlab),
                    ("kubernetes-indexed-job.yaml", kubernetes), ("slurm-array.sbatch", slurm)]:
    try:
        check(os.path.join(examples, name))
        print(f"{name}: ok")
    except Exception as e:  # report every recipe, then fail
        failures.append(f"{name}: {e}")
        print(f"FAIL {name}: {e}")
shutil.rmtree(bin_dir)
sys.exit(1 if failures else 0)
