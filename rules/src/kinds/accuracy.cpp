#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "twincert/rules/evaluate.hpp"

#include "judging.hpp"
#include "kinds.hpp"

namespace twincert::rules::detail {

namespace {

std::string percent(double fraction) {
  return fmt(std::round(1000.0 * fraction) / 10.0) + " %";
}

// The truth's seconds a rule can judge and which of them it judged: the 1 s intervals between
// truth samples where the truth has the quantity (and, with a sensor, that sensor is healthy),
// those of them in which the quantity changes, and those holding at least one judged value.
struct Seconds {
  std::vector<bool> judgeable;
  std::vector<bool> judged;
  std::size_t changing = 0;

  std::size_t count(const std::vector<bool>& which) const {
    std::size_t n = 0;
    for (std::size_t k = 0; k < which.size(); ++k) n += which[k] && judgeable[k] ? 1U : 0U;
    return n;
  }
};

Seconds truth_seconds(const Rule& rule, const Truth& truth) {
  Seconds s;
  const auto& t = truth.state.t_s;
  const auto it = truth.state.values.find(rule.quantity);
  if (it == truth.state.values.end() || t.size() < 2) return s;
  const auto& v = it->second;
  s.judgeable.assign(t.size() - 1, false);
  s.judged.assign(t.size() - 1, false);
  for (std::size_t k = 0; k + 1 < t.size(); ++k) {
    const double middle = 0.5 * (t[k] + t[k + 1]);
    if (!rule.sensor.empty() && sensor_unhealthy(truth, rule.sensor, middle)) continue;
    s.judgeable[k] = true;
    const double change = rule.angle ? angle_difference(v[k + 1], v[k]) : v[k + 1] - v[k];
    if (change != 0.0) ++s.changing;
  }
  return s;
}

// Marks the truth second that holds t as judged.
void mark_judged(const TruthSeries& series, double t, Seconds& s) {
  if (s.judged.empty()) return;
  const auto upper = std::upper_bound(series.t_s.begin(), series.t_s.end(), t);
  const auto i = static_cast<std::size_t>(upper - series.t_s.begin());
  s.judged[std::min(i == 0 ? 0 : i - 1, s.judged.size() - 1)] = true;
}

// Enough to pass? A pass needs `min_values_per_s` values per second in which the truth changes
// (one at least) and `min_coverage` of the judgeable seconds holding a value; else it is
// inconclusive, saying what was missing. A fail needs no minimum: a wrong value is evidence.
void require_evidence(const Rule& rule, std::size_t compared, const Seconds& seconds,
                      RuleResult& r) {
  const std::size_t truth_s = seconds.count(seconds.judgeable);
  const std::size_t judged_s = seconds.count(seconds.judged);
  const double coverage =
      truth_s == 0 ? 0.0 : static_cast<double>(judged_s) / static_cast<double>(truth_s);
  const auto needed = std::max<std::size_t>(
      1, static_cast<std::size_t>(
             std::ceil(rule.min_values_per_s * static_cast<double>(seconds.changing) - 1e-9)));
  r.coverage =
      Coverage{compared, needed, static_cast<double>(judged_s), static_cast<double>(truth_s), 0};
  r.message += "; coverage " + percent(coverage) + " (" + std::to_string(judged_s) + " of " +
               std::to_string(truth_s) + " s of truth judged)";
  if (r.verdict != Verdict::kPass) return;
  std::string missing;
  if (compared < needed) {
    missing = std::to_string(compared) + " values where " + std::to_string(needed) +
              " are needed (" + fmt(rule.min_values_per_s) + " a second of the " +
              std::to_string(seconds.changing) + " s in which the truth changes)";
  }
  if (coverage < rule.min_coverage) {
    if (!missing.empty()) missing += ", and ";
    missing +=
        "coverage " + percent(coverage) + " where " + percent(rule.min_coverage) + " is needed";
  }
  if (missing.empty()) return;
  r.verdict = Verdict::kInconclusive;
  r.message = "too little evidence to pass: " + missing + "; " + r.message;
}

}  // namespace

RuleResult judge_accuracy(const Rule& rule, const Truth& truth, const Observations& o) {
  RuleResult r = start(rule);
  if (!truth.state.values.contains(rule.quantity)) {
    r.verdict = Verdict::kInconclusive;
    r.message = "the truth has no " + rule.quantity;
    return r;
  }
  std::size_t compared = 0;
  std::size_t within = 0;
  std::size_t skipped = 0;
  std::size_t outside = 0;  // stamped more than 1 s outside the truth's time line
  double outside_first = 0.0;
  double outside_last = 0.0;
  Seconds seconds = truth_seconds(rule, truth);
  for (const auto& v : o.values) {
    if (v.name != rule.quantity) continue;
    if (!rule.sensor.empty() && sensor_unhealthy(truth, rule.sensor, v.t_s)) {
      ++skipped;
      continue;
    }
    const double expected = truth_at(truth.state, rule.quantity, v.t_s, rule.angle);
    if (std::isnan(expected)) {
      if (outside == 0 || v.t_s < outside_first) outside_first = v.t_s;
      if (outside == 0 || v.t_s > outside_last) outside_last = v.t_s;
      ++outside;
      continue;
    }
    ++compared;
    mark_judged(truth.state, v.t_s, seconds);
    const double error = rule.angle ? angle_difference(v.value, expected) : v.value - expected;
    if (std::fabs(error) <= rule.tolerance) {
      ++within;
    } else {
      add_evidence(r, {v.t_s, rule.quantity + " = " + fmt(expected) + " +- " + fmt(rule.tolerance),
                       rule.quantity + " = " + fmt(v.value)});
    }
  }
  std::string outside_text;
  if (outside > 0 && !truth.state.t_s.empty()) {
    outside_text = std::to_string(outside) + " " + rule.quantity +
                   " values not judged: stamped outside the scenario's time line (" +
                   fmt(truth.state.t_s.front()) + " to " + fmt(truth.state.t_s.back()) +
                   " s, 1 s either side), at " + fmt(outside_first) + " to " + fmt(outside_last) +
                   " s: a time base off?";
  }
  if (compared == 0 && skipped > 0 && outside == 0) {
    r.verdict = Verdict::kInconclusive;
    r.message =
        "every " + rule.quantity + " value fell while the " + rule.sensor + " was not healthy";
    return r;
  }
  if (compared == 0) {
    // Values the twin stamped off the time line are not "nothing": say so, judge nothing.
    r.verdict = outside > 0 ? Verdict::kInconclusive : Verdict::kFail;
    r.message = outside > 0 ? "no " + rule.quantity + " value to judge: " + outside_text
                            : "the twin reported no " + rule.quantity + " while the truth has it";
    r.coverage =
        Coverage{0, 0, 0.0, static_cast<double>(seconds.count(seconds.judgeable)), outside};
    return r;
  }
  const double fraction = static_cast<double>(within) / static_cast<double>(compared);
  r.verdict = fraction >= rule.min_fraction ? Verdict::kPass : Verdict::kFail;
  r.message = std::to_string(within) + " of " + std::to_string(compared) + " " + rule.quantity +
              " values within " + fmt(rule.tolerance) + " (" + fmt(100.0 * fraction) +
              " %, at least " + fmt(100.0 * rule.min_fraction) + " % required)";
  require_evidence(rule, compared, seconds, r);
  r.coverage->outside_span = outside;
  if (skipped > 0) {
    r.message +=
        "; " + std::to_string(skipped) + " not compared while the " + rule.sensor + " was faulty";
  }
  if (outside > 0) r.message += "; " + outside_text;
  if (r.verdict != Verdict::kFail) r.evidence.clear();
  return r;
}

}  // namespace twincert::rules::detail
