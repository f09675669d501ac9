// Hardware-in-the-loop verdicts beside the software ones (twincert report RUN --hil HIL_OUT):
// for each case the coordinator had, where it ran, what the hardware said, what the software
// run said, and whether they disagree — a case that passes in software and fails on the bench
// (or the other way round) is what a certifier must look at first.
// The functions keep no shared state: thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace twincert::reports {

struct HilOutcome {
  std::string id;
  std::string rig;            // where it ran ("" when it has no hardware result)
  std::string state;          // done, lost, not-run, cancelled, pending, leased
  std::string verdict;        // on hardware: pass, fail, error ("" without a result)
  std::string software;       // in the software run: pass, fail, error ("" when it was not run)
  std::string reason;         // why there is no hardware result
  std::string first_failure;  // the first failing rule and its message, on hardware
  std::size_t attempts = 0;
  std::vector<std::string> attempt_outcomes;  // "sim-a: lease expired: no heartbeat for 4 s"
  bool disagrees = false;                     // both verdicts there and different

  // What the hardware said: its verdict, or why there is none ("lost: its lease expired 3 times").
  std::string hardware() const { return verdict.empty() ? state + ": " + reason : verdict; }
};

struct HilComparison {
  std::string source;  // the hil-results.json it came from
  std::vector<HilOutcome> cases;
  std::size_t disagreements = 0;
  std::size_t without_result = 0;  // lost, not run, cancelled, unfinished
  std::size_t failed = 0;          // fail or error on hardware
  bool clean() const { return disagreements == 0 && without_result == 0 && failed == 0; }
};

// Reads DIR/hil-results.json (or the file itself); throws ConfigError when it is
// not a twincert.hil-results/1 document.
nlohmann::json load_hil_results(const std::filesystem::path& path);

// `hil` is a hil-results document; `software` the software run's verdict per case (over its
// repetitions, as hil::software_verdicts reads results.json), matched by id. Tolerates missing
// fields (untrusted files): what is not there stays empty.
HilComparison compare_hil(const nlohmann::json& hil,
                          const std::map<std::string, std::string>& software,
                          const std::string& source);

}  // namespace twincert::reports
