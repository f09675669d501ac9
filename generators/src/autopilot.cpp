#include "twincert/generators/autopilot.hpp"

#include <cmath>
#include <utility>

namespace twincert::generators {

Autopilot::Autopilot(std::vector<GeoPoint> route, AutopilotTuning tuning) noexcept
    : route_(std::move(route)), tuning_(tuning) {}

Controls Autopilot::command(const ShipState& state, double rpm_order) noexcept {
  // The offset to the next waypoint gives both whether it is reached and the course to it
  // (asked every tick, so computed once).
  double north = 0.0;
  double east = 0.0;
  while (next_ < route_.size()) {
    offset_m(state.position, route_[next_], north, east);
    if (std::hypot(north, east) >= tuning_.arrival_radius_m) break;
    ++next_;
  }
  if (finished()) {
    // Past the last waypoint: hold the course.
    heading_order_deg_ = route_.size() >= 2 ? bearing_deg(route_[route_.size() - 2], route_.back())
                                            : state.heading_deg;
  } else {
    heading_order_deg_ = bearing_of_offset_deg(north, east);
  }
  const double error = wrap_180(heading_order_deg_ - state.heading_deg);
  return Controls{tuning_.kp * error - tuning_.kd * state.rot_deg_s, rpm_order};
}

}  // namespace twincert::generators
