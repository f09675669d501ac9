#include "twincert/generators/environment.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

namespace twincert::generators {

namespace {
// Gust components: periods (s) and their share of the gust amplitude.
constexpr double kGustPeriods[3] = {23.0, 61.0, 149.0};  // NOLINT(modernize-avoid-c-arrays)
constexpr double kGustShares[3] = {0.5, 0.3, 0.2};       // NOLINT(modernize-avoid-c-arrays)
constexpr double kDeepSeaM = 2000.0;
}  // namespace

Environment::Environment(EnvironmentSpec spec, const CounterRng& rng) : spec_(std::move(spec)) {
  const auto stream = stream_id("environment:wind");
  for (std::size_t i = 0; i < 3; ++i) phases_[i] = 2.0 * std::numbers::pi * rng.uniform(stream, i);
  constexpr double kDeg = std::numbers::pi / 180.0;
  current_north_kn_ = spec_.current_drift_kn * std::cos(spec_.current_set_deg * kDeg);
  current_east_kn_ = spec_.current_drift_kn * std::sin(spec_.current_set_deg * kDeg);
}

Wind Environment::wind_at(double t_s) const noexcept {
  double gust = 0.0;
  for (std::size_t i = 0; i < 3; ++i) {
    gust += kGustShares[i] * std::sin(2.0 * std::numbers::pi * t_s / kGustPeriods[i] + phases_[i]);
  }
  // Direction veers a little with the gusts, as real wind does.
  return Wind{std::max(0.0, spec_.wind_speed_kn + spec_.gust_kn * gust),
              spec_.wind_from_deg + 8.0 * gust};
}

double Environment::depth_m(double distance_nm) const noexcept {
  const auto& p = spec_.depth_profile;
  if (p.empty()) return kDeepSeaM;
  if (distance_nm <= p.front().first) return p.front().second;
  for (std::size_t i = 1; i < p.size(); ++i) {
    if (distance_nm <= p[i].first) {
      const double f = (distance_nm - p[i - 1].first) / (p[i].first - p[i - 1].first);
      return p[i - 1].second + f * (p[i].second - p[i - 1].second);
    }
  }
  return p.back().second;
}

}  // namespace twincert::generators
