#include "twincert/rules/evaluate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/sentences/hbt.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

namespace twincert::rules {

namespace {

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

// What a rule saw; the harness adds the frames around it.
struct Seen {
  double t_s;
  std::string expected;
  std::string observed;
};

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

// When a condition starts during a blackout the twin cannot know of it before the inputs
// return: its deadline starts at the blackout's end, plus the time a source needs to repeat
// itself (an ALC list every 30 s).
double deadline_start(const Expectation& e, const Truth& truth, double after_blackout_s) {
  if (e.condition == "blackout") return e.from_s;
  for (const Expectation& b : truth.expectations) {
    if (b.condition == "blackout" && e.from_s >= b.from_s && e.from_s < b.until_s) {
      return b.until_s + after_blackout_s;
    }
  }
  return e.from_s;
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

RuleResult deadline(const Rule& rule, const Truth& truth, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t checked = 0;
  std::size_t missed = 0;
  for (const Expectation& e : truth.expectations) {
    if (!applies(rule, e.condition)) continue;
    ++checked;
    const auto raises = changes_of(o, e.condition, e.subject, AlertChange::kRaised);
    const double due = deadline_start(e, truth, rule.after_blackout_s) + rule.within_s;
    if (changed_between(raises, e.from_s, rule.early_s, due)) continue;
    ++missed;
    add_evidence(r, {e.from_s, key_text(e.condition, e.subject) + " raised by " + fmt(due) + " s",
                     first_after(raises, e.from_s, rule.early_s, "raised")});
  }
  conclude(r, checked, missed, "the truth expects none of this rule's conditions",
           "expected alerts", "raised within " + fmt(rule.within_s) + " s");
  return r;
}

RuleResult recovery(const Rule& rule, const Truth& truth, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t checked = 0;
  std::size_t missed = 0;
  for (const Expectation& e : truth.expectations) {
    // Only conditions that end early enough for the run to see the twin clear them.
    if (!applies(rule, e.condition) || e.until_s + rule.within_s > truth.duration_s) continue;
    if (changes_of(o, e.condition, e.subject, AlertChange::kRaised).empty()) {
      continue;  // never raised: the deadline rule's case
    }
    ++checked;
    const auto clears = changes_of(o, e.condition, e.subject, AlertChange::kCleared);
    const double due = e.until_s + rule.within_s;
    if (changed_between(clears, e.until_s, rule.early_s, due)) continue;
    ++missed;
    add_evidence(r, {e.until_s, key_text(e.condition, e.subject) + " cleared by " + fmt(due) + " s",
                     first_after(clears, e.until_s, rule.early_s, "cleared")});
  }
  conclude(r, checked, missed, "no raised alert whose cause ends within the run", "alerts",
           "cleared within " + fmt(rule.within_s) + " s of their cause");
  return r;
}

bool is_input_condition(const std::string& c) {
  return c == "input_lost" || c == "input_invalid" || c == "input_frozen" ||
         c == "time_inconsistent" || c == "position_jump";
}

// Is the alert explained by the truth? Its own expectation, or a blackout for input alerts.
bool caused(const AlertObservation& a, const Truth& truth, double grace) {
  return std::any_of(truth.expectations.begin(), truth.expectations.end(),
                     [&](const Expectation& e) {
                       const bool span = a.t_s >= e.from_s - grace && a.t_s <= e.until_s + grace;
                       if (!span) return false;
                       if (e.condition == a.condition && e.subject == a.subject) return true;
                       return e.condition == "blackout" && is_input_condition(a.condition);
                     });
}

RuleResult no_false_alarm(const Rule& rule, const Truth& truth, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t raised = 0;
  std::size_t unexplained = 0;
  for (const auto& a : o.alerts) {
    if (a.change != AlertChange::kRaised || !applies(rule, a.condition)) continue;
    ++raised;
    if (caused(a, truth, rule.grace_s)) continue;
    ++unexplained;
    add_evidence(r, {a.t_s, "no alert (nothing in the truth causes it)",
                     key_text(a.condition, a.subject) + " raised"});
  }
  if (unexplained == 0) {
    r.verdict = Verdict::kPass;
    r.message = std::to_string(raised) + " alerts raised, each with a cause in the truth";
  } else {
    r.verdict = Verdict::kFail;
    r.message = std::to_string(unexplained) + " false alarms among " + std::to_string(raised) +
                " alerts raised";
  }
  return r;
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

RuleResult accuracy(const Rule& rule, const Truth& truth, const Observations& o) {
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

RuleResult heartbeat(const Rule& rule, const Truth& truth, const Observations& o) {
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

// What is wrong with one 450 datagram the twin emitted (empty: nothing): IEC 61162-450 strict
// (token, size, a tag block with s: and n: before every sentence, CR LF), and each source's
// line count going on by one from its last line, in this datagram or an earlier one.
std::string datagram_problem(const DatagramObservation& d,
                             std::map<std::string, std::int64_t>& line_counts) {
  if (d.size > d.bytes.size()) {
    return "a datagram of " + std::to_string(d.size) + " bytes (at most " +
           std::to_string(iec61162_450::kMaxDatagramSize) + ")";
  }
  const auto parsed = iec61162_450::parse_datagram(d.bytes, nmea0183::Mode::kStrict);
  if (!parsed) return to_string(parsed.error(), d.bytes);
  std::string problem;
  for (const auto& line : parsed->lines) {
    if (!line.tag || !line.tag->source || !line.tag->line_count) continue;  // strict refused
    const std::string source(*line.tag->source);
    const std::int64_t n = *line.tag->line_count;
    const auto last = line_counts.find(source);
    if (last != line_counts.end() && n != iec61162_450::next_line_count(last->second) &&
        problem.empty()) {
      problem = "line count n:" + std::to_string(n) + " from " + source +
                " after n:" + std::to_string(last->second) +
                " (each line counts on by one, 999 then 1)";
    }
    line_counts[source] = n;
  }
  return problem;
}

// A datagram as evidence: printable, its NUL and CR LF shown.
std::string printable(std::string_view bytes) {
  std::string out;
  for (const char c : bytes.substr(0, 200)) {
    if (c == '\0') {
      out += "\\0";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < ' ' || c > '~') {
      out += '?';
    } else {
      out += c;
    }
  }
  if (bytes.size() > 200) out += "...";
  return out;
}

RuleResult syntax(const Rule& rule, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t bad = 0;
  for (const auto& s : o.sentences) {
    const std::string line = s.text + "\r\n";
    auto parsed = nmea0183::parse_tagged_sentence(line, nmea0183::Mode::kStrict);
    std::string problem;
    if (!parsed) {
      problem = to_string(parsed.error(), line);
    } else if (const auto* type = nmea0183::find_sentence_type(parsed->sentence.formatter());
               type != nullptr) {
      if (const auto ok = type->validate(parsed->sentence, nmea0183::Mode::kStrict, nullptr); !ok) {
        // Field offsets count from the sentence, not from the tag block before it.
        const std::string_view view(line);
        const auto close = view.starts_with('\\') ? view.find('\\', 1) : std::string_view::npos;
        problem =
            to_string(ok.error(), close == std::string_view::npos ? view : view.substr(close + 1));
      }
    }
    if (problem.empty()) continue;
    ++bad;
    add_evidence(r, {s.t_s, "strict IEC 61162-1", s.text + " : " + problem});
  }
  std::size_t bad_datagrams = 0;
  std::map<std::string, std::int64_t> line_counts;  // per source: the last n: seen
  for (const auto& d : o.datagrams) {
    const std::string problem = datagram_problem(d, line_counts);
    if (problem.empty()) continue;
    ++bad_datagrams;
    add_evidence(r, {d.t_s, "strict IEC 61162-450", printable(d.bytes) + " : " + problem});
  }
  if (o.sentences.empty() && o.datagrams.empty()) {
    r.verdict = Verdict::kInconclusive;
    r.message = "the twin emitted no sentences";
    return r;
  }
  r.verdict = bad == 0 && bad_datagrams == 0 ? Verdict::kPass : Verdict::kFail;
  r.message = std::to_string(o.sentences.size() - bad) + " of " +
              std::to_string(o.sentences.size()) + " sentences emitted are strict IEC 61162-1";
  if (!o.datagrams.empty()) {
    r.message += "; " + std::to_string(o.datagrams.size() - bad_datagrams) + " of " +
                 std::to_string(o.datagrams.size()) +
                 " datagrams strict IEC 61162-450 (header, tag blocks, line counts)";
  }
  return r;
}

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

RuleResult probes(const Rule& rule, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t relevant = 0;
  std::size_t bad = 0;
  double worst = 0.0;
  for (const auto& p : o.probes) {
    if (rule.kind == RuleKind::kLiveness) {
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
    } else if (p.rss_bytes) {
      ++relevant;
      worst = std::max(worst, *p.rss_bytes);
      if (*p.rss_bytes <= rule.max_rss_bytes) continue;
      ++bad;
      add_evidence(r, {p.t_s, "resident memory <= " + fmt(rule.max_rss_bytes) + " bytes",
                       fmt(*p.rss_bytes) + " bytes"});
    }
  }
  if (relevant == 0) {
    r.verdict = Verdict::kInconclusive;
    const auto running = static_cast<std::size_t>(
        std::count_if(o.probes.begin(), o.probes.end(),
                      [](const ProbeObservation& p) { return p.kind == ProbeKind::kProcess; }));
    if (rule.kind == RuleKind::kLiveness && running > 0) {
      r.message =
          "no API probes (the adapter has no observe.liveness); the process was running "
          "in all " +
          std::to_string(running) + " samples, which says nothing of its API";
    } else {
      r.message = rule.kind == RuleKind::kLiveness ? "no probe observations"
                                                   : "no memory samples (observe.process)";
    }
    return r;
  }
  r.verdict = bad == 0 ? Verdict::kPass : Verdict::kFail;
  r.message =
      rule.kind == RuleKind::kLiveness
          ? std::to_string(relevant - bad) + " of " + std::to_string(relevant) +
                " probes answered within " + fmt(rule.max_latency_ms) + " ms"
          : "peak resident memory " + fmt(worst) + " bytes (limit " + fmt(rule.max_rss_bytes) + ")";
  if (rule.kind == RuleKind::kResources && rule.max_rss_growth_bytes > 0.0) rss_growth(rule, o, r);
  return r;
}

// Metres between two nearby positions (flat earth around the first: well under 0.1 % off
// within the few kilometres a target moves between truth samples).
double distance_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kMetresPerDegree = 1852.0 * 60.0;
  constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;
  const double north = (lat2 - lat1) * kMetresPerDegree;
  const double east = (lon2 - lon1) * kMetresPerDegree * std::cos(lat1 * kRadiansPerDegree);
  return std::hypot(north, east);
}

// AIS names are upper case, padded with '@' or spaces: compare what is left.
std::string plain_name(std::string_view name) {
  while (!name.empty() && (name.back() == '@' || name.back() == ' ')) name.remove_suffix(1);
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  return std::string(name);
}

struct TargetTruth {
  std::vector<const TruthTarget*> track;  // in time
  std::string name;
};

// The target as the truth has it at t (linear between its records), nullopt beyond them.
std::optional<TruthTarget> true_target(const TargetTruth& truth, double t) {
  const auto& k = truth.track;
  const auto upper = std::lower_bound(k.begin(), k.end(), t,
                                      [](const TruthTarget* x, double at) { return x->t_s < at; });
  if (upper == k.end()) return std::nullopt;
  if (upper == k.begin()) {
    if ((*upper)->t_s - t > 1.0) return std::nullopt;
    return **upper;
  }
  const TruthTarget& a = **(upper - 1);
  const TruthTarget& b = **upper;
  const double f = b.t_s > a.t_s ? (t - a.t_s) / (b.t_s - a.t_s) : 0.0;
  TruthTarget at = a;
  at.t_s = t;
  at.lat += f * (b.lat - a.lat);
  at.lon += f * (b.lon - a.lon);
  at.cpa_nm += f * (b.cpa_nm - a.cpa_nm);
  at.tcpa_min += f * (b.tcpa_min - a.tcpa_min);
  return at;
}

struct Tally {
  std::size_t checked = 0;
  std::size_t within = 0;
  double fraction() const {
    return checked == 0 ? 1.0 : static_cast<double>(within) / static_cast<double>(checked);
  }
};

// CPA and TCPA as the twin had them, against the truth at the same moment; only for encounters
// that matter (closing to within encounter_cpa_nm in at most encounter_tcpa_min): far out, a
// degree of the own ship's noisy course over ground moves the CPA by more than any tolerance.
void judge_encounter(const Rule& rule, const Truth& truth, const TargetTruth& e,
                     const TargetObservation& x, const std::string& who, Tally& tally,
                     RuleResult& r) {
  if (!x.cpa_nm || !x.tcpa_min) return;
  // The own ship's position and motion come from its sensors: no twin knows them better
  // while those are faulty.
  if (!rule.sensor.empty() && sensor_unhealthy(truth, rule.sensor, x.encounter_t_s)) return;
  const auto expected = true_target(e, x.encounter_t_s);
  if (!expected || !(expected->tcpa_min > 0.0 && expected->tcpa_min <= rule.encounter_tcpa_min &&
                     expected->cpa_nm <= rule.encounter_cpa_nm)) {
    return;
  }
  ++tally.checked;
  const double cpa_error = std::fabs(*x.cpa_nm - expected->cpa_nm);
  const double tcpa_error = std::fabs(*x.tcpa_min - expected->tcpa_min);
  if (cpa_error <= rule.cpa_tolerance_nm && tcpa_error <= rule.tcpa_tolerance_min) {
    ++tally.within;
    return;
  }
  add_evidence(r, {x.encounter_t_s,
                   who + " CPA " + fmt(expected->cpa_nm) + " +- " + fmt(rule.cpa_tolerance_nm) +
                       " nm, TCPA " + fmt(expected->tcpa_min) + " +- " +
                       fmt(rule.tcpa_tolerance_min) + " min",
                   "CPA " + fmt(*x.cpa_nm) + " nm, TCPA " + fmt(*x.tcpa_min) + " min"});
}

struct TargetTallies {
  Tally listed;
  Tally named;
  Tally positions;
  Tally encounters;
};

// What the twin said of one target, judged on everything it said by the end: the harness polls
// the table now and then, and once more after the replay.
void judge_target(const Rule& rule, const Truth& truth, std::uint32_t mmsi, const TargetTruth& e,
                  const std::vector<const TargetObservation*>* seen, TargetTallies& tallies,
                  RuleResult& r) {
  const double first = e.track.front()->t_s;
  const double end = truth.duration_s;
  const std::string who = "target " + std::to_string(mmsi);
  if (first + rule.within_s <= end) {
    ++tallies.listed.checked;
    if (seen != nullptr) {
      ++tallies.listed.within;
    } else {
      add_evidence(r, {end, who + " listed (heard since t=" + fmt(first) + " s)", "never listed"});
    }
  }
  if (!e.name.empty() && first + rule.name_within_s <= end) {
    ++tallies.named.checked;
    std::string said;
    bool right = false;
    for (const auto* x : seen != nullptr ? *seen : std::vector<const TargetObservation*>{}) {
      if (!x->name) continue;
      said = plain_name(*x->name);
      right = right || said == e.name;
    }
    if (right) {
      ++tallies.named.within;
    } else {
      add_evidence(r, {end, who + R"( named ")" + e.name + '"',
                       said.empty() ? "no name" : R"(named ")" + said + '"'});
    }
  }
  if (seen == nullptr) return;
  for (const auto* x : *seen) {
    judge_encounter(rule, truth, e, *x, who, tallies.encounters, r);
    const auto at = x->lat && x->lon ? true_target(e, x->t_s) : std::nullopt;
    if (!at) continue;
    ++tallies.positions.checked;
    const double error = distance_m(at->lat, at->lon, *x->lat, *x->lon);
    if (error <= rule.tolerance) {
      ++tallies.positions.within;
    } else {
      add_evidence(r, {x->t_s,
                       who + " at " + fmt(at->lat) + ", " + fmt(at->lon) + " +- " +
                           fmt(rule.tolerance) + " m",
                       fmt(*x->lat) + ", " + fmt(*x->lon) + " (" + fmt(error) + " m off)"});
    }
  }
}

std::string of(const Tally& t) {
  return std::to_string(t.within) + " of " + std::to_string(t.checked);
}

RuleResult targets(const Rule& rule, const Truth& truth, const Observations& o) {
  RuleResult r = start(rule);
  std::map<std::uint32_t, TargetTruth> expected;
  for (const auto& t : truth.targets) {
    auto& e = expected[t.mmsi];
    e.track.push_back(&t);
    if (!t.name.empty()) e.name = plain_name(t.name);
  }
  if (expected.empty()) {
    r.verdict = Verdict::kInconclusive;
    r.message = "the truth has no AIS targets";
    return r;
  }
  std::map<std::uint32_t, std::vector<const TargetObservation*>> seen;
  for (const auto& t : o.targets) seen[t.mmsi].push_back(&t);
  TargetTallies tallies;
  for (auto& [mmsi, e] : expected) {
    std::sort(e.track.begin(), e.track.end(),
              [](const TruthTarget* a, const TruthTarget* b) { return a->t_s < b->t_s; });
    const auto it = seen.find(mmsi);
    judge_target(rule, truth, mmsi, e, it == seen.end() ? nullptr : &it->second, tallies, r);
  }
  const bool ok = tallies.listed.within == tallies.listed.checked &&
                  tallies.named.within == tallies.named.checked && tallies.positions.checked > 0 &&
                  tallies.positions.fraction() >= rule.min_fraction &&
                  tallies.encounters.fraction() >= rule.min_fraction;
  r.verdict = ok ? Verdict::kPass : Verdict::kFail;
  r.message = of(tallies.listed) + " targets listed, " + of(tallies.named) + " named, " +
              of(tallies.positions) + " positions within " + fmt(rule.tolerance) + " m, " +
              of(tallies.encounters) + " CPA/TCPA within " + fmt(rule.cpa_tolerance_nm) + " nm / " +
              fmt(rule.tcpa_tolerance_min) + " min (at least " + fmt(100.0 * rule.min_fraction) +
              " % of each required)";
  if (ok) r.evidence.clear();
  return r;
}

constexpr std::array<std::string_view, 9> kKindNames{"syntax",         "deadline",  "recovery",
                                                     "no_false_alarm", "accuracy",  "heartbeat",
                                                     "liveness",       "resources", "targets"};

}  // namespace

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
  const double value = v[i - 1] + f * angle_difference(v[i], v[i - 1]);
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
  return kKindNames.at(static_cast<std::size_t>(kind));
}

bool rule_kind_named(std::string_view name, RuleKind& kind) noexcept {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames.at(i) == name) {
      kind = static_cast<RuleKind>(i);
      return true;
    }
  }
  return false;
}

RuleResult evaluate(const Rule& rule, const Truth& truth, const Observations& observations) {
  switch (rule.kind) {
    case RuleKind::kDeadline:
      return deadline(rule, truth, observations);
    case RuleKind::kRecovery:
      return recovery(rule, truth, observations);
    case RuleKind::kNoFalseAlarm:
      return no_false_alarm(rule, truth, observations);
    case RuleKind::kAccuracy:
      return accuracy(rule, truth, observations);
    case RuleKind::kHeartbeat:
      return heartbeat(rule, truth, observations);
    case RuleKind::kSyntax:
      return syntax(rule, observations);
    case RuleKind::kLiveness:
    case RuleKind::kResources:
      return probes(rule, observations);
    case RuleKind::kTargets:
      return targets(rule, truth, observations);
  }
  RuleResult r = start(rule);
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
