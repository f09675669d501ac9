#include "twincert/harness/shrink/reducer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>
#include <map>
#include <sstream>
#include <utility>

#include "twincert/harness/shrink/ddmin.hpp"

namespace twincert::harness::shrink {
namespace {

std::vector<std::size_t> iota(std::size_t n) {
  std::vector<std::size_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

bool contains(const std::vector<std::size_t>& sorted, std::size_t x) {
  return std::binary_search(sorted.begin(), sorted.end(), x);
}

// Sorted, with overlapping or touching windows of one sensor joined.
std::vector<Window> merged(std::vector<Window> windows) {
  std::sort(windows.begin(), windows.end(), [](const Window& a, const Window& b) {
    return std::pair(a.sensor, a.from_s) < std::pair(b.sensor, b.from_s);
  });
  std::vector<Window> out;
  for (const auto& w : windows) {
    if (!out.empty() && out.back().sensor == w.sensor && w.from_s <= out.back().to_s) {
      out.back().to_s = std::max(out.back().to_s, w.to_s);
    } else {
      out.push_back(w);
    }
  }
  return out;
}

// What goes with a removed sensor or a cut span goes: a family, fault or window of a sensor no
// longer kept, an event or fault wholly outside the span. Windows are clipped to the span.
Candidate normalized(const Subject& subject, Candidate c) {
  std::erase_if(c.families,
                [&](std::size_t f) { return !contains(c.sensors, subject.families[f].sensor); });
  const auto outside = [&](const TimedItem& item) {
    return item.to_s <= c.from_s || item.from_s >= c.to_s;
  };
  std::erase_if(c.events, [&](std::size_t e) { return outside(subject.events[e]); });
  std::erase_if(c.faults, [&](std::size_t f) {
    const auto& fault = subject.faults[f];
    return outside(fault) || (fault.sensor && !contains(c.sensors, *fault.sensor));
  });
  for (auto& w : c.silenced) {
    w.from_s = std::max(w.from_s, c.from_s);
    w.to_s = std::min(w.to_s, c.to_s);
  }
  std::erase_if(c.silenced, [&](const Window& w) {
    return w.to_s <= w.from_s || !contains(c.sensors, w.sensor);
  });
  c.silenced = merged(std::move(c.silenced));
  return c;
}

// Stages 1–8: the span is long enough, what happens comes after the warm-up, and each kept
// sensor sends one family at least.
bool admissible(const Subject& subject, const Candidate& c) {
  if (c.to_s - c.from_s < subject.min_span_s - 1e-9) return false;
  const auto early = [&](const TimedItem& item) {
    // Clipped to the span as the caller writes it: an item under way at the start starts there.
    return std::max(item.from_s, c.from_s) - c.from_s <
           std::min(subject.warmup_s, item.from_s) - 1e-9;
  };
  if (std::any_of(c.events.begin(), c.events.end(),
                  [&](std::size_t e) { return early(subject.events[e]); }) ||
      std::any_of(c.faults.begin(), c.faults.end(),
                  [&](std::size_t f) { return early(subject.faults[f]); }) ||
      std::any_of(c.silenced.begin(), c.silenced.end(),
                  [&](const Window& w) { return w.from_s - c.from_s < subject.warmup_s - 1e-9; })) {
    return false;
  }
  for (const auto s : c.sensors) {
    bool has_any = false;
    bool kept = false;
    for (std::size_t f = 0; f < subject.families.size(); ++f) {
      if (subject.families[f].sensor != s) continue;
      has_any = true;
      kept = kept || contains(c.families, f);
    }
    if (has_any && !kept) return false;
  }
  return true;
}

}  // namespace

bool lines_admissible(const Stream& stream, const std::vector<std::size_t>& kept) {
  struct Run {
    double first = NAN, last_kept = NAN, last = NAN;
    bool any_kept = false, removed_since = false;
    bool ok = true;
  };
  std::map<std::size_t, Run> runs;
  const auto limit = [&](std::size_t family) {
    return family < stream.max_gap_s.size() ? stream.max_gap_s[family] : 0.0;
  };
  for (std::size_t i = 0; i < stream.lines.size(); ++i) {
    const auto& line = stream.lines[i];
    Run& r = runs[line.family];
    if (std::isnan(r.first)) r.first = line.t_s;
    r.last = line.t_s;
    if (!contains(kept, i)) {
      r.removed_since = true;
      continue;
    }
    if (r.removed_since) {
      const double from = r.any_kept ? r.last_kept : r.first;
      if (line.t_s - from > limit(line.family) + 1e-9) r.ok = false;
    }
    r.any_kept = true;
    r.last_kept = line.t_s;
    r.removed_since = false;
  }
  return std::all_of(runs.begin(), runs.end(), [&](const auto& entry) {
    const auto& [family, r] = entry;
    return r.ok && r.any_kept && !(r.removed_since && r.last - r.last_kept > limit(family) + 1e-9);
  });
}

namespace {

std::string list(const std::vector<std::size_t>& v) {
  std::string s;
  for (const auto x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

class Reducer {
 public:
  Reducer(const Subject& subject, const Trial& trial, ReduceOptions options)
      : subject_(subject), trial_(trial), options_(std::move(options)) {
    if (!options_.now_s) {
      options_.now_s = [] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
      };
    }
    started_ = options_.now_s();
  }

  ReduceResult run() {
    const Candidate original = whole(subject_);
    result_.before = sizes_of(original, options_.stream_of);
    result_.candidate = original;
    for (int i = 0; i < options_.repeat; ++i) {
      ++result_.trials;
      if (trial_(original) == TrialOutcome::kSameFailure) ++result_.original_failures;
    }
    if (result_.original_failures == 0) return finish(ReduceStatus::kNotFailing);
    if (result_.original_failures < options_.repeat) return finish(ReduceStatus::kFlaky);
    cache_[key_of(original)] = true;
    current_ = original;

    bool fixpoint = false;
    for (int round = 0; round < options_.max_rounds && !stopped_; ++round) {
      const Candidate before = current_;
      span();
      subset_stage("sensors", &Candidate::sensors);
      subset_stage("families", &Candidate::families);
      subset_stage("events", &Candidate::events);
      subset_stage("faults", &Candidate::faults);
      subset_stage("targets", &Candidate::targets);
      windows();
      simplify();
      if (!stopped_ && current_ == before) fixpoint = true;
      if (fixpoint) break;
    }
    if (!stopped_ && fixpoint && options_.stream_of) sentences();
    if (flaky_) return finish(ReduceStatus::kFlaky);
    result_.candidate = current_;
    return finish(stopped_ || !fixpoint ? ReduceStatus::kBudgetSpent : ReduceStatus::kMinimal);
  }

 private:
  bool spent() const {
    return result_.trials >= options_.max_trials ||
           options_.now_s() - started_ >= options_.max_wall_s;
  }

  // Whether `c` (normalised) still fails the same way; nullopt when the reduction must stop.
  // A failing candidate is re-checked before this says so.
  std::optional<bool> test(const Candidate& raw, bool lines_checked = false) {
    if (stopped_) return std::nullopt;
    const Candidate c = lines_checked ? raw : normalized(subject_, raw);
    if (!admissible(subject_, c)) {
      ++result_.refused;
      return false;
    }
    const std::string key = key_of(c);
    if (const auto it = cache_.find(key); it != cache_.end()) {
      ++result_.cache_hits;
      return it->second;
    }
    if (spent()) {
      stopped_ = true;
      return std::nullopt;
    }
    ++result_.trials;
    const bool same = trial_(c) == TrialOutcome::kSameFailure;
    if (same) {
      for (int i = 0; i < options_.recheck; ++i) {
        ++result_.trials;
        if (trial_(c) != TrialOutcome::kSameFailure) {
          flaky_ = true;
          stopped_ = true;
          result_.flaky_step = key;
          return std::nullopt;
        }
      }
    }
    cache_[key] = same;
    return same;
  }

  void accepted(const std::string& stage, const std::string& what) {
    result_.steps.push_back({stage, what, result_.trials});
    if (options_.on_step) options_.on_step(stage, current_);
  }

  void span() {
    const double g = subject_.granularity_s;
    const auto cut = [&](bool tail) {
      const double before = tail ? current_.to_s : current_.from_s;
      const auto granules = static_cast<std::size_t>(
          std::floor((current_.to_s - current_.from_s - subject_.min_span_s) / g + 1e-9));
      for (std::size_t step = std::max<std::size_t>(granules / 2, 1); step >= 1 && !stopped_;) {
        Candidate c = current_;
        const double by = static_cast<double>(step) * g;
        (tail ? c.to_s : c.from_s) += tail ? -by : by;
        const auto r = test(c);
        if (r && *r) {
          current_ = normalized(subject_, c);
          continue;  // the same cut again
        }
        step /= 2;
      }
      const double after = tail ? current_.to_s : current_.from_s;
      if (after != before) {
        std::ostringstream what;
        what << (tail ? "end " : "start ") << before << " s -> " << after << " s";
        accepted("span", what.str());
      }
    };
    cut(true);
    cut(false);
  }

  void subset_stage(const char* stage, std::vector<std::size_t> Candidate::*field) {
    if (stopped_) return;
    const std::vector<std::size_t> items = current_.*field;
    const auto r = ddmin(items, [&](const std::vector<std::size_t>& subset) {
      Candidate c = current_;
      c.*field = subset;
      return test(c);
    });
    if (r.kept.size() == items.size()) return;
    current_.*field = r.kept;
    current_ = normalized(subject_, current_);
    accepted(stage, "kept " + std::to_string(r.kept.size()) + " of " +
                        std::to_string(items.size()) + ": " + list(r.kept));
  }

  void windows() {
    if (stopped_ || subject_.windows_per_sensor == 0) return;
    const double g = subject_.granularity_s;
    const double span = current_.to_s - current_.from_s;
    const double w =
        std::max(g, std::ceil(span / static_cast<double>(subject_.windows_per_sensor) / g) * g);
    std::vector<Window> chunks;
    const auto count = static_cast<std::size_t>(std::ceil(span / w - 1e-9));
    for (const auto s : current_.sensors) {
      for (std::size_t i = 0; i < count; ++i) {
        const double from = current_.from_s + static_cast<double>(i) * w;
        const Window chunk{s, from, std::min(current_.to_s, from + w)};
        const bool silent =
            std::any_of(current_.silenced.begin(), current_.silenced.end(), [&](const Window& x) {
              return x.sensor == s && x.from_s < chunk.to_s && chunk.from_s < x.to_s;
            });
        if (!silent) chunks.push_back(chunk);
      }
    }
    const auto with_silenced = [&](const std::vector<std::size_t>& kept) {
      Candidate c = current_;
      for (std::size_t i = 0; i < chunks.size(); ++i) {
        if (!contains(kept, i)) c.silenced.push_back(chunks[i]);
      }
      c.silenced = merged(std::move(c.silenced));
      return c;
    };
    const auto items = iota(chunks.size());
    const auto r = ddmin(
        items, [&](const std::vector<std::size_t>& kept) { return test(with_silenced(kept)); });
    if (r.kept.size() == items.size()) return;
    current_ = normalized(subject_, with_silenced(r.kept));
    accepted("windows", "silenced " + std::to_string(items.size() - r.kept.size()) + " of " +
                            std::to_string(items.size()) + " windows of " + std::to_string(w) +
                            " s");
  }

  void simplify() {
    for (std::size_t i = 0; i < subject_.simplifications.size() && !stopped_; ++i) {
      if (contains(current_.simplifications, i)) continue;
      Candidate c = current_;
      c.simplifications.insert(
          std::upper_bound(c.simplifications.begin(), c.simplifications.end(), i), i);
      const auto r = test(c);
      if (r && *r) {
        current_ = normalized(subject_, c);
        accepted("simplify", subject_.simplifications[i]);
      }
    }
  }

  void sentences() {
    Candidate base = current_;
    base.sentences.reset();
    const Stream stream = options_.stream_of(base);
    std::vector<std::size_t> fixed;
    std::vector<std::size_t> removable;
    for (std::size_t i = 0; i < stream.lines.size(); ++i) {
      (stream.lines[i].removable ? removable : fixed).push_back(i);
    }
    const auto with_lines = [&](const std::vector<std::size_t>& kept) {
      Candidate c = base;
      std::vector<std::size_t> lines;
      std::merge(fixed.begin(), fixed.end(), kept.begin(), kept.end(), std::back_inserter(lines));
      c.sentences = std::move(lines);
      return c;
    };
    const auto r =
        ddmin(removable, [&](const std::vector<std::size_t>& kept) -> std::optional<bool> {
          const Candidate c = with_lines(kept);
          if (!lines_admissible(stream, *c.sentences)) {
            ++result_.refused;
            return false;
          }
          return test(c, true);
        });
    if (!r.complete && !flaky_) stopped_ = true;
    if (r.kept.size() == removable.size()) return;
    current_ = with_lines(r.kept);
    accepted("sentences", "kept " + std::to_string(current_.sentences->size()) + " of " +
                              std::to_string(stream.lines.size()) + " lines");
  }

  ReduceResult finish(ReduceStatus status) {
    result_.status = status;
    if (status == ReduceStatus::kFlaky || status == ReduceStatus::kNotFailing) {
      result_.candidate = whole(subject_);
    }
    result_.after = sizes_of(result_.candidate, options_.stream_of);
    result_.wall_s = options_.now_s() - started_;
    return std::move(result_);
  }

  const Subject& subject_;
  const Trial& trial_;
  ReduceOptions options_;
  double started_ = 0.0;
  std::map<std::string, bool> cache_;
  Candidate current_;
  ReduceResult result_;
  bool stopped_ = false;
  bool flaky_ = false;
};

}  // namespace

Candidate whole(const Subject& subject) {
  Candidate c;
  c.from_s = 0.0;
  c.to_s = subject.duration_s;
  c.sensors = iota(subject.sensors.size());
  c.families = iota(subject.families.size());
  c.events = iota(subject.events.size());
  c.faults = iota(subject.faults.size());
  c.targets = iota(subject.targets.size());
  return c;
}

std::string key_of(const Candidate& c) {
  std::ostringstream s;
  s.precision(17);
  s << "span=" << c.from_s << ".." << c.to_s << " sensors=" << list(c.sensors)
    << " families=" << list(c.families) << " events=" << list(c.events)
    << " faults=" << list(c.faults) << " targets=" << list(c.targets) << " silenced=";
  for (const auto& w : c.silenced) {
    s << w.sensor << '@' << w.from_s << '+' << w.to_s - w.from_s << ';';
  }
  s << " simplify=" << list(c.simplifications);
  if (c.sentences) s << " lines=" << list(*c.sentences);
  return s.str();
}

const char* name_of(ReduceStatus status) noexcept {
  switch (status) {
    case ReduceStatus::kMinimal:
      return "minimal";
    case ReduceStatus::kBudgetSpent:
      return "budget_spent";
    case ReduceStatus::kFlaky:
      return "flaky";
    case ReduceStatus::kNotFailing:
      return "not_failing";
  }
  return "?";
}

Sizes sizes_of(const Candidate& c, const StreamOf& stream_of) {
  Sizes s;
  s.span_s = c.to_s - c.from_s;
  s.sensors = c.sensors.size();
  s.families = c.families.size();
  s.events = c.events.size();
  s.faults = c.faults.size();
  s.targets = c.targets.size();
  s.silenced = c.silenced.size();
  s.simplifications = c.simplifications.size();
  if (c.sentences) {
    s.sentences = c.sentences->size();
  } else if (stream_of) {
    s.sentences = stream_of(c).lines.size();
  }
  return s;
}

ReduceResult reduce(const Subject& subject, const Trial& trial, const ReduceOptions& options) {
  return Reducer(subject, trial, options).run();
}

}  // namespace twincert::harness::shrink
