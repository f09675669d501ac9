#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judging.hpp"
#include "kinds.hpp"

namespace twincert::rules::detail {

namespace {

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

}  // namespace

RuleResult judge_targets(const Rule& rule, const Truth& truth, const Observations& o) {
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

}  // namespace twincert::rules::detail
