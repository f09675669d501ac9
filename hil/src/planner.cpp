#include "twincert/hil/planner.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/campaign.hpp"

namespace twincert::hil {

namespace {

using nlohmann::json;

std::string hours(double s) {
  std::array<char, 32> b{};
  std::snprintf(b.data(), b.size(), "%.2f h", s / 3600.0);
  return b.data();
}

// Characters a serial line carries per second: 10 bits each (start, 8 data, stop).
double line_capacity(unsigned baud) {
  return baud / 10.0;
}

std::string link_text(const Link& l) {
  return l.serial ? "serial at " + std::to_string(l.baud) + " baud" : "an IEC 61162-450 network";
}

// Why no rig can take the case at all, or "".
std::string unplannable(const HilCase& c, const std::vector<Rig>& rigs) {
  if (c.link.serial && c.peak_chars_per_s > line_capacity(c.link.baud)) {
    std::array<char, 160> b{};
    std::snprintf(b.data(), b.size(),
                  "its stream peaks at %.0f characters/s, over the %.0f characters/s of %u baud",
                  c.peak_chars_per_s, line_capacity(c.link.baud), c.link.baud);
    return b.data();
  }
  if (std::none_of(rigs.begin(), rigs.end(), [&](const Rig& r) { return capable(r, c); })) {
    return "no rig has " + link_text(c.link) +
           (c.device_model.empty() ? "" : " with a " + c.device_model);
  }
  return "";
}

// The earliest start in a rig's free time where `need_s` fits, and the free interval it is in.
std::optional<std::pair<std::int64_t, std::size_t>> fit(const std::vector<Window>& free,
                                                        std::int64_t need_s) {
  for (std::size_t i = 0; i < free.size(); ++i) {
    if (free[i].from_unix_s + need_s <= free[i].to_unix_s) return std::pair{free[i].from_unix_s, i};
  }
  return std::nullopt;
}

struct Candidate {
  const HilCase* c;
  std::int64_t need_s;
};

std::int64_t plan_start(const std::vector<Rig>& rigs, const PlanOptions& options) {
  if (options.start_unix_s) return *options.start_unix_s;
  std::optional<std::int64_t> first;
  for (const auto& r : rigs) {
    if (!r.windows.empty() && (!first || r.windows.front().from_unix_s < *first)) {
      first = r.windows.front().from_unix_s;
    }
  }
  return first.value_or(0);
}

// The cases that can run at all, most risk per rig-second first (mandated before all), while
// the budget lasts; the others go to plan.left_out with the reason, and plan.risk_total counts
// every case.
std::vector<Candidate> choose(const std::vector<HilCase>& cases, const std::vector<Rig>& rigs,
                              const PlanOptions& options, Plan& plan) {
  const auto setup = static_cast<std::int64_t>(std::llround(options.setup_s));
  std::vector<Candidate> candidates;
  for (const auto& c : cases) {
    plan.risk_total += c.risk;
    if (const std::string why = unplannable(c, rigs); !why.empty()) {
      plan.left_out.push_back({c.id, why});
    } else {
      candidates.push_back({&c, static_cast<std::int64_t>(std::ceil(c.duration_s)) + setup});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.c->priority != b.c->priority) return a.c->priority > b.c->priority;
    const double ra = a.c->risk / static_cast<double>(a.need_s);
    const double rb = b.c->risk / static_cast<double>(b.need_s);
    if (ra != rb) return ra > rb;
    return a.c->id < b.c->id;
  });
  std::vector<Candidate> chosen;
  double spent = 0.0;
  for (const auto& k : candidates) {
    if (spent + static_cast<double>(k.need_s) > options.budget_s) {
      plan.left_out.push_back(
          {k.c->id, "over the budget: " + hours(spent) + " of " + hours(options.budget_s) +
                        " chosen before it, it needs " + hours(static_cast<double>(k.need_s))});
      continue;
    }
    spent += static_cast<double>(k.need_s);
    chosen.push_back(k);
  }
  return chosen;
}

// Each rig's free time: its windows from the start on, less what is planned. A case goes to
// the first gap it fits in, so short cases fill what long ones left at a window's end.
class FreeTime {
 public:
  FreeTime(const std::vector<Rig>& rigs, std::int64_t start) : rigs_(rigs), free_(rigs.size()) {
    for (std::size_t r = 0; r < rigs.size(); ++r) {
      for (const auto& w : rigs[r].windows) {
        if (w.to_unix_s > start) free_[r].push_back({std::max(w.from_unix_s, start), w.to_unix_s});
      }
    }
  }

  // The capable rig where the case starts earliest (ties: the rig id), and when; that time is
  // then taken. nullopt when no capable rig has a gap long enough.
  std::optional<std::pair<std::size_t, std::int64_t>> take(const HilCase& c, std::int64_t need_s) {
    std::optional<std::size_t> best;
    std::int64_t best_start = 0;
    std::size_t best_gap = 0;
    for (std::size_t r = 0; r < rigs_.size(); ++r) {
      if (!capable(rigs_[r], c)) continue;
      const auto s = fit(free_[r], need_s);
      if (s && (!best || s->first < best_start ||
                (s->first == best_start && rigs_[r].id < rigs_[*best].id))) {
        best = r;
        best_start = s->first;
        best_gap = s->second;
      }
    }
    if (!best) return std::nullopt;
    std::vector<Window>& gaps = free_[*best];
    gaps[best_gap].from_unix_s = best_start + need_s;
    if (gaps[best_gap].from_unix_s >= gaps[best_gap].to_unix_s) {
      gaps.erase(gaps.begin() + static_cast<std::ptrdiff_t>(best_gap));
    }
    return std::pair{*best, best_start};
  }

 private:
  const std::vector<Rig>& rigs_;
  std::vector<std::vector<Window>> free_;
};

// No plan of these cases ends sooner than this (seconds from `start`): the rigs that could take
// one of them must have that much window time in all, and the longest case must fit.
double lower_bound(const std::vector<Rig>& rigs, const std::vector<const HilCase*>& planned,
                   std::int64_t start, double work_s, std::int64_t longest_s) {
  std::vector<const Rig*> usable;
  for (const auto& r : rigs) {
    if (std::any_of(planned.begin(), planned.end(),
                    [&](const HilCase* c) { return capable(r, *c); })) {
      usable.push_back(&r);
    }
  }
  const auto capacity_until = [&](std::int64_t t) {
    double total = 0.0;
    for (const Rig* r : usable) {
      for (const auto& w : r->windows) {
        const std::int64_t from = std::max(w.from_unix_s, start);
        const std::int64_t to = std::min(w.to_unix_s, t);
        if (to > from) total += static_cast<double>(to - from);
      }
    }
    return total;
  };
  std::int64_t low = start;
  std::int64_t high = start;
  for (const Rig* r : usable) {
    if (!r->windows.empty()) high = std::max(high, r->windows.back().to_unix_s);
  }
  if (capacity_until(high) < work_s) return static_cast<double>(high - start);
  while (low < high) {  // the first t with enough window time before it
    const std::int64_t mid = low + (high - low) / 2;
    if (capacity_until(mid) >= work_s) {
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  return std::max(static_cast<double>(low - start), static_cast<double>(longest_s));
}

}  // namespace

bool capable(const Rig& rig, const HilCase& c) {
  if (!c.device_model.empty() && rig.device_model != c.device_model) return false;
  if (!c.link.serial) return rig.net450;
  return std::any_of(rig.serial.begin(), rig.serial.end(),
                     [&](const SerialLine& s) { return s.baud == c.link.baud; });
}

Link parse_link(const std::string& text) {
  if (text == "net450") return {};
  if (text.starts_with("serial:")) {
    const std::string rate = text.substr(7);
    if (!rate.empty() &&
        std::all_of(rate.begin(), rate.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        rate.size() < 7) {
      return {true, static_cast<unsigned>(std::stoul(rate))};
    }
  }
  throw ConfigError("link \"" + text + "\": expected net450 or serial:BAUD (serial:4800)");
}

void score_risk(std::vector<HilCase>& cases, const std::vector<SoftwareVerdict>& software,
                const std::vector<std::string>& mandated) {
  std::map<std::string, const SoftwareVerdict*> by_id;
  for (const auto& v : software) by_id[v.case_id] = &v;
  std::set<std::string> kinds_seen;
  std::vector<HilCase*> order;
  order.reserve(cases.size());
  for (auto& c : cases) order.push_back(&c);
  std::sort(order.begin(), order.end(),
            [](const HilCase* a, const HilCase* b) { return a->id < b->id; });
  for (HilCase* c : order) {
    c->risk = 0.0;
    c->risk_reasons.clear();
    const auto add = [c](double points, std::string why) {
      c->risk += points;
      c->risk_reasons.push_back(std::move(why));
    };
    if (std::find(mandated.begin(), mandated.end(), c->id) != mandated.end() ||
        std::find(mandated.begin(), mandated.end(), harness::case_id_without_repetition(c->id)) !=
            mandated.end()) {
      add(1000, "mandated by the certifier");
      c->priority = 1;
    }
    const auto sw = by_id.find(harness::case_id_without_repetition(c->id));
    if (sw == by_id.end()) {
      if (!software.empty()) add(20, "never run in software");
    } else {
      if (sw->second->verdict == "fail") add(80, "failed in software");
      if (sw->second->verdict == "error") add(60, "errored in software");
      if (sw->second->flaky) add(50, "flaky in software");
    }
    for (const auto& f : c->faults) {
      const std::string kind = f.substr(0, f.find(':'));
      if (kinds_seen.insert(kind).second) add(15, "first case of fault class " + kind);
    }
    if (c->risk < 1.0) add(1.0 - c->risk, "baseline");
  }
}

Plan make_plan(const std::vector<HilCase>& cases, const std::vector<Rig>& rigs,
               const PlanOptions& options) {
  Plan plan;
  plan.budget_s = options.budget_s;
  plan.start_unix_s = plan_start(rigs, options);
  std::vector<Candidate> chosen = choose(cases, rigs, options, plan);
  // Schedule: priority, then risk (what may fail runs first), then longest first, then id.
  std::sort(chosen.begin(), chosen.end(), [](const Candidate& a, const Candidate& b) {
    if (a.c->priority != b.c->priority) return a.c->priority > b.c->priority;
    if (a.c->risk != b.c->risk) return a.c->risk > b.c->risk;
    if (a.need_s != b.need_s) return a.need_s > b.need_s;
    return a.c->id < b.c->id;
  });
  FreeTime free(rigs, plan.start_unix_s);
  std::int64_t end = plan.start_unix_s;
  std::int64_t longest = 0;
  std::vector<const HilCase*> planned;
  for (const auto& k : chosen) {
    const auto slot = free.take(*k.c, k.need_s);
    if (!slot) {
      plan.left_out.push_back(
          {k.c->id, "no capable rig has a free window of " + hours(static_cast<double>(k.need_s))});
      continue;
    }
    planned.push_back(k.c);
    end = std::max(end, slot->second + k.need_s);
    longest = std::max(longest, k.need_s);
    plan.planned_s += static_cast<double>(k.need_s);
    plan.risk_covered += k.c->risk;
    std::string reason = "risk " + std::to_string(static_cast<long>(std::lround(k.c->risk)));
    for (std::size_t i = 0; i < k.c->risk_reasons.size(); ++i) {
      reason += (i == 0 ? ": " : ", ") + k.c->risk_reasons[i];
    }
    plan.assignments.push_back(
        {k.c->id, rigs[slot->first].id, slot->second, slot->second + k.need_s, reason});
  }
  std::sort(plan.assignments.begin(), plan.assignments.end(),
            [](const Assignment& a, const Assignment& b) {
              return std::tie(a.rig, a.start_unix_s) < std::tie(b.rig, b.start_unix_s);
            });
  std::sort(plan.left_out.begin(), plan.left_out.end(),
            [](const LeftOut& a, const LeftOut& b) { return a.case_id < b.case_id; });
  plan.makespan_s = static_cast<double>(end - plan.start_unix_s);
  plan.lower_bound_s = lower_bound(rigs, planned, plan.start_unix_s, plan.planned_s, longest);
  return plan;
}

json to_json(const Plan& plan) {
  json assignments = json::array();
  for (const auto& a : plan.assignments) {
    assignments.push_back({{"case", a.case_id},
                           {"rig", a.rig},
                           {"start", a.start_unix_s},
                           {"end", a.end_unix_s},
                           {"reason", a.reason}});
  }
  json left = json::array();
  for (const auto& l : plan.left_out) left.push_back({{"case", l.case_id}, {"reason", l.reason}});
  return {{"schema", "twincert.hil-plan/1"},
          {"start", plan.start_unix_s},
          {"budget_s", plan.budget_s},
          {"planned_s", plan.planned_s},
          {"makespan_s", plan.makespan_s},
          {"lower_bound_s", plan.lower_bound_s},
          {"risk_covered", plan.risk_covered},
          {"risk_total", plan.risk_total},
          {"assignments", std::move(assignments)},
          {"left_out", std::move(left)}};
}

}  // namespace twincert::hil
