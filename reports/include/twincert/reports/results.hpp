// What a campaign run gives a certifier or a CI: results.json (schema twincert.results/1,
// docs/formats/results.md) and junit.xml (one testcase per case x requirement). Pure
// conversions from the run to bytes, plus a writer that writes a temporary file and renames it,
// so a killed run never leaves half a report. Thread-compatible.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/campaign.hpp"

namespace twincert::reports {

struct Requirement {
  std::string id;
  std::string title;
  std::string text;    // the requirement as stated ("The twin shall ...")
  std::string source;  // where it comes from ("IMO MSC.333(90) 5.5.2")
};

// A requirement set (fixtures/requirements/*.json); throws ConfigError.
std::vector<Requirement> load_requirements(const std::filesystem::path& path);

struct RunInfo {
  std::string tool;     // "twincert 0.1.0"
  std::string build;    // git describe
  std::string adapter;  // the adapter's name
  std::string shard = "1/1";
  std::string mutant;  // empty: the twin itself
  // The campaign's rule definitions (its rules file's "rules"), kept in results.json so that
  // a report years later knows each rule's quantity, tolerance and deadline.
  nlohmann::json rules = nlohmann::json::array();
};

struct Summary {
  std::size_t cases = 0;
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t errors = 0;
  std::vector<std::string> flaky;  // cases (without /rN) that passed and failed on repetition
  bool all_passed() const { return failed == 0 && errors == 0 && cases > 0; }
};

Summary summarize(const harness::CampaignRun& run);

// A `caught_by` rule that failed (or was in error) on a mutant in one case, and what the same
// rule concluded on the correct twin in the same case of the same campaign.
struct MutantFailure {
  std::string case_id;
  std::string rule_id;
  std::string correct_verdict;  // "pass", "fail", "error", "inconclusive", or "not run"
  // a kill: it passed on the correct twin; a false alarm: it failed there too
  bool kill() const { return correct_verdict == "pass"; }
  bool false_alarm() const { return correct_verdict == "fail" || correct_verdict == "error"; }
};

// A mutant of the twin and what the campaign made of it, scored differentially: a kill is a
// caught_by rule failing on the mutant in a case where it passes on the correct twin; a rule
// failing on both says nothing of the mutant (a false alarm of the rule).
struct MutantOutcome {
  std::string name;
  std::vector<std::string> caught_by;     // rules that must fail
  std::vector<std::string> failed_rules;  // rules that failed or were in error, anywhere
  std::vector<MutantFailure> failures;    // of caught_by rules, in case order
  bool killed = false;                    // some failure is a kill
  std::size_t kills() const;
  std::size_t false_alarms() const;
};

// `mutant_run` against `correct_run`, the same campaign run against the correct twin.
MutantOutcome mutant_outcome(const std::string& name, const std::vector<std::string>& caught_by,
                             const harness::CampaignRun& correct_run,
                             const harness::CampaignRun& mutant_run);

nlohmann::json results_json(const harness::Campaign& campaign, const harness::CampaignRun& run,
                            const RunInfo& info, const std::vector<Requirement>& requirements,
                            const std::vector<MutantOutcome>& mutants = {});

std::string junit_xml(const harness::Campaign& campaign, const harness::CampaignRun& run,
                      const std::vector<Requirement>& requirements);

// results.json of a results folder (or the file itself), checked to be a twincert.results/1
// document with its summary, requirements and cases. Throws ConfigError naming the
// file and what is wrong.
nlohmann::json load_results(const std::filesystem::path& dir_or_file);

// The "rules" of a rules file (twincert.rules/1), for RunInfo::rules; throws
// ConfigError.
nlohmann::json load_rule_definitions(const std::filesystem::path& path);

}  // namespace twincert::reports
