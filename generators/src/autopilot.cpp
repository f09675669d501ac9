#include "twincert/generators/autopilot.hpp"

#include <utility>

namespace twincert::generators {

Autopilot::Autopilot(std::vector<GeoPoint> route, AutopilotTuning tuning) noexcept
    : route_(std::move(route)), tuning_(tuning) {}

Controls Autopilot::command(const ShipState& state, double rpm_order) noexcept {
  while (next_ < route_.size() &&
         distance_m(state.position, route_[next_]) < tuning_.arrival_radius_m) {
    ++next_;
  }
  if (finished()) {
    // Past the last waypoint: hold the course.
    heading_order_deg_ = route_.size() >= 2 ? bearing_deg(route_[route_.size() - 2], route_.back())
                                            : state.heading_deg;
  } else {
    heading_order_deg_ = bearing_deg(state.position, route_[next_]);
  }
  const double error = wrap_180(heading_order_deg_ - state.heading_deg);
  return Controls{tuning_.kp * error - tuning_.kd * state.rot_deg_s, rpm_order};
}

}  // namespace twincert::generators
