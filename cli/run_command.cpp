// twincert run: the main job. Runs a campaign against a twin and writes the reports (HTML,
// Markdown, results.json, junit.xml) and the evidence manifest; with --mutants also against
// each deliberately faulty variant of the twin.
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "twincert/base/config_error.hpp"
#include "twincert/cli/version.hpp"
#include "twincert/harness/campaign.hpp"
#include "twincert/harness/results_document.hpp"
#include "twincert/reports/manifest.hpp"
#include "twincert/reports/outputs.hpp"
#include "twincert/reports/results.hpp"
#include "twincert/rules/evaluate.hpp"

#include "commands.hpp"
#include "locations.hpp"
#include "queue_options.hpp"
#include "run_outputs.hpp"
#include <unistd.h>

namespace twincert::cli {

namespace {

struct RunCommandOptions {
  std::string campaign;  // empty: the default campaign shipped with twincert
  std::string out;
  std::string shard = "1/1";
  unsigned jobs = 0;
  bool resume = false;
  std::vector<std::string> only;
  std::string mutant;
  bool mutants = false;
  bool allow_external = false;
  bool quiet = false;
  std::string reference_twin;
  std::string queue;  // redis://...: cases go to workers through it
  std::string password_file;
};

// Progress: a line redrawn in place on a terminal, a line per case otherwise.
class Progress {
 public:
  Progress(bool quiet, std::string label)
      : quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0), label_(std::move(label)) {}

  void operator()(const harness::CaseResult& r, std::size_t done, std::size_t total) {
    if (quiet_) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const std::size_t run_here = done - std::min(done, first_done_);
    if (first_done_ == kUnset) first_done_ = done - 1;
    const double per_case = elapsed / static_cast<double>(std::max<std::size_t>(1, run_here));
    const double eta = per_case * static_cast<double>(total - done);
    const std::string verdict = harness::case_verdict(r);
    if (tty_) {
      std::fprintf(stderr, "\r\033[K%s[%zu/%zu] %3.0f%% ETA %s  %s %s", label_.c_str(), done, total,
                   100.0 * static_cast<double>(done) / static_cast<double>(total),
                   clock_text(eta).c_str(), verdict.c_str(), r.spec.id.c_str());
      if (done == total) std::fprintf(stderr, "\n");
    } else {
      std::fprintf(stderr, "%s[%zu/%zu] %-5s %s (%.1f s)%s%s\n", label_.c_str(), done, total,
                   verdict.c_str(), r.spec.id.c_str(), r.wall_s, r.error.empty() ? "" : ": ",
                   r.error.c_str());
    }
    std::fflush(stderr);
  }

 private:
  static constexpr std::size_t kUnset = static_cast<std::size_t>(-1);
  bool quiet_;
  bool tty_;
  std::string label_;
  std::size_t first_done_ = kUnset;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

int run_run(const RunCommandOptions& o) {
  const harness::Campaign campaign = harness::load_campaign(
      o.campaign.empty() ? default_campaign() : std::filesystem::path(o.campaign));
  const harness::TwinAdapter adapter = harness::load_adapter(campaign.adapter);
  const auto requirements = campaign.requirements.empty()
                                ? std::vector<reports::Requirement>{}
                                : reports::load_requirements(campaign.requirements);
  harness::RunOptions options;
  options.out_dir = o.out.empty() ? "out/" + campaign.id : o.out;
  options.jobs = o.jobs;
  options.resume = o.resume;
  options.shard = harness::parse_shard(o.shard);
  options.only = o.only;
  options.mutant = o.mutant;
  options.reference_twin = reference_twin_path(o.reference_twin);
  options.allow_external = o.allow_external;
  options.tool = std::string("twincert ") + TWINCERT_VERSION + " (build " + TWINCERT_BUILD_ID + ")";
  reports::RunInfo info;
  info.tool = std::string("twincert ") + TWINCERT_VERSION;
  info.build = TWINCERT_BUILD_ID;
  info.adapter = adapter.name;
  info.shard = o.shard;
  info.mutant = o.mutant;
  info.rules = reports::load_rule_definitions(campaign.rules);

  // What this run will run: its shard, or the cases named with --case.
  const auto cases = o.only.empty() ? harness::cases_of_shard(campaign.cases, options.shard).size()
                                    : std::set<std::string>(o.only.begin(), o.only.end()).size();
  if (!o.quiet) {
    std::cerr << "campaign " << campaign.id << ": " << cases << " cases"
              << (o.shard != "1/1" ? " (shard " + o.shard + ")" : "")
              << (o.only.empty() ? "" : " named with --case") << " against " << adapter.name
              << (o.mutant.empty() ? "" : " (mutant " + o.mutant + ")") << ", results in "
              << options.out_dir.string() << "/\n";
  }
  if (!o.queue.empty()) {
    options.distribute = harness::queue_distributor(
        queue_options(o.queue, o.password_file, o.allow_external, o.quiet));
  }
  options.on_case = Progress(o.quiet, "");
  const harness::CampaignRun run = harness::run_campaign(campaign, options);

  std::vector<reports::MutantOutcome> mutants;
  if (o.mutants) {
    for (const auto& m : adapter.mutants) {
      harness::RunOptions mo = options;
      mo.mutant = m.name;
      mo.out_dir = options.out_dir / "mutants" / m.name;
      mo.on_case = Progress(true, "");
      const auto mutant_run = harness::run_campaign(campaign, mo);
      // Differential: a kill needs the rule to pass on the correct twin in the same case.
      mutants.push_back(reports::mutant_outcome(m.name, m.caught_by, run, mutant_run));
      if (!o.quiet) {
        const auto& outcome = mutants.back();
        std::cerr << "mutant " << m.name << ": " << (outcome.killed ? "killed" : "SURVIVED")
                  << " (expected " << m.caught_by.front() << (m.caught_by.size() > 1 ? ", ..." : "")
                  << "; " << outcome.kills() << " kills, " << outcome.false_alarms()
                  << " false alarms (failing on the correct twin too); failed rules: "
                  << outcome.failed_rules.size() << ")\n";
      }
    }
  }
  const harness::ResultsDocument results =
      reports::build_results(campaign, run, info, requirements, mutants);
  reports::write_reports(results, options.out_dir, options.out_dir, {});
  reports::write_manifest(options.out_dir,
                          manifest_info(campaign, adapter, options.reference_twin));

  const reports::Summary& s = results.summary;  // build_results summarised the run
  if (!o.quiet) {
    std::cout << campaign.id << ": " << s.cases << " cases, " << s.passed << " passed, " << s.failed
              << " failed, " << s.errors << " errors";
    if (!s.flaky.empty()) std::cout << ", " << s.flaky.size() << " flaky";
    if (run.resumed > 0) std::cout << " (" << run.resumed << " resumed from the journal)";
    std::cout << " in " << clock_text(run.wall_s) << '\n';
    print_failures(run);
    if (!mutants.empty()) {
      std::cout << "mutation score " << results.mutation->killed() << "/"
                << results.mutation->total() << '\n';
    }
    std::cout << "wrote " << (options.out_dir / "report.html").string()
              << " (and results.json, junit.xml, summary.md, manifest.json)\n";
  }
  return s.verdict == harness::RunVerdict::kPass && !reports::any_survived(mutants)
             ? kExitOk
             : kExitChecksFailed;
}

}  // namespace

std::function<int()> add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run a campaign: generate each case's streams, replay them into the twin under test, "
      "observe it, judge it with the rules; write the reports and the evidence manifest");
  cmd->add_option("campaign", o->campaign,
                  "Campaign file (twincert.campaign/1, docs/formats/campaign.md); default: "
                  "fixtures/campaigns/default.json of the fixtures shipped with twincert "
                  "(PREFIX/share/twincert when installed, $TWINCERT_DATA_DIR overrides)");
  cmd->add_option("--out", o->out, "Output folder (default: out/CAMPAIGN_ID)");
  cmd->add_option("--jobs", o->jobs, "Cases run in parallel (default: the campaign's)");
  cmd->add_option("--shard", o->shard,
                  "Run the I-th of N deterministic slices of the matrix, e.g. 2/4 (CI matrices)")
      ->capture_default_str();
  cmd->add_flag("--resume", o->resume,
                "Keep the cases already in OUT/journal.jsonl and run the rest (after a kill)");
  cmd->add_option("--case", o->only,
                  "Run only this case of the matrix (an id as in results.json; repeatable): "
                  "reproduces one case");
  cmd->add_option("--mutant", o->mutant,
                  "Run against this deliberately faulty variant of the twin (the adapter's "
                  "\"mutants\")");
  cmd->add_flag("--mutants", o->mutants,
                "Also run against every mutant of the adapter; each must be caught by the rule "
                "named for it; the mutation score goes into results.json");
  cmd->add_option("--reference-twin", o->reference_twin,
                  "Path of twincert-reference-twin for ${reference_twin} (default: "
                  "$TWINCERT_REFERENCE_TWIN, else the one installed beside twincert or built with "
                  "it)");
  cmd->add_flag(
      "--allow-external", o->allow_external,
      "Allow the adapter to send beyond this host, and a --queue Redis beyond it (off: only "
      "127.0.0.0/8, ::1, TTL 0)");
  cmd->add_option("--queue", o->queue,
                  "Hand the cases to workers (`twincert worker`) through this Redis, "
                  "redis://HOST[:PORT][/DB], and collect their results here as they finish "
                  "(--resume takes up the same queue after a restart)");
  cmd->add_option("--password-file", o->password_file,
                  "With --queue: file whose first line is the Redis password (default: "
                  "$TWINCERT_REDIS_PASSWORD; the ACL user: $TWINCERT_REDIS_USER)");
  cmd->add_flag("--quiet", o->quiet, "Print nothing but errors");
  cmd->footer(
      "Exit status: 0 every case passed (and every mutant was caught), 1 a case failed or "
      "errored,\n2 bad campaign, adapter, rules or option (the message says which file and key), "
      "3 the harness failed.\n\n"
      "Outputs in OUT: report.html, summary.md, results.json (docs/formats/results.md), "
      "junit.xml,\nmanifest.json (docs/formats/manifest.md), journal.jsonl, and cases/CASE/ "
      "(bundle/, twin.log,\nobservations.jsonl, case.json).\n\nExamples:\n"
      "  twincert run                                   # the default campaign, reference twin\n"
      "  twincert run fixtures/campaigns/default.json --out out/ci --jobs 2\n"
      "  twincert run my-campaign.json --shard 1/4 --out out/shard1\n"
      "  twincert run my-campaign.json --out out/x --resume   # after an interruption\n"
      "  twincert run my-campaign.json --case 'open-sea-transit/normal/s1' --out repro\n"
      "  twincert run my-campaign.json --out out/x --queue redis://127.0.0.1:6379  # + workers");
  return [o] { return run_run(*o); };
}

}  // namespace twincert::cli
