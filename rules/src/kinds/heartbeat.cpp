#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "twincert/protocols/nmea0183/sentences/hbt.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

#include "judging.hpp"
#include "kinds.hpp"

namespace twincert::rules::detail {

namespace {

// The period each HBT announced (IEC 61162-1 HBT field 1), with its time; NaN where the field
// was null. From the sentences the twin emitted, in time order.
std::vector<std::pair<double, double>> announced_periods(const Observations& o) {
  std::vector<std::pair<double, double>> out;
  for (const auto& s : o.sentences) {
    const std::string line = s.text + "\r\n";
    const auto parsed = nmea0183::parse_tagged_sentence(line, nmea0183::Mode::kLenient);
    if (!parsed || parsed->sentence.formatter() != nmea0183::Hbt::kFormatter) continue;
    const auto hbt = nmea0183::decode<nmea0183::Hbt>(parsed->sentence);
    out.emplace_back(s.t_s, hbt && hbt->interval_s ? hbt->interval_s->value() : NAN);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

// The period a heartbeat at t opens: what the last HBT up to t announced (the first one's for
// a heartbeat before any), or period_s when the rule takes no announcement or none was made.
struct Periods {
  const Rule& rule;
  std::vector<std::pair<double, double>> announced;

  double at(double t) const {
    if (!rule.period_announced || announced.empty()) return rule.period_s;
    const auto after = std::upper_bound(announced.begin(), announced.end(), t,
                                        [](double at, const auto& a) { return at < a.first; });
    const double p = after == announced.begin() ? after->second : (after - 1)->second;
    return std::isnan(p) ? rule.period_s : p;
  }
  double allowed(double period) const {
    return rule.tolerance_s + rule.tolerance_fraction * period;
  }
  std::string text(double period) const {
    return fmt(period) + " +- " + fmt(allowed(period)) + " s";
  }
};

}  // namespace

RuleResult judge_heartbeat(const Rule& rule, const Truth& truth, const Observations& o) {
  RuleResult r = start(rule);
  std::vector<double> t = o.heartbeats_s;
  std::sort(t.begin(), t.end());
  const Periods periods{rule, rule.period_announced ? announced_periods(o)
                                                    : std::vector<std::pair<double, double>>{}};
  // Observation runs from the scenario's start to its end; silence at either end counts.
  constexpr double kStart = 0.0;
  const double end = std::max(truth.duration_s, t.empty() ? 0.0 : t.back());
  const std::string source = rule.period_announced && periods.announced.empty()
                                 ? " (no HBT text seen: period_s " + fmt(rule.period_s) + " s)"
                                 : "";
  if (t.empty()) {
    const double p = periods.at(kStart);
    const bool overdue = end - kStart > p + periods.allowed(p);
    r.verdict = overdue ? Verdict::kFail : Verdict::kInconclusive;
    r.message = "no heartbeat in a " + fmt(end - kStart) + " s case (one due every " +
                periods.text(p) + ")" + source;
    if (overdue) {
      add_evidence(r, {kStart + p + periods.allowed(p),
                       "a heartbeat by " + fmt(kStart + p + periods.allowed(p)) + " s",
                       "none by the end at " + fmt(end) + " s"});
    }
    return r;
  }
  std::size_t off = 0;
  const double first_due = kStart + periods.at(t.front()) + periods.allowed(periods.at(t.front()));
  if (t.front() > first_due) {
    ++off;
    add_evidence(r, {first_due, "the first heartbeat by " + fmt(first_due) + " s",
                     "first at " + fmt(t.front()) + " s"});
  }
  std::size_t intervals_off = 0;
  for (std::size_t i = 1; i < t.size(); ++i) {
    const double interval = t[i] - t[i - 1];
    const double p = periods.at(t[i - 1]);
    if (std::fabs(interval - p) <= periods.allowed(p)) continue;
    ++intervals_off;
    add_evidence(r, {t[i], "heartbeat " + periods.text(p) + " after the last",
                     "after " + fmt(interval) + " s"});
  }
  off += intervals_off;
  const double last_p = periods.at(t.back());
  const double last_due = t.back() + last_p + periods.allowed(last_p);
  const double silence = end - t.back();
  if (end > last_due) {
    ++off;
    add_evidence(
        r, {last_due,
            "heartbeat " + periods.text(last_p) + " after the last at " + fmt(t.back()) + " s",
            "none until the end at " + fmt(end) + " s (silent " + fmt(silence) + " s)"});
  }
  const std::size_t intervals = t.size() - 1;
  r.message = std::to_string(intervals - intervals_off) + " of " + std::to_string(intervals) +
              " heartbeat intervals within " +
              (rule.period_announced && !periods.announced.empty()
                   ? "the announced period (last " + periods.text(last_p) + ")"
                   : periods.text(last_p)) +
              "; first at " + fmt(t.front()) + " s, last at " + fmt(t.back()) + " s of " +
              fmt(end) + " s" + source;
  if (t.front() > first_due) r.message += "; silent " + fmt(t.front() - kStart) + " s at the start";
  if (end > last_due) r.message += "; silent " + fmt(silence) + " s after the last";
  if (off > 0) {
    r.verdict = Verdict::kFail;
  } else if (intervals == 0) {
    r.verdict = Verdict::kInconclusive;
    r.message = "1 heartbeat in a " + fmt(end - kStart) +
                " s case: no interval to judge a period of " + periods.text(last_p) + source;
  } else {
    r.verdict = Verdict::kPass;
  }
  return r;
}

}  // namespace twincert::rules::detail
