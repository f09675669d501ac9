// What the rule kinds share (private to the rules library): numbers in messages, the result a
// judgement starts from, evidence, alert changes by condition and subject, angles, and sensor
// health in the truth. Pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/rules/model.hpp"

namespace twincert::rules::detail {

// A number as messages and evidence show it (%.6g).
std::string fmt(double v);
// Whether the rule judges `condition` (a rule without conditions judges every one).
bool applies(const Rule& rule, const std::string& condition);
// The result of `rule` before it has judged anything.
RuleResult start(const Rule& rule);

// What a rule saw; the harness adds the frames around it.
struct Seen {
  double t_s;
  std::string expected;
  std::string observed;
};

// Adds the evidence unless the result holds kMaxEvidence pieces already.
void add_evidence(RuleResult& r, Seen e);
// "input_lost about HE0001".
std::string key_text(const std::string& condition, const std::string& subject);

// Alert changes for one (condition, subject), in time order.
std::vector<const AlertObservation*> changes_of(const Observations& o, const std::string& condition,
                                                const std::string& subject, AlertChange change);
// "raised at 12 s" for the first change at or after t - early_s, else "never raised".
std::string first_after(const std::vector<const AlertObservation*>& changes, double t,
                        double early_s, std::string_view what);
// Whether a change came between from - early_s and due.
bool changed_between(const std::vector<const AlertObservation*>& changes, double from,
                     double early_s, double due);
// The verdict of a rule that checks, one expected alert change after another, that the
// change came in time.
void conclude(RuleResult& r, std::size_t checked, std::size_t missed, std::string_view none,
              std::string_view noun, const std::string& done);

// a - b on the circle, in [-180, 180].
double angle_difference(double a, double b);
// Whether a sensor of kind `sensor` is not "ok" in the truth at t, or was until just before
// (a value reported just after a fault may predate its end).
bool sensor_unhealthy(const Truth& truth, const std::string& sensor, double t);

}  // namespace twincert::rules::detail
