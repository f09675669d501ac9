#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "judging.hpp"
#include "kinds.hpp"

namespace twincert::rules::detail {

namespace {

// Resident memory growth after the warm-up: the median of the last three samples against the
// median of the first three (one sample alone is too noisy to call a leak).
void rss_growth(const Rule& rule, const Observations& o, RuleResult& r) {
  std::vector<const ProbeObservation*> samples;
  for (const auto& p : o.probes) {
    if (p.rss_bytes && p.t_s >= rule.after_s) samples.push_back(&p);
  }
  std::sort(samples.begin(), samples.end(),
            [](const auto* a, const auto* b) { return a->t_s < b->t_s; });
  if (samples.size() < 6) {
    r.message += "; growth not judged: " + std::to_string(samples.size()) +
                 " memory samples after t=" + fmt(rule.after_s) + " s (6 needed)";
    return;
  }
  const auto median3 = [](const ProbeObservation* a, const ProbeObservation* b,
                          const ProbeObservation* c) {
    std::array<double, 3> v{*a->rss_bytes, *b->rss_bytes, *c->rss_bytes};
    std::sort(v.begin(), v.end());
    return v[1];
  };
  const std::size_t n = samples.size();
  const double first = median3(samples[0], samples[1], samples[2]);
  const double last = median3(samples[n - 3], samples[n - 2], samples[n - 1]);
  const double growth = last - first;
  r.message += "; grew " + fmt(growth) + " bytes from t=" + fmt(samples[1]->t_s) + " to " +
               fmt(samples[n - 2]->t_s) + " s (limit " + fmt(rule.max_rss_growth_bytes) + ")";
  if (growth > rule.max_rss_growth_bytes) {
    r.verdict = Verdict::kFail;
    add_evidence(r, {samples[n - 2]->t_s,
                     "resident memory growing at most " + fmt(rule.max_rss_growth_bytes) +
                         " bytes after t=" + fmt(rule.after_s) + " s",
                     fmt(first) + " -> " + fmt(last) + " bytes"});
  }
}
}  // namespace

RuleResult judge_resources(const Rule& rule, const Truth& /*truth*/, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t relevant = 0;
  std::size_t bad = 0;
  double worst = 0.0;
  for (const auto& p : o.probes) {
    if (!p.rss_bytes) continue;
    ++relevant;
    worst = std::max(worst, *p.rss_bytes);
    if (*p.rss_bytes <= rule.max_rss_bytes) continue;
    ++bad;
    add_evidence(r, {p.t_s, "resident memory <= " + fmt(rule.max_rss_bytes) + " bytes",
                     fmt(*p.rss_bytes) + " bytes"});
  }
  if (relevant == 0) {
    r.verdict = Verdict::kInconclusive;
    r.message = "no memory samples (observe.process)";
    return r;
  }
  r.verdict = bad == 0 ? Verdict::kPass : Verdict::kFail;
  r.message =
      "peak resident memory " + fmt(worst) + " bytes (limit " + fmt(rule.max_rss_bytes) + ")";
  if (rule.max_rss_growth_bytes > 0.0) rss_growth(rule, o, r);
  return r;
}

}  // namespace twincert::rules::detail
