// Properties of generated streams: determinism, strict conformance, physical consistency.
#include <cmath>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/generators/geodesy.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/generators/simulation.hpp"
#include "twincert/protocols/ais/assembler.hpp"
#include "twincert/protocols/ais/messages.hpp"
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
      [&](double t, std::size_t /*sensor_index*/, const SensorSpec& sensor,
          std::string_view sentence) {
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
      60.0,
      [&](double, std::size_t /*sensor_index*/, const SensorSpec&, std::string_view s) {
        linter.feed(s), ++sentences;
      },
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

// AIS targets move consistently: between two position reports of a target, the distance it
// moved matches its reported speed over the time between them, in its reported course.
RC_GTEST_PROP(SimulationProperty, AisTargetsMoveConsistently, ()) {
  const Scenario scenario = load_scenario(
      *rc::gen::element<std::string>("coastal-transit", "close-quarters", "port-approach"));
  struct Report {
    double t;
    GeoPoint p;
    double sog_kn;
    double cog_deg;
  };
  std::map<std::uint32_t, std::vector<Report>> reports;
  ais::FragmentAssembler assembler;
  std::vector<std::string> kept;
  Simulation sim(scenario, *rc::gen::arbitrary<std::uint64_t>());
  sim.run(
      240.0,
      [&](double t, std::size_t /*sensor_index*/, const SensorSpec& sensor, std::string_view text) {
        if (sensor.kind != "ais") return;
        kept.emplace_back(text);
        const auto raw = nmea0183::parse_sentence(kept.back(), nmea0183::Mode::kStrict);
        if (!raw) return;
        const auto fragment = ais::fragment_of(*raw);
        if (!fragment) return;
        const auto outcome = assembler.add(*fragment);
        if (!outcome.message || outcome.message->own_ship) return;
        const auto message =
            ais::decode_payload(outcome.message->payload, outcome.message->fill_bits);
        if (!message) return;
        std::visit(
            [&](const auto& m) {
              if constexpr (requires { m.longitude; }) {
                reports[m.mmsi].push_back(
                    {t, GeoPoint{*ais::latitude_deg(m.latitude), *ais::longitude_deg(m.longitude)},
                     *ais::sog_kn(m.sog), m.cog / 10.0});
              }
            },
            *message);
      },
      nullptr);
  RC_ASSERT(!reports.empty());
  for (const auto& [mmsi, list] : reports) {
    for (std::size_t i = 1; i < list.size(); ++i) {
      const Report& a = list[i - 1];
      const Report& b = list[i];
      const double expected_m = a.sog_kn * kMetresPerSecondPerKnot * (b.t - a.t);
      const double moved_m = distance_m(a.p, b.p);
      // SOG is sent in tenths of a knot and positions in 1/10000 minute.
      RC_ASSERT(std::abs(moved_m - expected_m) <=
                0.05 * kMetresPerSecondPerKnot * (b.t - a.t) + 0.002 * expected_m + 1.0);
      if (moved_m > 50.0) RC_ASSERT(std::abs(wrap_180(bearing_deg(a.p, b.p) - a.cog_deg)) < 0.5);
    }
  }
}

// Every fault shows in the stream exactly in its span, on its sensor, and nowhere else: outside
// the span the stream is byte-identical to the stream without the fault.
RC_GTEST_PROP(SimulationProperty, AFaultShowsExactlyInItsSpan, ()) {
  Scenario scenario = load_scenario("open-sea-transit");
  const auto& sensor = *rc::gen::elementOf(scenario.sensors);
  const std::string kind = *rc::gen::element<std::string>(
      "dropout", "frozen", "bias", "noise", "status", "checksum", "truncate", "garbage", "talker",
      "duplicate", "time_jump", "stale_time", "wrong_unit", "range", "overlength", "illegal_char");
  const int start = *rc::gen::inRange(5, 60);
  const int length = *rc::gen::inRange(2, 30);
  std::string spec =
      kind + ":" + sensor.source + "@" + std::to_string(start) + "+" + std::to_string(length);
  if (kind == "bias" || kind == "noise") {
    spec +=
        ",heading_deg=7,cog_deg=7,sog_kn=3,stw_kn=3,rot_deg_s=1,depth_m=5,wind_speed_kn=5,"
        "rudder_deg=3,rpm=9,roll_deg=2,north_m=50";
  }
  const std::uint64_t seed = *rc::gen::arbitrary<std::uint64_t>();
  // Offsets cannot apply to a sensor that measures nothing; add_fault refuses them (tested in
  // faults_test).
  RC_PRE(measures_quantities(sensor.kind) ||
         (kind != "bias" && kind != "noise" && kind != "wrong_unit"));

  struct Line {
    double t;
    std::string source;
    std::string text;
    bool operator==(const Line&) const = default;
  };
  const auto lines = [&](const Scenario& sc) {
    std::vector<Line> out;
    Simulation sim(sc, seed);
    sim.run(
        90.0,
        [&](double t, std::size_t /*sensor_index*/, const SensorSpec& s, std::string_view text) {
          out.push_back({t, s.source, std::string(text)});
        },
        nullptr);
    return out;
  };
  const auto clean = lines(scenario);
  add_fault(scenario, parse_fault(spec));
  const auto faulty = lines(scenario);
  const auto in_span = [&](const Line& l) {
    return l.source == sensor.source && l.t >= start && l.t < start + length;
  };
  std::vector<Line> clean_outside;
  std::vector<Line> faulty_outside;
  std::vector<Line> clean_inside;
  std::vector<Line> faulty_inside;
  for (const auto& l : clean) (in_span(l) ? clean_inside : clean_outside).push_back(l);
  for (const auto& l : faulty) (in_span(l) ? faulty_inside : faulty_outside).push_back(l);
  RC_LOG() << spec << ": " << clean_inside.size() << " clean and " << faulty_inside.size()
           << " faulty lines in the span\n";
  RC_ASSERT(clean_outside == faulty_outside);
  // Inside the span the faulted sensor's output differs, except where physics hides the fault:
  // a frozen sensor whose true value does not change, or a status fault on a sensor whose
  // sentences carry no status (the echo sounder's DPT and DBT, AIS VDM and VDO; the steering
  // gear's and alert management's alert lists, which show it only in their minutely HBT).
  // Time faults show only where a sentence carries the time every sample (GNSS); a wrong unit
  // only where speeds or depths are sent.
  const bool time_hidden = (kind == "time_jump" || kind == "stale_time") && sensor.kind != "gnss";
  const bool unit_hidden = kind == "wrong_unit" && sensor.kind != "gnss" &&
                           sensor.kind != "speed_log" && sensor.kind != "echo_sounder" &&
                           sensor.kind != "anemometer";
  const bool can_hide =
      kind == "frozen" || time_hidden || unit_hidden ||
      (kind == "status" && (sensor.kind == "echo_sounder" || sensor.kind == "ais" ||
                            sensor.kind == "steering_gear" || sensor.kind == "alert_management"));
  // (A sensor that sends nothing in the span, like AIS VDO every 10 s, has nothing to damage.)
  RC_CLASSIFY(clean_inside.empty(), "no sentence of the sensor in the span");
  if (!can_hide && !clean_inside.empty()) RC_ASSERT(clean_inside != faulty_inside);
  if (kind == "dropout") RC_ASSERT(faulty_inside.empty());
}

}  // namespace
}  // namespace twincert::generators
