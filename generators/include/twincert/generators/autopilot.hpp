// Follows a route of waypoints: steers towards the next waypoint with a PD heading controller
// (rudder = Kp * heading error - Kd * rate of turn) and switches legs within an arrival radius.
// Not thread-safe (keeps the current leg); one per simulated ship.
#pragma once

#include <cstddef>
#include <vector>

#include "twincert/generators/geodesy.hpp"
#include "twincert/generators/vessel.hpp"

namespace twincert::generators {

struct AutopilotTuning {
  double kp = 1.5;   // degrees of rudder per degree of heading error
  double kd = 40.0;  // degrees of rudder per degree/second of turn
  double arrival_radius_m = 500.0;
};

class Autopilot {
 public:
  Autopilot(std::vector<GeoPoint> route, AutopilotTuning tuning) noexcept;

  Controls command(const ShipState& state, double rpm_order) noexcept;
  // Heading the autopilot is steering to (after the last command).
  double heading_order_deg() const noexcept { return heading_order_deg_; }
  std::size_t next_waypoint() const noexcept { return next_; }
  bool finished() const noexcept { return next_ >= route_.size(); }

 private:
  std::vector<GeoPoint> route_;
  AutopilotTuning tuning_;
  std::size_t next_ = 1;  // route_[0] is the start
  double heading_order_deg_ = 0.0;
};

}  // namespace twincert::generators
