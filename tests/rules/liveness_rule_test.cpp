// The liveness rule with only the twin's process sampled (no API probe configured): it says so
// and judges nothing of the API, instead of "no probe observations".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/rules/evaluate.hpp"

namespace twincert::rules {
namespace {

using ::testing::HasSubstr;

TEST(LivenessRuleTest, OnlyProcessSamplesSayThereIsNoApiProbe) {
  Rule rule;
  rule.id = "api-liveness";
  rule.kind = RuleKind::kLiveness;
  rule.max_latency_ms = 500;
  Observations o;
  for (int i = 0; i < 4; ++i) {
    ProbeObservation p;
    p.kind = ProbeKind::kProcess;
    p.t_s = i;
    o.probes.push_back(p);
  }
  const auto r = evaluate(rule, Truth{}, o);
  EXPECT_EQ(r.verdict, Verdict::kInconclusive);
  EXPECT_THAT(r.message, HasSubstr("no API probes (the adapter has no observe.liveness)"));
  EXPECT_THAT(r.message, HasSubstr("running in all 4 samples"));
  o.probes[2].answered = false;  // the process gone: a failure whatever the API
  EXPECT_EQ(evaluate(rule, Truth{}, o).verdict, Verdict::kFail);
}

}  // namespace
}  // namespace twincert::rules
