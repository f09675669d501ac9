// Own-ship dynamics: a first-order Nomoto steering model, an engine whose speed follows the
// RPM with a lag, set and drift from current and wind leeway, and roll and pitch from a simple
// wave model plus heel in turns. Integrated with a fixed step by step(); pure functions of the
// state, controls and environment, so the simulation is deterministic. Thread-safe.
//
// Nomoto (first order): T r' + r = K delta, r the rate of turn (rad/s), delta the rudder angle
// (rad); K scales with speed (K = K_service * U / U_service), T inversely.
#pragma once

#include <string>

#include "twincert/generators/environment.hpp"
#include "twincert/generators/events.hpp"
#include "twincert/generators/geodesy.hpp"

namespace twincert::generators {

// Parameters of a vessel class (fixtures/vessels/*.json).
struct VesselClass {
  std::string name;
  double length_m = 150.0;
  double beam_m = 25.0;
  double draught_m = 8.0;
  double service_speed_kn = 16.0;  // speed through water at service RPM in calm water
  double service_rpm = 90.0;
  double max_rpm = 110.0;
  double rpm_rate_per_s = 2.0;   // how fast the engine follows the RPM order
  double speed_lag_s = 120.0;    // time constant of speed following the engine
  double nomoto_k_per_s = 0.08;  // at service speed
  double nomoto_t_s = 30.0;      // at service speed
  double max_rudder_deg = 35.0;
  double rudder_rate_deg_s = 2.5;  // SOLAS: 35 deg to 30 deg the other side in 28 s
  double roll_period_s = 14.0;
  double roll_deg_per_kn_wind = 0.25;  // wave-induced roll amplitude per knot of wind
  double max_roll_deg = 25.0;
  double heel_deg_per_deg_s_kn = 0.6;  // heel in a turn per (deg/s of turn x kn of speed)
  double pitch_period_s = 7.0;
  double pitch_deg_per_kn_wind = 0.06;
  double leeway_fraction = 0.02;    // drift speed as a fraction of wind speed
  double thruster_yaw_deg_s = 0.6;  // rate of turn at full bow thruster, ship stopped
};

// True own-ship state.
struct ShipState {
  double t_s = 0.0;
  GeoPoint position;
  double heading_deg = 0.0;  // true
  double rot_deg_s = 0.0;    // + to starboard
  double rudder_deg = 0.0;   // + to starboard
  double rpm = 0.0;
  double stw_kn = 0.0;  // speed through water (longitudinal)
  double sog_kn = 0.0;
  double cog_deg = 0.0;
  double roll_deg = 0.0;           // + to starboard
  double pitch_deg = 0.0;          // + bow up
  double distance_nm = 0.0;        // sailed over ground
  double water_distance_nm = 0.0;  // sailed through the water
  double depth_m = 0.0;            // under keel
  Wind wind;                       // true wind
  double surge_accel_ms2 = 0.0;    // along the hull, for hull-stress monitoring
  double sway_accel_ms2 = 0.0;     // athwartships (centripetal in a turn)
  ShipSystems systems;             // engine, steering, doors, detectors, power (events.hpp)
  double clock_offset_s = 0.0;     // added to the time a sensor stamps (time faults)
};

struct Controls {
  double rudder_order_deg = 0.0;
  double rpm_order = 0.0;
};

// Advances the state by dt seconds.
ShipState step(const VesselClass& vessel, const ShipState& state, const Controls& controls,
               const Environment& environment, double dt_s) noexcept;

// At anchor: the ship lies downwind of its anchor at the scope (horizontal chain length),
// weathervanes into the wind with a slow sheer, and its ground speed is what swinging gives.
struct Anchorage {
  GeoPoint anchor;
  double scope_m = 150.0;
  double sheer_deg = 12.0;  // amplitude of the yaw to either side
  double sheer_period_s = 300.0;
};
ShipState step_at_anchor(const VesselClass& vessel, const ShipState& state,
                         const Anchorage& anchorage, const Environment& environment,
                         double dt_s) noexcept;
// Where the ship lies at anchor with a given heading.
GeoPoint anchored_position(const Anchorage& anchorage, double heading_deg) noexcept;

// Relative wind as an anemometer on board sees it: angle from the bow clockwise, speed.
Wind apparent_wind(const ShipState& state) noexcept;

}  // namespace twincert::generators
