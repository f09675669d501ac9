// The rule kinds, one row each: the name rule files use and the function that judges a rule of
// that kind (rules/src/kinds/<name>.cpp). evaluate() dispatches through this table; a new kind is
// its enumerator in model.hpp, its file in kinds/ and its row here (docs/HACKING.md).
// Private to the rules library. Pure functions: thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "twincert/rules/model.hpp"

namespace twincert::rules::detail {

using Judge = RuleResult (*)(const Rule& rule, const Truth& truth, const Observations& o);

RuleResult judge_syntax(const Rule& rule, const Truth& truth, const Observations& o);
RuleResult judge_deadline(const Rule& rule, const Truth& truth, const Observations& o);
RuleResult judge_recovery(const Rule& rule, const Truth& truth, const Observations& o);
RuleResult judge_no_false_alarm(const Rule& rule, const Truth& truth, const Observations& o);
RuleResult judge_accuracy(const Rule& rule, const Truth& truth, const Observations& o);
RuleResult judge_heartbeat(const Rule& rule, const Truth& truth, const Observations& o);
RuleResult judge_liveness(const Rule& rule, const Truth& truth, const Observations& o);
RuleResult judge_resources(const Rule& rule, const Truth& truth, const Observations& o);
RuleResult judge_targets(const Rule& rule, const Truth& truth, const Observations& o);

struct KindRow {
  RuleKind kind;
  std::string_view name;
  Judge judge;
};

// In the order of RuleKind (checked below): the row of a kind is at its value.
inline constexpr std::array kKinds{
    KindRow{RuleKind::kSyntax, "syntax", &judge_syntax},
    KindRow{RuleKind::kDeadline, "deadline", &judge_deadline},
    KindRow{RuleKind::kRecovery, "recovery", &judge_recovery},
    KindRow{RuleKind::kNoFalseAlarm, "no_false_alarm", &judge_no_false_alarm},
    KindRow{RuleKind::kAccuracy, "accuracy", &judge_accuracy},
    KindRow{RuleKind::kHeartbeat, "heartbeat", &judge_heartbeat},
    KindRow{RuleKind::kLiveness, "liveness", &judge_liveness},
    KindRow{RuleKind::kResources, "resources", &judge_resources},
    KindRow{RuleKind::kTargets, "targets", &judge_targets},
};

constexpr bool rows_in_kind_order() {
  for (std::size_t i = 0; i < kKinds.size(); ++i) {
    if (static_cast<std::size_t>(kKinds.at(i).kind) != i) return false;
  }
  return true;
}
static_assert(rows_in_kind_order(), "kKinds: one row per RuleKind, in the enum's order");

}  // namespace twincert::rules::detail
