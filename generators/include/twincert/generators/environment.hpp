// The environment a scenario sails in: wind with gusts, current, depth along the route, sea
// temperature. Gusts are a sum of three slow sinusoids with phases drawn from the seed, so wind
// is smooth, varies like a gusty breeze and is a pure function of (seed, time). Thread-safe.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "twincert/generators/random.hpp"

namespace twincert::generators {

struct EnvironmentSpec {
  double wind_speed_kn = 10.0;    // mean true wind speed
  double wind_from_deg = 270.0;   // direction the wind blows from, true
  double gust_kn = 3.0;           // amplitude of gusts around the mean
  double current_set_deg = 90.0;  // direction the current flows towards, true
  double current_drift_kn = 0.5;
  double sea_temperature_c = 12.0;
  // Depth under keel profile along the distance sailed: (nautical miles, metres), linear between
  // points, constant beyond the last. Empty: 2000 m everywhere (deep sea).
  std::vector<std::pair<double, double>> depth_profile;
};

struct Wind {
  double speed_kn = 0.0;
  double from_deg = 0.0;
};

class Environment {
 public:
  Environment(EnvironmentSpec spec, const CounterRng& rng);

  const EnvironmentSpec& spec() const noexcept { return spec_; }
  Wind wind_at(double t_s) const noexcept;
  double depth_m(double distance_nm) const noexcept;
  // The current's velocity towards north and east (knots); constant, so resolved once.
  double current_north_kn() const noexcept { return current_north_kn_; }
  double current_east_kn() const noexcept { return current_east_kn_; }

 private:
  EnvironmentSpec spec_;
  double current_north_kn_ = 0.0;
  double current_east_kn_ = 0.0;
  double phases_[3]{};  // NOLINT(modernize-avoid-c-arrays): three fixed gust components
};

}  // namespace twincert::generators
