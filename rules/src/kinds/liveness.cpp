#include <algorithm>
#include <cstddef>
#include <string>

#include "judging.hpp"
#include "kinds.hpp"

namespace twincert::rules::detail {

RuleResult judge_liveness(const Rule& rule, const Truth& /*truth*/, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t relevant = 0;
  std::size_t bad = 0;
  for (const auto& p : o.probes) {
    if (p.kind == ProbeKind::kProcess) {
      if (p.answered) continue;  // a running process says nothing about the API
      ++relevant;
      ++bad;
      add_evidence(r, {p.t_s, "the twin's process running", "not running"});
      continue;
    }
    ++relevant;
    if (p.answered && p.latency_ms <= rule.max_latency_ms) continue;
    ++bad;
    add_evidence(r, {p.t_s, "an answer within " + fmt(rule.max_latency_ms) + " ms",
                     p.answered ? "answered after " + fmt(p.latency_ms) + " ms" : "no answer"});
  }
  if (relevant == 0) {
    r.verdict = Verdict::kInconclusive;
    const auto running = static_cast<std::size_t>(
        std::count_if(o.probes.begin(), o.probes.end(),
                      [](const ProbeObservation& p) { return p.kind == ProbeKind::kProcess; }));
    if (running > 0) {
      r.message =
          "no API probes (the adapter has no observe.liveness); the process was running "
          "in all " +
          std::to_string(running) + " samples, which says nothing of its API";
    } else {
      r.message = "no probe observations";
    }
    return r;
  }
  r.verdict = bad == 0 ? Verdict::kPass : Verdict::kFail;
  r.message = std::to_string(relevant - bad) + " of " + std::to_string(relevant) +
              " probes answered within " + fmt(rule.max_latency_ms) + " ms";
  return r;
}

}  // namespace twincert::rules::detail
