#include "twincert/generators/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "sensor_kit.hpp"

namespace twincert::generators {

Simulation::Simulation(const Scenario& scenario, std::uint64_t seed)
    : scenario_(scenario),
      rng_(seed),
      environment_(scenario.environment, rng_),
      autopilot_(scenario.route, AutopilotTuning{}),
      alerts_(alert_timelines(scenario.events, scenario.anchorage.has_value())) {
  base_systems_.rpm_order = scenario.rpm_order;
  base_systems_.anchored = scenario.anchorage.has_value();
  const SensorContext context{&scenario.vessel, &scenario.traffic, &alerts_};
  for (const SensorSpec& spec : scenario.sensors) {
    sensors_.push_back(make_sensor(spec, rng_, context));
    std::vector<FaultSpec> mine;
    for (const FaultSpec& f : scenario.faults) {
      if (f.source == spec.source) mine.push_back(f);
    }
    faults_.emplace_back(std::move(mine), rng_, spec.source);
    periods_.push_back(detail::period_ticks(spec));
  }
  // Start on the first leg at the speed the ordered RPM gives.
  const VesselClass& v = scenario.vessel;
  state_.position = scenario.route.front();
  state_.heading_deg = bearing_deg(scenario.route[0], scenario.route[1]);
  state_.cog_deg = state_.heading_deg;
  state_.rpm = scenario.rpm_order;
  state_.stw_kn = v.service_speed_kn * scenario.rpm_order / v.service_rpm;
  state_.sog_kn = state_.stw_kn;
  state_.wind = environment_.wind_at(0.0);
  state_.depth_m = environment_.depth_m(0.0);
  state_.systems = systems_at(scenario.events, 0.0, base_systems_);
  if (scenario.anchorage) {
    state_.heading_deg = state_.wind.from_deg;
    state_.cog_deg = state_.heading_deg;
    state_.position = anchored_position(*scenario.anchorage, state_.heading_deg);
    state_.rpm = 0.0;
    state_.stw_kn = 0.0;
    state_.sog_kn = 0.0;
  }
}

Controls Simulation::controls(const ShipSystems& systems) {
  Controls c = autopilot_.command(state_, systems.rpm_order);
  if (systems.engine_failed) c.rpm_order = 0.0;
  if (!systems.steering_failed) {
    rudder_jammed_ = false;
    return c;
  }
  // A jammed rudder stays where it was when the gear failed, or runs to the given angle.
  if (!rudder_jammed_) {
    jammed_rudder_deg_ =
        std::isnan(systems.jammed_rudder_deg) ? state_.rudder_deg : systems.jammed_rudder_deg;
    rudder_jammed_ = true;
  }
  c.rudder_order_deg = jammed_rudder_deg_;
  return c;
}

void Simulation::run(double duration_s, const SentenceSink& on_sentence,
                     const TruthSink& on_truth) {
  const double duration = duration_s > 0 ? duration_s : scenario_.duration_s;
  const auto ticks =
      static_cast<std::int64_t>(std::llround(duration * static_cast<double>(kTicksPerSecond)));
  SentenceBatch batch;
  SentenceBatch damaged;
  ShipState seen;
  for (std::int64_t tick = 0; tick <= ticks; ++tick) {
    if (tick > 0) {
      const double t = static_cast<double>(tick) * kTickSeconds;
      const ShipSystems systems = systems_at(scenario_.events, t, base_systems_);
      state_.systems = systems;
      state_ = scenario_.anchorage
                   ? step_at_anchor(scenario_.vessel, state_, *scenario_.anchorage, environment_,
                                    kTickSeconds)
                   : step(scenario_.vessel, state_, controls(systems), environment_, kTickSeconds);
      state_.t_s = t;  // exact, whatever the sum drifted
    }
    if (tick % kTicksPerSecond == 0 && on_truth) on_truth(state_);
    for (std::size_t i = 0; i < sensors_.size(); ++i) {
      if (tick % periods_[i] != 0) continue;
      SensorFaults& faults = faults_[i];
      batch.clear();
      if (faults.empty()) {
        sensors_[i]->sample(state_, scenario_.start_unix_s, batch);
        if (state_.systems.blackout) continue;
      } else {
        const bool send = faults.distort(state_, seen);
        sensors_[i]->set_invalid(faults.marks_invalid(state_.t_s));
        // A silent sensor still samples (and draws its noise), so that outside the fault's span
        // the stream is byte-identical to the stream without the fault.
        if (auto* anchor = faults.stuck_noise(state_.t_s)) {
          sensors_[i]->sample_stuck(seen, scenario_.start_unix_s, batch, *anchor);
        } else {
          sensors_[i]->sample(seen, scenario_.start_unix_s, batch);
        }
        if (!send || state_.systems.blackout) continue;
        damaged.clear();
        for (const std::string& sentence : batch) faults.corrupt(state_.t_s, sentence, damaged);
        batch.swap(damaged);
      }
      for (const std::string& sentence : batch) {
        on_sentence(state_.t_s, i, sensors_[i]->spec(), sentence);
      }
    }
  }
}

}  // namespace twincert::generators
