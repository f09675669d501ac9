// The results of a campaign run as one typed document: results.json (schema twincert.results/1,
// docs/formats/results.md and results.schema.json). Every part that writes or reads results.json
// goes through these types: reports builds the document and renders it, hil reads the software
// verdicts from it, cli merges and reports from it. It is turned into JSON and read back from
// JSON in exactly one place (results_to_json / results_from_json below), so a misspelt key is a
// compile error in every reader instead of an empty cell in a report.
//
// Plain values: thread-compatible (one writer or many readers); the functions keep no state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/case_runner.hpp"

namespace twincert::harness {

// The verdict of a whole run (results.json /summary/verdict).
enum class RunVerdict : std::uint8_t {
  kPass,  // every case passed, and there was at least one
  kFail,  // some case failed or was in error, or there was none
};

// The verdict of a requirement over every rule result that verifies it.
enum class RequirementVerdict : std::uint8_t {
  kPass,         // some rule passed, none failed or was in error
  kFail,         // some rule failed
  kError,        // some rule was in error, none failed
  kNotVerified,  // no rule judged anything: no evidence either way
};

std::string_view name_of(RunVerdict verdict) noexcept;
std::string_view name_of(RequirementVerdict verdict) noexcept;

struct CampaignRecord {
  std::string id;
  std::string title;
  std::string file;  // the campaign file as it was given
  std::string sha256;
  std::size_t cases_in_matrix = 0;
};

struct VersionsRecord {
  std::string twincert;  // "twincert 0.1.0"
  std::string build;     // git describe
  std::string adapter;   // the adapter's name
};

struct RunRecord {
  std::string started_utc;
  double wall_s = 0.0;
  std::string shard = "1/1";
  std::string mutant;  // empty: the twin itself
  std::size_t resumed_cases = 0;
};

struct SummaryRecord {
  RunVerdict verdict = RunVerdict::kFail;
  std::size_t cases = 0;
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t errors = 0;
  std::vector<std::string> flaky;  // cases (without /rN) that passed and failed on repetition
};

// Rule results by verdict.
struct VerdictTally {
  std::size_t pass = 0;
  std::size_t fail = 0;
  std::size_t error = 0;
  std::size_t inconclusive = 0;
};

struct RequirementResult {
  std::string id;
  std::string title;
  std::string text;    // the requirement as stated ("The twin shall ...")
  std::string source;  // where it comes from ("IMO MSC.333(90) 5.5.2")
  RequirementVerdict verdict = RequirementVerdict::kNotVerified;
  std::vector<std::string> rules;  // the rules that verified it, sorted
  VerdictTally results;
};

// One rule of the campaign's rules file as written there. The definition is kept verbatim
// (`definition`), so that results.json carries the rules file's own text of each rule and a
// report years later knows its tolerance and deadline even when this version reads rules
// differently; the fields below are what the reports read from it, with the defaults an
// absent or mistyped value has.
struct RuleDefinition {
  nlohmann::json definition = nlohmann::json::object();
  std::string id;
  std::string kind;                     // "accuracy", "deadline", ...
  std::string quantity;                 // accuracy: "heading_deg"
  std::string sensor;                   // accuracy: the sensor whose faults it judges
  bool angle = false;                   // accuracy: the quantity wraps at 360
  std::optional<double> within_s;       // deadline: how long the twin has
  std::vector<std::string> conditions;  // deadline: the alert conditions it judges
};
// Reads the typed fields of a verbatim definition (never throws: see RuleDefinition).
RuleDefinition rule_definition_of(nlohmann::json definition);

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

// The mutation score of a run with mutants (results.json /mutation).
struct MutationScore {
  std::vector<MutantOutcome> mutants;
  std::size_t killed() const;
  std::size_t total() const { return mutants.size(); }
  double score() const;  // killed / total; 0 without mutants
  std::size_t false_alarms() const;
};

struct ResultsDocument {
  CampaignRecord campaign;
  VersionsRecord versions;
  RunRecord run;
  std::vector<std::uint64_t> seeds;  // of the cases run, ascending
  SummaryRecord summary;
  std::vector<RequirementResult> requirements;
  std::vector<RuleDefinition> rules;
  std::vector<CaseResult> cases;          // in case order
  std::optional<MutationScore> mutation;  // only for runs with mutants
};

inline constexpr std::string_view kResultsSchema = "twincert.results/1";

// The one writer: the document as results.json's JSON.
nlohmann::json results_to_json(const ResultsDocument& document);
// results.json's text: two-space indentation, bytes that are not UTF-8 replaced, a final newline.
std::string results_text(const ResultsDocument& document);

// The one reader: a twincert.results/1 document with every key the schema requires (the keys it
// leaves optional get their defaults). Throws ConfigError naming `where`, the JSON path and what
// was expected.
ResultsDocument results_from_json(const nlohmann::json& j, const std::string& where);

// results.json of a results folder (or the file itself), read with results_from_json. Throws
// ConfigError naming the file and what is wrong.
ResultsDocument load_results(const std::filesystem::path& dir_or_file);

}  // namespace twincert::harness
