// AIS traffic: other ships on straight courses at constant speed around the own ship, each with
// an MMSI, a name and a class (A or B). Positions are pure functions of time, so any sensor or
// truth record can ask where a target is at t. Targets come from the scenario ("traffic":
// explicit list) or are drawn from the seed ("random_targets": count and radius around the
// route's start). Values are plain data; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "twincert/generators/geodesy.hpp"
#include "twincert/generators/random.hpp"

namespace twincert::generators {

struct Target {
  std::uint32_t mmsi = 0;
  std::string name;
  std::string call_sign;
  bool class_b = false;
  std::uint32_t ship_type = 70;  // ITU-R M.1371: 70 cargo, 80 tanker, 60 passenger, 37 pleasure
  double length_m = 100.0;
  double beam_m = 16.0;
  GeoPoint start;           // position at t = 0
  double course_deg = 0.0;  // true, over ground; heading = course (no set or drift)
  double speed_kn = 10.0;

  GeoPoint position_at(double t_s) const noexcept;
};

// Closest point of approach of a target to the own ship, both moving straight from their
// positions now: distance (nm) and time to it (minutes; negative if already past).
struct Approach {
  double range_nm = 0.0;
  double bearing_deg = 0.0;
  double cpa_nm = 0.0;
  double tcpa_min = 0.0;
};
Approach approach(GeoPoint own, double own_cog_deg, double own_sog_kn, const Target& target,
                  double t_s) noexcept;
// approach() of each of `targets` into `out` (in order), with the own ship's velocity resolved
// once rather than per target: the truth asks for all of them every second.
void approach_all(GeoPoint own, double own_cog_deg, double own_sog_kn,
                  const std::vector<Target>& targets, double t_s, std::vector<Approach>& out);

// `count` targets at 2..radius_nm from `centre`, class A and B mixed, drawn from the seed.
std::vector<Target> random_targets(const CounterRng& rng, GeoPoint centre, int count,
                                   double radius_nm);

}  // namespace twincert::generators
