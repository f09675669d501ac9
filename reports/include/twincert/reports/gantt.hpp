// A Gantt chart as a self-contained HTML page (inline SVG, like report.html): one row per
// resource (a lab rig), one bar per job (a case) between its start and end, with the
// resource's windows shaded behind. Used for the HIL plan (plan.html).
// The functions keep no shared state: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace twincert::reports {

struct GanttBar {
  std::string row;    // the resource: "bench-a"
  std::string label;  // drawn in the bar when it fits: the case id
  std::string title;  // the tooltip: why it is there
  std::int64_t from_unix_s = 0;
  std::int64_t to_unix_s = 0;
  bool emphasised = false;  // mandated or high risk: drawn darker
};

struct GanttPage {
  std::string title;                 // "HIL plan: default"
  std::vector<std::string> summary;  // lines above the chart
  std::vector<GanttBar> windows;     // rows' available time (drawn as background)
  std::vector<GanttBar> bars;
  std::vector<std::pair<std::string, std::string>> left_out;  // (case, reason) listed below
};

std::string gantt_html(const GanttPage& page);

}  // namespace twincert::reports
