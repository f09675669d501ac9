// One case of a campaign, end to end: generate the stream bundle (scenario, faults, seed),
// start the twin as its adapter says, replay the bundle into it while observing it, let it
// settle, stop it, and judge the observations with the rules. Everything the case made stays
// in its folder: bundle/, twin.log, observations.jsonl, case.json.
//
// Whatever the twin does — never ready, crashing, hanging, answering garbage — the case ends
// within its timeout with a result that says what happened (status "error" and a reason);
// only the harness's own failures (a folder it cannot write) throw. Thread-safe: cases may run
// in parallel when the adapter allows several instances.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/generators/bundle.hpp"
#include "twincert/harness/adapter.hpp"
#include "twincert/harness/observer.hpp"
#include "twincert/rules/model.hpp"

namespace twincert::harness {

struct CaseSpec {
  std::string id;                   // "open-sea-transit/dropout-HE0001/s1", unique in a campaign
  std::string scenario;             // built-in name or a JSON file
  std::vector<std::string> faults;  // "KIND:SOURCE@START+DURATION[,k=v]"
  std::uint64_t seed = 1;
  double duration_s = 0.0;  // <= 0: the scenario's
  int repetition = 1;
};

// Generates a case's stream bundle into `dir` (its scenario with its duration and faults, from
// its seed); `tool` is recorded in the bundle's manifest. Throws ConfigError for a
// bad scenario or fault.
generators::BundleSummary write_case_bundle(const CaseSpec& spec, const std::filesystem::path& dir,
                                            const std::string& tool);

struct CaseSetup {
  TwinAdapter adapter;
  std::vector<rules::Rule> rules;
  std::string pacing;  // empty: the adapter's
  std::chrono::milliseconds timeout{120000};
  std::filesystem::path cases_dir;  // each case gets a folder under it
  std::filesystem::path reference_twin;
  std::string mutant;  // the adapter's mutant to run instead of the twin itself (empty: none)
  bool allow_external = false;
  std::string tool;  // recorded in the bundle's manifest
  // Called with the observer once it has finished, before the verdicts (`adapter check` reads
  // what each mapping found); on the case's thread. Empty: nothing.
  std::function<void(const Observer&)> inspect;
};

struct CaseResult {
  CaseSpec spec;
  std::string status = "ran";  // "ran" or "error"
  std::string error;           // why, when status is "error"
  std::vector<rules::RuleResult> rules;
  std::vector<ObserverProblem> problems;
  std::filesystem::path dir;
  double wall_s = 0.0;
  std::size_t frames = 0;
  std::size_t send_errors = 0;
  std::size_t flow_waits = 0;  // times the replay waited for the twin (flow control)
  bool flow_gave_up = false;   // the twin's counter stopped moving during the replay
  double replay_s = 0.0;
  // How late frames went out against their deadlines (paced replays; 0 at top speed): the
  // pacing quality a certifier needs before trusting a deadline verdict.
  double lateness_p99_us = 0.0;
  double lateness_max_us = 0.0;
  std::size_t observations = 0;
  std::string twin_end;    // how the twin ended: "stopped", "exited with status 3", "kept", ...
  std::string twin_start;  // "started", or "reset" (a twin kept from the case before)
  std::map<std::string, std::string> sha256;  // bundle file -> digest
};

// A twin kept running from one case to the next, for adapters whose `between_cases` is
// `reset`: the next case POSTs the adapter's reset URL instead of starting a new twin (and
// starts one when the reset is not answered with 2xx). A twin that ended, ran out of time or
// made its case an error is never kept. One per worker thread; stops what it holds when
// destroyed.
class TwinKeeper {
 public:
  TwinKeeper();
  ~TwinKeeper();
  TwinKeeper(const TwinKeeper&) = delete;
  TwinKeeper& operator=(const TwinKeeper&) = delete;

  struct Held;  // the running twin and its filled-in adapter
  std::unique_ptr<Held> held;
};

// Requires: `setup.rules` non-empty. Throws ConfigError for a bad scenario or fault
// and std::filesystem::filesystem_error when the case folder cannot be written. `keeper` (may
// be null) holds a twin between cases of one worker when the adapter resets instead of restarting.
CaseResult run_case(const CaseSpec& spec, const CaseSetup& setup, TwinKeeper* keeper = nullptr);

// The case's verdict over its rules: "pass" (no rule failed, none in error), "fail", "error".
std::string case_verdict(const CaseResult& result);

// A folder name for a case id: path separators and odd characters become '_'.
std::string folder_name_of(const std::string& case_id);

// {"id", "scenario", "faults", "seed", "duration_s", "repetition"}: the fields of a case result
// that say which case it is, and what a HIL coordinator sends its agents.
nlohmann::json to_json(const CaseSpec& spec);
// Reads those fields; throws ConfigError naming `where`.
CaseSpec case_spec_from_json(const nlohmann::json& j, const std::string& where);

nlohmann::json to_json(const CaseResult& result);
// Reads what to_json wrote (resume); throws ConfigError when it is not one.
CaseResult case_result_from_json(const nlohmann::json& j);

}  // namespace twincert::harness
