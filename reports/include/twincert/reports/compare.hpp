// Two runs of a campaign side by side (twincert report --baseline OLD): what a vendor wants to
// know between twin releases — which cases newly fail, which were fixed, which requirements
// changed verdict and which cases got much slower or faster.
// The functions keep no shared state: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "twincert/harness/results_document.hpp"

namespace twincert::reports {

struct CaseChange {
  std::string id;
  std::string before;  // verdict in the baseline ("" when the case was not there)
  std::string after;   // verdict now ("" when the case is gone)
};

struct TimingChange {
  std::string id;
  double before_s = 0.0;
  double after_s = 0.0;
};

struct Comparison {
  std::vector<CaseChange> new_failures;         // passed (or absent) before, fail/error now
  std::vector<CaseChange> fixes;                // fail/error before, pass now
  std::vector<CaseChange> still_failing;        // fail/error in both
  std::vector<CaseChange> added;                // only now
  std::vector<CaseChange> removed;              // only before
  std::vector<CaseChange> requirement_changes;  // id = requirement, before/after its verdicts
  std::vector<TimingChange> timing;  // wall time changed by half or more and by a second or more
  bool regressed() const { return !new_failures.empty(); }
};

// Cases are matched by id.
Comparison compare_results(const harness::ResultsDocument& baseline,
                           const harness::ResultsDocument& current);

}  // namespace twincert::reports
