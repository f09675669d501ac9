#include "twincert/generators/traffic.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

namespace twincert::generators {

namespace {
constexpr double kDeg = std::numbers::pi / 180.0;

// The course as a unit vector (north, east).
struct Direction {
  double north;
  double east;
};
Direction unit_vector(double course_deg) noexcept {
  return {std::cos(course_deg * kDeg), std::sin(course_deg * kDeg)};
}

// Where `target` is at t_s, moving along `course` (its course's unit vector) from its start.
GeoPoint position_along(const Target& target, Direction course, double t_s) noexcept {
  const double d = target.speed_kn * kMetresPerSecondPerKnot * t_s;
  return advance(target.start, d * course.north, d * course.east);
}
}  // namespace

GeoPoint Target::position_at(double t_s) const noexcept {
  return position_along(*this, unit_vector(course_deg), t_s);
}

namespace {
// A velocity over ground (knots) towards north and east.
struct Velocity {
  double north_kn;
  double east_kn;
};
Velocity velocity_of(double cog_deg, double sog_kn) noexcept {
  const Direction course = unit_vector(cog_deg);
  return {sog_kn * course.north, sog_kn * course.east};
}

// The approach of `target` to an own ship at `own` moving at `own_velocity`.
Approach approach_from(GeoPoint own, Velocity own_velocity, const Target& target,
                       double t_s) noexcept {
  // Computed once a second for every target, so each trigonometric term is computed once: the
  // course's for the position and the velocity, the offset's for the range and the bearing.
  const Direction course = unit_vector(target.course_deg);
  const GeoPoint p = position_along(target, course, t_s);
  double north = 0.0;
  double east = 0.0;
  offset_m(own, p, north, east);
  // Relative velocity of the target seen from the own ship (m/s).
  const double vn =
      (target.speed_kn * course.north - own_velocity.north_kn) * kMetresPerSecondPerKnot;
  const double ve =
      (target.speed_kn * course.east - own_velocity.east_kn) * kMetresPerSecondPerKnot;
  const double v2 = vn * vn + ve * ve;
  const double tcpa_s = v2 > 1e-9 ? -(north * vn + east * ve) / v2 : 0.0;
  const double cn = north + vn * tcpa_s;
  const double ce = east + ve * tcpa_s;
  return Approach{std::hypot(north, east) / kMetresPerNauticalMile,
                  bearing_of_offset_deg(north, east), std::hypot(cn, ce) / kMetresPerNauticalMile,
                  tcpa_s / 60.0};
}
}  // namespace

Approach approach(GeoPoint own, double own_cog_deg, double own_sog_kn, const Target& target,
                  double t_s) noexcept {
  return approach_from(own, velocity_of(own_cog_deg, own_sog_kn), target, t_s);
}

void approach_all(GeoPoint own, double own_cog_deg, double own_sog_kn,
                  const std::vector<Target>& targets, double t_s, std::vector<Approach>& out) {
  const Velocity own_velocity = velocity_of(own_cog_deg, own_sog_kn);
  out.clear();
  for (const Target& target : targets) out.push_back(approach_from(own, own_velocity, target, t_s));
}

std::vector<Target> random_targets(const CounterRng& rng, GeoPoint centre, int count,
                                   double radius_nm) {
  NoiseStream r(rng, "traffic");
  static constexpr const char* kNames[] = {// NOLINT(modernize-avoid-c-arrays)
                                           "NORDIC STAR",    "MARE BALTICUM", "ELBE TRADER",
                                           "JADE SPIRIT",    "VIKING BAY",    "SILVER WAVE",
                                           "OSTFRIESLAND",   "CAPE HORIZON",  "WESER EXPRESS",
                                           "NORTHERN LIGHT", "SEA FALCON",    "AMBER ROSE"};
  std::vector<Target> out;
  for (int i = 0; i < count; ++i) {
    Target t;
    t.class_b = r.uniform() < 0.25;
    t.mmsi = 211000000U + static_cast<std::uint32_t>(r.uniform() * 999999.0);
    // Built without "literal" + std::string: g++ 12 at -O3 warns falsely (-Wrestrict) there.
    t.name = kNames[static_cast<std::size_t>(i) % 12];
    if (i >= 12) {
      t.name += ' ';
      t.name += std::to_string(i / 12 + 1);
    }
    std::array<char, 16> call_sign{};
    std::snprintf(call_sign.data(), call_sign.size(), "D%dX", 1000 + i);
    t.call_sign = call_sign.data();
    t.ship_type = t.class_b ? 37 : (r.uniform() < 0.5 ? 70 : 80);
    t.length_m = t.class_b ? 8.0 + 20.0 * r.uniform() : 80.0 + 220.0 * r.uniform();
    t.beam_m = t.length_m / 6.5;
    const double range_m = (2.0 + (radius_nm - 2.0) * r.uniform()) * kMetresPerNauticalMile;
    const double bearing = 360.0 * r.uniform();
    t.start =
        advance(centre, range_m * std::cos(bearing * kDeg), range_m * std::sin(bearing * kDeg));
    t.course_deg = 360.0 * r.uniform();
    t.speed_kn = t.class_b ? 4.0 + 8.0 * r.uniform() : 8.0 + 12.0 * r.uniform();
    out.push_back(t);
  }
  return out;
}

}  // namespace twincert::generators
