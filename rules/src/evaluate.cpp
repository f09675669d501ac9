#include "twincert/rules/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string_view>
#include <vector>

#include "judging.hpp"
#include "kinds.hpp"

namespace twincert::rules {

double truth_at(const TruthSeries& series, std::string_view quantity, double t, bool angle) {
  const auto it = series.values.find(quantity);
  if (it == series.values.end() || series.t_s.empty()) return NAN;
  const auto& v = it->second;
  const auto upper = std::lower_bound(series.t_s.begin(), series.t_s.end(), t);
  if (upper == series.t_s.end()) return t - series.t_s.back() <= 1.0 ? v.back() : NAN;
  const auto i = static_cast<std::size_t>(upper - series.t_s.begin());
  if (i == 0) return series.t_s.front() - t <= 1.0 ? v.front() : NAN;
  const double t0 = series.t_s[i - 1];
  const double t1 = series.t_s[i];
  const double f = t1 > t0 ? (t - t0) / (t1 - t0) : 0.0;
  if (!angle) return v[i - 1] + f * (v[i] - v[i - 1]);
  const double value = v[i - 1] + f * detail::angle_difference(v[i], v[i - 1]);
  return std::fmod(value + 360.0, 360.0);
}

std::string_view name_of(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFail:
      return "fail";
    case Verdict::kInconclusive:
      return "inconclusive";
    case Verdict::kError:
      return "error";
  }
  return "error";
}

std::string_view name_of(RuleKind kind) noexcept {
  return detail::kKinds.at(static_cast<std::size_t>(kind)).name;
}

bool rule_kind_named(std::string_view name, RuleKind& kind) noexcept {
  for (const auto& row : detail::kKinds) {
    if (row.name == name) {
      kind = row.kind;
      return true;
    }
  }
  return false;
}

RuleResult evaluate(const Rule& rule, const Truth& truth, const Observations& observations) {
  const auto kind = static_cast<std::size_t>(rule.kind);
  if (kind < detail::kKinds.size()) return detail::kKinds.at(kind).judge(rule, truth, observations);
  RuleResult r = detail::start(rule);
  r.verdict = Verdict::kError;
  r.message = "unknown rule kind";
  return r;
}

std::vector<RuleResult> evaluate_all(const std::vector<Rule>& rules, const Truth& truth,
                                     const Observations& observations) {
  std::vector<RuleResult> out;
  out.reserve(rules.size());
  for (const Rule& rule : rules) out.push_back(evaluate(rule, truth, observations));
  return out;
}

}  // namespace twincert::rules
