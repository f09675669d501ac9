// What a campaign run gives a certifier or a CI: its results document
// (harness/results_document.hpp, results.json, schema twincert.results/1, docs/formats/results.md)
// and junit.xml (one testcase per case x requirement). Pure conversions from the run to the
// document and from the document to bytes. Thread-compatible.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/harness/adapter.hpp"
#include "twincert/harness/campaign.hpp"
#include "twincert/harness/results_document.hpp"

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
  std::vector<harness::RuleDefinition> rules;
};

using Summary = harness::SummaryRecord;
using harness::MutantFailure;
using harness::MutantOutcome;

// The cases, their verdicts and the flaky ones (passed and failed on repetition) of a run.
Summary summarize(const harness::CampaignRun& run);

// `mutant_run` against `correct_run`, the same campaign run against the correct twin.
MutantOutcome mutant_outcome(const std::string& name, const std::vector<std::string>& caught_by,
                             const harness::CampaignRun& correct_run,
                             const harness::CampaignRun& mutant_run);

// Each mutant of an adapter that `runs` (by mutant name) holds a run of, scored against
// `correct_run`, in the adapter's order.
std::vector<MutantOutcome> score_mutants(const std::vector<harness::Mutant>& mutants,
                                         const harness::CampaignRun& correct_run,
                                         const std::map<std::string, harness::CampaignRun>& runs);

// Whether some mutant survived: a caught_by rule of it never failed where it passes on the
// correct twin.
bool any_survived(const std::vector<MutantOutcome>& outcomes);

// The results document of a run: its cases, summary, a verdict per requirement (those the rules
// name but `requirements` lacks included, with their id only) and, given mutants, the mutation
// score.
harness::ResultsDocument build_results(const harness::Campaign& campaign,
                                       const harness::CampaignRun& run, const RunInfo& info,
                                       const std::vector<Requirement>& requirements,
                                       const std::vector<MutantOutcome>& mutants = {});

// junit.xml of a results document: a testsuite per case, a testcase per requirement it judged.
std::string junit_xml(const harness::ResultsDocument& document);

// The "rules" of a rules file (twincert.rules/1), for RunInfo::rules; throws
// ConfigError.
std::vector<harness::RuleDefinition> load_rule_definitions(const std::filesystem::path& path);

}  // namespace twincert::reports
