#include "judging.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <utility>

namespace twincert::rules::detail {

std::string fmt(double v) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.6g", v);
  return buffer.data();
}

bool applies(const Rule& rule, const std::string& condition) {
  return rule.conditions.empty() || std::find(rule.conditions.begin(), rule.conditions.end(),
                                              condition) != rule.conditions.end();
}

RuleResult start(const Rule& rule) {
  RuleResult r;
  r.rule_id = rule.id;
  r.requirements = rule.requirements;
  return r;
}

void add_evidence(RuleResult& r, Seen e) {
  if (r.evidence.size() >= kMaxEvidence) return;
  Evidence evidence;
  evidence.t_s = e.t_s;
  evidence.expected = std::move(e.expected);
  evidence.observed = std::move(e.observed);
  r.evidence.push_back(std::move(evidence));
}

std::string key_text(const std::string& condition, const std::string& subject) {
  return condition + " about " + subject;
}

// Alert changes for one (condition, subject), in time order.
std::vector<const AlertObservation*> changes_of(const Observations& o, const std::string& condition,
                                                const std::string& subject, AlertChange change) {
  std::vector<const AlertObservation*> out;
  for (const auto& a : o.alerts) {
    if (a.condition == condition && a.subject == subject && a.change == change) out.push_back(&a);
  }
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->t_s < b->t_s; });
  return out;
}

std::string first_after(const std::vector<const AlertObservation*>& changes, double t,
                        double early_s, std::string_view what) {
  for (const auto* c : changes) {
    if (c->t_s >= t - early_s) return std::string(what) + " at " + fmt(c->t_s) + " s";
  }
  return std::string("never ") + std::string(what);
}

bool changed_between(const std::vector<const AlertObservation*>& changes, double from,
                     double early_s, double due) {
  return std::any_of(changes.begin(), changes.end(),
                     [&](const auto* a) { return a->t_s >= from - early_s && a->t_s <= due; });
}

// The verdict of a rule that checks, one expected alert change after another, that the
// change came in time.
void conclude(RuleResult& r, std::size_t checked, std::size_t missed, std::string_view none,
              std::string_view noun, const std::string& done) {
  if (checked == 0) {
    r.verdict = Verdict::kInconclusive;
    r.message = std::string(none);
  } else if (missed == 0) {
    r.verdict = Verdict::kPass;
    r.message = std::to_string(checked) + " " + std::string(noun) + " " + done;
  } else {
    r.verdict = Verdict::kFail;
    r.message = std::to_string(missed) + " of " + std::to_string(checked) + " " +
                std::string(noun) + " not " + done;
  }
}

double angle_difference(double a, double b) {
  double d = std::fmod(a - b, 360.0);
  if (d > 180.0) d -= 360.0;
  if (d < -180.0) d += 360.0;
  return d;
}

constexpr double kAfterFaultS = 1.0;  // a value reported just after a fault may predate its end

bool sensor_unhealthy(const Truth& truth, const std::string& sensor, double t) {
  return std::any_of(truth.health.begin(), truth.health.end(), [&](const HealthSpan& h) {
    return h.sensor == sensor && h.status != "ok" && t >= h.from_s && t < h.to_s + kAfterFaultS;
  });
}

}  // namespace twincert::rules::detail
