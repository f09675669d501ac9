#include <cstddef>
#include <string>

#include "judging.hpp"
#include "kinds.hpp"

namespace twincert::rules::detail {

RuleResult judge_recovery(const Rule& rule, const Truth& truth, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t checked = 0;
  std::size_t missed = 0;
  for (const Expectation& e : truth.expectations) {
    // Only conditions that end early enough for the run to see the twin clear them.
    if (!applies(rule, e.condition) || e.until_s + rule.within_s > truth.duration_s) continue;
    if (changes_of(o, e.condition, e.subject, AlertChange::kRaised).empty()) {
      continue;  // never raised: the deadline rule's case
    }
    ++checked;
    const auto clears = changes_of(o, e.condition, e.subject, AlertChange::kCleared);
    const double due = e.until_s + rule.within_s;
    if (changed_between(clears, e.until_s, rule.early_s, due)) continue;
    ++missed;
    add_evidence(r, {e.until_s, key_text(e.condition, e.subject) + " cleared by " + fmt(due) + " s",
                     first_after(clears, e.until_s, rule.early_s, "cleared")});
  }
  conclude(r, checked, missed, "no raised alert whose cause ends within the run", "alerts",
           "cleared within " + fmt(rule.within_s) + " s of their cause");
  return r;
}

}  // namespace twincert::rules::detail
