#include <algorithm>
#include <cstddef>
#include <string>

#include "judging.hpp"
#include "kinds.hpp"

namespace twincert::rules::detail {

namespace {

bool is_input_condition(const std::string& c) {
  return c == "input_lost" || c == "input_invalid" || c == "input_frozen" ||
         c == "time_inconsistent" || c == "position_jump";
}

// Is the alert explained by the truth? Its own expectation, or a blackout for input alerts.
bool caused(const AlertObservation& a, const Truth& truth, double grace) {
  return std::any_of(truth.expectations.begin(), truth.expectations.end(),
                     [&](const Expectation& e) {
                       const bool span = a.t_s >= e.from_s - grace && a.t_s <= e.until_s + grace;
                       if (!span) return false;
                       if (e.condition == a.condition && e.subject == a.subject) return true;
                       return e.condition == "blackout" && is_input_condition(a.condition);
                     });
}

}  // namespace

RuleResult judge_no_false_alarm(const Rule& rule, const Truth& truth, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t raised = 0;
  std::size_t unexplained = 0;
  for (const auto& a : o.alerts) {
    if (a.change != AlertChange::kRaised || !applies(rule, a.condition)) continue;
    ++raised;
    if (caused(a, truth, rule.grace_s)) continue;
    ++unexplained;
    add_evidence(r, {a.t_s, "no alert (nothing in the truth causes it)",
                     key_text(a.condition, a.subject) + " raised"});
  }
  if (unexplained == 0) {
    r.verdict = Verdict::kPass;
    r.message = std::to_string(raised) + " alerts raised, each with a cause in the truth";
  } else {
    r.verdict = Verdict::kFail;
    r.message = std::to_string(unexplained) + " false alarms among " + std::to_string(raised) +
                " alerts raised";
  }
  return r;
}

}  // namespace twincert::rules::detail
