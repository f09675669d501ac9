// The reducer on synthetic twins: pure predicates over the stream a candidate makes, whose
// minimal failing inputs are known. A synthetic world has sensors with sentence families sending
// on a fixed grid of times (so cutting the span never moves a line), events, faults, targets and
// value simplifications; a candidate's stream is the lines of its kept families inside its span
// and outside its silenced windows. Checked: the reducer ends 1-minimal within its budget (no
// single further removal in any dimension still fails), it finds the known minimum where there
// is one, it is deterministic, a flaky predicate is reported flaky and nothing is shrunk, and a
// spent budget returns a smaller candidate that still fails.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/harness/shrink/reducer.hpp"

#include <rapidcheck.h>

namespace twincert::harness::shrink {
namespace {

struct World {
  Subject subject;
  std::vector<double> period_s;  // per family: 1 or 2 s
};

World any_world(std::size_t min_events = 0, std::size_t min_faults = 0) {
  World w;
  Subject& s = w.subject;
  s.duration_s = *rc::gen::inRange(20, 240);
  const auto sensors = *rc::gen::inRange<std::size_t>(1, 6);
  for (std::size_t i = 0; i < sensors; ++i) {
    s.sensors.push_back("XX000" + std::to_string(i));
    const auto families = *rc::gen::inRange<std::size_t>(1, 4);
    for (std::size_t f = 0; f < families; ++f) {
      s.families.push_back({i, "F" + std::to_string(f)});
      w.period_s.push_back(*rc::gen::inRange(1, 3));
    }
  }
  const auto timed = [&](std::optional<std::size_t> sensor) {
    const double from = *rc::gen::inRange(0, static_cast<int>(s.duration_s) - 1);
    const double length = *rc::gen::inRange(1, 60);
    return TimedItem{"item", from, std::min(s.duration_s, from + length), sensor};
  };
  const auto events = *rc::gen::inRange<std::size_t>(min_events, 4);
  for (std::size_t i = 0; i < events; ++i) s.events.push_back(timed(std::nullopt));
  const auto faults = *rc::gen::inRange<std::size_t>(min_faults, 4);
  for (std::size_t i = 0; i < faults; ++i) {
    s.faults.push_back(timed(*rc::gen::inRange<std::size_t>(0, sensors)));
  }
  const auto targets = *rc::gen::inRange<std::size_t>(0, 5);
  for (std::size_t i = 0; i < targets; ++i) s.targets.push_back("mmsi:" + std::to_string(i));
  const auto simplifications = *rc::gen::inRange<std::size_t>(0, 3);
  for (std::size_t i = 0; i < simplifications; ++i)
    s.simplifications.push_back("calm" + std::to_string(i));
  return w;
}

bool has(const std::vector<std::size_t>& v, std::size_t x) {
  return std::binary_search(v.begin(), v.end(), x);
}

// The candidate's stream (all lines, ignoring `sentences`).
Stream full_stream(const World& w, const Candidate& c) {
  Stream out;
  for (std::size_t f = 0; f < w.subject.families.size(); ++f) {
    out.max_gap_s.push_back(3 * w.period_s[f]);
    const std::size_t sensor = w.subject.families[f].sensor;
    if (!has(c.families, f) || !has(c.sensors, sensor)) continue;
    const double p = w.period_s[f];
    for (double t = std::ceil(c.from_s / p) * p; t < c.to_s; t += p) {
      const bool silent = std::any_of(c.silenced.begin(), c.silenced.end(), [&](const Window& x) {
        return x.sensor == sensor && t >= x.from_s && t < x.to_s;
      });
      if (!silent) out.lines.push_back({t, f, true});
    }
  }
  std::stable_sort(out.lines.begin(), out.lines.end(),
                   [](const StreamLine& a, const StreamLine& b) { return a.t_s < b.t_s; });
  return out;
}

// The lines the twin is given: the stream, less what stage 9 deleted.
std::vector<StreamLine> lines_of(const World& w, const Candidate& c) {
  const Stream all = full_stream(w, c);
  if (!c.sentences) return all.lines;
  std::vector<StreamLine> kept;
  for (const auto i : *c.sentences) kept.push_back(all.lines[i]);
  return kept;
}

bool has_line(const std::vector<StreamLine>& lines, std::size_t family, double t) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const StreamLine& l) { return l.family == family && l.t_s == t; });
}

bool item_kept(const Candidate& c, const std::vector<std::size_t>& kept, const TimedItem& item,
               std::size_t index) {
  return has(kept, index) && item.to_s > c.from_s && item.from_s < c.to_s &&
         (!item.sensor || has(c.sensors, *item.sensor));
}

using Predicate = std::function<bool(const Candidate&)>;

Trial trial_of(const Predicate& fails) {
  return [fails](const Candidate& c) {
    return fails(c) ? TrialOutcome::kSameFailure : TrialOutcome::kDifferent;
  };
}

ReduceOptions options_for(const World& w) {
  ReduceOptions o;
  o.stream_of = [&w](const Candidate& c) { return full_stream(w, c); };
  double fake = 0.0;
  o.now_s = [fake]() mutable { return fake += 0.001; };  // the budget is counted in trials here
  return o;
}

// A line of some family on its grid, inside the run.
std::pair<std::size_t, double> any_line(const World& w) {
  const auto f = *rc::gen::inRange<std::size_t>(0, w.subject.families.size());
  const double p = w.period_s[f];
  const auto slots = static_cast<int>(std::ceil(w.subject.duration_s / p));
  return {f, p * *rc::gen::inRange(0, slots)};
}

// No single further removal, in any dimension, still fails.
void assert_one_minimal(const World& w, const Predicate& fails, const Candidate& c) {
  RC_ASSERT(fails(c));
  Candidate p = c;
  p.sentences.reset();
  const Subject& s = w.subject;
  const auto each_removal = [&](std::vector<std::size_t> Candidate::*field) {
    for (std::size_t i = 0; i < (p.*field).size(); ++i) {
      Candidate less = p;
      (less.*field).erase((less.*field).begin() + static_cast<std::ptrdiff_t>(i));
      if (field == &Candidate::families) {  // a kept sensor keeps a family
        const std::size_t sensor = s.families[p.families[i]].sensor;
        const bool other = std::any_of(less.families.begin(), less.families.end(),
                                       [&](auto f) { return s.families[f].sensor == sensor; });
        if (!other && has(p.sensors, sensor)) continue;
      }
      RC_ASSERT(!fails(less));
    }
  };
  each_removal(&Candidate::sensors);
  each_removal(&Candidate::families);
  each_removal(&Candidate::events);
  each_removal(&Candidate::faults);
  each_removal(&Candidate::targets);
  if (p.to_s - p.from_s >= s.min_span_s + s.granularity_s) {
    Candidate shorter = p;
    shorter.to_s -= s.granularity_s;
    RC_ASSERT(!fails(shorter));
    shorter = p;
    shorter.from_s += s.granularity_s;
    RC_ASSERT(!fails(shorter));
  }
  if (!c.sentences) return;
  const Stream all = full_stream(w, p);
  for (std::size_t i = 0; i < c.sentences->size(); ++i) {
    auto kept = *c.sentences;
    kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(i));
    if (!lines_admissible(all, kept)) continue;
    Candidate less = c;
    less.sentences = kept;
    RC_ASSERT(!fails(less));
  }
}

RC_GTEST_PROP(ReducerProperty, FailsIffOneSentenceIsPresentShrinksToThatSentence, ()) {
  const World w = any_world();
  const auto [family, t] = any_line(w);
  const Predicate fails = [&](const Candidate& c) { return has_line(lines_of(w, c), family, t); };
  const auto r = reduce(w.subject, trial_of(fails), options_for(w));
  RC_ASSERT(r.status == ReduceStatus::kMinimal);
  RC_ASSERT(r.trials <= ReduceOptions{}.max_trials);
  const auto lines = lines_of(w, r.candidate);
  RC_ASSERT(lines.size() == 1U);
  RC_ASSERT(lines[0].family == family);
  RC_ASSERT(r.candidate.from_s == t);
  RC_ASSERT(r.candidate.to_s == t + 1);
  RC_ASSERT(r.candidate.sensors.size() == 1U);
  RC_ASSERT(r.candidate.events.empty() && r.candidate.faults.empty() &&
            r.candidate.targets.empty());
  RC_ASSERT(r.candidate.simplifications.size() == w.subject.simplifications.size());
  RC_ASSERT(r.after.sentences == std::optional<std::size_t>(1));
  assert_one_minimal(w, fails, r.candidate);
}

RC_GTEST_PROP(ReducerProperty, FailsIffTwoSentencesArePresentKeepsBothAndIsOneMinimal, ()) {
  const World w = any_world();
  const auto a = any_line(w);
  const auto b = any_line(w);
  const Predicate fails = [&](const Candidate& c) {
    const auto lines = lines_of(w, c);
    return has_line(lines, a.first, a.second) && has_line(lines, b.first, b.second);
  };
  const auto r = reduce(w.subject, trial_of(fails), options_for(w));
  RC_ASSERT(r.status == ReduceStatus::kMinimal);
  RC_ASSERT(r.candidate.from_s == std::min(a.second, b.second));
  RC_ASSERT(r.candidate.to_s == std::max(a.second, b.second) + 1);
  assert_one_minimal(w, fails, r.candidate);
  RC_ASSERT(*r.after.sentences <= *r.before.sentences);
}

RC_GTEST_PROP(ReducerProperty, SingleSentencesAreThinnedWithinTheFamilysGapLimit, ()) {
  World w = any_world();
  w.subject.windows_per_sensor = 0;  // leave the thinning to stage 9
  const auto f = *rc::gen::inRange<std::size_t>(0, w.subject.families.size());
  const double p = w.period_s[f];
  const auto slots = static_cast<int>(std::ceil(w.subject.duration_s / p));
  RC_PRE(slots >= 12);
  const double a = p * *rc::gen::inRange(0, slots / 2 - 4);
  const double b = p * *rc::gen::inRange(slots / 2 + 4, slots);
  const Predicate fails = [&](const Candidate& c) {
    const auto lines = lines_of(w, c);
    return has_line(lines, f, a) && has_line(lines, f, b);
  };
  const auto r = reduce(w.subject, trial_of(fails), options_for(w));
  RC_ASSERT(r.status == ReduceStatus::kMinimal);
  RC_ASSERT(r.candidate.sentences.has_value());
  Candidate parameters = r.candidate;
  parameters.sentences.reset();
  const Stream all = full_stream(w, parameters);
  RC_ASSERT(lines_admissible(all, *r.candidate.sentences));
  RC_ASSERT(r.candidate.sentences->size() < all.lines.size());
  // 1-minimal under a limit of three periods: two gaps in a row add up to more than three
  // periods (else the line between them could go), so at most one line per two periods is left.
  RC_ASSERT(r.candidate.sentences->size() <=
            static_cast<std::size_t>(std::ceil((b - a) / (2 * p))) + 2);
  assert_one_minimal(w, fails, r.candidate);
}

RC_GTEST_PROP(ReducerProperty, FailsIffTheSpanCoversATimeLeavesOneGranule, ()) {
  const World w = any_world();
  const double t = *rc::gen::inRange(0, static_cast<int>(w.subject.duration_s));
  const Predicate fails = [&](const Candidate& c) { return c.from_s <= t && t < c.to_s; };
  const auto r = reduce(w.subject, trial_of(fails), options_for(w));
  RC_ASSERT(r.status == ReduceStatus::kMinimal);
  RC_ASSERT(r.candidate.from_s == t);
  RC_ASSERT(r.candidate.to_s == t + 1);
  RC_ASSERT(r.candidate.sensors.empty());
  RC_ASSERT(r.after.sentences == std::optional<std::size_t>(0));
  assert_one_minimal(w, fails, r.candidate);
}

RC_GTEST_PROP(ReducerProperty, SensorSentencesAfterAFaultKeepThatFaultAndSensor, ()) {
  const World w = any_world(0, 1);
  const auto f = *rc::gen::inRange<std::size_t>(0, w.subject.faults.size());
  const TimedItem& fault = w.subject.faults[f];
  const std::size_t sensor = *fault.sensor;
  const Predicate fails = [&](const Candidate& c) {
    if (!item_kept(c, c.faults, fault, f)) return false;
    const auto lines = lines_of(w, c);
    return std::any_of(lines.begin(), lines.end(), [&](const StreamLine& l) {
      return w.subject.families[l.family].sensor == sensor && l.t_s >= fault.from_s;
    });
  };
  const bool original_fails = fails(whole(w.subject));
  const auto r = reduce(w.subject, trial_of(fails), options_for(w));
  if (!original_fails) {
    RC_ASSERT(r.status == ReduceStatus::kNotFailing);
    return;
  }
  RC_ASSERT(r.status == ReduceStatus::kMinimal);
  RC_ASSERT(r.candidate.faults == std::vector<std::size_t>{f});
  RC_ASSERT(r.candidate.sensors == std::vector<std::size_t>{sensor});
  RC_ASSERT(lines_of(w, r.candidate).size() == 1U);
  assert_one_minimal(w, fails, r.candidate);
}

RC_GTEST_PROP(ReducerProperty, AKeptFaultStaysTheWarmUpAfterTheStart, ()) {
  World w = any_world(0, 1);
  w.subject.warmup_s = *rc::gen::inRange(1, 40);
  // Silenced windows keep the warm-up too, and may hold the start earlier: checked below.
  const bool windows = *rc::gen::arbitrary<bool>();
  if (!windows) w.subject.windows_per_sensor = 0;
  const auto f = *rc::gen::inRange<std::size_t>(0, w.subject.faults.size());
  const TimedItem& fault = w.subject.faults[f];
  const Predicate fails = [&](const Candidate& c) { return item_kept(c, c.faults, fault, f); };
  const auto r = reduce(w.subject, trial_of(fails), options_for(w));
  RC_ASSERT(r.status == ReduceStatus::kMinimal);
  RC_ASSERT(r.candidate.faults == std::vector<std::size_t>{f});
  RC_ASSERT(fault.from_s - r.candidate.from_s >= std::min(w.subject.warmup_s, fault.from_s));
  if (!windows) {
    RC_ASSERT(r.candidate.from_s == std::max(0.0, fault.from_s - w.subject.warmup_s));
  }
  for (const auto& x : r.candidate.silenced) {
    RC_ASSERT(x.from_s - r.candidate.from_s >= w.subject.warmup_s);
  }
}

RC_GTEST_PROP(ReducerProperty, AnEventAndAFamilyTogetherAreKeptAlone, ()) {
  const World w = any_world(1, 0);
  const auto e = *rc::gen::inRange<std::size_t>(0, w.subject.events.size());
  const auto family = *rc::gen::inRange<std::size_t>(0, w.subject.families.size());
  const Predicate fails = [&](const Candidate& c) {
    const auto lines = lines_of(w, c);
    return item_kept(c, c.events, w.subject.events[e], e) &&
           std::any_of(lines.begin(), lines.end(),
                       [&](const StreamLine& l) { return l.family == family; });
  };
  const auto r = reduce(w.subject, trial_of(fails), options_for(w));
  RC_ASSERT(r.status == ReduceStatus::kMinimal);
  RC_ASSERT(r.candidate.events == std::vector<std::size_t>{e});
  RC_ASSERT(r.candidate.families == std::vector<std::size_t>{family});
  assert_one_minimal(w, fails, r.candidate);
}

RC_GTEST_PROP(ReducerProperty, SameInputsGiveTheSameReduction, ()) {
  const World w = any_world();
  const auto a = any_line(w);
  const auto b = any_line(w);
  const Predicate fails = [&](const Candidate& c) {
    const auto lines = lines_of(w, c);
    return has_line(lines, a.first, a.second) || has_line(lines, b.first, b.second);
  };
  const auto one = reduce(w.subject, trial_of(fails), options_for(w));
  const auto two = reduce(w.subject, trial_of(fails), options_for(w));
  RC_ASSERT(one.candidate == two.candidate);
  RC_ASSERT(one.trials == two.trials);
  RC_ASSERT(one.steps.size() == two.steps.size());
  for (std::size_t i = 0; i < one.steps.size(); ++i)
    RC_ASSERT(one.steps[i].what == two.steps[i].what);
}

RC_GTEST_PROP(ReducerProperty, AFailureThatDoesNotRepeatIsFlakyAndNotShrunk, ()) {
  const World w = any_world();
  const int k = *rc::gen::inRange(2, 6);
  const int fails_of_k = *rc::gen::inRange(1, k);  // fails fewer than k times in k
  int calls = 0;
  const Trial trial = [&](const Candidate&) {
    return calls++ % k < fails_of_k ? TrialOutcome::kSameFailure : TrialOutcome::kDifferent;
  };
  auto options = options_for(w);
  options.repeat = k;
  const auto r = reduce(w.subject, trial, options);
  RC_ASSERT(r.status == ReduceStatus::kFlaky);
  RC_ASSERT(r.original_failures == fails_of_k);
  RC_ASSERT(r.candidate == whole(w.subject));
  RC_ASSERT(r.trials == static_cast<std::size_t>(k));
}

RC_GTEST_PROP(ReducerProperty, AStepThatDoesNotHoldUpOnRecheckMakesTheCaseFlaky, ()) {
  const World w = any_world();
  const Candidate original = whole(w.subject);
  // Reduced candidates fail on every other call only: the re-check of an accepted step sees it.
  bool next = true;
  const Trial trial = [&](const Candidate& c) {
    if (c == original) return TrialOutcome::kSameFailure;
    next = !next;
    return !next ? TrialOutcome::kSameFailure : TrialOutcome::kDifferent;
  };
  const auto r = reduce(w.subject, trial, options_for(w));
  RC_ASSERT(r.status == ReduceStatus::kFlaky);
  RC_ASSERT(!r.flaky_step.empty());
  RC_ASSERT(r.candidate == original);
}

RC_GTEST_PROP(ReducerProperty, ASpentBudgetReturnsASmallerCandidateThatStillFails, ()) {
  const World w = any_world();
  const auto [family, t] = any_line(w);
  const Predicate fails = [&](const Candidate& c) { return has_line(lines_of(w, c), family, t); };
  auto options = options_for(w);
  options.max_trials = *rc::gen::inRange<std::size_t>(4, 12);
  const auto r = reduce(w.subject, trial_of(fails), options);
  RC_ASSERT(r.status == ReduceStatus::kBudgetSpent || r.status == ReduceStatus::kMinimal);
  RC_ASSERT(r.trials <= options.max_trials + static_cast<std::size_t>(options.recheck));
  RC_ASSERT(fails(r.candidate));
}

TEST(ReducerTest, WallTimeBudgetStopsOnTheCallersClock) {
  Subject s;
  s.duration_s = 1000;
  s.sensors = {"A", "B", "C", "D"};
  double now = 0.0;
  ReduceOptions o;
  o.max_wall_s = 10.0;
  o.now_s = [&now] { return now; };
  std::size_t trials = 0;
  const auto r = reduce(
      s,
      [&](const Candidate& c) {
        ++trials;
        now += 1.0;  // each trial takes a second
        return c.from_s <= 500 && 500 < c.to_s ? TrialOutcome::kSameFailure
                                               : TrialOutcome::kDifferent;
      },
      o);
  EXPECT_EQ(r.status, ReduceStatus::kBudgetSpent);
  EXPECT_LE(r.wall_s, 12.0);
  EXPECT_LE(trials, 12U);
  EXPECT_LT(r.after.span_s, r.before.span_s);
}

TEST(ReducerTest, NeverFailingOriginalIsReportedAndUntouched) {
  Subject s;
  s.duration_s = 100;
  s.sensors = {"A"};
  const auto r = reduce(s, [](const Candidate&) { return TrialOutcome::kError; });
  EXPECT_EQ(r.status, ReduceStatus::kNotFailing);
  EXPECT_EQ(r.trials, 3U);
  EXPECT_EQ(r.candidate, whole(s));
}

TEST(ReducerTest, StageNineRefusesGapsOverTheFamilyLimit) {
  Stream s;
  for (int t = 0; t < 10; ++t) s.lines.push_back({static_cast<double>(t), 0, true});
  s.max_gap_s = {2.0};
  EXPECT_TRUE(lines_admissible(s, {0, 2, 4, 6, 8, 9}));
  EXPECT_FALSE(lines_admissible(s, {0, 3, 4, 5, 6, 7, 8, 9}));  // a 3 s gap
  EXPECT_FALSE(lines_admissible(s, {3, 4, 5, 6, 7, 8, 9}));     // 3 s after the first line
  EXPECT_FALSE(lines_admissible(s, {0, 1, 2, 3, 4, 5, 6}));     // 3 s before the last line
  EXPECT_FALSE(lines_admissible(s, {}));                        // the family gone
  s.max_gap_s = {};
  EXPECT_FALSE(lines_admissible(s, {0, 1, 2, 3, 4, 5, 6, 7, 8}));  // no limit: no deletion
  EXPECT_TRUE(lines_admissible(s, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

}  // namespace
}  // namespace twincert::harness::shrink
