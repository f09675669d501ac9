// Properties of the rules' judgement of silence (heartbeat) and of evidence (accuracy): what a
// correct twin shows never fails, what is missing never passes.
#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/rules/evaluate.hpp"

#include <rapidcheck.h>

namespace twincert::rules {
namespace {

Rule heartbeat_rule(double period_s, double fraction) {
  Rule r;
  r.id = "hb";
  r.kind = RuleKind::kHeartbeat;
  r.period_s = period_s;
  r.tolerance_s = 0.0;
  r.tolerance_fraction = fraction;
  return r;
}

// Heartbeats every period (jittered by at most a third of the allowance) from an offset within
// one period of the start, to within one period of the end: a correct twin passes; the same
// heartbeats stopped early, silent for longer than period and allowance at the end, fail.
RC_GTEST_PROP(HeartbeatRule, SilenceLongerThanAPeriodFailsWhereverItFalls, ()) {
  const double period = *rc::gen::inRange(1, 120);
  const double fraction = *rc::gen::inRange(5, 50) / 100.0;
  const double allowance = fraction * period;
  const int n = *rc::gen::inRange(2, 40);
  const double offset = *rc::gen::inRange(0, 100) / 100.0 * period;
  Observations o;
  for (int i = 0; i < n; ++i) {
    const double jitter = (*rc::gen::inRange(-100, 100) / 100.0) * allowance / 3.0;
    o.heartbeats_s.push_back(std::max(0.0, offset + i * period + jitter));
  }
  Truth truth;
  truth.duration_s = o.heartbeats_s.back() + *rc::gen::inRange(0, 100) / 100.0 * period;
  const Rule rule = heartbeat_rule(period, fraction);
  const auto all = evaluate(rule, truth, o);
  RC_ASSERT(all.verdict == Verdict::kPass);

  const auto kept = static_cast<std::size_t>(*rc::gen::inRange(1, n));
  o.heartbeats_s.resize(kept);
  const double silence = truth.duration_s - o.heartbeats_s.back();
  RC_PRE(std::fabs(silence - (period + allowance)) > 1e-6);  // not on the edge's rounding
  const auto stopped = evaluate(rule, truth, o);
  RC_ASSERT((stopped.verdict == Verdict::kFail) == (silence > period + allowance));
}

// The truth of a turning ship over `seconds`, and a correct twin's heading a second.
Truth turning_truth(int seconds) {
  Truth t;
  t.duration_s = seconds;
  for (int s = 0; s <= seconds; ++s) {
    t.state.t_s.push_back(s);
    t.state.values["heading_deg"].push_back(std::fmod(10.0 + 0.5 * s, 360.0));
  }
  return t;
}

// Any subset of a correct twin's values but none: never a fail; a pass only with the count and the
// coverage the rule asks for; the coverage a share of the truth.
RC_GTEST_PROP(AccuracyRule, TooLittleEvidenceIsInconclusiveNeverAPassOrAFail, ()) {
  const int seconds = *rc::gen::inRange(2, 300);
  const Truth truth = turning_truth(seconds);
  Rule rule;
  rule.id = "acc";
  rule.kind = RuleKind::kAccuracy;
  rule.quantity = "heading_deg";
  rule.angle = true;
  rule.tolerance = 0.5;
  rule.min_values_per_s = *rc::gen::inRange(0, 150) / 100.0;
  rule.min_coverage = *rc::gen::inRange(0, 100) / 100.0;
  Observations o;
  for (int s = 0; s < seconds; ++s) {
    if (*rc::gen::inRange(0, 100) < 30) continue;  // not observed this second
    const double t = s + *rc::gen::inRange(0, 99) / 100.0;
    o.values.push_back({t, "heading_deg", truth_at(truth.state, "heading_deg", t, true)});
  }
  const auto r = evaluate(rule, truth, o);
  if (o.values.empty()) {
    RC_ASSERT(r.verdict == Verdict::kFail);  // the twin reported nothing at all
    return;
  }
  RC_ASSERT(r.verdict != Verdict::kFail);
  RC_ASSERT(r.coverage.has_value());
  const Coverage& c = *r.coverage;
  RC_ASSERT(c.values == o.values.size());
  RC_ASSERT(c.truth_s == static_cast<double>(seconds));
  RC_ASSERT(c.fraction() >= 0.0 && c.fraction() <= 1.0);
  const bool enough = c.values >= c.needed_values && c.fraction() >= rule.min_coverage;
  RC_ASSERT((r.verdict == Verdict::kPass) == enough);
}

}  // namespace
}  // namespace twincert::rules
