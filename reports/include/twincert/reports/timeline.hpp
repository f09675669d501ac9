// A case's timeline for the HTML report: the true value of one quantity against what the twin
// reported, the fault spans, the alert conditions a correct twin must raise (with their
// deadlines), the alerts and heartbeats the twin gave, and the moments a rule failed. Loaded
// from the case folder (bundle/truth.jsonl, observations.jsonl) and drawn as inline SVG, so
// the report needs no script library and works offline.
// The functions keep no shared state: thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "twincert/harness/case_runner.hpp"
#include "twincert/harness/results_document.hpp"

namespace twincert::reports {

struct TimeSpan {
  double from_s = 0.0;
  double to_s = 0.0;
  std::string label;  // "dropout:HE0001@120+60", "input_lost HE0001"
};

struct TimeMark {
  double t_s = 0.0;
  std::string label;
};

struct Timeline {
  std::string quantity;  // "heading_deg"; empty when the case has no value to plot
  double duration_s = 0.0;
  std::vector<std::pair<double, double>> truth;     // (t, value), thinned for drawing
  std::vector<std::pair<double, double>> observed;  // (t, value) as the twin reported it
  std::vector<TimeSpan> faults;
  std::vector<TimeSpan> expected;   // conditions the truth says must be raised
  std::vector<TimeMark> deadlines;  // by when each expected condition must be raised/cleared
  std::vector<TimeMark> alerts;     // raised/cleared as observed
  std::vector<double> heartbeats;
  std::vector<TimeMark> failures;  // evidence of failed rules
  std::size_t skipped_lines = 0;   // lines of either file that were not what they should be
};

// `result` is the case's result; `definitions` the campaign's rule definitions (results.json
// "rules"), for quantities and deadlines. Missing files give an empty timeline: the report
// says so instead of failing.
Timeline load_timeline(const std::filesystem::path& case_dir, const harness::CaseResult& result,
                       const std::vector<harness::RuleDefinition>& definitions);

// The timeline as an <svg> element (class "timeline"), sized by its viewBox.
std::string timeline_svg(const Timeline& timeline);

}  // namespace twincert::reports
