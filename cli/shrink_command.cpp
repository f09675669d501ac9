// twincert shrink RUN_DIR --case ID: a failing case of a run made as small as it can be while
// it still fails the same rule in the same way (issue 22). The reduction re-runs the twin
// under test through its adapter, a fresh twin per trial; the result goes beside the run's
// cases, in RUN_DIR/shrink/CASE/: scenario.json (the shrunk case), shrunk/ (its last run:
// bundle, observations, case.json), campaign.json (a one-case campaign that reproduces it) and
// shrink.json (what was kept, the steps, trials and time).
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/base/duration.hpp"
#include "twincert/base/files.hpp"
#include "twincert/cli/version.hpp"
#include "twincert/harness/adapter.hpp"
#include "twincert/harness/campaign.hpp"
#include "twincert/harness/evidence_files.hpp"
#include "twincert/harness/journal.hpp"
#include "twincert/harness/shrink/shrink_case.hpp"
#include "twincert/rules/evaluate.hpp"

#include "commands.hpp"
#include "locations.hpp"

namespace twincert::cli {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct ShrinkCommandOptions {
  std::string run_dir;
  std::string case_id;
  std::string rule;
  std::string budget = "5m";
  std::size_t max_trials = 2000;
  int repeat = 3;
  unsigned jobs = 1;
  std::string campaign;
  std::string reference_twin;
  bool keep_trials = false;
  bool quiet = false;
};

// The campaign file a run folder ran: results.json's campaign.file, or its parent run's for a
// mutant's folder (RUN/mutants/NAME).
fs::path campaign_of(const fs::path& run_dir) {
  for (const auto& dir : {run_dir, run_dir.parent_path().parent_path()}) {
    const auto file = dir / "results.json";
    if (!fs::is_regular_file(file)) continue;
    std::ifstream in(file);
    const json results = json::parse(in, nullptr, false);
    const auto& c = results.is_object() ? results.value("campaign", json()) : json();
    if (c.is_object() && c.contains("file") && c["file"].is_string()) {
      return c["file"].get<std::string>();
    }
  }
  throw ConfigError(run_dir.string() +
                    ": no results.json naming the campaign file; give it with --campaign FILE");
}

harness::CaseResult find_case(const harness::JournalFile& journal, const std::string& id,
                              const fs::path& where) {
  for (const auto& r : journal.results) {
    if (r.spec.id == id || harness::folder_name_of(r.spec.id) == id) return r;
  }
  throw ConfigError((where / "journal.jsonl").string() + ": no case \"" + id + "\"");
}

json sizes_json(const harness::shrink::Sizes& s, std::size_t sentences) {
  return {{"sentences", sentences},
          {"seconds", s.span_s},
          {"sources", s.sensors},
          {"families", s.families},
          {"events", s.events},
          {"faults", s.faults},
          {"targets", s.targets},
          {"silenced_windows", s.silenced},
          {"simplifications", s.simplifications}};
}

std::string verdict_text(const harness::CaseResult& r, const std::string& rule_id) {
  return std::string(rules::name_of(harness::shrink::verdict_of(r, rule_id)));
}

int run_shrink(const ShrinkCommandOptions& o) {
  const fs::path run_dir = o.run_dir;
  const harness::JournalFile journal = harness::read_journal(run_dir / "journal.jsonl");
  const harness::CaseResult failed = find_case(journal, o.case_id, run_dir);
  const fs::path campaign_file = o.campaign.empty() ? campaign_of(run_dir) : fs::path(o.campaign);
  const harness::Campaign campaign = harness::load_campaign(campaign_file);
  if (!journal.header.campaign_sha256.empty() &&
      campaign.sha256 != journal.header.campaign_sha256) {
    throw ConfigError(campaign_file.string() + " is not the campaign file " + run_dir.string() +
                      " ran (its SHA-256 differs)");
  }
  harness::CaseSetup setup;
  setup.adapter = harness::load_adapter(campaign.adapter);
  setup.rules = harness::load_rules(campaign.rules);
  setup.pacing = campaign.pacing;
  setup.timeout = campaign.case_timeout;
  setup.reference_twin = reference_twin_path(o.reference_twin);
  setup.mutant = journal.header.mutant;
  setup.tool = std::string("twincert ") + TWINCERT_VERSION + " (build " + TWINCERT_BUILD_ID + ")";

  harness::shrink::ShrinkOptions options;
  options.work_dir = run_dir / "shrink" / harness::folder_name_of(failed.spec.id);
  fs::remove_all(options.work_dir);
  fs::create_directories(options.work_dir);
  options.rule_id = o.rule;
  options.keep_trials = o.keep_trials;
  options.reduce.repeat = o.repeat;
  options.reduce.max_trials = o.max_trials;
  options.reduce.max_wall_s = parse_duration_s(o.budget);
  if (!o.quiet) {
    options.reduce.on_step = [](const std::string& stage, const harness::shrink::Candidate& c) {
      std::cerr << "  " << stage << ": " << harness::shrink::key_of(c).substr(0, 160) << '\n';
    };
  }
  const auto outcome = harness::shrink::shrink_case(failed, setup, options);
  const auto& red = outcome.reduction;

  const std::string correct_twin =
      outcome.correct_twin ? verdict_text(*outcome.correct_twin, outcome.failure.rule_id) : "";
  const json reproduce_campaign = {
      {"schema", "twincert.campaign/1"},
      {"id", "shrunk-" + harness::folder_name_of(failed.spec.id)},
      {"title", "shrunk from " + failed.spec.id + " of " + campaign.id},
      {"adapter", fs::absolute(campaign.adapter).string()},
      {"rules", fs::absolute(campaign.rules).string()},
      {"jobs", 1},
      {"case_timeout_s", static_cast<double>(campaign.case_timeout.count()) / 1000.0},
      {"matrix",
       json::array({{{"scenarios", {fs::absolute(options.work_dir / "scenario.json").string()}},
                     {"seeds", {failed.spec.seed}}}})}};
  write_file_atomically(options.work_dir / "campaign.json", reproduce_campaign.dump(2) + "\n");
  const std::string reproduce = "twincert run " + (options.work_dir / "campaign.json").string() +
                                (setup.mutant.empty() ? "" : " --mutant " + setup.mutant) +
                                " --out " + (options.work_dir / "reproduce").string();

  json steps = json::array();
  for (const auto& s : red.steps) {
    steps.push_back({{"stage", s.stage}, {"what", s.what}, {"trials", s.trials_after}});
  }
  const json report = {{"case", failed.spec.id},
                       {"rule", outcome.failure.rule_id},
                       {"failure", outcome.failure.shapes},
                       {"mutant", setup.mutant},
                       {"status", harness::shrink::name_of(red.status)},
                       {"trials", red.trials},
                       {"correct_twin_runs", outcome.correct_twin_runs},
                       {"cache_hits", red.cache_hits},
                       {"refused", red.refused},
                       {"original_failures", red.original_failures},
                       {"repeat", o.repeat},
                       {"wall_s", red.wall_s},
                       {"before", sizes_json(red.before, outcome.sentences_before)},
                       {"after", sizes_json(red.after, outcome.sentences_after)},
                       {"shrunk_verdict", verdict_text(outcome.shrunk, outcome.failure.rule_id)},
                       {"correct_twin_verdict", correct_twin},
                       {"steps", steps},
                       {"reproduce", reproduce}};
  write_file_atomically(options.work_dir / "shrink.json", report.dump(2) + "\n");

  if (!o.quiet) {
    std::cout << failed.spec.id << ": " << outcome.failure.rule_id << " ("
              << harness::shrink::name_of(red.status) << ") sentences " << outcome.sentences_before
              << " -> " << outcome.sentences_after << ", seconds " << red.before.span_s << " -> "
              << red.after.span_s << ", sources " << red.before.sensors << " -> "
              << red.after.sensors << ", faults " << red.before.faults << " -> " << red.after.faults
              << "; " << red.trials << " trials (+" << outcome.correct_twin_runs
              << " on the correct twin), " << std::lround(red.wall_s) << " s\n"
              << "  shrunk case: " << verdict_text(outcome.shrunk, outcome.failure.rule_id)
              << (correct_twin.empty() ? "" : ", correct twin: " + correct_twin) << '\n'
              << "  reproduce: " << reproduce << '\n'
              << "  wrote " << (options.work_dir / "shrink.json").string() << '\n';
  }
  if (red.status == harness::shrink::ReduceStatus::kFlaky ||
      red.status == harness::shrink::ReduceStatus::kNotFailing) {
    std::cerr << "twincert shrink: " << failed.spec.id << " is "
              << harness::shrink::name_of(red.status) << " (failed the same way "
              << red.original_failures << " of " << o.repeat << " times); not shrunk\n";
    return kExitChecksFailed;
  }
  return kExitOk;
}

}  // namespace

std::function<int()> add_shrink_command(CLI::App& app) {
  auto o = std::make_shared<ShrinkCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "shrink",
      "Shrink a failing case of a run to the smallest case that still fails the same rule in "
      "the same way, re-running the twin under test for each trial");
  cmd->add_option("run_dir", o->run_dir, "The run folder (journal.jsonl, cases/)")->required();
  cmd->add_option("--case", o->case_id, "The case to shrink (its id or folder name)")->required();
  cmd->add_option("--rule", o->rule, "The failed rule to keep (default: the first failed)");
  cmd->add_option("--budget", o->budget, "Wall time for the reduction (default 5m)");
  cmd->add_option("--max-trials", o->max_trials, "Trials at most (default 2000)");
  cmd->add_option("--repeat", o->repeat,
                  "The original must fail the same way this many times in as many (default 3)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--jobs", o->jobs,
                  "Twins at once (accepted; trials run one at a time so that the reduction is "
                  "deterministic)");
  cmd->add_option("--campaign", o->campaign,
                  "The campaign file the run ran (default: as its results.json names it)");
  cmd->add_option("--reference-twin", o->reference_twin,
                  "Path of twincert-reference-twin for ${reference_twin}");
  cmd->add_flag("--keep-trials", o->keep_trials, "Keep every trial's folder (debugging)");
  cmd->add_flag("--quiet", o->quiet, "Print nothing but errors");
  cmd->footer(
      "Exit status: 0 shrunk, 1 the case is flaky or does not fail again, 2 bad run folder, "
      "case or option.\n"
      "Example:\n"
      "  twincert run --mutant late-alerts --out out/m\n"
      "  twincert shrink out/m --case open-sea-transit/dropout-HE0001/s3 --budget 5m");
  return [o] { return run_shrink(*o); };
}

}  // namespace twincert::cli
