// Judges observations of a twin against the truth, one rule at a time. Pure functions of their
// inputs: the same truth and observations always give the same verdict, so `twincert check`
// can re-judge saved observations offline. Thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "twincert/rules/model.hpp"

namespace twincert::rules {

RuleResult evaluate(const Rule& rule, const Truth& truth, const Observations& observations);
std::vector<RuleResult> evaluate_all(const std::vector<Rule>& rules, const Truth& truth,
                                     const Observations& observations);

std::string_view name_of(Verdict verdict) noexcept;
std::string_view name_of(RuleKind kind) noexcept;
// nullopt-like: false when `name` is no rule kind.
bool rule_kind_named(std::string_view name, RuleKind& kind) noexcept;

// The true value of `quantity` at t (linear between samples, on the circle for angles); NaN
// outside the series or when the quantity is unknown.
double truth_at(const TruthSeries& series, std::string_view quantity, double t_s, bool angle);

}  // namespace twincert::rules
