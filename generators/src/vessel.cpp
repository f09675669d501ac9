#include "twincert/generators/vessel.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace twincert::generators {

namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

double approach(double value, double target, double max_change) noexcept {
  return value + std::clamp(target - value, -max_change, max_change);
}

// Roll: a wave-induced oscillation at the natural roll period growing with the wind, plus heel
// outward in a turn. Pitch: the same idea at the pitch period.
void wave_motions(const VesselClass& v, ShipState& n) noexcept {
  const double roll_amplitude = std::min(v.max_roll_deg, v.roll_deg_per_kn_wind * n.wind.speed_kn);
  const double heel = -v.heel_deg_per_deg_s_kn * n.rot_deg_s * n.stw_kn;
  n.roll_deg =
      std::clamp(roll_amplitude * std::sin(2.0 * std::numbers::pi * n.t_s / v.roll_period_s) + heel,
                 -v.max_roll_deg, v.max_roll_deg);
  n.pitch_deg = v.pitch_deg_per_kn_wind * n.wind.speed_kn *
                std::sin(2.0 * std::numbers::pi * n.t_s / v.pitch_period_s + 1.0);
}

// Surge from the change of speed through the water, sway from the turn (centripetal).
void accelerations(const ShipState& before, ShipState& n, double dt) noexcept {
  n.surge_accel_ms2 = (n.stw_kn - before.stw_kn) * kMetresPerSecondPerKnot / dt;
  n.sway_accel_ms2 = n.sog_kn * kMetresPerSecondPerKnot * n.rot_deg_s * kDeg;
}

}  // namespace

ShipState step(const VesselClass& v, const ShipState& s, const Controls& c, const Environment& env,
               double dt) noexcept {
  ShipState n = s;
  n.t_s = s.t_s + dt;

  // Engine and speed through water (first-order lag towards the speed the RPM gives; a
  // large rudder angle costs speed).
  n.rpm = approach(s.rpm, std::clamp(c.rpm_order, -v.max_rpm, v.max_rpm), v.rpm_rate_per_s * dt);
  const double rudder_drag = 1.0 - 0.25 * std::pow(std::abs(s.rudder_deg) / v.max_rudder_deg, 2);
  const double target_stw = v.service_speed_kn * n.rpm / v.service_rpm * rudder_drag;
  n.stw_kn = s.stw_kn + (target_stw - s.stw_kn) * (1.0 - std::exp(-dt / v.speed_lag_s));

  // Steering gear and Nomoto turning.
  const double order = std::clamp(c.rudder_order_deg, -v.max_rudder_deg, v.max_rudder_deg);
  n.rudder_deg = approach(s.rudder_deg, order, v.rudder_rate_deg_s * dt);
  const double speed_ratio = std::max(std::abs(n.stw_kn), 0.5) / v.service_speed_kn;
  const double k = v.nomoto_k_per_s * speed_ratio;
  const double t = v.nomoto_t_s / speed_ratio;
  // A bow thruster turns the ship when it is slow; at speed the flow past the hull kills its
  // effect.
  const double thrust_yaw = s.systems.thruster_percent / 100.0 * v.thruster_yaw_deg_s *
                            std::max(0.0, 1.0 - std::abs(n.stw_kn) / 5.0);
  const double r_target = (k * n.rudder_deg + thrust_yaw) * kDeg;  // rad/s
  const double r = s.rot_deg_s * kDeg + (r_target - s.rot_deg_s * kDeg) * (1.0 - std::exp(-dt / t));
  n.rot_deg_s = r / kDeg;
  n.heading_deg = wrap_360(s.heading_deg + (s.rot_deg_s + n.rot_deg_s) / 2.0 * dt);

  // Ground velocity: through the water along the heading, plus current, plus leeway downwind.
  n.wind = env.wind_at(n.t_s);
  const double leeway_kn = v.leeway_fraction * n.wind.speed_kn;
  const double to_deg = n.wind.from_deg + 180.0;
  const double north_kn = n.stw_kn * std::cos(n.heading_deg * kDeg) + env.current_north_kn() +
                          leeway_kn * std::cos(to_deg * kDeg);
  const double east_kn = n.stw_kn * std::sin(n.heading_deg * kDeg) + env.current_east_kn() +
                         leeway_kn * std::sin(to_deg * kDeg);
  n.sog_kn = std::hypot(north_kn, east_kn);
  n.cog_deg = n.sog_kn > 1e-6 ? wrap_360(std::atan2(east_kn, north_kn) / kDeg) : s.cog_deg;
  n.position = advance(s.position, north_kn * kMetresPerSecondPerKnot * dt,
                       east_kn * kMetresPerSecondPerKnot * dt);
  n.distance_nm = s.distance_nm + n.sog_kn * dt / 3600.0;
  n.water_distance_nm = s.water_distance_nm + std::abs(n.stw_kn) * dt / 3600.0;
  n.depth_m = env.depth_m(n.distance_nm);

  wave_motions(v, n);
  accelerations(s, n, dt);
  return n;
}

GeoPoint anchored_position(const Anchorage& a, double heading_deg) noexcept {
  const double astern = (heading_deg + 180.0) * kDeg;
  return advance(a.anchor, a.scope_m * std::cos(astern), a.scope_m * std::sin(astern));
}

ShipState step_at_anchor(const VesselClass& v, const ShipState& s, const Anchorage& a,
                         const Environment& env, double dt) noexcept {
  ShipState n = s;
  n.t_s = s.t_s + dt;
  n.wind = env.wind_at(n.t_s);
  n.rpm = approach(s.rpm, 0.0, v.rpm_rate_per_s * dt);
  n.rudder_deg = approach(s.rudder_deg, 0.0, v.rudder_rate_deg_s * dt);
  // The bow points into the wind (the hull's windage dominates the current's drag), sheering
  // to either side; the heading follows with the ship's yaw lag.
  const double sheer = a.sheer_deg * std::sin(2.0 * std::numbers::pi * n.t_s / a.sheer_period_s);
  const double target = n.wind.from_deg + sheer;
  const double error = wrap_180(target - s.heading_deg);
  n.rot_deg_s = error * (1.0 - std::exp(-dt / v.nomoto_t_s)) / dt;
  n.heading_deg = wrap_360(s.heading_deg + n.rot_deg_s * dt);
  n.position = anchored_position(a, n.heading_deg);
  double north_m = 0.0;
  double east_m = 0.0;
  offset_m(s.position, n.position, north_m, east_m);
  n.sog_kn = std::hypot(north_m, east_m) / dt / kMetresPerSecondPerKnot;
  n.cog_deg = n.sog_kn > 1e-6 ? wrap_360(std::atan2(east_m, north_m) / kDeg) : s.cog_deg;
  // The water flows past the hull with the current.
  const double current_along =
      env.spec().current_drift_kn * std::cos((env.spec().current_set_deg - n.heading_deg) * kDeg);
  n.stw_kn = -current_along + n.sog_kn * std::cos((n.cog_deg - n.heading_deg) * kDeg);
  n.distance_nm = s.distance_nm + n.sog_kn * dt / 3600.0;
  n.water_distance_nm = s.water_distance_nm + std::abs(n.stw_kn) * dt / 3600.0;
  n.depth_m = env.depth_m(n.distance_nm);
  wave_motions(v, n);
  accelerations(s, n, dt);
  return n;
}

Wind apparent_wind(const ShipState& s) noexcept {
  // Wind velocity (towards) minus ship velocity, in the ship's frame.
  const double to = (s.wind.from_deg + 180.0) * kDeg;
  const double wn = s.wind.speed_kn * std::cos(to) - s.sog_kn * std::cos(s.cog_deg * kDeg);
  const double we = s.wind.speed_kn * std::sin(to) - s.sog_kn * std::sin(s.cog_deg * kDeg);
  const double speed = std::hypot(wn, we);
  // The apparent wind comes from the opposite of where it blows to, relative to the bow.
  const double from_true = std::atan2(-we, -wn) / kDeg;
  return Wind{speed, wrap_360(from_true - s.heading_deg)};
}

}  // namespace twincert::generators
