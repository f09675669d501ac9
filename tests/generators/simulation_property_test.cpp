// Properties of generated streams: determinism, strict conformance, physical consistency.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/generators/geodesy.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/generators/simulation.hpp"
#include "twincert/protocols/nmea0183/lint.hpp"

#include <rapidcheck.h>

namespace twincert::generators {
namespace {

struct Run {
  std::string stream;  // sentences in order, with their time and source
  std::vector<ShipState> truth;
};

Run simulate(const Scenario& scenario, std::uint64_t seed, double duration_s) {
  Run run;
  Simulation sim(scenario, seed);
  sim.run(
      duration_s,
      [&](double t, const SensorSpec& sensor, std::string_view sentence) {
        run.stream += std::to_string(t) + ' ' + sensor.source + ' ';
        run.stream += sentence;
      },
      [&](const ShipState& s) { run.truth.push_back(s); });
  return run;
}

Scenario any_builtin() {
  const auto all = builtin_scenarios();
  return load_scenario(all[*rc::gen::inRange<std::size_t>(0, all.size())].name);
}

RC_GTEST_PROP(SimulationProperty, SameSeedGivesTheSameBytes, ()) {
  const Scenario scenario = any_builtin();
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  RC_ASSERT(simulate(scenario, seed, 30.0).stream == simulate(scenario, seed, 30.0).stream);
}

RC_GTEST_PROP(SimulationProperty, DifferentSeedsGiveDifferentStreams, ()) {
  const Scenario scenario = any_builtin();
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto other = *rc::gen::distinctFrom(seed);
  RC_ASSERT(simulate(scenario, seed, 10.0).stream != simulate(scenario, other, 10.0).stream);
}

RC_GTEST_PROP(SimulationProperty, WithoutFaultsEverySentencePassesStrictLint, ()) {
  const Scenario scenario = any_builtin();
  Simulation sim(scenario, *rc::gen::arbitrary<std::uint64_t>());
  nmea0183::CaptureLinter linter(nmea0183::Mode::kStrict);
  std::size_t sentences = 0;
  sim.run(
      60.0, [&](double, const SensorSpec&, std::string_view s) { linter.feed(s), ++sentences; },
      nullptr);
  linter.finish();
  RC_ASSERT(sentences > 0U);
  RC_ASSERT(linter.stats().error_count() == 0U);
  RC_ASSERT(linter.stats().warning_count() == 0U);
}

RC_GTEST_PROP(SimulationProperty, PhysicsHolds, ()) {
  const Scenario scenario = any_builtin();
  const VesselClass& v = scenario.vessel;
  const Run run = simulate(scenario, *rc::gen::arbitrary<std::uint64_t>(), 600.0);
  RC_ASSERT(run.truth.size() == 601U);
  // Fastest possible turn: K at the highest speed times full rudder.
  const double max_speed_kn = v.service_speed_kn * v.max_rpm / v.service_rpm;
  const double max_rot = v.nomoto_k_per_s * max_speed_kn / v.service_speed_kn * v.max_rudder_deg;
  const double drift_kn =
      scenario.environment.current_drift_kn +
      v.leeway_fraction * (scenario.environment.wind_speed_kn + scenario.environment.gust_kn);
  for (std::size_t i = 1; i < run.truth.size(); ++i) {
    const ShipState& a = run.truth[i - 1];
    const ShipState& b = run.truth[i];
    RC_ASSERT(std::abs(b.t_s - a.t_s - 1.0) < 1e-9);
    RC_ASSERT(std::abs(b.rot_deg_s) <= max_rot + 1e-9);
    RC_ASSERT(std::abs(wrap_180(b.heading_deg - a.heading_deg)) <= max_rot + 1e-9);
    RC_ASSERT(std::abs(b.rudder_deg - a.rudder_deg) <= v.rudder_rate_deg_s + 1e-9);
    RC_ASSERT(b.sog_kn <= max_speed_kn + drift_kn + 1e-9);
    // Position moved by what SOG and COG say (mean of both ends), within 2 % plus 1 m.
    const double expected_m = (a.sog_kn + b.sog_kn) / 2.0 * kMetresPerSecondPerKnot;
    const double moved_m = distance_m(a.position, b.position);
    RC_ASSERT(std::abs(moved_m - expected_m) <= 0.02 * expected_m + 1.0);
    if (moved_m > 1.0) {
      const double cog = bearing_deg(a.position, b.position);
      RC_ASSERT(std::abs(wrap_180(cog - b.cog_deg)) <= max_rot + 1.0);
    }
    RC_ASSERT(std::abs(b.roll_deg) <= v.max_roll_deg + 1e-9);
  }
}

}  // namespace
}  // namespace twincert::generators
