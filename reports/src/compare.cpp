#include "twincert/reports/compare.hpp"

#include <cmath>
#include <map>

namespace twincert::reports {

namespace {

struct CaseSeen {
  std::string verdict;
  double wall_s = 0.0;
};

std::map<std::string, CaseSeen> cases_of(const harness::ResultsDocument& results) {
  std::map<std::string, CaseSeen> out;
  for (const auto& c : results.cases) {
    if (!c.spec.id.empty()) out[c.spec.id] = {harness::case_verdict(c), c.wall_s};
  }
  return out;
}

std::map<std::string, std::string> requirement_verdicts(const harness::ResultsDocument& results) {
  std::map<std::string, std::string> out;
  for (const auto& r : results.requirements) out[r.id] = std::string(harness::name_of(r.verdict));
  return out;
}

bool failing(const std::string& verdict) {
  return verdict == "fail" || verdict == "error";
}

}  // namespace

Comparison compare_results(const harness::ResultsDocument& baseline,
                           const harness::ResultsDocument& current) {
  Comparison out;
  const auto before = cases_of(baseline);
  const auto after = cases_of(current);
  for (const auto& [id, now] : after) {
    const auto old = before.find(id);
    if (old == before.end()) {
      out.added.push_back({id, "", now.verdict});
      if (failing(now.verdict)) out.new_failures.push_back({id, "", now.verdict});
      continue;
    }
    const CaseChange change{id, old->second.verdict, now.verdict};
    if (failing(now.verdict) && !failing(old->second.verdict)) out.new_failures.push_back(change);
    if (!failing(now.verdict) && failing(old->second.verdict)) out.fixes.push_back(change);
    if (failing(now.verdict) && failing(old->second.verdict)) out.still_failing.push_back(change);
    const double a = old->second.wall_s;
    const double b = now.wall_s;
    if (std::abs(b - a) >= 1.0 && std::abs(b - a) >= 0.5 * std::min(a, b)) {
      out.timing.push_back({id, a, b});
    }
  }
  for (const auto& [id, old] : before) {
    if (!after.contains(id)) out.removed.push_back({id, old.verdict, ""});
  }
  const auto reqs_before = requirement_verdicts(baseline);
  for (const auto& [id, verdict] : requirement_verdicts(current)) {
    const auto old = reqs_before.find(id);
    const std::string was = old == reqs_before.end() ? "" : old->second;
    if (was != verdict) out.requirement_changes.push_back({id, was, verdict});
  }
  return out;
}

}  // namespace twincert::reports
