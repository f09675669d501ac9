// twincert merge DIR... --out DIR: the outputs of a campaign's shards joined into one run.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "twincert/base/config_error.hpp"
#include "twincert/cli/version.hpp"
#include "twincert/harness/merge.hpp"
#include "twincert/harness/results_document.hpp"
#include "twincert/reports/manifest.hpp"
#include "twincert/reports/outputs.hpp"
#include "twincert/reports/results.hpp"

#include "commands.hpp"
#include "locations.hpp"
#include "run_outputs.hpp"

namespace twincert::cli {

namespace {

namespace fs = std::filesystem;

struct MergeCommandOptions {
  std::vector<std::string> inputs;
  std::string out;
  std::string campaign;
  std::string reference_twin;
  bool partial = false;
  bool quiet = false;
};

// The campaign file the first input ran, as its results.json records it.
fs::path campaign_of(const fs::path& dir) {
  const harness::ResultsDocument results = harness::load_results(dir);
  if (results.campaign.file.empty()) {
    throw ConfigError((dir / "results.json").string() +
                      " names no campaign file: give it with --campaign FILE");
  }
  return results.campaign.file;
}

// When and how long: the earliest start and the longest wall time of the inputs that finished
// (shards run side by side); an input killed before its reports has none.
void take_timing(const std::vector<std::string>& inputs, harness::CampaignRun& run) {
  for (const auto& dir : inputs) {
    if (!fs::is_regular_file(fs::path(dir) / "results.json")) continue;
    const harness::RunRecord shard_run = harness::load_results(dir).run;
    run.wall_s = std::max(run.wall_s, shard_run.wall_s);
    const std::string& started = shard_run.started_utc;
    if (!started.empty() && (run.started_utc.empty() || started < run.started_utc)) {
      run.started_utc = started;
    }
  }
}

void print_missing(const harness::MergedRun& merged) {
  if (!merged.missing_shards.empty()) {
    std::cerr << "twincert merge: missing shards:";
    for (const auto& s : merged.missing_shards) std::cerr << ' ' << s;
    std::cerr << '\n';
  }
  if (!merged.missing_cases.empty()) {
    std::cerr << "twincert merge: " << merged.missing_cases.size()
              << " cases of the campaign are in no input:";
    for (std::size_t i = 0; i < merged.missing_cases.size() && i < 10; ++i) {
      std::cerr << ' ' << merged.missing_cases[i];
    }
    std::cerr << (merged.missing_cases.size() > 10 ? " ..." : "") << '\n';
  }
}

int run_merge(const MergeCommandOptions& o) {
  const fs::path campaign_file =
      o.campaign.empty() ? campaign_of(o.inputs.front()) : fs::path(o.campaign);
  const harness::Campaign campaign = harness::load_campaign(campaign_file);
  const harness::TwinAdapter adapter = harness::load_adapter(campaign.adapter);
  const auto requirements = campaign.requirements.empty()
                                ? std::vector<reports::Requirement>{}
                                : reports::load_requirements(campaign.requirements);
  const fs::path out = o.out;
  std::vector<fs::path> inputs(o.inputs.begin(), o.inputs.end());
  harness::MergedRun merged = harness::merge_runs(campaign, inputs, out);
  take_timing(o.inputs, merged.run);

  const auto mutants = reports::score_mutants(adapter.mutants, merged.run, merged.mutants);
  reports::RunInfo info;
  info.tool = std::string("twincert ") + TWINCERT_VERSION;
  info.build = TWINCERT_BUILD_ID;
  info.adapter = adapter.name;
  info.shard = merged.shards.text();
  info.rules = reports::load_rule_definitions(campaign.rules);
  const harness::ResultsDocument results =
      reports::build_results(campaign, merged.run, info, requirements, mutants);
  reports::write_reports(results, out, out, {});
  reports::write_manifest(out,
                          manifest_info(campaign, adapter, reference_twin_path(o.reference_twin)));

  const reports::Summary& s = results.summary;  // build_results summarised the run
  if (!o.quiet) {
    std::cout << campaign.id << ": merged " << o.inputs.size() << " runs (shards "
              << merged.shards.text() << "): " << s.cases << " cases, " << s.passed << " passed, "
              << s.failed << " failed, " << s.errors << " errors\n";
    print_failures(merged.run);
    if (!mutants.empty()) {
      std::cout << "mutation score " << results.mutation->killed() << "/"
                << results.mutation->total() << '\n';
    }
    std::cout << "wrote " << (out / "report.html").string()
              << " (and results.json, junit.xml, summary.md, manifest.json, journal.jsonl)\n";
  }
  print_missing(merged);
  if (!merged.complete() && !o.partial) {
    std::cerr << "twincert merge: the merged run is incomplete (" << s.cases << " of "
              << campaign.cases.size() << " cases); --partial merges part of a split on purpose\n";
    return kExitChecksFailed;
  }
  return s.verdict == harness::RunVerdict::kPass && !reports::any_survived(mutants)
             ? kExitOk
             : kExitChecksFailed;
}

}  // namespace

std::function<int()> add_merge_command(CLI::App& app) {
  auto o = std::make_shared<MergeCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "merge",
      "Join the output folders of a campaign's shards (twincert run --shard I/N) into one run: "
      "reports, mutation score, journal and evidence manifest, as if it had run in one place");
  cmd->add_option("runs", o->inputs, "Output folders of twincert run (or of an earlier merge)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out", o->out, "Folder to write the merged run into (new)")->required();
  cmd->add_option("--campaign", o->campaign,
                  "The campaign file the shards ran (default: the one the first run's "
                  "results.json names); checked against each run's SHA-256");
  cmd->add_flag("--partial", o->partial,
                "Accept a merge that lacks shards or cases (a part of a split, to merge again "
                "later); they are still named");
  cmd->add_option("--reference-twin", o->reference_twin,
                  "twincert-reference-twin to record in the manifest for ${reference_twin}");
  cmd->add_flag("--quiet", o->quiet, "Print nothing but errors");
  cmd->footer(
      "Checks that every run is of the same campaign file (SHA-256), of disjoint shards of the "
      "same split,\nand that no case is in two runs; names missing shards and cases. Case "
      "folders are hard-linked\n(copied across file systems). Merging merged runs gives the same "
      "as merging their shards.\n\n"
      "Exit status: 0 every case passed (and every mutant was caught), 1 a case failed or "
      "errored, a\nmutant survived, or shards or cases are missing (without --partial), 2 runs "
      "that do not belong\ntogether or a bad folder (the message says which), 3 the merge "
      "failed.\n\nExamples:\n"
      "  twincert merge out/shard1 out/shard2 out/shard3 out/shard4 --out out/all\n"
      "  twincert merge out/shard1 out/shard2 --out out/half --partial\n"
      "  twincert merge out/half out/shard3 out/shard4 --out out/all");
  return [o] { return run_merge(*o); };
}

}  // namespace twincert::cli
