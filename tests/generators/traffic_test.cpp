#include "twincert/generators/traffic.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "twincert/generators/scenario.hpp"
#include "twincert/generators/simulation.hpp"
#include "twincert/protocols/ais/assembler.hpp"
#include "twincert/protocols/ais/messages.hpp"

namespace twincert::generators {
namespace {

TEST(ApproachTest, HeadOnTargetMeetsAtTheMidpoint) {
  // Own ship at the origin heading north at 10 kn; target 6 nm north heading south at 10 kn.
  const GeoPoint own{54.0, 6.0};
  Target t;
  t.start = advance(own, 6.0 * kMetresPerNauticalMile, 0.0);
  t.course_deg = 180.0;
  t.speed_kn = 10.0;
  const Approach a = approach(own, 0.0, 10.0, t, 0.0);
  // Tolerances: the local-radius geodesy is good to 1e-5 relative at this range.
  EXPECT_NEAR(a.range_nm, 6.0, 1e-4);
  EXPECT_NEAR(a.bearing_deg, 0.0, 1e-6);
  EXPECT_NEAR(a.cpa_nm, 0.0, 1e-6);
  EXPECT_NEAR(a.tcpa_min, 18.0, 1e-3);  // 6 nm closing at 20 kn
}

TEST(ApproachTest, CrossingTargetPassesAheadAtItsOffset) {
  // Target 2 nm east of a stationary own ship's track line, moving north at 12 kn from 3 nm south.
  const GeoPoint own{54.0, 6.0};
  Target t;
  t.start = advance(own, -3.0 * kMetresPerNauticalMile, 2.0 * kMetresPerNauticalMile);
  t.course_deg = 0.0;
  t.speed_kn = 12.0;
  const Approach a = approach(own, 0.0, 0.0, t, 0.0);
  EXPECT_NEAR(a.cpa_nm, 2.0, 1e-3);
  EXPECT_NEAR(a.tcpa_min, 15.0, 1e-3);
  const Approach later = approach(own, 0.0, 0.0, t, 30.0 * 60.0);
  EXPECT_LT(later.tcpa_min, 0.0);  // already past
}

TEST(ApproachTest, AllAtOnceIsEachInTurn) {
  const Scenario scenario = load_scenario("coastal-transit");
  const GeoPoint own = scenario.route.front();
  std::vector<Approach> all{Approach{}};  // replaced, not appended to
  approach_all(own, 37.0, 12.5, scenario.traffic, 125.0, all);
  ASSERT_EQ(all.size(), scenario.traffic.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Approach one = approach(own, 37.0, 12.5, scenario.traffic[i], 125.0);
    EXPECT_EQ(all[i].range_nm, one.range_nm) << i;
    EXPECT_EQ(all[i].bearing_deg, one.bearing_deg) << i;
    EXPECT_EQ(all[i].cpa_nm, one.cpa_nm) << i;
    EXPECT_EQ(all[i].tcpa_min, one.tcpa_min) << i;
  }
}

TEST(AisTrafficTest, ReportsDecodeToWhereTheTargetsAre) {
  const Scenario scenario = load_scenario("coastal-transit");
  ASSERT_GE(scenario.traffic.size(), 14U);
  std::map<std::uint32_t, const Target*> by_mmsi;
  for (const Target& t : scenario.traffic) by_mmsi[t.mmsi] = &t;

  Simulation sim(scenario, 5);
  ais::FragmentAssembler assembler;
  std::vector<std::string> kept;  // fragments view into their sentences
  std::map<int, int> types;
  int positions = 0;
  sim.run(
      400.0,
      [&](double t, std::size_t /*sensor_index*/, const SensorSpec& sensor, std::string_view text) {
        if (sensor.kind != "ais") return;
        kept.emplace_back(text);
        const auto raw = nmea0183::parse_sentence(kept.back(), nmea0183::Mode::kStrict);
        ASSERT_TRUE(raw.has_value()) << text;
        const auto fragment = ais::fragment_of(*raw);
        ASSERT_TRUE(fragment.has_value());
        const auto outcome = assembler.add(*fragment);
        ASSERT_FALSE(outcome.problem.has_value()) << text;
        if (!outcome.message || outcome.message->own_ship) return;
        const auto message =
            ais::decode_payload(outcome.message->payload, outcome.message->fill_bits);
        ASSERT_TRUE(message.has_value());
        const std::uint32_t mmsi = ais::mmsi_of(*message);
        ASSERT_TRUE(by_mmsi.contains(mmsi)) << mmsi;
        ++types[static_cast<int>(
            std::visit([](const auto& m) { return m.message_type; }, *message))];
        std::visit(
            [&](const auto& m) {
              if constexpr (requires { m.longitude; }) {
                const GeoPoint truth = by_mmsi[mmsi]->position_at(t);
                EXPECT_NEAR(*ais::latitude_deg(m.latitude), truth.lat_deg, 1e-6);
                EXPECT_NEAR(*ais::longitude_deg(m.longitude), truth.lon_deg, 1e-6);
                EXPECT_NEAR(*ais::sog_kn(m.sog), by_mmsi[mmsi]->speed_kn, 0.051);
                ++positions;
              }
            },
            *message);
      },
      nullptr);
  EXPECT_GT(positions, 300);
  EXPECT_GT(types[1], 0);
  EXPECT_GT(types[2], 0);   // assigned mode
  EXPECT_GT(types[3], 0);   // responses to interrogation
  EXPECT_GT(types[5], 0);   // class A static and voyage data (two fragments)
  EXPECT_GT(types[18], 0);  // class B
  EXPECT_GT(types[24], 0);
  EXPECT_EQ(assembler.pending(), 0U);
}

TEST(AisTrafficTest, ScenarioTrafficIsPartOfTheScenarioNotOfTheSeed) {
  const Scenario a = load_scenario("coastal-transit");
  const Scenario b = load_scenario("coastal-transit");
  ASSERT_EQ(a.traffic.size(), b.traffic.size());
  for (std::size_t i = 0; i < a.traffic.size(); ++i) {
    EXPECT_EQ(a.traffic[i].mmsi, b.traffic[i].mmsi);
    EXPECT_EQ(a.traffic[i].course_deg, b.traffic[i].course_deg);
  }
}

}  // namespace
}  // namespace twincert::generators
