// Runs a scenario: the own ship under autopilot (or at anchor) through its environment and
// events, sampled by its sensors.
//
// Time advances in fixed 0.1 s ticks (integers, so nothing drifts over a long voyage). Each
// sensor samples every round(10 / rate_hz) ticks from t = 0, in the scenario's sensor order; the
// true state is reported once a second. Events set the orders and systems each tick: an engine
// failure stops the engine, a steering failure jams the rudder, a blackout silences every
// sensor. Output depends only on (scenario, seed). Not thread-safe; one simulation per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/generators/alerts.hpp"
#include "twincert/generators/autopilot.hpp"
#include "twincert/generators/environment.hpp"
#include "twincert/generators/faults.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/generators/sensors.hpp"
#include "twincert/generators/vessel.hpp"

namespace twincert::generators {

inline constexpr double kTickSeconds = 0.1;
inline constexpr std::int64_t kTicksPerSecond = 10;

class Simulation {
 public:
  Simulation(const Scenario& scenario, std::uint64_t seed);

  // Called with each sentence (CR LF included) in time order; `sensor_index` is the sensor's
  // place in the scenario's sensors.
  using SentenceSink = std::function<void(double t_s, std::size_t sensor_index,
                                          const SensorSpec& sensor, std::string_view sentence)>;
  // Called with the true state at t = 0, 1, 2, ... s.
  using TruthSink = std::function<void(const ShipState& state)>;

  // Runs for duration_s seconds (the scenario's when <= 0).
  void run(double duration_s, const SentenceSink& on_sentence, const TruthSink& on_truth);

  const ShipState& state() const noexcept { return state_; }
  const std::vector<AlertTimeline>& alerts() const noexcept { return alerts_; }

 private:
  Controls controls(const ShipSystems& systems);

  const Scenario& scenario_;
  CounterRng rng_;
  Environment environment_;
  Autopilot autopilot_;
  std::vector<AlertTimeline> alerts_;
  ShipSystems base_systems_;
  double jammed_rudder_deg_ = 0.0;
  bool rudder_jammed_ = false;
  std::vector<std::unique_ptr<Sensor>> sensors_;
  std::vector<SensorFaults> faults_;   // per sensor
  std::vector<std::int64_t> periods_;  // in ticks
  ShipState state_;
};

}  // namespace twincert::generators
