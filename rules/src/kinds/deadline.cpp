#include <cstddef>
#include <string>

#include "judging.hpp"
#include "kinds.hpp"

namespace twincert::rules::detail {

namespace {

// When a condition starts during a blackout the twin cannot know of it before the inputs
// return: its deadline starts at the blackout's end, plus the time a source needs to repeat
// itself (an ALC list every 30 s).
double deadline_start(const Expectation& e, const Truth& truth, double after_blackout_s) {
  if (e.condition == "blackout") return e.from_s;
  for (const Expectation& b : truth.expectations) {
    if (b.condition == "blackout" && e.from_s >= b.from_s && e.from_s < b.until_s) {
      return b.until_s + after_blackout_s;
    }
  }
  return e.from_s;
}

}  // namespace

RuleResult judge_deadline(const Rule& rule, const Truth& truth, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t checked = 0;
  std::size_t missed = 0;
  for (const Expectation& e : truth.expectations) {
    if (!applies(rule, e.condition)) continue;
    ++checked;
    const auto raises = changes_of(o, e.condition, e.subject, AlertChange::kRaised);
    const double due = deadline_start(e, truth, rule.after_blackout_s) + rule.within_s;
    if (changed_between(raises, e.from_s, rule.early_s, due)) continue;
    ++missed;
    add_evidence(r, {e.from_s, key_text(e.condition, e.subject) + " raised by " + fmt(due) + " s",
                     first_after(raises, e.from_s, rule.early_s, "raised")});
  }
  conclude(r, checked, missed, "the truth expects none of this rule's conditions",
           "expected alerts", "raised within " + fmt(rule.within_s) + " s");
  return r;
}

}  // namespace twincert::rules::detail
