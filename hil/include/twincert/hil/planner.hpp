// Which campaign cases go to hardware, where and when. Pure and deterministic: the same
// inventory, cases and budget give the same plan.
//
// Each case gets a risk score from the software results (failed, errored, flaky, never run in
// software, the first case of a fault class, mandated by the certifier). Cases are chosen by
// risk per rig-hour until the budget is spent, then scheduled: highest priority and risk first,
// each on the capable rig where it starts earliest, in the first gap of that rig's windows it
// fits in (short cases fill what long ones left at a window's end). A serial stream faster than
// its line (4800 baud = 480 characters/s) is flagged, not planned.
// Thread-safe (no shared state); the values are thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/hil/rigs.hpp"

namespace twincert::hil {

// How a case reaches the device under test.
struct Link {
  bool serial = false;  // false: the IEC 61162-450 network
  unsigned baud = 0;    // with serial: the line's rate
};
// "net450", "serial:4800"; throws ConfigError.
Link parse_link(const std::string& text);

struct HilCase {
  std::string id;
  std::vector<std::string> faults;  // "KIND:SOURCE@START+DURATION"
  double duration_s = 0.0;          // on the bench: the scenario's time, paced in real time
  double risk = 0.0;
  std::vector<std::string> risk_reasons;  // "failed in software", ...
  int priority = 0;                       // higher first; mandated cases are 1
  Link link;
  std::string device_model;       // empty: any device
  double peak_chars_per_s = 0.0;  // of its stream in the busiest second
};

// Whether the rig has the case's link (and its device, when the case names one).
bool capable(const Rig& rig, const HilCase& c);

struct SoftwareVerdict {
  std::string case_id;  // without a /rN repetition suffix
  std::string verdict;  // pass, fail, error
  bool flaky = false;
};

// Scores each case: failed +80, error +60, flaky +50, never run in software +20, first case
// of a fault class +15, mandated +1000 (and priority 1); every case at least 1.
void score_risk(std::vector<HilCase>& cases, const std::vector<SoftwareVerdict>& software,
                const std::vector<std::string>& mandated);

struct Assignment {
  std::string case_id;
  std::string rig;
  std::int64_t start_unix_s = 0;
  std::int64_t end_unix_s = 0;
  std::string reason;  // why it was chosen
};

struct LeftOut {
  std::string case_id;
  std::string reason;  // "over the budget (...)", "no rig has serial at 38400 baud", ...
};

struct Plan {
  std::vector<Assignment> assignments;  // by rig, then start
  std::vector<LeftOut> left_out;
  double budget_s = 0.0;
  double planned_s = 0.0;  // rig time the assignments take (setup included)
  std::int64_t start_unix_s = 0;
  double makespan_s = 0.0;     // from the start to the last end
  double lower_bound_s = 0.0;  // no plan of the chosen cases can be shorter
  double risk_covered = 0.0;
  double risk_total = 0.0;
};

struct PlanOptions {
  double budget_s = 40.0 * 3600.0;           // rig time
  double setup_s = 300.0;                    // per case: wiring check, device reset, health check
  std::optional<std::int64_t> start_unix_s;  // default: the earliest window
};

// Requires: rigs loaded by load_rigs (windows sorted). Never throws for cases that cannot be
// planned: they are left out with the reason.
Plan make_plan(const std::vector<HilCase>& cases, const std::vector<Rig>& rigs,
               const PlanOptions& options);

// plan.json (twincert.hil-plan/1, docs/formats/rigs.md).
nlohmann::json to_json(const Plan& plan);

}  // namespace twincert::hil
